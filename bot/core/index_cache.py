"""The built index, kept on disk between starts.

Building the index tokenises every passage and every curated question (about 0.2 s for the
speech), which every `speech-bot ask` and every bot start would otherwise pay again. The index
is pickled under the language cache folder, keyed by a hash of everything it is built from:
the knowledge folder's files (documents, curated questions, user dictionary, synonyms), the
language resources, the source and data files of `bot/core`, and the Python version. Any
change builds afresh. A cache that cannot be read or written is skipped with a log line, never
an error: the index is then built as if there were none.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from bot.core.index import Index

log = logging.getLogger(__name__)

KEEP = 16  # cached indexes kept (the oldest beyond these are removed)
_CORE = Path(__file__).resolve().parent


def cache_key(knowledge: Path, language_folder: Path) -> str:
    """A hash of the knowledge files, the language resources and the code that builds from them."""
    digest = hashlib.sha256(sys.version.encode())
    folder = knowledge if knowledge.is_dir() else knowledge.parent
    sources = sorted(
        p for p in _CORE.rglob("*") if p.suffix in (".py", ".txt", ".yaml", ".json") and p.is_file()
    )
    for path in (*sorted(p for p in folder.rglob("*") if p.is_file()), *sources):
        digest.update(str(path.relative_to(path.anchor)).encode())
        digest.update(path.read_bytes())
    digest.update(str(knowledge.resolve()).encode())
    digest.update(language_folder.name.encode())
    return digest.hexdigest()[:24]


def load_or_build(folder: Path, key: str, build: Callable[[], Index]) -> Index:
    """The index cached under `folder` for `key`, else `build()` (then stored for next time)."""
    path = folder / f"index-{key}.pickle"
    try:
        with path.open("rb") as f:
            index = pickle.load(f)
        if isinstance(index, Index):
            return index
    except FileNotFoundError:
        pass
    except Exception as exc:  # a damaged or foreign file: rebuild
        log.warning("ignoring the cached index %s (%s)", path, exc)
    index = build()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            pickle.dump(index, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)  # atomic: a concurrent start reads the old file or the new one
        _prune(folder)
    except (OSError, pickle.PicklingError, TypeError, AttributeError) as exc:
        log.warning("cannot cache the index in %s (%s)", folder, exc)
    return index


def _prune(folder: Path) -> None:
    cached = sorted(folder.glob("index-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in cached[KEEP:]:
        old.unlink(missing_ok=True)
