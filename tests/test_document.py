from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.document import clean_lines, load_documents, parse_document
from bot.core.errors import KnowledgeError
from tests.conftest import KNOWLEDGE

JUNK = ("预览阅读已结束", "mooonya", "联系老师", "上一篇", "下一篇", "代笔")


@pytest.fixture(scope="module")
def speech():
    (document,) = load_documents(KNOWLEDGE)
    return document


def test_the_speech_has_six_numbered_parts_with_their_headings(speech):
    parts = speech.numbered_parts
    assert [p.number for p in parts] == [1, 2, 3, 4, 5, 6]
    assert parts[2].heading == "三、要以最有力的措施推进安全隐患排查整治"
    assert all("最" in p.heading for p in parts)


def test_opening_and_closing_are_recognised(speech):
    assert speech.parts[0].kind == "intro"
    assert speech.parts[0].paragraphs[0].startswith("尊敬的")
    assert speech.parts[-1].kind == "closing"
    assert speech.parts[-1].paragraphs[0].startswith("总之")


def test_a_closing_that_turns_to_the_audience_is_the_closing_only_at_the_end():
    text = (
        "同志们:\n今天召开防火工作会议。\n一、认识重要性\n森林防火事关重大。\n同志们,这一点必须牢记。\n"
        "二、落实责任\n要层层压实责任。\n同志们,森林防火责任重于泰山,让我们迅速行动起来。\n谢谢大家!\n"
    )
    document = parse_document(text, source="talk.txt")
    assert [p.kind for p in document.parts] == ["intro", "part", "part", "closing"]
    assert document.parts[-1].paragraphs[0].startswith("同志们,森林防火")
    assert "同志们,这一点必须牢记。" in document.parts[1].paragraphs  # a numbered part follows it


def test_parts_three_to_six_each_list_four_points(speech):
    for number in (3, 4, 5, 6):
        points = speech.part(number).points
        assert [p.number for p in points] == [1, 2, 3, 4]
    assert speech.part(3).points[0].title == "一是突出重点领域"
    # The paragraph's summary sentence is not part of the last point.
    assert not speech.part(3).points[3].text.endswith("安全保障。")


def test_page_junk_is_dropped_everywhere(speech):
    text = "\n".join(p for part in speech.parts for p in part.paragraphs)
    assert text.rstrip().endswith("谢谢大家!")
    for junk in JUNK:
        assert junk not in text


def test_junk_lines_are_dropped_even_without_the_end_marker():
    lines = clean_lines("正文第一句。\n请点击👉 someone 👈联系老师\n- 上一篇:别的文章\n正文第二句。")
    assert lines == ["正文第一句。", "正文第二句。"]


def test_markdown_documents_take_their_title_and_headings():
    doc = parse_document(
        "# 水利工作\n\n## 一、防汛\n要做好防汛。\n\n## 二、抗旱\n要做好抗旱。", source="a.md"
    )
    assert doc.title == "水利工作"
    assert [p.heading for p in doc.numbered_parts] == ["一、防汛", "二、抗旱"]


def test_a_folder_can_hold_several_documents(tmp_path: Path):
    (tmp_path / "a.md").write_text("# 第一篇\n\n内容一。\n\n# 第二篇\n\n内容二。\n", "utf-8")
    (tmp_path / "b.txt").write_text("一、标题\n内容三。\n", "utf-8")
    (tmp_path / "userdict.txt").write_text("内容 10\n", "utf-8")  # data, not a document
    docs = load_documents(tmp_path)
    assert [d.title for d in docs] == ["第一篇", "第二篇", "b"]


def test_a_document_that_is_only_junk_is_an_error(tmp_path: Path):
    (tmp_path / "x.txt").write_text("预览阅读已结束,若您需要全文或代笔。\n", "utf-8")
    with pytest.raises(KnowledgeError, match="no text left"):
        load_documents(tmp_path)


def test_a_missing_knowledge_path_is_an_error(tmp_path: Path):
    with pytest.raises(KnowledgeError, match="not found"):
        load_documents(tmp_path / "nowhere")
