"""Reading the knowledge folder's YAML files with errors that name the file."""

from __future__ import annotations

from pathlib import Path

from bot.core import files
from bot.core.errors import KnowledgeError


def read_mapping(path: Path, shape: str) -> dict:
    """The file's top-level mapping ({} for an empty file); `shape` describes it in errors."""
    data = files.load_yaml(path) or {}
    if not isinstance(data, dict):
        raise KnowledgeError(f"{path}: expected {shape}")
    return data
