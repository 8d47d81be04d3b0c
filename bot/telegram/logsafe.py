"""Logging that can never show the bot token.

httpx logs every request URL at INFO, and the Bot API URL holds the token, so httpx is quieted;
and every handler formats through `RedactingFormatter`, so the token is replaced wherever it
appears (messages, arguments, tracebacks), at every level.
"""

from __future__ import annotations

import logging
import re

_TOKEN_SHAPE = re.compile(r"\d{3,}:[A-Za-z0-9_-]{20,}")


class RedactingFormatter(logging.Formatter):
    def __init__(self, fmt: str, secrets: tuple[str, ...] = ()) -> None:
        super().__init__(fmt)
        self._secrets = tuple(s for s in secrets if s)

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record), self._secrets)


def redact(text: str, secrets: tuple[str, ...] = ()) -> str:
    for secret in secrets:
        text = text.replace(secret, "<token>")
    return _TOKEN_SHAPE.sub("<token>", text)


def setup_logging(level: str, token: str | None, *, user_data: bool = False) -> None:
    """Root logging to stderr at `level`, redacting the token; httpx and httpcore kept quiet."""
    handler = logging.StreamHandler()
    handler.setFormatter(
        RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", (token or "",))
    )
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLevelName(level)))
