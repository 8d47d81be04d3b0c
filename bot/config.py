"""Settings from the environment and `.env`, validated once; each error names its variable."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from dotenv import dotenv_values

from bot.core.errors import SpeechBotError
from bot.core.files import Limits

if TYPE_CHECKING:
    from bot.core.engine import Engine

PROJECT_DIR = Path(__file__).resolve().parent.parent
_TOKEN = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{20,}$")
_LIMITS = Limits()  # the defaults
_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class ConfigError(SpeechBotError):
    """A setting is missing or malformed; the message names the variable to set."""


@dataclass(frozen=True, slots=True)
class Settings:
    token: str | None
    api_base_url: str | None
    log_level: str
    threshold: float | None  # None: the fitted model's threshold (bot/core/data/model.json)
    knowledge_path: Path
    allowed_chat_ids: frozenset[int]
    admin_user_ids: frozenset[int]
    database_path: Path
    hash_salt: str | None
    retention_days: int
    user_messages_per_minute: int
    knowledge_limits: Limits = field(default_factory=Limits)
    log_user_data: bool = False

    def __repr__(self) -> str:  # never show the token, even in a traceback or debugger
        return f"Settings(token={'<set>' if self.token else None}, knowledge_path={self.knowledge_path})"

    @property
    def data_dir(self) -> Path:
        return self.database_path.parent

    def engine_options(self) -> dict[str, float]:
        """Keyword arguments for `Engine.load`: the threshold only when MATCH_THRESHOLD is set."""
        return {} if self.threshold is None else {"threshold": self.threshold}

    def load_engine(self, path: Path | None = None, *, threshold: float | None = None) -> Engine:
        """The engine over the configured knowledge (or `path`), read within the size limits.
        The one place the command line, the bot and /reload build it. Raises KnowledgeError."""
        from bot.core import files  # the engine is imported only by commands that answer
        from bot.core.engine import Engine

        options = self.engine_options() | ({} if threshold is None else {"threshold": threshold})
        with files.limits(self.knowledge_limits):
            return Engine.load(path or self.knowledge_path, cache_index=True, **options)

    @classmethod
    def load(
        cls,
        environ: Mapping[str, str] | None = None,
        *,
        env_file: Path | None = None,
        check_token: bool = True,
    ) -> Settings:
        """Read settings from `environ` (default: the process environment) over `.env`.

        With `check_token=False` (commands that never talk to Telegram) a malformed token is
        ignored instead of refused: `speech-bot ask` works whatever the token looks like.
        """
        values: dict[str, str] = {}
        dotenv = env_file if env_file is not None else Path.cwd() / ".env"
        if environ is None and dotenv.is_file():
            values.update({k: v for k, v in dotenv_values(dotenv).items() if v is not None})
        values.update(os.environ if environ is None else environ)
        env = {k: v.strip() for k, v in values.items() if v is not None and v.strip()}

        token = env.get("TELEGRAM_BOT_TOKEN")
        if token is not None and not _TOKEN.match(token):
            if not check_token:
                token = None
            else:
                raise ConfigError(
                    "TELEGRAM_BOT_TOKEN does not look like a bot token (expected '123456:ABC…' from BotFather)"
                )
        base_url = env.get("TELEGRAM_API_BASE_URL")
        if base_url is not None and not re.match(r"^https?://[^\s/]+", base_url):
            raise ConfigError(
                "TELEGRAM_API_BASE_URL must be an http(s) URL such as http://127.0.0.1:8081/bot"
            )
        level = env.get("LOG_LEVEL", "INFO").upper()
        if level not in _LOG_LEVELS:
            raise ConfigError(f"LOG_LEVEL must be one of {', '.join(_LOG_LEVELS)}")
        return cls(
            token=token,
            api_base_url=base_url,
            log_level=level,
            threshold=_number(env, "MATCH_THRESHOLD", None, float, 0.0, 1.0),
            knowledge_path=Path(env["KNOWLEDGE_PATH"]) if "KNOWLEDGE_PATH" in env else default_knowledge(),
            allowed_chat_ids=_ids(env, "ALLOWED_CHAT_IDS"),
            admin_user_ids=_ids(env, "ADMIN_USER_IDS"),
            database_path=Path(env.get("DATABASE_PATH", "data/speech-bot.sqlite3")),
            hash_salt=env.get("HASH_SALT"),
            retention_days=_number(env, "RETENTION_DAYS", 180, int, 1, 36500),
            user_messages_per_minute=_number(env, "USER_MESSAGES_PER_MINUTE", 20, int, 1, 10_000),
            knowledge_limits=Limits(
                per_file=_number(env, "KNOWLEDGE_MAX_FILE_BYTES", _LIMITS.per_file, int, 1_000, 10**10),
                total=_number(env, "KNOWLEDGE_MAX_TOTAL_BYTES", _LIMITS.total, int, 1_000, 10**11),
            ),
            log_user_data=_flag(env, "LOG_USER_DATA"),
        )


def default_knowledge() -> Path:
    """./knowledge when it exists, else the knowledge folder shipped beside the package."""
    here = Path("knowledge")
    return here if here.is_dir() else PROJECT_DIR / "knowledge"


def _number(env: Mapping[str, str], name: str, default, kind, low, high):
    if name not in env:
        return default
    try:
        value = kind(env[name])
    except ValueError:
        raise ConfigError(f"{name} must be a {'number' if kind is float else 'whole number'}") from None
    if not low <= value <= high:
        raise ConfigError(f"{name} must be between {low} and {high}")
    return value


def _flag(env: Mapping[str, str], name: str) -> bool:
    value = env.get(name, "0").lower()
    if value not in ("0", "1", "true", "false", "yes", "no"):
        raise ConfigError(f"{name} must be 1 or 0")
    return value in ("1", "true", "yes")


def _ids(env: Mapping[str, str], name: str) -> frozenset[int]:
    raw = env.get(name, "")
    try:
        return frozenset(int(x) for x in re.split(r"[,\s]+", raw) if x)
    except ValueError:
        raise ConfigError(f"{name} must be a comma-separated list of numeric Telegram ids") from None
