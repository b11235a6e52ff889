"""syndicate: find which crawled pages carry the same news article, which page is the origin, and who copied it.

Names are imported on first use, so a worker process that needs only the
extraction stage does not load DuckDB or the compiled fingerprint kernels.
(``syndicate.fingerprint`` is the module; its ``fingerprint()`` is imported
from there.)
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_WHERE = {
    "SyndicateError": "errors", "Article": "extract", "extract": "extract",
    "fingerprint_many": "fingerprint", "minhash": "fingerprint",
    "shingle_hashes": "fingerprint", "ScanSummary": "pipeline", "scan": "pipeline",
    "copies": "query", "origin_of": "query", "top": "query", "Page": "readers", "ReadError": "readers",
    "read_paths": "readers", "Settings": "settings", "Store": "store",
}
__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'syndicate' has no attribute {name!r}")
    value = getattr(import_module(f".{_WHERE[name]}", __name__), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:
    from .errors import SyndicateError  # noqa: F401
    from .extract import Article, extract  # noqa: F401
    from .fingerprint import fingerprint_many, minhash, shingle_hashes  # noqa: F401
    from .pipeline import ScanSummary, scan  # noqa: F401
    from .query import copies, origin_of, top  # noqa: F401
    from .readers import Page, ReadError, read_paths  # noqa: F401
    from .settings import Settings  # noqa: F401
    from .store import Store  # noqa: F401
