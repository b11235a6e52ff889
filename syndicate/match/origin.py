"""Which page is the origin of a cluster's article, with a confidence and the evidence.

Precedence, strongest first:

1. a page that other members link to as their source or name as canonical;
   when no member is pointed to but the pointers lead outside the corpus, the
   origin is that external URL (or the stored page at it);
2. a member whose site is the publisher that credit lines name (an outside
   publisher when no member is theirs);
3. the earliest published date;
4. containment: the longest article, which contains the truncated copies;
5. the earliest fetch time.

A page alone whose evidence names an outside source is a cluster of one: it
gets an origin (with ``cluster_id`` = its ``doc_id``) but no ``clusters`` row.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Iterable, Sequence

import duckdb
import pyarrow as pa

from ..extract.evidence import CANONICAL, CREDIT, LINK, publisher_key, publisher_sites, site_of
from ..extract.article import domain_of
from ..store.sqlutil import ids, registered

_KEY_RE = re.compile(r"^https?://(www\.)?")


def url_key(url: str) -> str:
    """A URL without scheme, ``www.``, fragment and trailing slash, lower-cased: how pointers are compared."""
    key = _KEY_RE.sub("", url.strip().lower()).split("#", 1)[0]
    return key.rstrip("/")


# The same normalisation in SQL, for the syndication view's links_back.
URL_KEY_MACRO = r"""
CREATE OR REPLACE MACRO url_key(u) AS
    rtrim(split_part(regexp_replace(lower(trim(u)), '^https?://(www\.)?', ''), '#', 1), '/');
