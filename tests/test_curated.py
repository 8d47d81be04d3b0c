from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.curated import load_curated
from bot.core.engine import Engine
from bot.core.errors import KnowledgeError
from tests.conftest import KNOWLEDGE

CURATED = load_curated(KNOWLEDGE)


def test_the_curated_file_names_the_speech_and_holds_pairs():
    assert CURATED.titles["speech.txt"]
    assert len(CURATED.pairs) >= 30


@pytest.mark.parametrize(
    ("quote", "question"),
    [(pair.passage, q) for pair in CURATED.pairs for q in pair.questions],
)
def test_every_curated_question_finds_its_own_passage(engine: Engine, quote: str, question: str):
    answer = engine.answer(question)
    assert answer.matched, f"{question} was declined (score {answer.confidence})"
    assert quote in answer.answer or quote in (answer.section or "")


def test_a_quote_that_is_not_in_the_speech_is_reported(knowledge_copy: Path):
    (knowledge_copy / "qa.yaml").write_text(
        "pairs:\n  - passage: 这句话讲话里没有\n    questions: [随便问问]\n", "utf-8"
    )
    with pytest.raises(KnowledgeError, match=r"qa\.yaml pair 1"):
        Engine.load(knowledge_copy)


def test_broken_yaml_is_reported_with_the_file_name(knowledge_copy: Path):
    (knowledge_copy / "qa.yaml").write_text("pairs: [unclosed\n", "utf-8")
    with pytest.raises(KnowledgeError, match=r"qa\.yaml"):
        Engine.load(knowledge_copy)


def test_a_new_curated_pair_is_picked_up_without_manual_steps(knowledge_copy: Path):
    before = Engine.load(knowledge_copy).answer("年度安全之星怎么评")
    assert not before.matched
    with (knowledge_copy / "qa.yaml").open("a", encoding="utf-8") as f:
        f.write("  - passage: 及时总结提炼工作中的好做法\n    questions: [年度安全之星怎么评]\n")
    after = Engine.load(knowledge_copy).answer("年度安全之星怎么评")
    assert after.matched and "总结提炼" in after.answer


def test_a_synonym_added_to_the_data_file_is_used(knowledge_copy: Path):
    question = "跑路了会怎样"
    assert not Engine.load(knowledge_copy).answer(question).matched
    with (knowledge_copy / "synonyms.yaml").open("a", encoding="utf-8") as f:
        f.write("敷衍塞责: [跑路]\n")
    assert "敷衍塞责" in Engine.load(knowledge_copy).answer(question).answer


def test_a_question_with_the_same_words_but_another_ask_is_not_forced_onto_a_curated_one(engine: Engine):
    matcher = engine._matcher
    # 安全宣传都搞了哪些 is curated for part four's heading: the same content words, another question.
    assert not matcher.rank(matcher.analyse("为什么要搞安全宣传"))[0].curated
    assert matcher.rank(matcher.analyse("安全宣传都搞了哪些"))[0].curated
