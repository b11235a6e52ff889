#!/usr/bin/env python3
"""Generate a syndication benchmark from real news pages, deterministically (by ``--seed``).

Measures nothing: it writes the corpus and its ground truth that
``accuracy.py`` scores syndicate and its baselines on (``accuracy.py --pages``
calls it; run it alone to keep or inspect a corpus).

Data: ``../shared/corpora/article-extraction-benchmark`` (131 real news pages
and their true article text; Scrapinghub/Zyte's public article-extraction
benchmark, MIT License), beside the clone and not in the repository; or, for a
small corpus, the few real pages copied into ``tests/data/pages``.

Time on 2 cores: about 30 seconds for the 131 shared pages (415 pages written,
76 MB of ``corpus.jsonl``); about 1 second with ``tests/data/pages``.

Run::

    python benchmarks/corpus.py --pages ../shared/corpora/article-extraction-benchmark --out /tmp/bench
    python benchmarks/corpus.py --pages tests/data/pages --out /tmp/small --seed 2 --max-clusters 4

``--pages`` is a folder with ``ground-truth.json`` (``{"<sha256>": {"url",
"articleBody"}}``, paragraphs separated by newlines) and the pages as
``html/<sha256>.html.gz`` or ``<sha256>.html.gz`` (both layouts are read).
The output folder gets ``corpus.jsonl`` (one crawl record per line:
``{"url", "html", "fetched_at"}``, in a seeded shuffled order) and
``truth.json``.  In Python: ``build(pages_dir, out_dir, seed=1,
max_clusters=None)`` writes both and returns the truth.

What the corpus holds
---------------------

* **Clusters.**  Every real page P (except the reserved short-article sources,
  below) is the article A of one cluster; the cluster's origin URL is P's real
  URL.  About 20% of the clusters (by seed) have their origin page left out of
  the corpus ("not crawled"; such clusters get at least 2 reposts); otherwise
  P is in the corpus unmodified, with role ``origin``.
* **Reposts** (1-4 per cluster; 1-2 when there are fewer than 20 clusters):
  A's paragraphs put into another real page H (the host) with
  :func:`transplant.transplant`, at an invented URL on H's site,
  ``https://<H's host>/syndicated/<slug of A's title>-<cluster id>`` (also its
  ``og:url``).  Hosts are chosen by seed among the crawled origins (never P,
  never P's site, never twice in one cluster, usage kept balanced); a host
  that ``transplant`` refuses is skipped for another.  The kinds, spread evenly
  and mixed within a cluster:

  - ``full``: the whole article, self-canonical, plus a credit line after it
    linking to A's URL: "Read the full article here", "Source: <Publisher>",
    "Originally published at <domain>" or "This article first appeared on
    <Publisher>";
  - ``truncated``: the first half of A's paragraphs (at least 2; only for
    articles of 4+ paragraphs), self-canonical, plus "Continue reading at
    <domain>" linking to A's URL;
  - ``edited``: new headline (a prefix such as "Report:", or its two halves
    swapped), an intro sentence added on top, one middle paragraph dropped
    (articles of 5+ paragraphs), two "Advertisement" lines between
    paragraphs, curly quotes straightened, self-canonical, no link to A (only
    for articles of 2+ paragraphs);
  - ``canonical``: the whole article with ``<link rel=canonical>`` to A's URL
    and no visible link.

  Repost dates (by seed, recorded as ``date_mode``): ``later`` (A's date +
  2-72 h), ``missing`` (no date at all) or ``same_day`` (A's date without a
  time, or A's date at another time of day, possibly earlier than A's).  A's
  date is what trafilatura reads from P (with the time when the page gives
  one, as ``syndicate`` reads it), else a fixed date in November 2019.
* **Template twins.**  Every host page is in the corpus unmodified (it is the
  origin of its own cluster, since only non-host origins are left out), so each
  repost shares its chrome with a real page carrying a different article.
  With ``--max-clusters`` pages that are not cluster articles may be needed as
  hosts: they are in the corpus as themselves with role ``host`` and a
  singleton cluster.
* **Same-story groups** (hard negatives): different real articles on the same
  news story (e.g. four "feather duvet lung" pages).  Their origins are always
  crawled; each known group is listed with the members present in ``--pages``
  (at least 2), after checking that their texts really differ.
* **Short articles** (hard negatives, only with 12+ pages and clusters): 10 pages
  (by seed, none from a same-story group) are not used as articles or hosts;
  each one's body is cut to its first paragraphs totalling 40-140 words and
  put into ONE real host page (itself in the corpus as an origin, and host of
  nothing else) at ``https://<host>/briefs/<slug>-<cluster id>``.  Each short
  is a singleton cluster: same template, different (short) texts.
* ``fetched_at``: a crawl day two days after the latest published date, plus
  one minute per record.

truth.json
----------

::

    {
      "seed": 1, "pages_dir": "...", "crawl_started": "2019-11-25T00:00:00Z",
      "clusters": [{
          "id": "c001",
          "type": "syndicated" | "short" | "host_only",
          "origin_url": "...",          # A's real URL (a short's own URL for shorts)
          "origin_crawled": true,       # false: the origin page is not in the corpus
          "publisher": "CNN",           # name used in credit lines, from A's domain
          "title": "...",               # A's title
          "article_sha": "...",         # benchmark file of A
          "members": ["url", ...]       # every corpus page carrying A (origin first
      }],                               # when crawled), the ground truth of matching
      "pages": [{
          "url": "...",
          "cluster": "c001",            # every page belongs to exactly one cluster
          "role": "origin" | "repost" | "host" | "short",
          "kind": "full" | "truncated" | "edited" | "canonical" | null,   # reposts only
          "host_url": "...",            # reposts and shorts: the template twin
          "origin_url": "...",          # the cluster's origin URL (for every page)
          "published": "2019-11-19T14:05:00Z" | "2019-11-19" | null,
          "date_mode": "later" | "missing" | "same_day" | null,          # reposts only
          "title": "...",               # the headline the page shows
          "credit": "Source: CNN" | null,   # the credit line linking to the origin
          "source_sha": "...",          # benchmark file whose HTML the page is made of
          "body": "..."                 # the article text as it appears, paragraphs joined
      }],                               # by "\\n" (without "Advertisement" lines and
                                        # credit lines)
      "same_story_groups": [["url", ...], ...],      # origin URLs, all crawled
      "text_overlap_pairs": [{"clusters": ["c003", "c071"], "urls": [...], "containment": 0.27,
                              "same_story": false}],  # different articles sharing >= 10%
                                                      # of 5-word shingles (boilerplate,
                                                      # quotes): not syndication
      "hosts_refused": {"<sha>": 2}   # host pages refused by transplant (not tried after 2)
    }

Every ``corpus.jsonl`` URL is in ``pages`` exactly once and vice versa; two
pages should be matched iff they are in the same cluster (``members``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import html as html_lib
import itertools
import json
import math
import random
import re
import sys
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence
from urllib.parse import urlsplit

import lxml.html

sys.path.insert(0, str(Path(__file__).resolve().parent))  # transplant.py sits beside this script
from transplant import TransplantError, slugify, straight_quotes, transplant, visible_text  # noqa: E402

__all__ = ["build", "load_pages", "main", "KNOWN_SAME_STORY_GROUPS"]

#: Different articles on the same story in the article-extraction benchmark, by sha256 prefix.
KNOWN_SAME_STORY_GROUPS: dict[str, tuple[str, ...]] = {
    "feather duvet lung": ("7bb1ca903543", "a078b3656adc", "bd673bd79881", "9eef8162bbb6"),
    "doobie brothers 50th anniversary tour": ("9cb8224b660f", "ac1bfdd4c510"),
    "'meth. we're on it' campaign": ("776a1c046798", "c13b9c0e04fb"),
    "plague in china": ("ba4dfe2d3e81", "ea25dd7edff4", "8b1945303082"),
    "hibernating astronauts": ("b37be3535e1f", "e1c7023ee214"),
    "new york man pleads guilty to threatening omar": ("6ebac05f637e", "7a457a4f7173"),
    "google stadia launch": ("680c2848e94a", "8267acacb9e4", "aade2ec8d1e7", "e100c9612ad8"),
    "water vapor on europa": ("686bb170effe", "f344ca5fb36e"),
    "nasa commercial lunar landers": ("c50845a7158a", "d1c57d7821e5"),
    "hong kong protests": ("624fcd903d56", "e4c6a3b48240", "5fa3154ec031"),
    "home depot earnings": ("51374560f400", "f8ff621a0b9b"),
    "sweden drops assange investigation": ("c7e39ac49fa1", "dc7ccccc1f34"),
    "taylor swift and big machine at the amas": ("70cb2d5bca75", "eb62ac8425e5"),
}
#: Same-story members must share less than this share of 5-word shingles (else they would be copies).
SAME_STORY_MAX_CONTAINMENT = 0.5
#: Pairs of different articles sharing at least this share of shingles are listed as text_overlap_pairs.
OVERLAP_MIN_CONTAINMENT = 0.10

KINDS = ("full", "truncated", "edited", "canonical")
DATE_MODES = ("later", "missing", "same_day")
FULL_CREDITS = (
    '<p class="source-link"><a href="{url}">Read the full article here</a></p>',
    '<p class="source-credit">Source: <a href="{url}">{publisher}</a></p>',
    '<p class="source-credit">Originally published at <a href="{url}">{domain}</a></p>',
    '<p class="source-credit">This article first appeared on <a href="{url}">{publisher}</a></p>',
)
TRUNCATED_CREDIT = '<p class="continue-reading"><a href="{url}">Continue reading at {domain}</a></p>'
EDIT_PREFIXES = ("Report:", "Update:", "Latest:", "Explained:", "Breaking:")
EDIT_INTROS = (
    "This story was shared with our readers by our partners.",
    "The following report was provided by one of our partner publications.",
    "We are sharing this article from a content partner with our readers.",
    "Here is a story our editors think you should read today.",
)
AD_LINE = "Advertisement"
SHORT_MIN_WORDS = 40
SHORT_MAX_WORDS = 140
FALLBACK_DATE = dt.datetime(2019, 11, 1, 12, 0, tzinfo=dt.timezone.utc)
_DATE_PARAMS = {"original_date": True, "extensive_search": False, "outputformat": "%Y-%m-%dT%H:%M:%S%z"}
_WS_KEY = re.compile(r"[\s\u00ad\u200b-\u200d\u2060\ufeff]+")


# --------------------------------------------------------------------------
# Input pages
# --------------------------------------------------------------------------


@dataclass
class SourcePage:
    """A real page of ``--pages`` with what the generator needs to know about it."""

    sha: str
    url: str
    html: str
    paragraphs: list[str]
    title: str = ""
    publisher: str = ""
    published: dt.datetime | None = None  # UTC
    has_time: bool = False

    @property
    def netloc(self) -> str:
        return urlsplit(self.url).netloc

    @property
    def domain(self) -> str:
        host = (urlsplit(self.url).hostname or "unknown").lower()
        return host[4:] if host.startswith("www.") else host

    @property
    def body(self) -> str:
        return "\n".join(self.paragraphs)

    @property
    def published_iso(self) -> str | None:
        if self.published is None:
            return None
        if not self.has_time:
            return self.published.strftime("%Y-%m-%d")
        return _iso(self.published)


def _iso(when: dt.datetime) -> str:
    return when.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _paragraphs(article_body: str) -> list[str]:
    return [p.strip() for p in article_body.split("\n") if _WS_KEY.sub("", p)]


def _alnum(text: str) -> str:
    return re.sub(r"[\W_]+", "", text).lower()


def load_pages(pages_dir: Path) -> list[SourcePage]:
    """Pages of ``pages_dir`` (``html/<sha>.html.gz`` or ``<sha>.html.gz``) with a non-empty articleBody, by sha."""
    pages_dir = Path(pages_dir)
    truth = json.loads((pages_dir / "ground-truth.json").read_text(encoding="utf-8"))
    html_dir = pages_dir / "html" if (pages_dir / "html").is_dir() else pages_dir
    pages = []
    for key in sorted(truth):
        sha = key.removesuffix(".html.gz")
        path = html_dir / f"{sha}.html.gz"
        paragraphs = _paragraphs(truth[key].get("articleBody") or "")
        if not path.exists() or not paragraphs:
            continue
        html = gzip.decompress(path.read_bytes()).decode("utf-8")
        pages.append(SourcePage(sha, truth[key]["url"], html, paragraphs))
    urls = [p.url for p in pages]
    if len(set(urls)) != len(urls):
        raise ValueError(f"{pages_dir}: two pages share a URL")
    return pages


def _add_metadata(page: SourcePage) -> None:
    """Title, publisher and published date of a page, read with trafilatura."""
    from trafilatura import bare_extraction

    doc = bare_extraction(page.html, url=page.url, with_metadata=True, date_extraction_params=_DATE_PARAMS)
    date = getattr(doc, "date", None) if doc is not None else None
    if not date:  # the time-aware search occasionally finds nothing where the default one does
        plain = bare_extraction(page.html, url=page.url, with_metadata=True)
        date = getattr(plain, "date", None) if plain is not None else None
    sitename = (getattr(doc, "sitename", None) or "") if doc is not None else ""
    page.publisher = _publisher(page.domain, sitename)
    page.title = _clean_title((getattr(doc, "title", None) or "") if doc is not None else "", sitename, page)
    page.published, page.has_time = _parse_date(date, page.sha)


def _parse_date(value: str | None, sha: str) -> tuple[dt.datetime, bool]:
    if value:
        for fmt in ("%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"):
            try:
                when = dt.datetime.strptime(value, fmt)
            except ValueError:
                continue
            if when.tzinfo is None:
                when = when.replace(tzinfo=dt.timezone.utc)
            when = when.astimezone(dt.timezone.utc)
            has_time = fmt != "%Y-%m-%d" and not (value.endswith("T00:00:00") and when.hour == when.minute == 0)
            return when, has_time
    # no date on the page: a fixed day of November 2019, from the sha
    return FALLBACK_DATE + dt.timedelta(days=int(sha[:8], 16) % 20), True


def _publisher(domain: str, sitename: str) -> str:
    """A publisher name: the page's site name when it matches its domain, else the domain's stem."""
    site = " ".join(sitename.split())
    key = _alnum(site)
    keys = {key, key[3:] if key.startswith("the") and len(key) > 6 else key}
    if key and len(site) <= 40 and "http" not in site.lower() and any(k in _alnum(domain) for k in keys):
        return site
    labels = domain.split(".")
    stem = labels[-2] if len(labels) >= 2 else labels[0]
    if len(labels) >= 3 and labels[-2] in ("co", "com", "org", "net", "ac", "gov") and len(labels[-1]) == 2:
        stem = labels[-3]
    return stem.upper() if len(stem) <= 4 else stem.capitalize()


def _clean_title(title: str, sitename: str, page: SourcePage) -> str:
    """trafilatura's title without a trailing site name (or the ``<title>`` when that says more);
    the body's first words if there is no real title."""
    site_keys = {k for k in (_alnum(sitename), _alnum(page.domain.rsplit(".", 1)[0])) if k}

    def is_site(part: str) -> bool:
        k = _alnum(part)
        return bool(k) and any(
            k == s or (len(k) >= 4 and k in s) or (s in k and len(k) <= len(s) + 14) for s in site_keys
        )

    def strip_site(text: str) -> str:
        parts = re.split(r"(\s+[|\u2013\u2014-]\s+)", " ".join(text.split()))
        while len(parts) >= 3 and is_site(parts[-1]):
            parts = parts[:-2]
        return "".join(parts).strip()

    title = strip_site(title)
    if len(title.split()) < 3:
        m = re.search(r"<title[^>]*>(.*?)</title>", page.html, re.I | re.S)
        head_title = strip_site(html_lib.unescape(m.group(1))) if m else ""
        if len(head_title.split()) > len(title.split()) and not is_site(head_title):
            title = head_title
    if not _alnum(title) or (sitename and _alnum(title) == _alnum(sitename)):
        words = page.paragraphs[0].split()
        title = " ".join(words[:10]) + ("\u2026" if len(words) > 10 else "")
    return title


