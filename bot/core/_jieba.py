"""jieba, imported without pkg_resources.

jieba 0.42 imports pkg_resources only to open its own data files, and falls back to a plain
open() when it cannot. Importing pkg_resources takes about 110 ms, a sixth of a command-line
call, so it is kept out while jieba is imported (and nothing else is touched: a later
`import pkg_resources` works as usual).
"""

from __future__ import annotations

import sys

_blocked = "pkg_resources" not in sys.modules
if _blocked:
    sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # makes `import` raise ImportError
try:
    import jieba
finally:
    if _blocked and sys.modules.get("pkg_resources", 0) is None:
        del sys.modules["pkg_resources"]

__all__ = ["jieba"]
