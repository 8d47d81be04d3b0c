"""The one way knowledge files are read: size-limited, UTF-8, and every failure one line naming the file.

- `read_text(path)`: the text of one file, or `KnowledgeError("<path>: <what is wrong>")` for a
  missing file, a dangling or looping symbolic link, a folder, a device or pipe, a permission
  problem, a file over the size limit, a binary file, or text that is not UTF-8 (a GBK file from a
  Windows editor is named as such).
- `present(path)`: whether an optional file was put there at all. A missing optional file is
  fine; a symbolic link pointing nowhere is not missing, it is an error `read_text` reports.
- `load_yaml(path)`: YAML through PyYAML's safe loader, refusing documents whose aliases expand
  beyond `MAX_YAML_NODES` (a few hundred bytes of nested aliases can otherwise take minutes and
  all memory). `parse_yaml(text)`: the same loader for the package's own data files.
- `limits(Limits(...))`: a block in which every read shares one total budget, so a knowledge
  folder is bounded per file and in all (KNOWLEDGE_MAX_FILE_BYTES, KNOWLEDGE_MAX_TOTAL_BYTES).
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.core.errors import KnowledgeError

# Expanded YAML nodes (aliases counted as often as they are used). The shipped qa.yaml, the largest
# knowledge file, has about 1,500; a 466-byte alias bomb has over a billion.
MAX_YAML_NODES = 200_000


@dataclass(frozen=True, slots=True)
class Limits:
    """Bytes per knowledge file and in all. The shipped knowledge is 20 kB; the DRCD benchmark's
    largest article is under 40 kB. A 50 MB speech takes minutes and gigabytes to index."""

    per_file: int = 2_000_000
    total: int = 10_000_000


@dataclass(slots=True)
class _Budget:
    limits: Limits
    used: int = 0
    files: list[Path] = field(default_factory=list)


_budget: ContextVar[_Budget | None] = ContextVar("knowledge_budget", default=None)
_default: ContextVar[Limits | None] = ContextVar("knowledge_limits", default=None)


def use_limits(value: Limits) -> None:
    """The per-file limit of reads outside a `limits` block, in this context and what it starts
    (`speech-bot run` sets it, so a /reload in a handler task honours KNOWLEDGE_MAX_FILE_BYTES)."""
    _default.set(value)


@contextlib.contextmanager
def limits(value: Limits) -> Iterator[None]:
    """Knowledge reads inside the block use `value`, with one total shared by all of them."""
    token = _budget.set(_Budget(value))
    try:
        yield
    finally:
        _budget.reset(token)


def present(path: Path) -> bool:
    """True when something is at `path`: a file, a folder, or a symbolic link (even a broken one)."""
    return os.path.lexists(path)


def read_text(path: Path, *, limit: int | None = None) -> str:
    """The UTF-8 text of the file at `path` (a leading BOM dropped), within the size limits."""
    budget = _budget.get()
    limits_now = budget.limits if budget else (_default.get() or Limits())
    limit = limit if limit is not None else limits_now.per_file
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise KnowledgeError(
                f"{path}: a symbolic link to {os.readlink(path)}, which does not exist"
            ) from None
        raise KnowledgeError(f"{path}: no such file") from None
    except OSError as exc:
        raise KnowledgeError(f"{path}: {_reason(exc)}") from None
    if stat.S_ISDIR(info.st_mode):
        raise KnowledgeError(f"{path}: is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise KnowledgeError(f"{path}: not a regular file (a device, pipe or socket)")
    if info.st_size > limit:
        raise KnowledgeError(
            f"{path}: {_size(info.st_size)} is over the limit of {_size(limit)} for one knowledge file"
            " (KNOWLEDGE_MAX_FILE_BYTES)"
        )
    if budget and budget.used + info.st_size > budget.limits.total:
        raise KnowledgeError(
            f"{path}: with it the knowledge files hold {_size(budget.used + info.st_size)}, over the limit of"
            f" {_size(budget.limits.total)} in all (KNOWLEDGE_MAX_TOTAL_BYTES)"
        )
    try:
        with open(path, "rb") as f:
            data = f.read(limit + 1)
    except OSError as exc:
        raise KnowledgeError(f"{path}: {_reason(exc)}") from None
    if len(data) > limit:  # it grew while being read
        raise KnowledgeError(f"{path}: over the limit of {_size(limit)} for one knowledge file")
    if budget:
        budget.used += len(data)
        budget.files.append(path)
    return decode(data, path)


def decode(data: bytes, path: Path) -> str:
    """UTF-8 text, or one line saying what the bytes look like instead."""
    if b"\0" in data:
        raise KnowledgeError(f"{path}: a binary file, not text (holds NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        hint = ""
        with contextlib.suppress(UnicodeDecodeError):
            data.decode("gb18030")
            hint = "; it looks like GBK/GB18030 (a Windows editor's default)"
        raise KnowledgeError(
            f"{path}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}){hint};"
            " save it as UTF-8"
        ) from None


# libyaml's parser when PyYAML was built with it: the same safe loading, about ten times faster
# (the curated questions are read at every start).
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str) -> object:
    """YAML text shipped with the package (bot/core/data), through the same safe loader."""
    return yaml.load(text, Loader=_SAFE_LOADER)


def load_yaml(path: Path, *, max_nodes: int = MAX_YAML_NODES) -> object:
    """The file's YAML (None when empty), loaded safely: no Python objects, bounded alias expansion."""
    text = read_text(path)
    loader = _SAFE_LOADER(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        size = _expanded_size(node, {}, set())
        if size > max_nodes:
            raise KnowledgeError(
                f"{path}: its aliases expand to over {max_nodes:,} YAML nodes; write the entries out"
            )
        return loader.construct_document(node)
    except yaml.YAMLError as exc:
        raise KnowledgeError(f"{path}: not valid YAML: {' '.join(str(exc).split())}") from None
    except RecursionError:
        raise KnowledgeError(f"{path}: YAML nested too deeply") from None
    except ValueError as exc:
        raise KnowledgeError(f"{path}: {exc}") from None
    finally:
        loader.dispose()


def _expanded_size(node: yaml.Node, sizes: dict[int, int], open_nodes: set[int]) -> int:
    """Nodes in the document with every alias expanded; shared nodes are sized once."""
    key = id(node)
    if key in sizes:
        return sizes[key]
    if key in open_nodes:
        raise ValueError("a YAML alias refers to the node that holds it")
    open_nodes.add(key)
    size = 1
    if isinstance(node, yaml.SequenceNode):
        for child in node.value:
            size += _expanded_size(child, sizes, open_nodes)
            if size > MAX_YAML_NODES * 10:
                break
    elif isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            size += _expanded_size(k, sizes, open_nodes) + _expanded_size(v, sizes, open_nodes)
            if size > MAX_YAML_NODES * 10:
                break
    open_nodes.discard(key)
    sizes[key] = size
    return size


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "a symbolic link that loops (points back to itself)"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied (the bot's user cannot read it)"
    if exc.errno == errno.EISDIR:
        return "is a folder, not a file"
    return exc.strerror or str(exc)


def _size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 100_000 else f"{n:,} bytes"
