"""Which page is the origin of a cluster's article, with a confidence and the evidence.

Precedence, strongest first:

1. a page that other members link to as their source or name as canonical;
   when no member is pointed to but the pointers lead outside the corpus, the
   origin is that external URL (or the stored page at it);
2. credits, datelines and bylines (``evidence`` rows of kind ``credit``): a
   member whose site is the publisher they name (the agency's own page when
   it is stored); else that publisher, not crawled, when every page names it,
   or most pages do (more than half; half for an agency's dateline or
   byline, which copies drop more often than they add);
3. the earliest published date, weighed as an editor would:

   - a page that credits another publisher says it is a copy, and is set
     aside while another page remains;
   - a page on a site that mostly reposts (site reputation: at least
     ``REPOSTER_SHARE`` of its other stored pages are copies of other sites'
     articles or link, canonicalise or credit elsewhere, over at least
     ``REPUTATION_MIN_PAGES`` pages) is set aside, even with an older date,
     while a page of a site of originals remains (under ``ORIGINALS_SHARE``
     reposts, or too few pages stored to judge it);
   - a published date contradicting the date in the page's own URL
     (``/2023/11/10/``, ``2023-11-10``, ``20231110``) gives way to the URL's;
     one after the page was fetched gives way to the fetch time (the latest
     it can have been published); one preceding every other member's by more
     than ``IMPLAUSIBLE_LEAD`` (and three times their spread) without its URL
     confirming it is not trusted; a page without a published date is dated
     by its URL;
   - a bare date does not beat a precise time on the same day;
4. containment: the longest article, which contains the truncated copies;
5. the earliest fetch time.

Confidence, by the strength of the evidence (a scale, not a measured
probability; a guess stays at 0.4 or below):

====  ==========================================================================
0.95  linked to (or canonical) from two pages or more, or both linked and canonical
0.9   linked to from one page; an outside URL pointed to by two pages or more
0.85  an outside URL pointed to by one page
0.75  the page of the publisher that the other pages' credits or datelines name
0.7   every page names the same outside publisher (not crawled)
0.6   most pages name it
0.5   the earliest date, every member dated, ahead of all others by an hour or
      more, and no earlier claim set aside
0.4   the earliest date otherwise: a tie broken, undated members, a short lead,
      or an earlier date set aside (reposting site, contradicted or
      implausible date) -- a guess
0.35  containment
0.3   the earliest fetch time
====  ==========================================================================

``origins.evidence`` says why in words, e.g. 'dateline "WASHINGTON (AP) —" (The
Associated Press) on 4 of 4 pages; apnews.com not crawled', "earliest
published date; earlier date on reposter.example ignored: 92% of its 25 other
stored pages are copies or name another source".

A page alone whose evidence names an outside source is a cluster of one: it
gets an origin (with ``cluster_id`` = its ``doc_id``) but no ``clusters`` row.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Iterable, Sequence

import duckdb
import pyarrow as pa

from ..extract.evidence import (CANONICAL, CREDIT, LINK, PUBLISHERS, clean_publisher, credit_form, publisher_key,
                                publisher_sites, site_of)
from ..extract.article import domain_of
from ..read.urls import is_rendering, normalize_url
from ..sqlutil import ids, registered

REPOSTER_SHARE = 0.75
"""A site whose other stored pages are at least this share copies or pointers elsewhere mostly reposts."""
ORIGINALS_SHARE = 0.5
"""... and one under this share (or judged on too few pages) is a site of originals."""
REPUTATION_MIN_PAGES = 5
"""A site is judged on at least this many other stored pages (on three, one host of a few copies
looks like a reposter: measured on the accuracy benchmark, where real news sites host its reposts)."""
REPUTATION_WINDOW = 1_000_000
"""A site is judged on its pages among the latest this many stored (doc_ids grow as pages are stored): the
query reads the recent part of a large database only, whose row groups the doc_id bound picks."""
IMPLAUSIBLE_LEAD = timedelta(days=7)
"""A date this far before every other member's, unconfirmed by its URL, is not trusted."""
_MAX_NOTES = 4

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
    credit_texts: dict[str, str] = field(default_factory=dict)  # publisher -> the credit line, dateline or byline naming it

    @property
    def site(self) -> str:
        return site_of(self.domain) if self.domain else ""

    def is_publisher(self, name: str) -> bool:
        """Does this page belong to the publisher called ``name``?

        A publisher with known home sites (the agencies, the big newsrooms)
        owns only those and the sites named like it (reuters.co.uk); a page
        elsewhere whose site name reads "Associated Press" is an AP story on
        a member paper's site, not AP's page. Another publisher owns the sites
        named like it and the pages whose site name is its name.
        """
        key = publisher_key(name)
        site = self.site
        if site and site.split(".")[0] == key:
            return True
        homes = publisher_sites(name)
        if homes:
            return site in homes
        return bool(self.sitename) and publisher_key(self.sitename) == key


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