# --------------------------------------------------------------------------
# Text helpers
# --------------------------------------------------------------------------


def _shingles(text: str, n: int = 5) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + n]) for i in range(max(0, len(words) - n + 1))}


def _containment(a: set, b: set) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def _short_paragraphs(paragraphs: Sequence[str], max_words: int) -> list[str] | None:
    """The longest run of first paragraphs totalling at most ``max_words`` words, if it has 40+ words."""
    out: list[str] = []
    total = 0
    for para in paragraphs:
        n = len(para.split())
        if total + n > max_words:
            break
        out.append(para)
        total += n
    return out if total >= SHORT_MIN_WORDS else None


def _edit_title(title: str, rng: random.Random) -> str:
    title = straight_quotes(title)
    m = re.match(r"^(.{8,}?)(?::\s+|\s+[\u2013\u2014-]\s+)(.{8,})$", title)
    if m and rng.random() < 0.5:  # swap the two halves
        second = m.group(2).rstrip(".")
        return f"{second[0].upper()}{second[1:]}: {m.group(1)}"
    return f"{rng.choice(EDIT_PREFIXES)} {title}"


def _slug(title: str, limit: int = 70) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    slug = slugify(ascii_title) or "article"
    if len(slug) > limit:
        slug = slug[: limit + 1].rsplit("-", 1)[0]
    return slug


