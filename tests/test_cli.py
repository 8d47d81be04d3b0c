"""The command-line contract: what `speech-bot` prints and how it exits."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bot import messages
from tests.conftest import QUESTIONS, ROOT

FIELDS = {"question", "matched", "answer", "section", "document", "confidence", "suggestions"}


def speech_bot(*args: str, stdin: str | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
    )


def test_ask_json_reads_one_question_a_line_and_writes_one_object_a_line():
    questions = ["举报有奖励吗", "", "明天会下雨吗", "第三点讲什么", "<script>x</script>"]
    run = speech_bot("ask", "--json", stdin="\n".join(questions) + "\n")
    assert run.returncode == 0, run.stderr
    replies = [json.loads(line) for line in run.stdout.splitlines()]
    assert [r["question"] for r in replies] == questions
    for reply in replies:
        assert reply.keys() >= FIELDS
        assert 0 <= reply["confidence"] <= 1
    assert replies[0]["matched"] and "举报奖励机制" in replies[0]["answer"]
    assert not replies[1]["matched"] and not replies[2]["matched"]
    assert replies[3]["section"].startswith("三、")
    # What a user reads, also where `answer` is empty: the decline says so.
    assert "没有讲到" in replies[2]["reply"] and replies[2]["answer"] == ""


def test_ask_with_arguments_prints_readable_text():
    run = speech_bot("ask", "应急预案", "天气预报")
    assert run.returncode == 0, run.stderr
    first, second = run.stdout.strip().split("\n\n")
    assert "【三、要以最有力的措施推进安全隐患排查整治】" in first and "完善应急预案" in first
    assert "出处：第三部分 · 第三点" in first
    assert "没有讲到" in second


def test_outline_prints_the_six_parts_and_their_points():
    run = speech_bot("outline")
    assert run.returncode == 0
    lines = run.stdout.splitlines()
    assert (
        sum(1 for line in lines if line.strip()[:2] in {"一、", "二、", "三、", "四、", "五、", "六、"}) == 6
    )
    assert any("一是突出重点领域" in line for line in lines)


def test_eval_prints_accuracy_per_category_and_failures():
    run = speech_bot("eval", str(QUESTIONS))
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[0].split() == ["category", "passed", "total", "accuracy"]
    assert any(line.startswith("offtopic") for line in run.stdout.splitlines())
    assert "median answer length" in run.stdout


def test_other_knowledge_documents_carry_their_title(tmp_path: Path):
    (tmp_path / "water.md").write_text(
        "# 全市水利工作会议讲话\n\n## 一、防汛工作\n汛期要落实防汛责任制,确保安全度汛。\n\n"
        "## 二、水资源\n要实行最严格的水资源管理制度。\n",
        "utf-8",
    )
    (tmp_path / "roads.md").write_text("# 交通工作讲话\n\n道路养护要常态化,确保路面完好。\n", "utf-8")
    run = speech_bot("ask", "--json", "--knowledge", str(tmp_path), "防汛责任制", "道路养护")
    first, second = (json.loads(line) for line in run.stdout.splitlines())
    assert first["document"] == "全市水利工作会议讲话" and "防汛" in first["answer"]
    assert second["document"] == "交通工作讲话"


def test_the_knowledge_option_works_before_the_command_as_well_as_after(tmp_path: Path):
    (tmp_path / "water.md").write_text(
        "# 全市水利工作会议讲话\n\n## 一、防汛工作\n汛期要落实防汛责任制。\n", "utf-8"
    )
    for args in (("--knowledge", str(tmp_path), "outline"), ("outline", "--knowledge", str(tmp_path))):
        run = speech_bot(*args)
        assert "全市水利工作会议讲话" in run.stdout and "安全生产" not in run.stdout, args


def test_a_bad_knowledge_path_is_one_clear_line_and_exit_2(tmp_path: Path):
    run = speech_bot("ask", "--knowledge", str(tmp_path / "missing"), "问题")
    assert run.returncode == 2
    assert run.stderr.strip().startswith("speech-bot: knowledge path not found")
    assert "Traceback" not in run.stderr


def test_without_a_token_bare_command_says_what_to_set(tmp_path: Path):
    run = subprocess.run(
        [sys.executable, "-m", "bot"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        env={**_env(), "TELEGRAM_BOT_TOKEN": ""},
    )
    assert run.returncode == 2
    assert "TELEGRAM_BOT_TOKEN" in run.stderr


def test_chat_answers_in_the_terminal_until_quit():
    run = speech_bot("chat", stdin="/more\n举报奖励\n/more\n/outline\n/quit\n")
    assert run.returncode == 0
    assert "举报奖励机制" in run.stdout and "六、要以最务实的态度" in run.stdout and "再见" in run.stdout
    assert "先问一个问题" in run.stdout  # /more before any question
    assert "为了营造良好的安全生产氛围" in run.stdout  # /more: the whole paragraph


def _env() -> dict[str, str]:
    import os

    return dict(os.environ)


def test_chat_says_which_commands_exist_for_an_unknown_one():
    run = speech_bot("chat", stdin="/read 3\n/quit\n")
    assert messages.CHAT_UNKNOWN_COMMAND in run.stdout


def test_chat_help_and_start_explain_the_commands_and_enter_alone_asks_again():
    run = speech_bot("chat", stdin="/help\n\n/start\n/quit\n")
    assert run.stdout.count(messages.CHAT_HELP) == 3  # the banner, /help and /start
    assert messages.CHAT_UNKNOWN_COMMAND not in run.stdout
    assert messages.EMPTY_QUESTION not in run.stdout