@dataclass(frozen=True)
class SiteRecord:
    """A site's stored pages, and how many of them repost: copies in clusters whose origin is
    elsewhere, or pages whose evidence links, canonicalises or credits elsewhere."""

    pages: int
    reposts: int
    counted: frozenset[int] = frozenset()  # pages of those being attributed that ``reposts`` counts


class Reputation:
    """Site records of the sites of the pages being attributed (see :func:`site_reputation`)."""

    def __init__(self, records: dict[str, SiteRecord]):
        self.records = records

    def others(self, member: Member, members: Sequence[Member]) -> tuple[int, int]:
        """(pages, reposts) of the member's site, not counting the cluster's own pages."""
        record = self.records.get(member.site)
        if record is None:
            return 0, 0
        mine = [m.doc_id for m in members if m.site == member.site]
        return record.pages - len(mine), record.reposts - sum(d in record.counted for d in mine)

    def of_originals(self, member: Member, members: Sequence[Member]) -> bool:
        """Is the member's site one of originals: under ORIGINALS_SHARE reposts, or too little known to say?"""
        pages, reposts = self.others(member, members)
        return pages < REPUTATION_MIN_PAGES or reposts < ORIGINALS_SHARE * pages

    def reposter(self, member: Member, members: Sequence[Member]) -> tuple[int, int] | None:
        """(reposts, pages) among the site's other pages when the site mostly reposts, else None."""
        pages, reposts = self.others(member, members)
        if pages >= REPUTATION_MIN_PAGES and reposts >= REPOSTER_SHARE * pages:
            return reposts, pages
        return None


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def attribute(cluster_id: int, members: Sequence[Member], stored_urls: dict[str, tuple[int, str, str | None]],
              reputation: Reputation | None = None) -> Origin | None:
    """The origin of one cluster (or of a single page); None for a single page with no outside evidence.

    ``stored_urls`` maps url_key -> (doc_id, url, sitename) of stored pages
    outside the cluster that pointers may name; ``reputation`` holds the
    records of the members' sites (none: no page is set aside for its site).
    """
    found = by_evidence(cluster_id, members, stored_urls)
    if found is not None or len(members) < 2:
        return found
    return by_dates(cluster_id, members, reputation)


def by_evidence(cluster_id: int, members: Sequence[Member],
                stored_urls: dict[str, tuple[int, str, str | None]]) -> Origin | None:
    """Rules 1 and 2: pointers, then credits, datelines and bylines; None when they do not decide."""
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
    credited = _credited(members)
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
    # 2. credited publisher: its own page, or the publisher itself when (most) pages name it
    n = len(members)
    for name, count in credited.items():
        own = [m for m in members if m.is_publisher(name)]
        phrase, wire = _credit_phrase(name, count, members)
        if own and (n > 1 or len(own) < n):
            o = min(own, key=_date_rank)
            return Origin(cluster_id, o.doc_id, o.url, o.domain, name, 0.75, "publisher",
                          f"{phrase}; {o.domain} is its site")
        if own:
            continue
        if count == n or (n > 1 and (2 * count > n or (wire and 2 * count >= n))):
            sites = publisher_sites(name)
            home = sites[0] if sites else None
            return Origin(cluster_id, None, None, home, name, 0.7 if count == n else 0.6, "publisher",
                          f"{phrase}; {home} not crawled" if home else f"{phrase}; not crawled")
    return None


