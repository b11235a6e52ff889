"""Questions asked of a scanned database: which pages carry the same article as this one.

**Query-time filters.** Every verified pair is stored in ``matches`` with its
scores and its ``kind``, so what to show is chosen when asking:
``kinds`` (the kinds of match to show; None for every kind) and
``min_similarity`` (the least ``similarity`` a match must have). A stored
match *passes* when its kind is in ``kinds`` and its similarity is at least
``min_similarity``. The rule, the same in ``copies``, ``top``, ``report`` and
``export``:

1. A page that has a match with the page it is measured against (the page
   asked about in :func:`copies`, the origin page in ``top``/``report``/
   ``export``) is kept when that match passes: the direct match decides.
2. A page of the same cluster without such a match (linked to it only
   through other pages of the cluster) is kept when a chain of passing
   matches inside the cluster joins the two: the cluster still holds them
   together once the failing matches are taken away. When the origin page was
   not crawled, a copy is kept when a passing match joins it to another page
   of its cluster. :func:`copies` also measures such a page on the spot, and
   keeps it only when that similarity is at least ``min_similarity``.
3. A page alone that names an outside source (no match at all) has no score
   to filter: it is kept when ``min_similarity`` is 0, whatever the kinds.

Filters only narrow: pages of other clusters are never joined (which kinds
make clusters is a verdict setting, ``cluster_kinds``: see ``recluster``).
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Iterator, Sequence

import pyarrow as pa

from ..errors import SyndicateError
from ..fingerprint.minhash import overlap, shingle_hashes
from ..match.cluster import components
from ..settings import CLUSTERABLE, QueryDefaults, load_config
from ..sqlutil import registered
from ..store.database import Store
from ..store.lookup import find_document, url_variants  # noqa: F401 - url_variants: part of this module's API

ALL_KINDS: tuple[str, ...] = CLUSTERABLE
"""Every kind a stored match can have: duplicate, partial, rewrite, alias, related, template."""


def parse_kinds(kinds: str | Sequence[str]) -> tuple[str, ...]:
    """Kinds from ``"duplicate,partial"`` or a sequence of names; ``all`` stands for every kind.

    Raises :class:`SyndicateError` (one line, naming the valid kinds) for an unknown or empty list.
    """
    names = kinds.split(",") if isinstance(kinds, str) else list(kinds)
    names = [str(k).strip().lower() for k in names if str(k).strip()]
    unknown = [k for k in names if k not in ALL_KINDS and k != "all"]
    if unknown or not names:
        got = ", ".join(unknown) if unknown else "nothing"
        raise SyndicateError(f"--kinds takes a comma-separated list of {', '.join(ALL_KINDS)}, or all (got {got})")
    return ALL_KINDS if "all" in names else tuple(dict.fromkeys(names))


def check_filters(kinds: str | Sequence[str] | None, min_similarity: float) -> tuple[tuple[str, ...], float]:
    """The filters validated: (kinds, None meaning every kind; min_similarity in [0, 1])."""
    chosen = ALL_KINDS if kinds is None else parse_kinds(kinds)
    try:
        value = float(min_similarity)
    except (TypeError, ValueError):
        value = float("nan")
    if not 0.0 <= value <= 1.0:
        raise SyndicateError(f"--min-similarity must be between 0 and 1 (got {min_similarity})")
    return chosen, value


def query_filters(config: str | None = None, kinds: str | Sequence[str] | None = None,
                  min_similarity: float | None = None) -> QueryDefaults:
    """The filters a command uses: each one given, else the configuration's ``[query]`` default.

    The configuration is ``config``, else ``$SYNDICATE_CONFIG``, else
    ``syndicate.toml`` in the working directory (see
    :func:`syndicate.settings.load_config`); built in: kinds duplicate,
    partial, rewrite, alias and min_similarity 0.
    """
    defaults = load_config(config).query
    chosen, value = check_filters(defaults.kinds if kinds is None else kinds,
                                  defaults.min_similarity if min_similarity is None else min_similarity)
    return QueryDefaults(chosen, value)


def is_unfiltered(kinds: Sequence[str], min_similarity: float) -> bool:
    """Whether these filters let every stored match pass."""
    return set(kinds) >= set(ALL_KINDS) and min_similarity <= 0.0


def chain_parts(store: Store, kinds: Sequence[str], min_similarity: float,
                cluster_id: int | None = None) -> dict[int, int]:
    """Pages joined by passing matches inside their clusters: doc_id -> the smallest doc_id of its part.

    Only matches whose two pages are in one cluster count (filters never join
    clusters); a page with no passing match inside its cluster is left out.
    ``cluster_id`` limits this to one cluster.
    """
    where = "" if cluster_id is None else "AND ca.cluster_id = $cluster_id"
    params: dict = {"kinds": list(kinds), "min_similarity": min_similarity}
    if cluster_id is not None:
        params["cluster_id"] = cluster_id
    edges = store.con.execute(
        f"""
        SELECT m.doc_a, m.doc_b FROM matches m
        JOIN clusters ca ON ca.doc_id = m.doc_a
        JOIN clusters cb ON cb.doc_id = m.doc_b AND cb.cluster_id = ca.cluster_id
        WHERE list_contains($kinds, m.kind) AND m.similarity >= $min_similarity {where}
        """,
        params,
    ).fetchall()
    return components(edges)


def chain_table(store: Store, kinds: Sequence[str], min_similarity: float) -> pa.Table | None:
    """:func:`chain_parts` as an Arrow table (doc_id, part); None when the filters keep every cluster whole.

    They do when ``min_similarity`` is 0 and every kind that joins clusters
    (the database's ``cluster_kinds``) passes: the clusters are the
    components of exactly those matches.
    """
    if min_similarity <= 0.0 and set(store.settings.kinds) <= set(kinds):
        return None
    parts = chain_parts(store, kinds, min_similarity)
    return pa.table({"doc_id": pa.array(list(parts), pa.int64()), "part": pa.array(list(parts.values()), pa.int64())})


# the syndication rows that pass (see the module docstring); query_chain(doc_id, part) joins pages by passing matches
FILTERED_SYNDICATION_SQL = """
WITH query_chain AS ({chain})
SELECT s.* FROM syndication s
LEFT JOIN query_chain qc ON qc.doc_id = s.copy_doc_id
LEFT JOIN query_chain qo ON qo.doc_id = s.origin_doc_id
WHERE CASE
    WHEN s.kind IS NOT NULL THEN list_contains($kinds, s.kind) AND s.similarity >= $min_similarity
    WHEN s.copy_doc_id NOT IN (SELECT doc_id FROM clusters) THEN $min_similarity <= 0
    WHEN s.origin_doc_id IS NULL THEN qc.doc_id IS NOT NULL
    ELSE qc.part IS NOT NULL AND qc.part = qo.part
END
"""


@contextmanager
def filtered_syndication(store: Store, kinds: str | Sequence[str] | None = None,
                         min_similarity: float = 0.0) -> Iterator[tuple[str, dict]]:
    """A query of the ``syndication`` rows that pass the filters, and its parameters, for the block.

    Use it as a subquery: ``f"SELECT count(*) FROM ({sql}) s"`` with
    ``params`` (named: add your own names to a copy). The rule is the
    module's: a copy with a match with its origin page is kept when that
    match passes; one linked to the origin only through other pages of the
    cluster when a chain of passing matches joins them; a page alone that
    names an outside source when ``min_similarity`` is 0.
    """
    chosen, value = check_filters(kinds, min_similarity)
    if is_unfiltered(chosen, value):
        yield "SELECT * FROM syndication", {}
        return
    params = {"kinds": list(chosen), "min_similarity": value}
    table = chain_table(store, chosen, value)
    if table is None:  # every match that made the clusters passes: a cluster's pages are all chained
        yield FILTERED_SYNDICATION_SQL.format(chain="SELECT doc_id, cluster_id AS part FROM clusters"), params
        return
    with registered(store.con, query_chain_parts=table):
        yield FILTERED_SYNDICATION_SQL.format(chain="SELECT doc_id, part FROM query_chain_parts"), params


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
    trigram_containment: float | None = None
    """Share of the smaller text's word trigrams found in the other; None without a stored match."""
    in_cluster: bool = True
    """Whether the page is in the cluster of the page asked about (else a direct match of another kind)."""


def copies(store: Store, url: str, kinds: str | Sequence[str] | None = None,
           min_similarity: float = 0.0) -> list[Copy]:
    """The pages paired with the page at ``url``, with their similarity and containment to it.

    Those are the other pages of its cluster, and the pages it has a stored
    match with under any kind (``related`` and ``template`` pairs are in no
    cluster). ``kinds`` (None: every kind) and ``min_similarity`` filter them
    by the module's rule: a page with a match with this one is kept when that
    match passes; a page of the cluster linked to this one only through other
    pages is kept when a chain of passing matches inside the cluster joins the
    two, and when its similarity, measured on the spot from the stored texts,
    is at least ``min_similarity``. So every row has figures.
    """
    chosen, value = check_filters(kinds, min_similarity)
    doc_id = find_document(store, url)
    rows = store.con.execute(
        """
        WITH me AS (SELECT (SELECT cluster_id FROM clusters WHERE doc_id = $doc) AS cluster_id),
        members AS (SELECT c.doc_id FROM clusters c, me WHERE c.cluster_id = me.cluster_id AND c.doc_id <> $doc),
        direct AS (SELECT CASE WHEN doc_a = $doc THEN doc_b ELSE doc_a END AS doc_id FROM matches
                   WHERE doc_a = $doc OR doc_b = $doc),
        pages AS (SELECT doc_id FROM members UNION SELECT doc_id FROM direct)
        SELECT d.doc_id, d.url, d.domain, d.title, d.published_at,
               m.similarity, m.containment, m.kind, m.trigram_containment,
               coalesce(d.doc_id = o.origin_doc_id, false) AS is_origin,
               d.doc_id IN (SELECT doc_id FROM members) AS in_cluster, m.doc_a IS NOT NULL AS matched
        FROM pages p
        JOIN documents d USING (doc_id)
        LEFT JOIN origins o ON o.cluster_id = coalesce((SELECT cluster_id FROM me), $doc)
        LEFT JOIN matches m ON m.doc_a = least(d.doc_id, $doc) AND m.doc_b = greatest(d.doc_id, $doc)
        WHERE m.doc_a IS NULL OR (list_contains($kinds, m.kind) AND m.similarity >= $min_similarity)
        ORDER BY is_origin DESC, in_cluster DESC, d.published_at NULLS LAST, d.url
        """,
        {"doc": doc_id, "kinds": list(chosen), "min_similarity": value},
    ).fetchall()
    unmatched = [r[0] for r in rows if not r[11]]
    if unmatched and not is_unfiltered(chosen, value):
        cluster = store.con.execute("SELECT cluster_id FROM clusters WHERE doc_id = ?", [doc_id]).fetchall()
        parts = chain_parts(store, chosen, value, cluster[0][0]) if cluster else {}
        mine = parts.get(doc_id)
        unmatched = [d for d in unmatched if mine is not None and parts.get(d) == mine]
    measured: dict[int, tuple[float, float]] = {}
    if unmatched:
        texts = store.texts([doc_id, *unmatched])
        k = store.settings.shingle_size
        mine_shingles = shingle_hashes(texts.get(doc_id, ""), k)
        for other in unmatched:
            sim, cont, _ = overlap(mine_shingles, shingle_hashes(texts.get(other, ""), k))
            measured[other] = (round(sim, 6), round(cont, 6))
    out = []
    for d_id, d_url, domain, title, published, sim, cont, kind, tri, is_origin, in_cluster, matched in rows:
        if not matched:
            if d_id not in measured or measured[d_id][0] < value:
                continue  # not chained to this page by passing matches, or less similar than asked
            sim, cont = measured[d_id]
        out.append(Copy(d_id, d_url, domain, title, published, sim, cont, kind, bool(is_origin), tri, bool(in_cluster)))
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
FROM ({copies}) s GROUP BY 1 ORDER BY copies DESC, articles DESC, origin LIMIT $limit
"""
TOP_REPOSTERS_SQL = """
SELECT copy_domain AS reposter, count(*) AS copies, count(DISTINCT coalesce(origin_domain, origin_publisher)) AS sources,
       round(avg(CASE WHEN links_back THEN 1 ELSE 0 END), 2) AS share_linking_back
FROM ({copies}) s GROUP BY 1 ORDER BY copies DESC, reposter LIMIT $limit
"""


def top(store: Store, limit: int = 10, kinds: str | Sequence[str] | None = None,
        min_similarity: float = 0.0) -> tuple[list[tuple], list[tuple]]:
    """Domains most often origins, and domains most often reposting: (origins, reposters) rows.

    Only copies that pass the filters count (``kinds``, None for every kind,
    and ``min_similarity``; the rule is the module's): a copy whose match with
    the origin page fails is not counted, nor one linked to the origin only
    through other pages unless a chain of passing matches joins them.
    """
    with filtered_syndication(store, kinds, min_similarity) as (sql, params):
        params = {**params, "limit": limit}
        return (
            store.con.execute(TOP_ORIGINS_SQL.format(copies=sql), params).fetchall(),
            store.con.execute(TOP_REPOSTERS_SQL.format(copies=sql), params).fetchall(),
        )
