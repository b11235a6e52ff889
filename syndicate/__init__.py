"""syndicate: find which crawled pages carry the same news article, which page is the origin, and who copied it."""

from .errors import SyndicateError
from .extract import Article, extract
from .fingerprint import fingerprint, minhash, shingle_hashes
from .pipeline import ScanSummary, scan
from .query import copies, origin_of, top
from .readers import Page, ReadError, read_paths
from .settings import Settings
from .store import Store

__version__ = "0.1.0"

__all__ = [
    "Article", "Page", "ReadError", "ScanSummary", "Settings", "Store", "SyndicateError",
    "copies", "origin_of", "top", "extract", "fingerprint", "minhash", "read_paths", "scan", "shingle_hashes",
]
