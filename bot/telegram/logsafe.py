"""Logging that can never show the bot token, nor (unless LOG_USER_DATA=1) who wrote what.

httpx logs every request URL at INFO, and the Bot API URL holds the token, so httpx is quieted;
and every handler formats through `RedactingFormatter`, so the token is replaced wherever it
appears (messages, arguments, tracebacks), at every level.

At DEBUG python-telegram-bot logs every update and every API call with its parameters: names,
usernames, ids and message texts. `UserDataFilter` replaces those arguments: an update becomes
its id, kind and a hashed user id (salted per process: lines of one run can be correlated, ids
cannot be recovered), any other structured value becomes "<redacted>".
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets

from telegram import TelegramObject, Update

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


_PLAIN_ARG = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]{0,60}$")  # endpoint and class names


class UserDataFilter(logging.Filter):
    """Replace the user data in python-telegram-bot's log arguments (see the module's notes)."""

    def __init__(self) -> None:
        super().__init__()
        self._salt = secrets.token_bytes(16)

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("telegram") and isinstance(record.args, tuple) and record.args:
            record.args = tuple(self._redacted(arg) for arg in record.args)
        return True

    def user_ref(self, user_id: int | None) -> str:
        if user_id is None:
            return "nobody"
        return "user#" + hashlib.sha256(self._salt + str(user_id).encode()).hexdigest()[:10]

    def _redacted(self, arg: object) -> object:
        if isinstance(arg, Update):
            user = arg.effective_user
            kinds = [k for k in Update.ALL_TYPES if getattr(arg, k, None) is not None]
            return f"update {arg.update_id} ({kinds[0] if kinds else 'empty'}) from {self.user_ref(user and user.id)}"
        if isinstance(arg, (bool, int, float)) or arg is None:
            return arg
        if isinstance(arg, str) and _PLAIN_ARG.match(arg):
            return arg
        if isinstance(arg, (list, tuple)) and all(isinstance(x, int) for x in arg):
            return arg  # update ids
        if isinstance(arg, (str, dict, list, tuple, TelegramObject)):
            return "<redacted>"
        return f"<{type(arg).__name__}>"


def setup_logging(level: str, token: str | None, *, user_data: bool = False) -> None:
    """Root logging to stderr at `level`, redacting the token (and user data unless `user_data`)."""
    handler = logging.StreamHandler()
    handler.setFormatter(
        RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", (token or "",))
    )
    if not user_data:
        handler.addFilter(UserDataFilter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLevelName(level)))
