"""The learning loop: what users asked and how they rated the answers, for the curator."""
