"""Broken knowledge files: each one is named in one line, at start, in the CLI and on /reload."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import time
from pathlib import Path

import pytest

from bot import messages
from bot.cli import main
from bot.core import files
from bot.core.engine import Engine
from bot.core.errors import KnowledgeError
from bot.core.files import Limits
from tests.conftest import KNOWLEDGE, Running, bot_env, spawn_bot
from tests.fake_telegram import FakeTelegram

ALIAS_BOMB = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def gbk_userdict(folder: Path) -> Path:
    (folder / "userdict.txt").write_bytes("应急预案 100 n\n销号管理 50 n\n".encode("gbk"))
    return folder / "userdict.txt"


def binary_speech(folder: Path) -> Path:
    (folder / "speech.txt").write_bytes(bytes(range(256)) * 10)
    return folder / "speech.txt"


def folder_qa(folder: Path) -> Path:
    (folder / "qa.yaml").unlink()
    (folder / "qa.yaml").mkdir()
    return folder / "qa.yaml"


def dangling_qa(folder: Path) -> Path:
    (folder / "qa.yaml").unlink()
    (folder / "qa.yaml").symlink_to(folder / "moved-away.yaml")
    return folder / "qa.yaml"


def looping_synonyms(folder: Path) -> Path:
    (folder / "synonyms.yaml").unlink()
    (folder / "synonyms.yaml").symlink_to(folder / "synonyms.yaml")
    return folder / "synonyms.yaml"


def dangling_speech(folder: Path) -> Path:
    (folder / "notes.md").symlink_to(folder / "gone.md")
    return folder / "notes.md"


def alias_bomb(folder: Path) -> Path:
    (folder / "synonyms.yaml").write_text(ALIAS_BOMB, "utf-8")
    return folder / "synonyms.yaml"


def unreadable_userdict(folder: Path) -> Path:
    (folder / "userdict.txt").chmod(0)
    return folder / "userdict.txt"


BROKEN = {
    "GBK": (gbk_userdict, "UTF-8"),
    "binary": (binary_speech, "binary"),
    "folder": (folder_qa, "folder"),
    "dangling link": (dangling_qa, "does not exist"),
    "looping link": (looping_synonyms, "loops"),
    "dangling document link": (dangling_speech, "does not exist"),
    "alias bomb": (alias_bomb, "aliases"),
    "permission": (unreadable_userdict, "permission"),
}


@pytest.mark.parametrize("case", BROKEN)
def test_each_broken_file_is_named_in_one_line(knowledge_copy: Path, case: str):
    make, reason = BROKEN[case]
    if case == "permission" and os.geteuid() == 0:
        pytest.skip("root reads every file")
    path = make(knowledge_copy)
    started = time.monotonic()
    with pytest.raises(KnowledgeError) as error, files.limits(Limits()):
        Engine.load(knowledge_copy)
    message = str(error.value)
    assert "\n" not in message and str(path) in message and reason in message, message
    assert time.monotonic() - started < 5  # the alias bomb fails fast


def test_missing_optional_files_are_fine(knowledge_copy: Path):
    for name in ("userdict.txt", "synonyms.yaml", "qa.yaml"):
        (knowledge_copy / name).unlink()
    assert Engine.load(knowledge_copy).answer("应急预案").matched


def test_size_limits_per_file_and_in_all_name_their_setting(knowledge_copy: Path):
    with (
        pytest.raises(KnowledgeError, match="KNOWLEDGE_MAX_FILE_BYTES") as error,
        files.limits(Limits(per_file=5_000)),
    ):
        Engine.load(knowledge_copy)
    assert "5,000 bytes" in str(error.value)
    sizes = [f.stat().st_size for f in knowledge_copy.iterdir() if f.is_file()]
    with (
        pytest.raises(KnowledgeError, match="KNOWLEDGE_MAX_TOTAL_BYTES"),
        # Each file fits, all of them together do not.
        files.limits(Limits(per_file=max(sizes) + 1, total=sum(sizes) - 1)),
    ):
        Engine.load(knowledge_copy)


def test_the_cli_gives_one_line_and_exit_2(
    knowledge_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
):
    monkeypatch.chdir(knowledge_copy.parent)
    gbk_userdict(knowledge_copy)
    assert main(["ask", "--knowledge", str(knowledge_copy), "应急预案"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "userdict.txt" in err and "GBK" in err
    (knowledge_copy / "userdict.txt").write_text("应急预案 100 n\n", "utf-8")
    monkeypatch.setenv("KNOWLEDGE_MAX_FILE_BYTES", "2000")
    assert main(["ask", "--knowledge", str(knowledge_copy), "应急预案"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "KNOWLEDGE_MAX_FILE_BYTES" in err


def test_a_malformed_token_does_not_break_ask(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture):
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "not a token")
    assert main(["ask", "--knowledge", str(KNOWLEDGE), "举报奖励"]) == 0
    assert "举报奖励机制" in capsys.readouterr().out
    assert main(["run"]) == 2
    assert "TELEGRAM_BOT_TOKEN" in capsys.readouterr().err


def test_settings_do_not_import_the_engine():
    import subprocess
    import sys

    code = "import sys, bot.config; print('bot.core.engine' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


async def test_reload_names_a_dangling_link_and_keeps_the_old_index(start_bot, knowledge_copy: Path):
    bot: Running = await start_bot(KNOWLEDGE_PATH=str(knowledge_copy))
    dangling_qa(knowledge_copy)
    (failed,) = await bot.fake.reply_to(bot.fake.message("/reload", user_id=999, chat_id=999))
    assert failed["text"].startswith(messages.RELOAD_FAILED.split("{")[0]) and "qa.yaml" in failed["text"]
    (still,) = await bot.fake.reply_to(bot.fake.message("举报奖励"))
    assert "举报奖励机制" in still["text"]


async def test_sigterm_while_loading_a_large_speech_stops_at_once(fake: FakeTelegram, tmp_path: Path):
    folder = tmp_path / "big"
    folder.mkdir()
    speech = (KNOWLEDGE / "speech.txt").read_text("utf-8")
    chars = [c for c in speech if "\u4e00" <= c <= "\u9fff"]
    rng = random.Random(3)  # a megabyte of distinct sentences: about ten seconds to index
    sentences = ("".join(rng.choices(chars, k=40)) + "。" for _ in range(8_000))
    (folder / "speech.txt").write_text("\n".join(sentences), "utf-8")
    process = await spawn_bot(bot_env(fake, tmp_path, KNOWLEDGE_PATH=str(folder)), tmp_path, capture=True)
    await asyncio.sleep(2.0)  # imports done, the knowledge is being indexed
    assert process.returncode is None
    sent = time.monotonic()
    process.send_signal(signal.SIGTERM)
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
    stopped_in = time.monotonic() - sent
    print(f"\nSIGTERM while loading a 1 MB speech: stopped in {stopped_in:.2f} s")
    assert process.returncode == 0 and stopped_in < 3, stderr.decode()
    assert "stopped while loading" in stderr.decode()
