"""The durable inbox, end to end: the real `speech-bot run` killed with SIGKILL in the middle of a burst."""

from __future__ import annotations

import asyncio
import json
import signal
import sqlite3
from pathlib import Path

from bot.telegram.inbox import Inbox
from tests.conftest import bot_env, spawn_bot
from tests.fake_telegram import FakeTelegram

CHATS = 50
PER_CHAT = 6
QUESTIONS = ["应急预案", "举报奖励", "回头看", "隐患排查", "培训教育", "销号管理", "明天下雨吗", "志愿服务"]


async def test_sigkill_mid_burst_then_restart_answers_every_question(fake: FakeTelegram, tmp_path: Path):
    env = bot_env(fake, tmp_path)
    first = await spawn_bot(env, tmp_path)
    try:
        await fake.reply_to(fake.message("应急预案", chat_id=1, user_id=1), timeout=30)
        for k in range(PER_CHAT):
            for c in range(CHATS):
                await fake.message(QUESTIONS[(c + k) % len(QUESTIONS)], chat_id=5000 + c, user_id=5000 + c)
        await fake.wait_for(lambda: len(fake.sent()) >= 1 + 100, timeout=60)
    finally:
        first.send_signal(signal.SIGKILL)
        await first.wait()
    before_restart = len(fake.sent()) - 1
    second = await spawn_bot(env, tmp_path)
    try:
        await fake.wait_for(
            lambda: all(len(fake.sent(chat_id=5000 + c)) >= PER_CHAT for c in range(CHATS)), timeout=90
        )
        await asyncio.sleep(1.0)  # a late duplicate would arrive now
    finally:
        second.send_signal(signal.SIGTERM)
        await asyncio.wait_for(second.wait(), timeout=15)
    per_chat = [len(fake.sent(chat_id=5000 + c)) for c in range(CHATS)]
    unanswered = sum(max(0, PER_CHAT - n) for n in per_chat)
    duplicates = sum(max(0, n - PER_CHAT) for n in per_chat)
    print(
        f"\nkill -9 after {before_restart} of {CHATS * PER_CHAT} answers: "
        f"unanswered {unanswered}, duplicates {duplicates}"
    )
    assert unanswered == 0
    assert duplicates <= 5
    assert second.returncode == 0
    inbox = sqlite3.connect(tmp_path / "data" / "feedback-inbox.sqlite3")
    assert inbox.execute("SELECT COUNT(*) FROM inbox WHERE done_at IS NULL").fetchone()[0] == 0
    assert inbox.execute("SELECT COUNT(*) FROM inbox WHERE body != ''").fetchone()[0] == 0  # texts erased


def _payload(*updates: dict) -> bytes:
    return json.dumps({"ok": True, "result": list(updates)}).encode()


def _message(update_id: int, text: str) -> dict:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 0,
            "chat": {"id": 5, "type": "private"},
            "from": {"id": 5, "is_bot": False, "first_name": "u"},
            "text": text,
        },
    }


async def test_a_resent_update_is_not_handled_twice_but_a_reused_id_is_new(tmp_path: Path):
    inbox = Inbox(tmp_path / "inbox.sqlite3")
    try:
        first = json.loads(await inbox.receive(_payload(_message(1, "应急预案"))))["result"]
        assert first[0]["message"]["text"] == "应急预案"
        resent = json.loads(await inbox.receive(_payload(_message(1, "应急预案"))))["result"]
        assert resent == [{"update_id": 1}]  # Telegram resending it after a crash: emptied
        other = json.loads(await inbox.receive(_payload(_message(1, "举报奖励"))))["result"]
        assert other[0]["message"]["text"] == "举报奖励"  # another server's update 1: handled
        broken = json.loads(
            await inbox.receive(_payload({"update_id": 2, "message": {"text": "x"}}, _message(3, "\ud800")))
        )
        assert broken["result"][0] == {"update_id": 2}
        assert broken["result"][1]["message"]["text"] == "\ufffd"
    finally:
        inbox.close()
