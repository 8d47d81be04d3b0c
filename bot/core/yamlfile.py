"""Reading the knowledge folder's YAML files with errors that name the file."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.core.errors import KnowledgeError


def read_mapping(path: Path, shape: str) -> dict:
    """The file's top-level mapping ({} for an empty file); `shape` describes it in errors."""
    try:
        data = yaml.safe_load(path.read_text("utf-8")) or {}
    except yaml.YAMLError as exc:
        raise KnowledgeError(f"{path}: not valid YAML: {exc}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise KnowledgeError(f"cannot read {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise KnowledgeError(f"{path}: expected {shape}")
    return data
