"""The Telegram front end: turns updates into core calls and answers into messages."""