def by_dates(cluster_id: int, members: Sequence[Member], reputation: Reputation | None = None) -> Origin:
    """Rules 3 to 5 for a cluster of two pages or more: dates as weighed, containment, fetch time."""
    pool = list(members)
    notes: list[str] = []  # why pages or dates were set aside
    set_aside: dict[int, str] = {}  # doc_id -> why, for pages whose dates did not compete
    # pages that say they are copies
    crediting = {m.doc_id: names for m in pool if (names := [c for c in m.credited if not m.is_publisher(c)])}
    if crediting and len(crediting) < len(pool):
        for m in pool:
            if m.doc_id in crediting:
                set_aside[m.doc_id] = f"{m.domain} credits {crediting[m.doc_id][0]}"
        pool = [m for m in pool if m.doc_id not in crediting]
    # pages of sites that mostly repost, while a page of a site of originals remains
    if reputation is not None:
        reposters = {m.doc_id: r for m in pool if (r := reputation.reposter(m, members)) is not None}
        if reposters and any(reputation.of_originals(m, members) for m in pool):
            for m in pool:
                if m.doc_id in reposters:
                    reposts, pages = reposters[m.doc_id]
                    set_aside[m.doc_id] = (f"{round(100 * reposts / pages)}% of its {pages} other stored pages are "
                                           f"copies or name another source")
            pool = [m for m in pool if m.doc_id not in reposters]
    # dates: the URL's against the published one, and against the other members'
    dates = _weighed_dates(members)
    dated = [m for m in pool if dates[m.doc_id].when is not None]
    reasons: list[str] = []
    method, confidence = "fetch_time", 0.3
    if dated:
        first = min(_publication_rank(dates[m.doc_id].when) for m in dated)
        winners = [m for m in dated if _publication_rank(dates[m.doc_id].when) == first]
        when = dates[winners[0].doc_id].when
        source = {"published": "earliest published date", "url": "earliest date (from its URL)",
                  "fetch": "earliest date (its fetch time)"}[dates[winners[0].doc_id].source]
        reasons.append(source + ("" if len(winners) == 1 else f" (tied with {len(winners) - 1})"))
        method, confidence = "earliest_date", 0.4
        others = [dates[m.doc_id].when for m in members if m not in winners and dates[m.doc_id].when is not None]
        # pages whose claimed date would have won and did not compete: set aside, or their date not trusted
        earlier = [m for m in members if m.published_at is not None and _publication_rank(m.published_at) < first
                   and (m.doc_id in set_aside or dates[m.doc_id].note)]
        if (len(winners) == 1 and len(others) == len(members) - 1 and not earlier
                and all(o - when >= timedelta(hours=1) for o in others)):
            confidence = 0.5
        for m in members:  # what was not taken, where it could have changed the outcome
            if dates[m.doc_id].note and (m in winners or m in earlier):
                notes.append(dates[m.doc_id].note)
        notes.extend(f"earlier date on {m.domain} ignored: {set_aside[m.doc_id]}" for m in earlier if m.doc_id in set_aside)
        pool = winners
    else:
        notes.extend(f"{m.domain} set aside: {why}" for m in members if (why := set_aside.get(m.doc_id)))
    containers = [m for m in pool if m.contains]
    if len(pool) > 1 and containers:
        pool = containers
        if method == "fetch_time":
            method, confidence = "containment", 0.35
        reasons.append("contains the truncated copies")
    if len(pool) > 1:
        reasons.append("earliest fetched")
    o = min(pool, key=lambda m: (m.fetched_at or datetime.max, m.url))
    if method == "fetch_time":
        reasons = ["earliest fetched"]
    more = f"; {len(notes) - _MAX_NOTES} more" if len(notes) > _MAX_NOTES else ""
    return Origin(cluster_id, o.doc_id, o.url, o.domain, o.sitename, confidence, method,
                  "; ".join(reasons + notes[:_MAX_NOTES]) + more)


# --- dates -------------------------------------------------------------------------

_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_MONTH = r"(0?[1-9]|1[0-2]|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
_URL_YMD = re.compile(r"(?<![\d])((?:19|20)\d{2})([/_.-])" + _MONTH + r"\2(0?[1-9]|[12]\d|3[01])(?![\d])", re.IGNORECASE)
_URL_COMPACT = re.compile(r"(?<![\d])((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?![\d])")
_URL_YM = re.compile(r"/((?:19|20)\d{2})/" + _MONTH + r"(?:/|$)", re.IGNORECASE)


