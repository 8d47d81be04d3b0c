"""speech-bot: answers questions about a speech with the passage that answers them."""
