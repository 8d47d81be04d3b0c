"""The command table is the one source: every command is in /help, the menu and the README, and
every button kind has exactly one handler (in the style of sqlite-utils' test_docs.py)."""

from __future__ import annotations

import re

import pytest

from bot import messages
from bot.telegram import keyboards
from bot.telegram.routes import BUTTONS, COMMANDS, help_html
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text("utf-8")


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.name)
def test_every_command_is_in_help_and_in_the_readme(command):
    assert f"/{command.name}" in help_html("bot", admin=True)
    assert (f"/{command.name}" in help_html("bot")) != command.admin
    assert re.search(rf"`/{command.name}\b", README), f"README does not document /{command.name}"
    assert command.handler.__doc__, f"/{command.name}'s handler has no one-line docstring"


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.name)
def test_every_command_has_a_menu_description_telegram_accepts(command):
    assert re.fullmatch(r"[a-z0-9_]{1,32}", command.name)
    assert 1 <= len(messages.COMMAND_DESCRIPTIONS[command.name]) <= 256


def test_the_readme_documents_no_command_the_bot_lacks():
    documented = set(re.findall(r"`/([a-z_]+)", README))
    others = {"quit", "more", "newbot", "setinline", "setjoingroups", "ban"}  # terminal, BotFather, others
    assert documented <= {c.name for c in COMMANDS} | others


def test_every_button_kind_has_exactly_one_handler():
    kinds = [v for name, v in vars(keyboards).items() if name.isupper() and isinstance(v, re.Pattern)]
    routed = [kind.pattern for kind in BUTTONS]
    assert sorted(map(id, routed)) == sorted(map(id, kinds))


@pytest.mark.parametrize("module", ["bot.telegram.admin", "bot.core.search"])
def test_the_examples_in_docstrings_hold(module):
    import doctest
    import importlib

    failed, tried = doctest.testmod(importlib.import_module(module))
    assert tried and not failed
