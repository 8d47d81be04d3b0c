"""Domain errors raised by the core and turned into one clear message at the edge."""

from __future__ import annotations


class SpeechBotError(Exception):
    """Base class for errors a user or operator should read."""


class KnowledgeError(SpeechBotError):
    """The knowledge files are missing, unreadable or malformed."""
