"""syndicate: find which crawled pages carry the same news article, which page is the origin, and who copied it.

Names are imported on first use, so a worker process that needs only the
extraction stage does not load DuckDB.
The stages live in sub-packages named after them (``syndicate.read``,
``syndicate.extract``, ``syndicate.fingerprint``, ``syndicate.store``,
``syndicate.match``, ``syndicate.engines``, ``syndicate.views``); the names
below are the library API the docs show. ``extract_article`` is
``syndicate.extract.article.extract``.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_WHERE = {
    "SyndicateError": "errors",
    "Settings": "settings",
    "Page": "read.page",
    "ReadError": "read.page",
    "read_paths": "read.files",
    "Article": "extract.article",
    "extract_article": "extract.article",
    "fingerprint_many": "fingerprint.minhash",
    "minhash": "fingerprint.minhash",
    "shingle_hashes": "fingerprint.minhash",
    "Store": "store.database",
    "open_latest": "store.snapshot",
    "ScanSummary": "engines.local",
    "scan": "engines.local",
    "copies": "views.query",
    "origin_of": "views.query",
    "top": "views.query",
}
__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'syndicate' has no attribute {name!r}")
    module = import_module(f".{_WHERE[name]}", __name__)
    value = getattr(module, "extract" if name == "extract_article" else name)
    globals()[name] = value
    return value


if TYPE_CHECKING:
    from .errors import SyndicateError  # noqa: F401
    from .extract.article import Article  # noqa: F401
    from .extract.article import extract as extract_article  # noqa: F401
    from .fingerprint.minhash import fingerprint_many, minhash, shingle_hashes  # noqa: F401
    from .engines.local import ScanSummary, scan  # noqa: F401
    from .views.query import copies, origin_of, top  # noqa: F401
    from .read.page import Page, ReadError  # noqa: F401
    from .read.files import read_paths  # noqa: F401
    from .settings import Settings  # noqa: F401
    from .store.database import Store  # noqa: F401
    from .store.snapshot import open_latest  # noqa: F401
