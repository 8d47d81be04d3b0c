"""Settings: validated once, each error naming the variable to set."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, Settings
from tests.conftest import ROOT

TOKEN = "123456789:TESTtokenAAAAAAAAAAAAAAAAAAAAAAAAAAA"


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"TELEGRAM_BOT_TOKEN": "not-a-token"}, "TELEGRAM_BOT_TOKEN"),
        ({"TELEGRAM_API_BASE_URL": "ftp://x"}, "TELEGRAM_API_BASE_URL"),
        ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
        ({"MATCH_THRESHOLD": "2"}, "MATCH_THRESHOLD"),
        ({"MATCH_THRESHOLD": "high"}, "MATCH_THRESHOLD"),
        ({"ALLOWED_CHAT_IDS": "12,abc"}, "ALLOWED_CHAT_IDS"),
        ({"ADMIN_USER_IDS": "me"}, "ADMIN_USER_IDS"),
        ({"RETENTION_DAYS": "0"}, "RETENTION_DAYS"),
        ({"KNOWLEDGE_MAX_FILE_BYTES": "lots"}, "KNOWLEDGE_MAX_FILE_BYTES"),
        ({"KNOWLEDGE_MAX_TOTAL_BYTES": "0"}, "KNOWLEDGE_MAX_TOTAL_BYTES"),
        ({"LOG_USER_DATA": "maybe"}, "LOG_USER_DATA"),
    ],
)
def test_a_bad_setting_names_its_variable(env: dict, variable: str):
    with pytest.raises(ConfigError, match=variable):
        Settings.load(env)


def test_defaults_and_lists():
    settings = Settings.load(
        {"TELEGRAM_BOT_TOKEN": TOKEN, "ALLOWED_CHAT_IDS": "1, -100200", "ADMIN_USER_IDS": "7"}
    )
    assert settings.allowed_chat_ids == {1, -100200} and settings.admin_user_ids == {7}
    assert settings.database_path == Path("data/speech-bot.sqlite3")
    assert settings.retention_days == 180 and settings.engine_options() == {}  # the engine's default
    assert TOKEN not in repr(settings)


def test_dotenv_is_read_and_the_environment_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    (tmp_path / ".env").write_text(f"TELEGRAM_BOT_TOKEN={TOKEN}\nLOG_LEVEL=DEBUG\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    settings = Settings.load()
    assert settings.token == TOKEN and settings.log_level == "WARNING"


def test_env_example_documents_every_setting():
    example = (ROOT / ".env.example").read_text("utf-8")
    for variable in (
        "TELEGRAM_BOT_TOKEN",
        "TELEGRAM_API_BASE_URL",
        "LOG_LEVEL",
        "MATCH_THRESHOLD",
        "ALLOWED_CHAT_IDS",
        "ADMIN_USER_IDS",
        "DATABASE_PATH",
        "HASH_SALT",
        "RETENTION_DAYS",
        "USER_MESSAGES_PER_MINUTE",
        "KNOWLEDGE_MAX_FILE_BYTES",
        "KNOWLEDGE_MAX_TOTAL_BYTES",
        "LOG_USER_DATA",
    ):
        assert f"{variable}=" in example


def test_every_cli_command_is_in_the_readme():
    from bot.cli import build_parser

    readme = (ROOT / "README.md").read_text("utf-8")
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    for command in sub.choices:
        assert f"speech-bot {command}" in readme, command