"""


@dataclass
class Member:
    """What attribution needs to know of one page."""

    doc_id: int
    url: str
    domain: str
    sitename: str | None
    published_at: datetime | None
    fetched_at: datetime | None
    shingle_count: int
    pointers: list[tuple[str, str]] = field(default_factory=list)  # (kind, url)
    credited: list[str] = field(default_factory=list)  # publisher names
    contains: set[int] = field(default_factory=set)  # members this one holds a truncated copy of

    def is_publisher(self, name: str) -> bool:
        """Does this page belong to the publisher called ``name``?"""
        key = publisher_key(name)
        site = site_of(self.domain) if self.domain else ""
        if site and site in publisher_sites(name):
            return True
        if self.sitename and publisher_key(self.sitename) == key:
            return True
        return bool(site) and site.split(".")[0] == key


@dataclass(frozen=True)
class Origin:
    """The origin of one cluster, as stored in ``origins``."""

    cluster_id: int
    origin_doc_id: int | None
    origin_url: str | None
    origin_domain: str | None
    publisher: str | None
    confidence: float
    method: str
    evidence: str


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def attribute(cluster_id: int, members: Sequence[Member], stored_urls: dict[str, tuple[int, str, str | None]]) -> Origin | None:
    """The origin of one cluster (or of a single page); None for a single page with no outside evidence.

    ``stored_urls`` maps url_key -> (doc_id, url, sitename) of stored pages
    outside the cluster that pointers may name.
    """
    by_key = {url_key(m.url): m for m in members}
    # 1. pointers: links and canonicals of the members, each page counted once per target
    votes: Counter[str] = Counter()  # pages pointing at each target
    kinds: dict[str, Counter[str]] = defaultdict(Counter)
    spelled: dict[str, str] = {}
    for m in members:
        targets: dict[str, set[str]] = defaultdict(set)
        for kind, target in m.pointers:
            key = url_key(target)
            if key != url_key(m.url):
                targets[key].add(kind)
                spelled.setdefault(key, target)
        for key, ks in targets.items():
            votes[key] += 1
            for kind in ks:
                kinds[key][kind] += 1
    # pages of the cluster that others point to come first; outside targets only when none is
    inside = {k: v for k, v in votes.items() if k in by_key}
    if inside or votes:
        pool = inside or votes
        best = max(pool.values())
        key = min((k for k, v in pool.items() if v == best), key=lambda k: (_date_rank(by_key.get(k)), k))
        reasons = []
        if kinds[key][LINK]:
            reasons.append(f"linked as source by {_plural(kinds[key][LINK], 'page')}")
        if kinds[key][CANONICAL]:
            reasons.append(f"canonical of {_plural(kinds[key][CANONICAL], 'page')}")
        confidence = 0.95 if best >= 2 or len(kinds[key]) > 1 else 0.9
        credited = _credited(members)
        if key in by_key:
            o = by_key[key]
            return Origin(cluster_id, o.doc_id, o.url, o.domain, o.sitename or _publisher_for(o, credited),
                          confidence, LINK if kinds[key][LINK] else CANONICAL, "; ".join(reasons))
        url = spelled[key]
        stored = stored_urls.get(key)
        publisher = next((p for p in credited if _site_matches(url, p)), None)
        reasons.append("outside the cluster" if stored else "not crawled")
        return Origin(cluster_id, stored[0] if stored else None, stored[1] if stored else url, domain_of(url),
                      publisher or (stored[2] if stored else None), round(confidence - 0.05, 2),
                      LINK if kinds[key][LINK] else CANONICAL, "; ".join(reasons))
    # 2. credited publisher
    credited = _credited(members)
    for name, count in credited.items():
        own = [m for m in members if m.is_publisher(name)]
        if own and (len(members) > 1 or len(own) < len(members)):
            o = min(own, key=_date_rank)
            return Origin(cluster_id, o.doc_id, o.url, o.domain, name, 0.75, "publisher",
                          f"credited as {name} by {_plural(count, 'page')}")
        if not own and count == len(members):  # every page names the same outside publisher
            sites = publisher_sites(name)
            return Origin(cluster_id, None, None, sites[0] if sites else None, name, 0.7, "publisher",
                          f"credited as {name} by {_plural(count, 'page')}; not crawled")
    if len(members) < 2:
        return None
    # 3.-5. dates, containment, fetch time
    dated = [m for m in members if m.published_at is not None]
    pool = list(members)
    reasons: list[str] = []
    method, confidence = "fetch_time", 0.3
    if dated:
        first = min(_publication_rank(m.published_at) for m in dated)
        pool = [m for m in dated if _publication_rank(m.published_at) == first]
        method, confidence = "earliest_date", 0.6
        reasons.append("earliest published date" if len(pool) == 1 else f"earliest published date (tied with {len(pool) - 1})")
    containers = [m for m in pool if m.contains]
    if len(pool) > 1 and containers:
        pool = containers
        if method == "fetch_time":
            method, confidence = "containment", 0.45
        reasons.append("contains the truncated copies")
    if len(pool) > 1:
        reasons.append("earliest fetched")
    o = min(pool, key=lambda m: (m.fetched_at or datetime.max, m.url))
    if method == "fetch_time":
        reasons = ["earliest fetched"]
    return Origin(cluster_id, o.doc_id, o.url, o.domain, o.sitename, confidence, method, "; ".join(reasons))


def _publication_rank(when: datetime) -> tuple:
    """Earlier day first; within a day, a precise time before a bare date (midnight).

    Publishers' pages carry precise publication times; a bare date on the
    same day says less, so it does not win by reading as 00:00.
    """
    bare = when.hour == when.minute == when.second == 0
    return (when.date(), bare, when)


def _date_rank(m: Member | None) -> tuple:
    if m is None:
        return (1, datetime.max, "")
    return (m.published_at is None, m.published_at or datetime.max, m.url)


def _credited(members: Sequence[Member]) -> Counter[str]:
    """Publishers named by members about articles that are not their own, most often named first."""
    counts: Counter[str] = Counter()
    for m in members:
        for name in set(m.credited):
            if not m.is_publisher(name):
                counts[name] += 1
    return Counter(dict(counts.most_common()))


def _publisher_for(member: Member, credited: Counter[str]) -> str | None:
    return next((name for name in credited if member.is_publisher(name)), None)


def _site_matches(url: str, name: str) -> bool:
    site = site_of(url)
    return site in publisher_sites(name) or site.split(".")[0] == publisher_key(name)


# --- database side -------------------------------------------------------------

MEMBERS_SQL = """
SELECT d.doc_id, d.url, d.domain, d.sitename, d.published_at, d.fetched_at, coalesce(d.shingle_count, 0)
FROM documents d WHERE d.doc_id IN (SELECT doc_id FROM wanted_docs)
"""
PARTIALS_SQL = """
SELECT m.doc_a, m.doc_b, a.shingle_count >= b.shingle_count AS a_larger
FROM matches m JOIN documents a ON a.doc_id = m.doc_a JOIN documents b ON b.doc_id = m.doc_b
WHERE m.kind = 'partial' AND m.doc_a IN (SELECT doc_id FROM wanted_docs) AND m.doc_b IN (SELECT doc_id FROM wanted_docs)
"""
EVIDENCE_SQL = """
SELECT doc_id, kind, url, publisher FROM evidence WHERE doc_id IN (SELECT doc_id FROM wanted_docs)
"""


def load_members(con: duckdb.DuckDBPyConnection, doc_ids: Iterable[int]) -> dict[int, Member]:
    with registered(con, wanted_docs=ids(doc_ids)):
        members = {row[0]: Member(*row) for row in con.execute(MEMBERS_SQL).fetchall()}
        for doc_id, kind, url, publisher in con.execute(EVIDENCE_SQL).fetchall():
            m = members.get(doc_id)
            if m is None:
                continue
            if kind in (LINK, CANONICAL) and url:
                m.pointers.append((kind, url))
            if publisher and kind in (LINK, CREDIT):
                m.credited.append(publisher)
        for a, b, a_larger in con.execute(PARTIALS_SQL).fetchall():
            larger, smaller = (a, b) if a_larger else (b, a)
            members[larger].contains.add(smaller)
    return members


def stored_targets(con: duckdb.DuckDBPyConnection, members: Iterable[Member]) -> dict[str, tuple[int, str, str | None]]:
    """Stored pages that the members' pointers name: url_key -> (doc_id, url, sitename)."""
    keys = sorted({url_key(u) for m in members for _, u in m.pointers})
    if not keys:
        return {}
    with registered(con, wanted_keys=pa.table({"k": pa.array(keys, pa.string())})):
        rows = con.execute(
            "SELECT url_key(url) AS k, min(doc_id), min(url), min(sitename) FROM documents "
            "WHERE url_key(url) IN (SELECT k FROM wanted_keys) GROUP BY 1"
        ).fetchall()
    return {k: (doc_id, url, sitename) for k, doc_id, url, sitename in rows}


