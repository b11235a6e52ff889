"""Questions asked of a scanned database: which pages carry the same article as this one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..errors import NotFoundError
from ..fingerprint.minhash import overlap, shingle_hashes
from ..store.database import Store


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
               m.similarity, m.containment, m.kind, coalesce(d.doc_id = o.origin_doc_id, false) AS is_origin
        FROM clusters c
        JOIN clusters me ON me.cluster_id = c.cluster_id AND me.doc_id = ?
        JOIN documents d ON d.doc_id = c.doc_id
        LEFT JOIN origins o ON o.cluster_id = c.cluster_id
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


@dataclass(frozen=True)
class OriginReport:
    """Where the article a page carries came from, and why we think so."""

    url: str
    cluster_id: int | None
    pages: int
    origin_doc_id: int | None
    origin_url: str | None
    origin_domain: str | None
    publisher: str | None
    confidence: float | None
    method: str | None
    evidence: str | None
    page_is_origin: bool

    @property
    def crawled(self) -> bool:
        return self.origin_doc_id is not None


def origin_of(store: Store, url: str) -> OriginReport:
    """The origin of the article the page at ``url`` carries (the page itself when it is the origin)."""
    doc_id = find_document(store, url)
    rows = store.con.execute(
        """
        SELECT o.cluster_id, (SELECT count(*) FROM clusters c2 WHERE c2.cluster_id = o.cluster_id),
               o.origin_doc_id, o.origin_url, o.origin_domain, o.publisher, o.confidence, o.method, o.evidence
        FROM origins o
        WHERE o.cluster_id = coalesce((SELECT cluster_id FROM clusters WHERE doc_id = ?), ?)
        """,
        [doc_id, doc_id],
    ).fetchall()
    stored_url = store.con.execute("SELECT url FROM documents WHERE doc_id = ?", [doc_id]).fetchall()[0][0]
    if not rows:
        return OriginReport(stored_url, None, 1, None, None, None, None, None, None, None, False)
    cluster_id, pages, o_doc, o_url, o_domain, publisher, confidence, method, evidence = rows[0]
    return OriginReport(stored_url, cluster_id, max(pages, 1), o_doc, o_url, o_domain, publisher, confidence,
                        method, evidence, o_doc == doc_id)


TOP_ORIGINS_SQL = """
SELECT coalesce(origin_domain, origin_publisher) AS origin, count(DISTINCT cluster_id) AS articles, count(*) AS copies
FROM syndication GROUP BY 1 ORDER BY copies DESC, articles DESC, origin LIMIT ?
"""
TOP_REPOSTERS_SQL = """
SELECT copy_domain AS reposter, count(*) AS copies, count(DISTINCT coalesce(origin_domain, origin_publisher)) AS sources,
       round(avg(CASE WHEN links_back THEN 1 ELSE 0 END), 2) AS share_linking_back
FROM syndication GROUP BY 1 ORDER BY copies DESC, reposter LIMIT ?
"""


def top(store: Store, limit: int = 10) -> tuple[list[tuple], list[tuple]]:
    """Domains most often origins, and domains most often reposting: (origins, reposters) rows."""
    return (
        store.con.execute(TOP_ORIGINS_SQL, [limit]).fetchall(),
        store.con.execute(TOP_REPOSTERS_SQL, [limit]).fetchall(),
    )
