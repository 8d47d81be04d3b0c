"""The `speech-bot` command: a thin layer that turns core calls into terminal output.

Library errors become one clear line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Iterable
from pathlib import Path

from bot import messages
from bot.config import ConfigError, Settings
from bot.core.conversation import Conversation
from bot.core.engine import Answer, Engine
from bot.core.errors import SpeechBotError
from bot.formatting import answer_text, context_text

log = logging.getLogger(__name__)


def _common_options(default: object) -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--knowledge",
        type=Path,
        metavar="PATH",
        default=default,
        help="a knowledge file or folder of .txt/.md documents (default: ./knowledge)",
    )
    common.add_argument(
        "--threshold",
        type=float,
        metavar="X",
        default=default,
        help="confidence below which a question is declined (0..1)",
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="speech-bot",
        parents=[_common_options(None)],
        description="Answer questions about a speech with the passage that answers them.",
    )
    # After the command the same options are accepted too; absent there, they keep what was given
    # before it (speech-bot --knowledge DIR outline), instead of resetting it to the default.
    common = _common_options(argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    ask = sub.add_parser("ask", parents=[common], help="answer questions (arguments, or one a line on stdin)")
    ask.add_argument("questions", nargs="*", metavar="QUESTION")
    ask.add_argument("--json", action="store_true", help="one JSON object a line")
    ask.add_argument(
        "--conversation",
        action="store_true",
        help="stdin lines are one conversation (follow-ups resolve); an empty line starts a new one",
    )
    sub.add_parser("chat", parents=[common], help="talk to the bot in the terminal")
    sub.add_parser("outline", parents=[common], help="print the structure of the speech")
    ev = sub.add_parser("eval", parents=[common], help="accuracy per category on a JSONL question file")
    ev.add_argument("file", type=Path, metavar="FILE.jsonl")
    ev.add_argument(
        "--conversations", action="store_true", help="FILE holds conversations: accuracy per turn type"
    )
    sub.add_parser("run", parents=[common], help="run the Telegram bot (polling)")
    report = sub.add_parser("report", parents=[common], help="curator report from the feedback database")
    report.add_argument("--since", type=int, default=30, metavar="DAYS", help="look back this many days")
    report.add_argument("--csv", action="store_true", help="CSV for a spreadsheet")
    suggest = sub.add_parser(
        "suggest", parents=[common], help="qa.yaml snippets for frequent declined questions"
    )
    suggest.add_argument("--since", type=int, default=30, metavar="DAYS")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        # Only commands that talk to Telegram check the token: a malformed one never breaks `ask`.
        settings = Settings.load(check_token=args.command in (None, "run"))
        return _dispatch(args, settings)
    except (SpeechBotError, ConfigError) as exc:
        print(f"speech-bot: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the output was piped into `head` and closed: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    command = args.command
    if command is None:
        if settings.token:
            command = "run"
        else:
            print(
                "speech-bot: TELEGRAM_BOT_TOKEN is not set, so the Telegram bot cannot start.\n"
                "Put TELEGRAM_BOT_TOKEN=<token from @BotFather> in .env (see .env.example), "
                "then run `speech-bot run`.",
                file=sys.stderr,
            )
            if not sys.stdin.isatty():
                return 2
            print("Starting the terminal chat instead.\n", file=sys.stderr)
            command = "chat"
    if command in ("report", "suggest"):
        from bot.feedback.cli import report_command, suggest_command

        if command == "report":
            return report_command(settings, since_days=args.since, as_csv=args.csv)
        return suggest_command(settings, _engine(args, settings), since_days=args.since)
    if command == "run":
        from bot.telegram.app import run

        return run(settings, knowledge=args.knowledge)
    engine = _engine(args, settings)
    if command == "ask":
        if args.conversation:
            return _ask_conversation(engine, as_json=args.json)
        return _ask(engine, args.questions, as_json=args.json)
    if command == "chat":
        return _chat(engine)
    if command == "outline":
        return _outline(engine)
    if command == "eval":
        if args.conversations:
            return _eval_conversations(engine, args.file)
        return _eval(engine, args.file)
    raise AssertionError(command)


def _engine(args: argparse.Namespace, settings: Settings) -> Engine:
    if args.threshold is not None and not 0.0 <= args.threshold <= 1.0:
        raise SpeechBotError("--threshold must be between 0 and 1")
    return settings.load_engine(args.knowledge, threshold=args.threshold)


def _ask(engine: Engine, questions: list[str], *, as_json: bool) -> int:
    source: Iterable[str] = questions or (line.rstrip("\n") for line in sys.stdin)
    for question in source:
        answer = engine.answer(question)
        if as_json:
            print(_as_json(answer), flush=not questions)
        else:
            print(answer_text(answer), end="\n\n", flush=True)
    return 0


def _as_json(answer: Answer) -> str:
    """The answer's fields, and `reply`: the text a user reads (also for small talk and declines,
    whose `answer` is empty)."""
    return json.dumps({**answer.to_json(), "reply": answer_text(answer)}, ensure_ascii=False)


def _ask_conversation(engine: Engine, *, as_json: bool) -> int:
    """Stdin lines as one conversation: follow-ups resolve against the answers before them.
    An empty line starts a new conversation (and prints nothing)."""
    conversation = Conversation()
    for line in sys.stdin:
        question = line.rstrip("\n")
        if not question.strip():
            conversation = Conversation()
            continue
        answer = engine.answer(question, conversation=conversation)
        if as_json:
            print(_as_json(answer), flush=True)
        else:
            print(answer_text(answer), end="\n\n", flush=True)
    return 0


def _chat(engine: Engine) -> int:
    print(messages.CHAT_BANNER.format(title=engine.title))
    conversation = Conversation()
    last = None
    while True:
        try:
            question = input(messages.CHAT_PROMPT)
        except EOFError:
            print()
            break
        command = question.strip().lower()
        if not command:  # Enter alone: ask again
            continue
        if command in ("/quit", "/exit", "/q"):
            break
        if command in ("/help", "/start"):
            print(messages.CHAT_HELP, end="\n\n")
            continue
        if command == "/outline":
            _outline(engine)
            continue
        if command == "/more":
            found = engine.context(last.key) if last and last.key else None
            print(context_text(found) if found else messages.NO_CONTEXT, end="\n\n")
            continue
        if command.startswith("/"):
            print(messages.CHAT_UNKNOWN_COMMAND, end="\n\n")
            continue
        answer = engine.answer(question, conversation=conversation)
        last = conversation.current() or last
        print(answer_text(answer), end="\n\n")
    print(messages.CHAT_BYE)
    return 0


def _outline(engine: Engine) -> int:
    for d, document in enumerate(engine.documents):
        print(f"《{document.title}》")
        outline = engine.outline(d)
        if not outline:
            print("  (no numbered parts)")
        for part in outline:
            print(f"  {part.heading}")
            for title in part.points:
                print(f"      {title}")
    return 0


def _require(path: Path) -> None:
    if not path.is_file():
        raise SpeechBotError(f"no such file: {path}")


def _table(label: str, groups: dict[str, list[bool]]) -> None:
    """Passed, total and accuracy per group, one line each."""
    print(f"{label:<14}{'passed':>8}{'total':>7}{'accuracy':>10}")
    for name, oks in sorted(groups.items()):
        print(f"{name:<14}{sum(oks):>8}{len(oks):>7}{sum(oks) / len(oks):>10.0%}")


def _eval(engine: Engine, path: Path) -> int:
    from bot.core.evaluate import evaluate, load_items

    _require(path)
    report = evaluate(engine, load_items(path))
    _table("category", report.by_category)
    print(f"{'all':<14}{report.passed:>8}{report.total:>7}{report.passed / max(1, report.total):>10.0%}")
    print(f"median answer length: {report.median_chars} characters")
    if report.failures:
        print("\nfailures:")
        for item, answer in report.failures:
            got = answer.answer[:50] if answer.matched else f"(declined, confidence {answer.confidence:.2f})"
            print(f"  {item.get('id', '?')} [{item.get('cat', '-')}] {item['q']} -> {got}")
    return 0


def _eval_conversations(engine: Engine, path: Path) -> int:
    from bot.core.evaluate import DIALOGUE_TYPES, evaluate_conversations, load_conversations

    _require(path)
    report = evaluate_conversations(engine, load_conversations(path))
    _table("turn type", report.by_type)
    dialogue = [ok for kind in DIALOGUE_TYPES for ok in report.by_type.get(kind, [])]
    label = "+".join(DIALOGUE_TYPES)
    print(f"{label:<24}{sum(dialogue):>4}/{len(dialogue):<4}{report.accuracy():>8.1%}")
    if report.failures:
        print("\nfailures:")
        for conv_id, before, turn, answer in report.failures:
            got = answer.answer[:40].replace("\n", " ") if answer.matched else f"({answer.kind})"
            print(f"  {conv_id} [{turn.get('type', '-')}] {' / '.join(before[-2:])} >> {turn['q']} -> {got}")
    return 0