# --------------------------------------------------------------------------
# The benchmark
# --------------------------------------------------------------------------


@dataclass
class Cluster:
    id: str
    type: str
    article: SourcePage
    origin_url: str
    origin_crawled: bool
    members: list[str]


def _same_story_groups(pages: Sequence[SourcePage]) -> list[list[SourcePage]]:
    """Known same-story groups restricted to the given pages (2+ members), checked to be different texts."""
    groups = []
    for name, prefixes in KNOWN_SAME_STORY_GROUPS.items():
        members = [p for prefix in prefixes for p in pages if p.sha.startswith(prefix)]
        if len(members) < 2:
            continue
        for a, b in itertools.combinations(members, 2):
            c = _containment(_shingles(a.body), _shingles(b.body))
            if c >= SAME_STORY_MAX_CONTAINMENT:
                raise ValueError(f"same-story group {name!r}: {a.sha[:12]} and {b.sha[:12]} share {c:.0%} of their text")
        groups.append(members)
    return groups


def _repost_date(article: SourcePage, mode: str, rng: random.Random) -> str | None:
    base = article.published or FALLBACK_DATE
    if mode == "missing":
        return None
    if mode == "later":
        return _iso(base + dt.timedelta(minutes=rng.randint(2 * 60, 72 * 60)))
    # same day: the date alone (time 00:00), or the same date at another time
    if rng.random() < 0.5:
        return base.strftime("%Y-%m-%d")
    while True:
        when = base.replace(hour=rng.randint(0, 23), minute=rng.randint(0, 59), second=0)
        if when != base:
            return _iso(when)