def url_date(url: str) -> tuple[date, bool] | None:
    """The date in a page's URL, and whether it is a whole date (False: year and month only).

    "/2023/11/10/", "/story/2023-11-10/", "/2019/nov/18/", "-20231110-"; None when the URL holds none.
    """
    path = url.split("://", 1)[-1]
    path = path[path.find("/"):] if "/" in path else ""
    if not path:
        return None
    for pattern, full in ((_URL_YMD, True), (_URL_COMPACT, True), (_URL_YM, False)):
        for m in pattern.finditer(path):
            groups = m.groups()
            year, month = int(groups[0]), groups[2] if pattern is _URL_YMD else groups[1]
            month_number = _MONTHS.get(month.lower()) if month.isalpha() else int(month)
            day = int(groups[3] if pattern is _URL_YMD else groups[2]) if full else 1
            try:
                return date(year, month_number, day), full
            except (TypeError, ValueError):
                continue
    return None


@dataclass
class _Date:
    """A member's date as weighed: the one to compare, where it comes from, and why the published one was not taken."""

    when: datetime | None
    source: str  # published | url | fetch
    confirmed: bool = False  # by the URL's date, or a fact (the fetch)
    note: str | None = None


def _weighed_dates(members: Sequence[Member]) -> dict[int, _Date]:
    """The date of each member to compare (doc_id -> _Date)."""
    out: dict[int, _Date] = {}
    for m in members:
        claim = m.published_at
        date_ = _Date(claim, "published")
        found = url_date(m.url)
        if found is not None:
            day, full = found
            if claim is None:
                if full:
                    date_ = _Date(datetime.combine(day, time()), "url", True)
            elif full:
                if abs((claim.date() - day).days) <= 1:
                    date_.confirmed = True
                else:
                    date_ = _Date(datetime.combine(day, time()), "url", True,
                                  f"published date {claim:%Y-%m-%d} on {m.domain} contradicts its URL's {day:%Y-%m-%d}")
            elif not (day - timedelta(days=1) <= claim.date() < _next_month(day) + timedelta(days=1)):
                date_ = _Date(None, "url", False,
                              f"published date {claim:%Y-%m-%d} on {m.domain} contradicts its URL's {day:%Y-%m}")
        # (a difference, not fetched_at + 1 day: a crawl's fetch time of 9999-12-31 must not overflow)
        if date_.when is not None and m.fetched_at is not None and date_.when - m.fetched_at > timedelta(days=1):
            # the page existed when it was fetched: that is the latest it can have been published
            date_ = _Date(m.fetched_at, "fetch", True, f"published date {date_.when:%Y-%m-%d} on {m.domain} is after it "
                                                       f"was fetched; dated by its fetch ({m.fetched_at:%Y-%m-%d})")
        out[m.doc_id] = date_
    for m in members:
        date_ = out[m.doc_id]
        if date_.when is None or date_.confirmed:
            continue
        others = [out[o.doc_id].when for o in members if o is not m and out[o.doc_id].when is not None]
        if len(others) < 2:
            continue
        lead = min(others) - date_.when
        if lead > max(IMPLAUSIBLE_LEAD, 3 * (max(others) - min(others))):
            out[m.doc_id] = _Date(None, date_.source, False, f"published date {date_.when:%Y-%m-%d} on {m.domain} "
                                                             f"precedes the other {len(others)} pages' by {lead.days} days")
    return out


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


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


