"""Questions asked of a scanned database: which pages carry the same article as this one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .errors import NotFoundError
from .fingerprint import overlap, shingle_hashes
from .store import Store


@dataclass(frozen=True)
class Copy:
    """A page carrying the same article as the page asked about."""

    doc_id: int
    url: str
    domain: str
    title: str | None
    published_at: datetime | None
    similarity: float
    containment: float
    kind: str | None
    is_origin: bool


def url_variants(url: str) -> list[str]:
    """The URL as given plus the spellings crawls differ on (scheme, www., trailing slash)."""
    url = url.strip()
    variants = [url]
    rest = url.split("://", 1)[1] if "://" in url else url
    for scheme in ("https://", "http://"):
        for host in (rest, rest[4:] if rest.startswith("www.") else "www." + rest):
            for tail in (host, host.rstrip("/") if host.endswith("/") else host + "/"):
                candidate = scheme + tail
                if candidate not in variants:
                    variants.append(candidate)
    return variants


def find_document(store: Store, url: str) -> int:
    """doc_id of the page stored under ``url`` (or an obvious variant of it)."""
    for candidate in url_variants(url):
        row = store.con.execute("SELECT doc_id FROM documents WHERE url = ? LIMIT 1", [candidate]).fetchall()
        if row:
            return int(row[0][0])
    raise NotFoundError(f"{url} is not in {store.path}; scan the page first or check the URL")


def copies(store: Store, url: str) -> list[Copy]:
    """Every other page in the cluster of ``url``, with similarity and containment to it.

    Pairs linked only through other members (A~B, B~C) are measured on the
    spot from the stored texts, so every row has figures.
    """
    doc_id = find_document(store, url)
    rows = store.con.execute(
        """
        SELECT d.doc_id, d.url, d.domain, d.title, d.published_at,
               m.similarity, m.containment, m.kind, d.doc_id = o.origin_doc_id AS is_origin
        FROM clusters c
        JOIN clusters me ON me.cluster_id = c.cluster_id AND me.doc_id = ?
        JOIN documents d ON d.doc_id = c.doc_id
        JOIN cluster_origins o ON o.cluster_id = c.cluster_id
        LEFT JOIN matches m ON m.doc_a = least(c.doc_id, me.doc_id) AND m.doc_b = greatest(c.doc_id, me.doc_id)
        WHERE c.doc_id <> me.doc_id
        ORDER BY is_origin DESC, d.published_at NULLS LAST, d.url
        """,
        [doc_id],
    ).fetchall()
    unmeasured = [r[0] for r in rows if r[5] is None]
    measured: dict[int, tuple[float, float]] = {}
    if unmeasured:
        texts = store.texts([doc_id, *unmeasured])
        k = store.settings.shingle_size
        mine = shingle_hashes(texts.get(doc_id, ""), k)
        for other in unmeasured:
            sim, cont, _ = overlap(mine, shingle_hashes(texts.get(other, ""), k))
            measured[other] = (round(sim, 6), round(cont, 6))
    out = []
    for d_id, d_url, domain, title, published, sim, cont, kind, is_origin in rows:
        if sim is None:
            sim, cont = measured[d_id]
        out.append(Copy(d_id, d_url, domain, title, published, sim, cont, kind, bool(is_origin)))
    return out
