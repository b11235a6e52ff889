"""Finding a stored page from a URL as a person types it: scheme, ``www.`` and a trailing slash may differ."""

from __future__ import annotations

from ..errors import NotFoundError
from ..read.urls import normalize_url
from .database import Store


def url_variants(url: str) -> list[str]:
    """The URL as given, as stored (normalised: tracking parameters, fragment, default port dropped), and
    the spellings crawls differ on (scheme, www., trailing slash) of both."""
    variants: list[str] = []
    for given in dict.fromkeys((url.strip(), normalize_url(url))):
        variants.extend(v for v in [given] if v not in variants)
        rest = given.split("://", 1)[1] if "://" in given else given
        for scheme in ("https://", "http://"):
            for host in (rest, rest[4:] if rest.startswith("www.") else "www." + rest):
                for tail in (host, host.rstrip("/") if host.endswith("/") else host + "/"):
                    candidate = scheme + tail
                    if candidate not in variants:
                        variants.append(candidate)
    return variants


def find_document(store: Store, url: str) -> int:
    """doc_id of the page stored under ``url`` (or an obvious variant of it); NotFoundError if none."""
    for candidate in url_variants(url):
        row = store.con.execute("SELECT doc_id FROM documents WHERE url = ? LIMIT 1", [candidate]).fetchall()
        if row:
            return int(row[0][0])
    raise NotFoundError(f"{url} is not in {store.path}; scan the page first or check the URL")
