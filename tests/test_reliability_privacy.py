"""Privacy in the logs of the real `speech-bot run`, and malformed updates skipped in one line each."""

from __future__ import annotations

import asyncio
import logging
import signal
from pathlib import Path

from telegram import Update

from bot.telegram.logsafe import UserDataFilter
from tests.conftest import bot_env, spawn_bot
from tests.fake_telegram import FakeTelegram

SECRET_ID = 87654321


async def test_debug_logs_hold_no_ids_names_or_texts_and_malformed_updates_are_skipped(
    fake: FakeTelegram, tmp_path: Path
):
    process = await spawn_bot(bot_env(fake, tmp_path, LOG_LEVEL="DEBUG"), tmp_path, capture=True)
    try:
        await fake.reply_to(
            fake.message("秘密问题应急预案", chat_id=SECRET_ID, user_id=SECRET_ID), timeout=30
        )
        for broken in (
            {"text": "秘密坏消息"},
            {"chat": "x", "date": "y"},
            {"message_id": 1, "chat": {"id": SECRET_ID}},
        ):
            await fake.push(message=broken)
        (reply,) = await fake.reply_to(fake.message("举报奖励", chat_id=SECRET_ID, user_id=SECRET_ID))
        assert "举报奖励机制" in reply["text"]  # polling did not stall
        await asyncio.sleep(0.5)
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=15)
    logs = stderr.decode()
    assert process.returncode == 0
    assert "DEBUG telegram.ext.Application: Processing update update" in logs  # it did log every update
    assert str(SECRET_ID) not in logs and "测试用户" not in logs and "秘密" not in logs
    assert "user#" in logs  # … with a hashed user
    assert logs.count("skipped malformed update") == 3 and "CRITICAL" not in logs


def test_the_filter_hashes_user_ids_and_drops_names_and_texts():
    update = Update.de_json(
        {
            "update_id": 5,
            "message": {
                "message_id": 1,
                "date": 0,
                "chat": {"id": SECRET_ID, "type": "private"},
                "from": {"id": SECRET_ID, "is_bot": False, "first_name": "测试用户"},
                "text": "秘密",
            },
        },
        None,
    )
    record = logging.LogRecord(
        "telegram.ext.Application", logging.DEBUG, "", 0, "Processing update %s", (update,), None
    )
    assert UserDataFilter().filter(record)
    text = record.getMessage()
    assert text.startswith("Processing update update 5 (message) from user#")
    assert str(SECRET_ID) not in text and "测试用户" not in text and "秘密" not in text