def attribute_groups(con: duckdb.DuckDBPyConnection, groups: dict[int, list[int]]) -> list[Origin]:
    """Origins of the given clusters (cluster_id -> member doc_ids; one member for a single page)."""
    members = load_members(con, (d for docs in groups.values() for d in docs))
    stored = stored_targets(con, members.values())
    out = []
    for cluster_id, docs in sorted(groups.items()):
        group = [members[d] for d in docs if d in members]
        if group:
            found = attribute(cluster_id, group, stored)
            if found is not None:
                out.append(found)
    return out


def refresh(
    con: duckdb.DuckDBPyConnection,
    affected: Sequence[int],
    assignment: dict[int, int],
    old_cluster_ids: Iterable[int],
    new_urls: Iterable[str],
) -> tuple[list[int], list[Origin]]:
    """Origins to replace after a batch: (cluster ids whose origins go, origins to store).

    Recomputed: the clusters the batch touched (``affected`` documents with
    their new ``assignment``), pages left alone (clusters of one), and the
    clusters whose external origin is a page this batch stored.
    """
    groups: dict[int, list[int]] = defaultdict(list)
    for doc_id, cluster_id in assignment.items():
        groups[cluster_id].append(doc_id)
    for doc_id in affected:
        if doc_id not in assignment:
            groups[doc_id] = [doc_id]
    keys = sorted({url_key(u) for u in new_urls})
    if keys:
        with registered(con, new_keys=pa.table({"k": pa.array(keys, pa.string())})):
            rows = con.execute(
                """SELECT o.cluster_id, coalesce(list(c.doc_id) FILTER (WHERE c.doc_id IS NOT NULL), [o.cluster_id])
                   FROM origins o LEFT JOIN clusters c USING (cluster_id)
                   WHERE o.origin_doc_id IS NULL AND url_key(o.origin_url) IN (SELECT k FROM new_keys)
                   GROUP BY o.cluster_id"""
            ).fetchall()
        for cluster_id, docs in rows:
            groups.setdefault(cluster_id, list(docs))
    drop = set(old_cluster_ids) | set(groups) | set(affected)
    return sorted(drop), attribute_groups(con, groups)