def _credit_phrase(name: str, count: int, members: Sequence[Member]) -> tuple[str, bool]:
    """How the members credit ``name`` in words, and whether by an agency's dateline or byline."""
    texts = Counter(t for m in members if (t := m.credit_texts.get(name)) and not m.is_publisher(name))
    forms = Counter(credit_form(t) for t in texts.elements())
    form = forms.most_common(1)[0][0] if forms else "credit"
    if form == "credit":
        return f"credited as {name} by {_plural(count, 'page')}" + (f" of {len(members)}" if count < len(members) else ""), False
    sample = next(t for t, _ in texts.most_common() if credit_form(t) == form)
    return f'{form} "{sample}" ({name}) on {count} of {_plural(len(members), "page")}', True


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
SELECT doc_id, kind, url, publisher, text FROM evidence WHERE doc_id IN (SELECT doc_id FROM wanted_docs)
"""

# publisher_key in SQL: letters and digits, lower-cased
_PKEY = r"regexp_replace(lower({0}), '[^\p{{L}}\p{{N}}]+', '', 'g')"
# Site reputation, for the sites of the pages being attributed only: documents by site among the latest
# REPUTATION_WINDOW doc_ids, then their evidence rows and cluster rows by doc_id. A page reposts when it
# is a copy in a cluster whose origin is on another site, or when its evidence links or canonicalises
# elsewhere, or credits a publisher that is not its own (Member.is_publisher in SQL, with the
# publishers' home sites in ``publisher_homes``).
REPUTATION_SQL = f"""
WITH pages AS (  -- the sites' pages among the latest REPUTATION_WINDOW stored, and the pages being attributed
    SELECT doc_id, site, sitename
    FROM documents
    WHERE site IN (SELECT site FROM wanted_sites) AND (doc_id >= $low OR doc_id IN (SELECT doc_id FROM wanted_docs))
),
pointing AS (
    SELECT e.doc_id
    FROM evidence e JOIN pages p ON p.doc_id = e.doc_id
    WHERE e.kind IN ('link', 'canonical')
       OR (e.kind = 'credit' AND e.publisher IS NOT NULL AND NOT (
              split_part(p.site, '.', 1) = {_PKEY.format("e.publisher")}
              OR EXISTS (SELECT 1 FROM publisher_homes h WHERE h.pkey = {_PKEY.format("e.publisher")} AND h.site = p.site)
              OR ({_PKEY.format("coalesce(p.sitename, '')")} = {_PKEY.format("e.publisher")}
                  AND NOT EXISTS (SELECT 1 FROM publisher_homes h WHERE h.pkey = {_PKEY.format("e.publisher")}))))
),
copies AS (
    SELECT c.doc_id
    FROM clusters c JOIN pages p ON p.doc_id = c.doc_id JOIN origins o ON o.cluster_id = c.cluster_id
    WHERE o.origin_doc_id IS DISTINCT FROM c.doc_id
      AND coalesce(o.origin_domain, '') <> p.site AND NOT ends_with(coalesce(o.origin_domain, ''), '.' || p.site)
),
reposts AS (SELECT doc_id FROM pointing UNION SELECT doc_id FROM copies)
SELECT p.site, count(*) AS pages, count(r.doc_id) AS reposts,
       list(p.doc_id) FILTER (WHERE r.doc_id IS NOT NULL AND w.doc_id IS NOT NULL) AS counted