def _repost_content(
    article: SourcePage, kind: str, rng: random.Random
) -> tuple[str, list[str], list[str], list[str], str | None, str | None]:
    """(title, paragraphs to transplant, body paragraphs, extra_after snippets, credit text, canonical)."""
    href = html_lib.escape(article.url, quote=True)
    fmt = {"url": href, "publisher": html_lib.escape(article.publisher), "domain": html_lib.escape(article.domain)}
    paras = list(article.paragraphs)
    if kind == "full":
        snippet = rng.choice(FULL_CREDITS).format(**fmt)
        return article.title, paras, paras, [snippet], _snippet_text(snippet), None
    if kind == "truncated":
        half = max(2, math.ceil(len(paras) / 2))
        snippet = TRUNCATED_CREDIT.format(**fmt)
        return article.title, paras[:half], paras[:half], [snippet], _snippet_text(snippet), None
    if kind == "canonical":
        return article.title, paras, paras, [], None, article.url
    if kind == "edited":
        if len(paras) >= 5:
            del paras[rng.randint(1, len(paras) - 2)]
        body = [rng.choice(EDIT_INTROS)] + [straight_quotes(p) for p in paras]
        shown = list(body)
        gaps = list(range(2, len(body))) if len(body) >= 4 else list(range(1, len(body)))
        for pos in sorted(rng.sample(gaps, min(2, len(gaps))), reverse=True):
            shown.insert(pos, AD_LINE)
        return _edit_title(article.title, rng), shown, body, [], None, None
    raise ValueError(f"unknown kind {kind!r}")


