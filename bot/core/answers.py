"""What the core returns: answers, suggestions, context views, search hits.

Plain data with no behaviour beyond serialising; the engine makes them, the edges render them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

# Answer.kind values. Those with matched=True present a passage (or a piece of the structure).
PASSAGE_KINDS = frozenset(
    {
        "passage",
        "part",
        "point",
        "part_full",
        "outline",
        "opening",
        "closing",
        "meta",
        "context",
        "points",
        "quote",
        "where",
    }
)
# ("quote": a passage shown again for "这是谁说的", `focus` on the people it quotes; "where": one
# shown again for "这是哪部分的", saying where first)
# kinds with matched=False: "declined", "smalltalk", "clarify", "foreign", "empty", "no_part" /
# "no_point" (a part or point asked for by number that the document does not have), and "end"
# (more asked for after the document's last words)

# Answer.band values: how sure the match is.
CONFIDENT = "confident"  # the passage, as the answer
UNSURE = "unsure"  # the passage with a short hedge, and the alternatives
DECLINED = "declined"  # nothing plausible: say so, offer the closest topics
NO_BAND = "none"  # small talk, a clarifying question, an empty message: no matching was done


@dataclass(frozen=True, slots=True)
class Suggestion:
    label: str  # short, for a button: the point's title or the passage's start
    key: str  # passage key: `Engine.passage_answer(key)` answers it
    location: str = ""  # "第三部分 · 第一点"


@dataclass(frozen=True, slots=True)
class Answer:
    question: str
    matched: bool  # True only when a passage (or part of the structure) is presented as the answer
    kind: str  # see PASSAGE_KINDS; else "declined" | "smalltalk" | "clarify" | "foreign" | "empty"
    band: str = DECLINED  # CONFIDENT | UNSURE | DECLINED | NO_BAND
    answer: str = ""  # the passage, as written in the document
    section: str | None = None  # heading of the part it sits in
    document: str = ""  # the document's title
    location: str = ""  # where it sits: "第三部分 · 第二点"
    confidence: float = 0.0  # 0..1: how sure the match is (the threshold applies to this)
    key: str | None = None  # passage key, stable while the knowledge is unchanged
    part: int | None = None  # number of the part it sits in (numbered documents), for navigation
    point: int | None = (
        None  # number of the point within that part (kind "part": asked of a part without points)
    )
    suggestions: list[Suggestion] = field(default_factory=list)  # alternatives or closest topics
    smalltalk: str | None = (
        None  # kind "smalltalk": "greeting" | "thanks" | "ack" | "who" | "abilities" | "bye" | "laugh" | "chat"
    )
    missing: str | None = (
        None  # declined: the detail asked for that the closest passage lacks ("date", "name" …)
    )
    # declined with `missing`: the closest passage holds the question's topic, only not the detail
    # ("应急演练多久搞一次": 定期开展应急演练), so the reply does not say the topic is not covered
    related: bool = False
    truncated: int = 0  # the question was read up to this many characters (0: read whole)
    focus: tuple[int, int] | None = None  # [start, end) of the answering sentence in a longer `answer`
    # kinds "no_part" / "no_point": how many parts (or points of the part) there are; kinds
    # "part" / "points": how many points the part has
    limit: int = 0
    # A message asking about two things at once ("第二部分和第五部分分别讲了什么"): the answer about
    # the second (and any further) one, each with `question` set to what it answers.
    more: tuple[Answer, ...] = ()

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class ContextView:
    """The "more context" view around a passage: its whole paragraph (or part), with the
    answered passage's span marked so an edge can highlight it."""

    key: str
    section: str | None
    location: str
    text: str
    focus: tuple[int, int]  # [start, end) of the answered passage within `text`


@dataclass(frozen=True, slots=True)
class SearchHit:
    key: str
    text: str  # the sentence, as written
    location: str
    spans: tuple[tuple[int, int], ...]  # [start, end) of each keyword occurrence within `text`


@dataclass(frozen=True, slots=True)
class OutlinePart:
    number: int
    heading: str
    points: tuple[str, ...]  # point titles, in order


@dataclass(frozen=True, slots=True)
class KnowledgeStats:
    documents: int
    passages: int
    curated_questions: int