FROM pages p
LEFT JOIN reposts r ON r.doc_id = p.doc_id
LEFT JOIN wanted_docs w ON w.doc_id = p.doc_id
GROUP BY p.site
"""


def _publisher_homes() -> pa.Table:
    pairs = sorted({(key, site) for alias, (name, sites) in PUBLISHERS.items()
                    for key in (alias, publisher_key(name)) for site in sites})
    return pa.table({"pkey": pa.array([k for k, _ in pairs], pa.string()), "site": pa.array([s for _, s in pairs], pa.string())})


def site_reputation(con: duckdb.DuckDBPyConnection, members: Iterable[Member]) -> Reputation:
    """The records of the members' sites, in one query over their sites' pages."""
    members = list(members)
    sites = sorted({m.site for m in members if m.site})
    if not sites:
        return Reputation({})
    with registered(con, wanted_sites=pa.table({"site": pa.array(sites, pa.string())}),
                    wanted_docs=ids(m.doc_id for m in members), publisher_homes=_publisher_homes()):
        (latest,) = con.execute("SELECT max(doc_id) FROM documents").fetchone()
        rows = con.execute(REPUTATION_SQL, {"low": (latest or 0) - REPUTATION_WINDOW}).fetchall()
    return Reputation({site: SiteRecord(pages, reposts, frozenset(counted or ())) for site, pages, reposts, counted in rows})


def load_members(con: duckdb.DuckDBPyConnection, doc_ids: Iterable[int]) -> dict[int, Member]:
    with registered(con, wanted_docs=ids(doc_ids)):
        members = {row[0]: Member(*row) for row in con.execute(MEMBERS_SQL).fetchall()}
        for m in members.values():
            m.sitename = clean_publisher(m.sitename)  # pages stored before names were cleaned at extraction
        for doc_id, kind, url, publisher, text in con.execute(EVIDENCE_SQL).fetchall():
            m = members.get(doc_id)
            if m is None:
                continue
            if kind in (LINK, CANONICAL) and url:
                m.pointers.append((kind, url))
            publisher = clean_publisher(publisher)
            if publisher and kind in (LINK, CREDIT):
                m.credited.append(publisher)
                if kind == CREDIT and text:
                    m.credit_texts.setdefault(publisher, text)
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
    return {k: (doc_id, url, clean_publisher(sitename)) for k, doc_id, url, sitename in rows}


def attribute_groups(con: duckdb.DuckDBPyConnection, groups: dict[int, list[int]]) -> list[Origin]:
    """Origins of the given clusters (cluster_id -> member doc_ids; one member for a single page).

    Clusters that pointers and credits do not decide go to their dates, with
    the reputation of their members' sites read in one query for all of them.
    """
    members = load_members(con, (d for docs in groups.values() for d in docs))
    stored = stored_targets(con, members.values())
    found: dict[int, Origin] = {}
    undecided: dict[int, list[Member]] = {}
    for cluster_id, docs in sorted(groups.items()):
        group = [members[d] for d in docs if d in members]
        if not group:
            continue
        origin = by_evidence(cluster_id, group, stored)
        if origin is not None:
            found[cluster_id] = origin
        elif len(group) > 1:
            undecided[cluster_id] = group
    if undecided:
        reputation = site_reputation(con, (m for group in undecided.values() for m in group))
        for cluster_id, group in undecided.items():
            found[cluster_id] = by_dates(cluster_id, group, reputation)
    return canonical_pages(con, [found[c] for c in sorted(found)], groups)


ALIASES_SQL = """
SELECT doc_id, url, canonical_url, site, article_key FROM documents WHERE doc_id IN (SELECT doc_id FROM wanted_docs)
"""


def canonical_pages(con: duckdb.DuckDBPyConnection, origins: list[Origin], groups: dict[int, list[int]]) -> list[Origin]:
    """Each origin moved to the canonical URL of its article where the cluster holds several URLs of it.

    One article at several URLs of its site (www./amp./m., print, a same-site
    canonical) is one article: its origin is the page whose URL is its own
    canonical, else the shortest URL, never the AMP or print variant.
    """
    with_aliases = [o for o in origins if o.origin_doc_id is not None and len(groups.get(o.cluster_id, ())) > 1]
    if not with_aliases:
        return origins
    wanted = {d for o in with_aliases for d in groups[o.cluster_id]}
    with registered(con, wanted_docs=ids(wanted)):
        rows = {r[0]: r[1:] for r in con.execute(ALIASES_SQL).fetchall()}
    out = []
    for o in origins:
        chosen = rows.get(o.origin_doc_id) if o in with_aliases else None
        if chosen is None or not chosen[3]:
            out.append(o)
            continue
        site, key = chosen[2], chosen[3]
        aliases = [(d, *rows[d]) for d in groups[o.cluster_id] if d in rows and rows[d][2] == site and rows[d][3] == key]
        best = min(aliases, key=lambda a: (not _is_own_canonical(a[1], a[2]), is_rendering(a[1]), len(a[1]), a[1]))
        if best[0] == o.origin_doc_id:
            out.append(o)
            continue
        note = f"{o.evidence}; {_plural(len(aliases), 'URL')} of this article on {site}, its canonical page chosen"
        out.append(replace(o, origin_doc_id=best[0], origin_url=best[1], origin_domain=domain_of(best[1]),
                           evidence=note.lstrip("; ")))
    return out


def _is_own_canonical(url: str, canonical: str | None) -> bool:
    return bool(canonical) and normalize_url(canonical).rstrip("/") == normalize_url(url).rstrip("/")


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
    alone = [d for d in affected if d not in assignment]
    if alone:  # a page alone gets an origin only when it carries an article: a wall that credits AP is not AP's copy
        with registered(con, alone_docs=ids(alone)):
            articles = {r[0] for r in con.execute(
                "SELECT doc_id FROM documents WHERE status = 'article' AND doc_id IN (SELECT doc_id FROM alone_docs)"
            ).fetchall()}
        for doc_id in alone:
            if doc_id in articles:
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