def _snippet_text(snippet: str) -> str:
    return html_lib.unescape(re.sub(r"<[^>]+>", "", snippet)).strip()


def _applicable_kinds(article: SourcePage) -> list[str]:
    n = len(article.paragraphs)
    return [k for k in KINDS if (k != "truncated" or n >= 4) and (k != "edited" or n >= 2)]


def build(pages_dir: Path | str, out_dir: Path | str, seed: int = 1, max_clusters: int | None = None) -> dict:
    """Write ``corpus.jsonl`` and ``truth.json`` into ``out_dir``; return the truth (see the module docstring)."""
    pages_dir, out_dir = Path(pages_dir), Path(out_dir)
    rng = random.Random(seed)
    pages = load_pages(pages_dir)
    if len(pages) < 3:
        raise ValueError(f"{pages_dir}: need at least 3 pages with an articleBody, found {len(pages)}")
    for page in pages:
        _add_metadata(page)

    groups = _same_story_groups(pages)
    in_group = {p.sha for g in groups for p in g}

    # 1. Short-article sources (not articles, not hosts, not in the corpus).
    short_sources: list[SourcePage] = []
    scale = len(pages) if max_clusters is None else min(len(pages), max_clusters)
    if scale >= 12:
        n_short = 10 if scale >= 60 else max(2, scale // 6)
        eligible = [p for p in pages if p.sha not in in_group and _short_paragraphs(p.paragraphs, SHORT_MAX_WORDS)]
        short_sources = rng.sample(eligible, min(n_short, len(eligible)))
    reserved = {p.sha for p in short_sources}

    # 2. Cluster articles.  With --max-clusters: whole same-story groups for up to half of them, then other pages.
    rest = [p for p in pages if p.sha not in reserved]
    rng.shuffle(rest)
    if max_clusters is not None:
        chosen: list[SourcePage] = []
        for g in rng.sample(groups, len(groups)):
            if len(chosen) + len(g) <= max_clusters // 2:
                chosen += g
        chosen_shas = {p.sha for p in chosen}
        chosen += [p for p in rest if p.sha not in in_group][: max_clusters - len(chosen)]
        chosen += [p for p in rest if p.sha in in_group and p.sha not in chosen_shas][: max_clusters - len(chosen)]
        chosen_shas = {p.sha for p in chosen}
        articles, spares = chosen, [p for p in rest if p.sha not in chosen_shas]
    else:
        articles, spares = rest, []
    rng.shuffle(articles)
    article_shas = {p.sha for p in articles}
    groups = [[p for p in g if p.sha in article_shas] for g in groups]
    groups = [g for g in groups if len(g) >= 2]
    in_group = {p.sha for g in groups for p in g}

    # 3. Short articles, all on one host's template (the first candidate that takes them all).
    short_host: SourcePage | None = None
    short_pages: list[tuple[SourcePage, str, str, list[str]]] = []  # (source, url, html, paragraphs)
    if short_sources:
        cuts = []
        for src in short_sources:
            paras = _short_paragraphs(src.paragraphs, rng.randint(60, SHORT_MAX_WORDS))
            cuts.append(paras or _short_paragraphs(src.paragraphs, SHORT_MAX_WORDS))
        candidates = [p for p in articles if p.sha not in in_group] or list(articles)
        for host in rng.sample(candidates, len(candidates)):
            try:
                short_pages = []
                for n, (src, paras) in enumerate(zip(short_sources, cuts)):
                    cid = f"c{len(articles) + n + 1:03d}"
                    url = f"https://{host.netloc}/briefs/{_slug(src.title)}-{cid}"
                    html = _transplant_checked(
                        host, title=src.title, paragraphs=paras, url=url, published=src.published_iso, canonical=url
                    )
                    short_pages.append((src, url, html, paras))
            except TransplantError:
                continue
            short_host = host
            break
        else:
            short_pages = []  # no page takes them all: no short articles

    # 4. The origins left out.
    n_missing = round(0.2 * len(articles)) if len(articles) >= 3 else 0
    eligible = [p for p in articles if p.sha not in in_group and p is not short_host]
    not_crawled = {p.sha for p in rng.sample(eligible, min(n_missing, len(eligible)))}

    clusters: list[Cluster] = []
    page_rows: list[dict[str, Any]] = []
    records: list[tuple[str, str]] = []  # (url, html)

    def unmodified(page: SourcePage, cluster: Cluster, role: str) -> None:
        cluster.members.append(page.url)
        records.append((page.url, page.html))
        page_rows.append(
            {
                "url": page.url, "cluster": cluster.id, "role": role, "kind": None, "host_url": None,
                "origin_url": cluster.origin_url, "published": page.published_iso, "date_mode": None,
                "title": page.title, "credit": None, "source_sha": page.sha, "body": page.body,
            }
        )

    for i, page in enumerate(articles, start=1):
        crawled = page.sha not in not_crawled
        cluster = Cluster(f"c{i:03d}", "syndicated", page, page.url, crawled, [])
        clusters.append(cluster)
        if crawled:
            unmodified(page, cluster, "origin")

    # 5. Reposts.
    max_reposts = 4 if len(articles) >= 20 else 2
    kind_count = {k: 0 for k in KINDS}
    usage: dict[str, int] = {}
    hosts = [p for p in articles if p.sha not in not_crawled and p is not short_host]
    spare_shas = {p.sha for p in spares}
    spare_used: list[SourcePage] = []
    refused: dict[str, int] = {}  # host sha -> refusals; a host refused twice is not tried again
    for cluster in list(clusters):
        article = cluster.article
        n = rng.randint(2 if not cluster.origin_crawled else 1, max_reposts)
        kinds = _applicable_kinds(article)
        rng.shuffle(kinds)
        kinds.sort(key=lambda k: kind_count[k])
        used_here: set[str] = set()
        for kind in kinds[:n]:
            content = _repost_content(article, kind, rng)
            mode = rng.choice(DATE_MODES)
            published = _repost_date(article, mode, rng)
            ok = [
                h for h in hosts
                if h.sha != article.sha and h.domain != article.domain and h.domain not in used_here
                and refused.get(h.sha, 0) < 2
            ]
            spare = [
                h for h in spares
                if h.domain != article.domain and h.domain not in used_here and refused.get(h.sha, 0) < 2
            ]
            rng.shuffle(ok)
            rng.shuffle(spare)
            candidates = sorted(ok, key=lambda h: usage.get(h.sha, 0)) + sorted(spare, key=lambda h: usage.get(h.sha, 0))
            made = _place_repost(cluster, article, kind, content, published, candidates, refused)
            if made is None:
                continue
            host, url, html = made
            used_here.add(host.domain)  # one repost per site and cluster
            usage[host.sha] = usage.get(host.sha, 0) + 1
            kind_count[kind] += 1
            if host.sha in spare_shas and host not in spare_used:
                spare_used.append(host)
            title, _shown, body, _extra, credit, _canonical = content
            cluster.members.append(url)
            records.append((url, html))
            page_rows.append(
                {
                    "url": url, "cluster": cluster.id, "role": "repost", "kind": kind, "host_url": host.url,
                    "origin_url": cluster.origin_url, "published": published, "date_mode": mode,
                    "title": title, "credit": credit, "source_sha": host.sha, "body": "\n".join(body),
                }
            )
    for cluster in clusters:  # (never with enough hosts) too few reposts placed: crawl the origin after all
        if not cluster.origin_crawled and len(cluster.members) < 2:
            cluster.origin_crawled = True
            unmodified(cluster.article, cluster, "origin")
            cluster.members.insert(0, cluster.members.pop())

    # 6. The short articles, then the pages used only as hosts (with --max-clusters): singletons.
    for src, url, html, paras in short_pages:
        cid = f"c{len(clusters) + 1:03d}"
        assert short_host is not None and url.endswith(f"-{cid}")
        clusters.append(Cluster(cid, "short", src, url, True, [url]))
        records.append((url, html))
        page_rows.append(
            {
                "url": url, "cluster": cid, "role": "short", "kind": None, "host_url": short_host.url,
                "origin_url": url, "published": src.published_iso, "date_mode": None,
                "title": src.title, "credit": None, "source_sha": short_host.sha, "body": "\n".join(paras),
            }
        )
    for host in sorted(spare_used, key=lambda p: p.sha):
        cluster = Cluster(f"c{len(clusters) + 1:03d}", "host_only", host, host.url, True, [])
        clusters.append(cluster)
        unmodified(host, cluster, "host")

    # 7. Crawl records: shuffled, fetched after every published date.
    latest = max(
        dt.datetime.fromisoformat(r["published"].replace("Z", "+00:00")).replace(tzinfo=dt.timezone.utc).date()
        for r in page_rows
        if r["published"]
    )
    crawl_start = dt.datetime.combine(latest + dt.timedelta(days=2), dt.time(0, 0), tzinfo=dt.timezone.utc)
    rng.shuffle(records)
    lines = [
        _jsonl({"url": url, "html": html, "fetched_at": _iso(crawl_start + dt.timedelta(minutes=i))})
        for i, (url, html) in enumerate(records)
    ]
    order = {url: i for i, (url, _html) in enumerate(records)}
    if len(order) != len(records):
        raise RuntimeError("two corpus pages share a URL")
    page_rows.sort(key=lambda r: (r["cluster"], r["role"] != "origin", order[r["url"]]))

    truth = {
        "seed": seed,
        "pages_dir": str(pages_dir),
        "crawl_started": _iso(crawl_start),
        "clusters": [
            {
                "id": c.id, "type": c.type, "origin_url": c.origin_url, "origin_crawled": c.origin_crawled,
                "publisher": c.article.publisher, "title": c.article.title, "article_sha": c.article.sha,
                "members": c.members,
            }
            for c in clusters
        ],
        "pages": page_rows,
        "same_story_groups": [[p.url for p in g] for g in groups],
        "text_overlap_pairs": _overlap_pairs(clusters, page_rows, groups),
        "hosts_refused": {sha: n for sha, n in sorted(refused.items())},
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "corpus.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (out_dir / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return truth


def _transplant_checked(host: SourcePage, *, title: str, **kwargs: Any) -> str:
    """:func:`transplant` into ``host``, also refusing a page whose headline was not replaced
    (the new title not visible, or an ``<h1>`` still showing the host's title)."""
    html = transplant(host.html, host_paragraphs=host.paragraphs, host_url=host.url, title=title, **kwargs)
    doc = lxml.html.document_fromstring(html)
    host_title = _WS_KEY.sub("", host.title)
    if any(_WS_KEY.sub("", h1.text_content()) == host_title for h1 in doc.iter("h1")):
        raise TransplantError(f"the host's headline {host.title!r} is still an <h1>")
    if _WS_KEY.sub("", title) not in _WS_KEY.sub("", visible_text(doc)):
        raise TransplantError("the new headline is not visible")
    return html


def _jsonl(record: dict) -> str:
    """One JSON line, UTF-8 as is, but with U+0085, U+2028 and U+2029 escaped (line breaks to some readers)."""
    line = json.dumps(record, ensure_ascii=False)
    return line.replace("\x85", "\\u0085").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _place_repost(
    cluster: Cluster,
    article: SourcePage,
    kind: str,
    content: tuple[str, list[str], list[str], list[str], str | None, str | None],
    published: str | None,
    candidates: Sequence[SourcePage],
    refused: dict[str, int],
) -> tuple[SourcePage, str, str] | None:
    """Transplant the repost into the first host that takes it: (host, url, html); counts refusals in ``refused``."""
    title, shown, _body, extra, _credit, canonical = content
    for host in candidates:
        url = f"https://{host.netloc}/syndicated/{_slug(article.title)}-{cluster.id}"
        try:
            html = _transplant_checked(
                host, title=title, paragraphs=shown, url=url, published=published, extra_after=extra,
                canonical=canonical or url,
            )
        except TransplantError:
            refused[host.sha] = refused.get(host.sha, 0) + 1
            continue
        return host, url, html
    return None


def _overlap_pairs(clusters: Sequence[Cluster], rows: Sequence[dict], groups: Sequence[Sequence[SourcePage]]) -> list[dict]:
    """Pairs of clusters whose (different) texts share >= OVERLAP_MIN_CONTAINMENT of their shingles."""
    short_text = {row["cluster"]: row["body"] for row in rows if row["role"] == "short"}
    shingles = {c.id: _shingles(short_text.get(c.id, c.article.body)) for c in clusters}
    same_story = {frozenset((a.sha, b.sha)) for g in groups for a, b in itertools.combinations(g, 2)}
    out = []
    for a, b in itertools.combinations(clusters, 2):
        c = _containment(shingles[a.id], shingles[b.id])
        if c >= OVERLAP_MIN_CONTAINMENT:
            out.append(
                {
                    "clusters": [a.id, b.id], "urls": [a.origin_url, b.origin_url], "containment": round(c, 3),
                    "same_story": frozenset((a.article.sha, b.article.sha)) in same_story,
                }
            )
    return out


def summary(truth: dict, out_dir: Path, seconds: float) -> str:
    pages = truth["pages"]
    roles = {r: sum(p["role"] == r for p in pages) for r in ("origin", "repost", "host", "short")}
    kinds = {k: sum(p["kind"] == k for p in pages) for k in KINDS}
    modes = {m: sum(p["date_mode"] == m for p in pages) for m in DATE_MODES}
    types = {t: sum(c["type"] == t for c in truth["clusters"]) for t in ("syndicated", "short", "host_only")}
    missing = sum(not c["origin_crawled"] for c in truth["clusters"])
    size = (out_dir / "corpus.jsonl").stat().st_size / 1e6
    return (
        f"{len(pages)} pages ({roles['origin']} origins, {roles['repost']} reposts "
        f"[{', '.join(f'{k} {v}' for k, v in kinds.items())}], {roles['short']} short articles, "
        f"{roles['host']} host-only pages) in {len(truth['clusters'])} clusters ({types['syndicated']} syndicated, "
        f"{types['short']} short singletons, {types['host_only']} host-only singletons); "
        f"{missing} of {types['syndicated']} origins not crawled; repost dates: "
        f"{', '.join(f'{m} {v}' for m, v in modes.items())}; {len(truth['same_story_groups'])} same-story groups "
        f"({sum(len(g) for g in truth['same_story_groups'])} pages); {len(truth['text_overlap_pairs'])} "
        f"text-overlap pairs; {len(truth['hosts_refused'])} host page(s) refused by transplant; "
        f"corpus.jsonl {size:.1f} MB; seed {truth['seed']}; {seconds:.0f} s."
    )


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=Path, required=True, help="folder with ground-truth.json and (html/)*.html.gz")
    ap.add_argument("--out", type=Path, required=True, help="output folder (corpus.jsonl, truth.json)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--max-clusters", type=int, default=None, help="at most this many syndicated clusters")
    args = ap.parse_args(argv)
    if not (args.pages / "ground-truth.json").is_file():
        ap.error(f"no ground-truth.json in {args.pages}: the real pages are in ../shared/corpora, not in the repository")
    start = time.monotonic()
    truth = build(args.pages, args.out, seed=args.seed, max_clusters=args.max_clusters)
    print(summary(truth, args.out, time.monotonic() - start))
    return 0


if __name__ == "__main__":
    sys.exit(main())
