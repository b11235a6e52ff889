#!/usr/bin/env python3
"""Real crawl: what syndicate makes of a crawl of real pages that are mostly NOT copies of each other.

Measures, from one ``syndicate scan`` of the corpus into a fresh database in
a temporary folder (as ``accuracy.py`` runs it), scored through the
documented SQL (``documents``, ``matches``, ``clusters``, ``origins``, the
``syndication`` view), each figure with its count:

1. **Independent real pages must not match**: every real page of the three
   collections as itself (exact byte duplicates dropped). Figure: false pairs
   among them -- pairs in ``matches`` with a clustering kind (``duplicate``,
   ``partial``, ``alias``, or the database's ``cluster_kinds`` setting) or
   rows of ``syndication`` between two of them -- not counting the pairs whose
   true texts (the benchmark's ``articleBody``, readability's expected
   article) are one text (half the smaller's 5-word shingles, or 40% of its
   word trigrams, in the other: readability's lorem-ipsum fixtures, a page
   saved twice): duplicates in the data, counted on their own line.
2. **Walls**: each real wall text of ``tests/data/walls/texts.json`` (21), as
   its lines (the line with the original page's headline replaced by the new
   page's), put into the article slot of two pages of one real host site
   (two different real pages of the site where the collection has them)
   under different real headlines; 5 of them also on two more sites.
   Figures: wall pages stored as ``no_article``, walls detected (with a wall
   ``status_reason``; and the expected one), wall pairs matched, wall pages
   in a cluster or in ``syndication`` (all must be 0). Also real articles
   whose copy on another site has a real wall line (``lines.json``) before
   its lead: the copy must still match its original.
3. **Template stories** (``tests/data/templates/*.json``: one robo-written
   frame filled for several companies, games, states): two fills of a frame
   on one real host site, the others each on another site. Figures: template
   pairs reported as copies (clustering kinds or ``syndication`` rows; must
   be 0), template pairs stored as kind ``template``; and a verbatim copy of
   one fill per frame on another site, with a "Source:" credit line linking
   to it, which must match it.
4. **URL variants**: real pages also crawled at ``https://amp.<host>/...``
   (even groups) or ``.../amp`` (odd), the page with ``<link rel=canonical>``
   to the original, and at ``?utm_source=newsletter&utm_medium=email`` and
   ``#comments`` (the page's bytes with a served-at comment added). Figures:
   variant groups joined (one document, or one cluster joined by ``alias``
   matches), ``syndication`` rows between variants of one page (must be 0),
   groups whose cluster origin is the canonical page.
5. **Origins when dates lie**: real articles whose copy on an aggregator --
   one real host site reposting many real articles inside its chrome, 3n+4
   of them with a "Read the full article here" link to their source for n
   test copies, so that over 75% of its other pages point elsewhere and the
   database sees it as a reposter -- does NOT link back and carries a date 1-3
   days OLDER than the origin's; every other one also has a normal copy on a
   third site dated 2-48 h after the time the origin page declares. Figure:
   origin accuracy on these clusters (target >= 0.95), with how many
   aggregator copies the database dates earlier. And wire copy: real
   articles whose every copy (two or three sites; the real original page is
   left out of the corpus) starts with a real-form dateline (``NEW YORK (AP)
   —``, ``LONDON (Reuters) -``, ``WASHINGTON, Jan. 5, 2024 /PRNewswire/ --``,
   ``SAN FRANCISCO--(BUSINESS WIRE)--``) and no agency page is stored.
   Figure: clusters attributed to the agency (``origins.publisher`` naming
   it, ``origin_domain`` the agency's site or NULL).

Besides these: every other unexpected pair (a clustering match or
``syndication`` row between two pages that do not carry one article, e.g. a
built page and the real page whose chrome it was built in) and the expected
pairs found in one cluster. Below the table, the pairs and pages behind each
figure that misses its target (``--json``: all of them).

Data: ``../shared/corpora`` beside the clone, not in the repository:
``article-extraction-benchmark/`` (131 real news pages and their true article
text, MIT License), ``readability-test-pages/*/source.html.gz`` (130, with
their expected article) and ``trafilatura-test-pages/*.gz`` (111, one of them an empty
file, left out; Apache License 2.0); and, in the repository, ``tests/data/walls`` and
``tests/data/templates``. Every page made here is a real page: articles are
put into other real pages with ``transplant.transplant`` (the host's chrome
kept), so the host page itself, in the corpus as an independent page, is a
template twin of each page built in it. A page's URL is its crawl record's:
the benchmark's URL, else the page's ``og:url`` or absolute canonical link,
else one made from its file name (``https://www.<name>.example/``). The corpus
(636 pages for seed 1, 100 MB) is deterministic by ``--seed``.

Time on 2 cores: about 45 s (about 12 s building the corpus, 15-30 s
scanning, a few seconds scoring); ``accuracy.py`` runs it after its own table
unless given ``--no-realcrawl``.

Run::

    python benchmarks/realcrawl.py --shared ../shared/corpora [--seed 1] [--workers 2] [--json] [--out /tmp/rc]

``--out DIR`` keeps ``corpus.jsonl``, ``truth.json`` and the database. In
Python: ``build(load_shared(root), out_dir, seed)`` writes the corpus and
returns its truth; ``run_scan`` and ``score`` scan and score it; ``run``
does all three. ``tests/test_realcrawl.py`` runs a small version built from
the repository's own pages (``load_repository``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import hashlib
import html as html_lib
import itertools
import json
import math
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence
from urllib.parse import urljoin, urlsplit, urlunsplit

import lxml.html

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))  # corpus.py and transplant.py sit beside this script
from corpus import (FALLBACK_DATE, SourcePage, _add_metadata, _iso, _jsonl, _paragraphs, _slug,  # noqa: E402
                    _transplant_checked, load_pages)
from transplant import TransplantError  # noqa: E402

__all__ = ["FULL", "Scale", "Sources", "build", "duplicates_in_data", "load_repository", "load_shared", "main", "report",
           "run", "run_scan", "score", "table"]

DEFAULT_SHARED = ROOT.parent / "shared" / "corpora"
WALLS = ROOT / "tests" / "data" / "walls"
TEMPLATES = ROOT / "tests" / "data" / "templates"
COLLECTIONS = ("article-extraction-benchmark", "readability-test-pages", "trafilatura-test-pages")

CLUSTER_KINDS = ("duplicate", "partial", "alias")
"""The kinds of match that join clusters (docs/sql.md), unless the database's settings name others (``cluster_kinds``)."""
WALL_REASONS = ("paywall", "registration", "adblock", "consent", "error_page", "javascript", "age_gate")
CRAWL_START = dt.datetime(2025, 3, 1, tzinfo=dt.timezone.utc)  # after every date the pages carry
AGGREGATOR_LINK = '<p class="source-link"><a href="{url}">Read the full article here</a></p>'
TEMPLATE_CREDIT = '<p class="source-credit">Source: <a href="{url}">{publisher}</a></p>'
UTM = "utm_source=newsletter&utm_medium=email"

#: (agency as origins.publisher should name it, its sites, dateline forms: {place} and {date} filled).
AGENCIES = (
    ("The Associated Press", ("apnews.com", "ap.org"), "{place} (AP) \u2014 ",
     ("NEW YORK", "WASHINGTON", "CHICAGO", "LOS ANGELES")),
    ("Reuters", ("reuters.com",), "{place} (Reuters) - ", ("LONDON", "WASHINGTON", "NEW YORK", "SINGAPORE")),
    ("PR Newswire", ("prnewswire.com",), "{place}, {date} /PRNewswire/ -- ", ("WASHINGTON", "NEW YORK", "CHICAGO")),
    ("Business Wire", ("businesswire.com",), "{place}--(BUSINESS WIRE)--", ("SAN FRANCISCO", "BOSTON", "SEATTLE")),
)
#: Pages that already name a source (an agency dateline, a credit line) are not used where the page must be the origin.
_NAMES_A_SOURCE = re.compile(
    r"\((?:AP|Reuters|REUTERS|AFP|CNN|PTI|IANS|ANI|UPI|Bloomberg|dpa|EFE|Xinhua)\)|/PRNewswire|BUSINESS WIRE|GLOBE NEWSWIRE"
    r"|Associated Press|Reuters|Agence France|\bAFP\b|\bPTI\b|\bIANS\b|contributed to this report|originally published"
    r"|first appeared|[Cc]ontinue reading|^\s*(?:Source|Via|Courtesy)\b",
    re.M,
)
_TLDS = frozenset("de com at fr ch org net eu info me co uk io blog fm tv".split())
_MONTHS_AP = ("Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.")


# --------------------------------------------------------------------------
# Sources
# --------------------------------------------------------------------------


@dataclass
class Other:
    """A real page that is in the corpus as itself only (no article of a case, no host: its true text may be unknown)."""

    name: str
    url: str
    html: str
    text: str | None = None  # the true article text, when known (readability's expected article)


@dataclass
class Sources:
    """The real material a corpus is built from."""

    pages: list[SourcePage]  # real pages with their true article: independent pages, articles, hosts
    others: list[Other] = field(default_factory=list)  # more real pages, as themselves only
    bodies: list[tuple[str, list[str]]] = field(default_factory=list)  # (url, paragraphs) of articles not crawled
    walls: list[dict] = field(default_factory=list)  # tests/data/walls/texts.json, kind "wall"
    wall_lines: list[dict] = field(default_factory=list)  # tests/data/walls/lines.json, a notice's line
    frames: list[dict] = field(default_factory=list)  # tests/data/templates/<frame>.json
    dropped: list[str] = field(default_factory=list)  # byte duplicates and empty files left out
    label: str = ""


@dataclass(frozen=True)
class Scale:
    """How many cases of each kind (a case is skipped when the sources run out)."""

    wire: int = 10
    dates: int = 20
    variants: int = 20
    edge: int = 5
    walls: int = 21
    walls_multi: int = 5  # walls also put on two more sites
    frames: int = 6
    fills: int = 6  # fills per frame at most


FULL = Scale()


def _decode(raw: bytes) -> str:
    """A page's bytes as text: UTF-8, else the charset it declares, else cp1252."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    m = re.search(rb"""charset\s*=\s*["']?([\w.:-]+)""", raw[:8192], re.I)
    for charset in ([m.group(1).decode("ascii", "replace")] if m else []) + ["cp1252"]:
        try:
            return raw.decode(charset, errors="replace")
        except LookupError:
            continue
    return raw.decode("latin-1")


def _absolute(value: str | None) -> str | None:
    value = (value or "").strip()
    return value if re.match(r"^https?://[^/\s]+", value, re.I) else None


def page_url(name: str, html: str, fallback_host: str) -> str:
    """The URL a crawl would record for a saved page: its og:url, else its canonical link, else one from its name."""
    try:
        doc = lxml.html.document_fromstring(html.encode("utf-8"))
    except Exception:  # noqa: BLE001 -- an unparseable page gets a made-up URL
        doc = None
    og = doc.xpath('//meta[@property="og:url"]/@content') if doc is not None else []
    canonical = doc.xpath('//link[@rel="canonical"]/@href') if doc is not None else []
    for value in og[:1] + canonical[:1]:
        if _absolute(value):
            return value.strip()
    base = f"https://{fallback_host}/"
    for value in canonical[:1]:
        value = value.strip()
        if value.startswith("/") and not value.startswith("//"):
            return urljoin(base, value)
    return base if fallback_host.count("/") == 0 else f"https://{fallback_host}"


def _trafilatura_host(name: str) -> str:
    """``schleifen.ucoz.de.briefe`` -> ``schleifen.ucoz.de/briefe``: the host the file name starts with."""
    parts = name.split(".")
    for i in range(1, len(parts)):
        if parts[i] in _TLDS:
            host, rest = ".".join(parts[: i + 1]), ".".join(parts[i + 1 :])
            return host + (f"/{rest}" if rest else "")
    return f"www.{re.sub(r'[^a-z0-9-]+', '-', name.lower())}.example"


def _text_of(expected_html: str) -> str:
    """The text of an article as readability's test suite expects it (its ``expected.html``)."""
    if not expected_html.strip():
        return ""
    return " ".join(lxml.html.fragment_fromstring(expected_html, create_parent="div").text_content().split())


def _shingles(text: str, n: int = 5) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + n]) for i in range(max(0, len(words) - n + 1))}


def _containments(sets: dict[str, set], max_pages: int) -> dict[tuple[str, str], float]:
    """Share of the smaller set found in the other, for every pair sharing an item held by at most ``max_pages``."""
    index: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for url, items in sets.items():
        for item in items:
            index[item].append(url)
    shared: dict[tuple[str, str], int] = defaultdict(int)
    for urls in index.values():
        if len(urls) <= max_pages:
            for a, b in itertools.combinations(urls, 2):
                shared[(a, b)] += 1
    return {(a, b): n / min(len(sets[a]), len(sets[b])) for (a, b), n in shared.items()}


def duplicates_in_data(texts: dict[str, str], min_containment: float = 0.5, min_trigrams: float = 0.4
                       ) -> list[tuple[str, str, float]]:
    """Pairs of pages whose true article texts are one text, found without syndicate from the collections' own
    ground truth: at least ``min_containment`` of the smaller's 5-word shingles in the other, or at least
    ``min_trigrams`` of its word trigrams (one text reworded: readability's lorem-ipsum fixtures in two
    spellings share 43-59%; different real articles of the collections at most 31%, two my6sense.com
    press pieces). Returns (url, url, 5-word containment)."""
    texts = {u: t for u, t in sorted(texts.items()) if t}
    five = {u: _shingles(t) for u, t in texts.items()}
    five = {u: s for u, s in five.items() if len(s) >= 20}
    three = {u: _shingles(texts[u], 3) for u in five}
    by_five = _containments(five, max_pages=len(five))
    by_three = _containments(three, max_pages=60)  # a trigram on more pages is a stock phrase
    pairs = sorted(p for p in set(by_five) | set(by_three)
                   if by_five.get(p, 0.0) >= min_containment or by_three.get(p, 0.0) >= min_trigrams)
    return [(a, b, round(by_five.get((a, b), 0.0), 3)) for a, b in pairs]


def _load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _repo_data(sources: Sources) -> Sources:
    sources.walls = [c for c in _load_json(WALLS / "texts.json") if c["kind"] == "wall"]
    sources.wall_lines = [x for x in _load_json(WALLS / "lines.json") if x.get("reason")]
    sources.frames = [_load_json(p) for p in sorted(TEMPLATES.glob("*.json"))]
    return sources


def _dedupe(pages: list[SourcePage], others: list[Other]) -> tuple[list[SourcePage], list[Other], list[str]]:
    """Drop exact byte duplicates (the first kept); give a second page claiming a URL already taken a distinct one."""
    seen_bytes: dict[str, str] = {}
    seen_urls: set[str] = set()
    dropped: list[str] = []
    kept_pages, kept_others = [], []
    for item in [*pages, *others]:
        name = item.sha if isinstance(item, SourcePage) else item.name
        digest = hashlib.sha256(item.html.encode("utf-8")).hexdigest()
        if digest in seen_bytes:
            dropped.append(f"{name} (same bytes as {seen_bytes[digest]})")
            continue
        seen_bytes[digest] = name
        key = _url_key(item.url)
        if key in seen_urls:  # two saved pages claim one URL: keep both, the second under a URL of its own
            sep = "&" if "?" in item.url else "?"
            item.url = f"{item.url.split('#')[0]}{sep}saved={re.sub(r'[^A-Za-z0-9-]+', '-', name)[:40]}"
            key = _url_key(item.url)
        seen_urls.add(key)
        (kept_pages if isinstance(item, SourcePage) else kept_others).append(item)
    return kept_pages, kept_others, dropped


def _url_key(url: str) -> str:
    from syndicate.read.urls import normalize_url

    return normalize_url(url)


def load_shared(root: Path | str) -> Sources:
    """The three collections of ``../shared/corpora`` (raises FileNotFoundError naming what is missing)."""
    root = Path(root)
    missing = [c for c in COLLECTIONS if not (root / c).is_dir()]
    if missing or not (root / COLLECTIONS[0] / "ground-truth.json").is_file():
        raise FileNotFoundError(
            f"{root} has no {', '.join(missing) or 'article-extraction-benchmark/ground-truth.json'}: the real pages are "
            "in ../shared/corpora beside the clone, not in the repository (see benchmarks/README.md)")
    pages = load_pages(root / COLLECTIONS[0])
    for page in pages:
        _add_metadata(page)
    others: list[Other] = []
    empty: list[str] = []
    for path in sorted((root / "readability-test-pages").glob("*/source.html.gz")):
        name = path.parent.name
        html = _decode(gzip.decompress(path.read_bytes()))
        expected = path.parent / "expected.html.gz"
        text = _text_of(gzip.decompress(expected.read_bytes()).decode("utf-8", "replace")) if expected.is_file() else None
        others.append(Other(f"readability-test-pages/{name}", page_url(name, html, f"www.{name}.example"), html, text))
    for path in sorted((root / "trafilatura-test-pages").glob("*.gz")):
        name = re.sub(r"\W*\.gz$", "", path.name).removesuffix(".html")
        html = _decode(gzip.decompress(path.read_bytes()))
        if not html.strip():  # an empty file is no page
            empty.append(f"trafilatura-test-pages/{path.name} (empty)")
            continue
        others.append(Other(f"trafilatura-test-pages/{path.name}", page_url(name, html, _trafilatura_host(name)), html))
    pages, others, dropped = _dedupe(pages, others)
    return _repo_data(Sources(pages, others, dropped=empty + dropped, label=str(root)))


def load_repository(root: Path | str = ROOT) -> Sources:
    """A small version from the repository alone: ``tests/data/pages`` (6 real pages with their true article),
    the real pages of ``sample_corpus/`` (their true text from ``tests/data/origins/benchmark-bodies.json.gz``;
    the sample corpus's own built pages are left out), and those bodies as articles not crawled."""
    root = Path(root)
    pages = load_pages(root / "tests" / "data" / "pages")
    bodies_file = root / "tests" / "data" / "origins" / "benchmark-bodies.json.gz"
    bodies_raw = json.loads(gzip.decompress(bodies_file.read_bytes()))
    bodies = {_url_key(v["url"]): (v["url"], _paragraphs(v["articleBody"])) for v in bodies_raw.values()}
    known = {_url_key(p.url) for p in pages}
    sample = root / "sample_corpus"
    found: list[tuple[str, str]] = []  # (url, html)
    for path in sorted(sample.rglob("*.html")) + sorted(sample.rglob("*.html.gz")):
        raw = path.read_bytes()
        html = _decode(gzip.decompress(raw) if path.name.endswith(".gz") else raw)
        found.append((page_url(path.name, html, "sample.example"), html))
    for path in sorted(sample.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                found.append((record["url"], record["html"]))
    for url, html in found:
        key = _url_key(url)
        if key in bodies and key not in known and bodies[key][1]:
            known.add(key)
            digest = hashlib.sha256(html.encode("utf-8")).hexdigest()
            pages.append(SourcePage(digest, url, html, bodies[key][1]))
    for page in pages:
        _add_metadata(page)
    pages, others, dropped = _dedupe(pages, [])
    rest = [bodies[k] for k in sorted(bodies) if k not in known and len(bodies[k][1]) >= 2]
    return _repo_data(Sources(pages, others, bodies=rest, dropped=dropped, label="tests/data + sample_corpus"))


# --------------------------------------------------------------------------
# Building the corpus
# --------------------------------------------------------------------------


def _english(page: SourcePage) -> bool:
    text = page.body
    return bool(text) and sum(c.isascii() for c in text) > 0.97 * len(text)


def _names_a_source(page: SourcePage) -> bool:
    """The page's own article names a source (dateline, credit), or its canonical or og:url points elsewhere."""
    if _NAMES_A_SOURCE.search(page.body):
        return True
    host = page.domain
    for m in re.finditer(r"""<(?:link|meta)\b[^>]*(?:rel=["']?canonical|property=["']og:url)[^>]*>""", page.html, re.I):
        href = re.search(r"""(?:href|content)\s*=\s*["']([^"']+)""", m.group(0))
        other = (urlsplit(href.group(1)).hostname or "").lower().removeprefix("www.") if href else ""
        if other and other != host and not other.endswith("." + host) and not host.endswith("." + other):
            return True
    return False


def _real_date(page: SourcePage) -> bool:
    return page.published is not None and page.published != FALLBACK_DATE + dt.timedelta(days=int(page.sha[:8], 16) % 20)


def _site(page: SourcePage) -> str:
    from syndicate.extract.evidence import site_of

    return site_of(page.domain)


def _ap_date(when: dt.datetime) -> str:
    return f"{_MONTHS_AP[when.month - 1]} {when.day}, {when.year}"


_DECLARED = (
    re.compile(r"""<meta\b[^>]*(?:property|name|itemprop)\s*=\s*["'](?:article:published_time|datePublished)["'][^>]*>""",
               re.I),
    re.compile(r'"datePublished"\s*:\s*"([^"]+)"'),
)


def _declared_time(page: SourcePage) -> dt.datetime | None:
    """The publication time (with a time of day) that the page's metadata declares on its date, if any."""
    values = []
    for m in _DECLARED[0].finditer(page.html):
        content = re.search(r"""content\s*=\s*["']([^"']+)""", m.group(0))
        if content:
            values.append(content.group(1))
    values += [m.group(1) for m in _DECLARED[1].finditer(page.html)]
    for value in values:
        try:
            when = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            continue
        if "T" not in value or when.tzinfo is None:
            continue
        when = when.astimezone(dt.timezone.utc)
        if page.published is not None and abs(when - page.published) <= dt.timedelta(days=1):
            return when
    return None


def _replace_canonical(html: str, url: str) -> str:
    """The page with its canonical link(s) replaced by one to ``url`` (string edits: the rest stays byte for byte)."""
    html = re.sub(r"""<link\b[^>]*\brel\s*=\s*["']?canonical["']?[^>]*>""", "", html, flags=re.I)
    tag = f'<link rel="canonical" href="{html_lib.escape(url, quote=True)}">'
    m = re.search(r"<head\b[^>]*>", html, re.I)
    return html[: m.end()] + tag + html[m.end() :] if m else tag + html


def _with_query(url: str, query: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(query=f"{parts.query}&{query}" if parts.query else query, fragment=""))


def _amp_url(url: str, host_form: bool) -> str:
    parts = urlsplit(url)
    if host_form:
        host = parts.netloc.lower()
        host = host[4:] if host.startswith("www.") else host
        return urlunsplit(parts._replace(netloc=f"amp.{host}", fragment=""))
    path = parts.path.rstrip("/") + "/amp"
    return urlunsplit(parts._replace(path=path, fragment=""))


def _headline_line(lines: Sequence[str], title: str) -> int | None:
    """Which line of a wall text is its page's headline: the first sharing half its words with the title."""
    words = lambda text: {w for w in re.findall(r"\w+", text.lower()) if len(w) >= 3}  # noqa: E731
    t = words(title)
    for n, line in enumerate(lines):
        w = words(line)
        if t and w and len(t & w) >= 0.5 * min(len(t), len(w)):
            return n
    return None


class _Builder:
    def __init__(self, sources: Sources, seed: int, scale: Scale):
        self.sources = sources
        self.rng = random.Random(seed)
        self.scale = scale
        self.records: list[tuple[str, str]] = []  # (url, html)
        self.rows: list[dict] = []  # one per record: url, role, group, case
        self.urls: set[str] = set()
        self.usage: dict[str, int] = defaultdict(int)  # host sha -> pages built in it
        self.refused: dict[str, int] = defaultdict(int)
        self.truth: dict[str, Any] = {}

    # -- records ------------------------------------------------------------

    def add(self, url: str, html: str, role: str, group: str, **extra: Any) -> None:
        if url in self.urls:
            raise RuntimeError(f"two records share the URL {url}")
        self.urls.add(url)
        self.records.append((url, html))
        self.rows.append({"url": url, "role": role, "group": group, **extra})

    def place(self, hosts: Sequence[SourcePage], path: str, *, avoid_sites: Iterable[str] = (), title: str,
              paragraphs: Sequence[str], published: str | None, extra_after: Sequence[str] = (),
              canonical: str | None = "self", prefer: Callable[[SourcePage], int] = lambda h: 0,
              ) -> tuple[SourcePage, str, str] | None:
        """Transplant into the least used host that takes it, on a site not in ``avoid_sites``: (host, url, html).

        Hosts ``prefer`` ranks lower are tried first."""
        avoid = set(avoid_sites)
        pool = [h for h in hosts if _site(h) not in avoid and self.refused[h.sha] < 3]
        self.rng.shuffle(pool)
        pool.sort(key=lambda h: (prefer(h), self.usage[h.sha]))
        for host in pool:
            url = f"https://{host.netloc}/{path}"
            if url in self.urls:
                continue
            try:
                html = _transplant_checked(
                    host, title=title, paragraphs=list(paragraphs), url=url, published=published,
                    extra_after=list(extra_after), canonical=url if canonical == "self" else canonical,
                )
            except (TransplantError, ValueError):
                self.refused[host.sha] += 1
                continue
            self.usage[host.sha] += 1
            return host, url, html
        return None

    # -- the corpus ---------------------------------------------------------

    def build(self) -> dict:
        src, rng, scale = self.sources, self.rng, self.scale
        pages = sorted(src.pages, key=lambda p: p.sha)
        rng.shuffle(pages)
        usable = [p for p in pages if len(p.paragraphs) >= 2 and not _names_a_source(p)]
        english = [p for p in usable if _english(p) and len(p.paragraphs[0].split()) >= 12]
        roles: dict[str, str] = {}

        def take(pool: Sequence[SourcePage], n: int, role: str, need: Callable[[SourcePage], bool] = lambda p: True):
            chosen = [p for p in pool if p.sha not in roles and need(p)][:n]
            for p in chosen:
                roles[p.sha] = role
            return chosen

        wire = take(english, scale.wire, "wire", lambda p: len(p.paragraphs) >= 3)
        dates = take(usable, scale.dates, "dates", _real_date)
        variants = take(usable, scale.variants, "variants")
        edge = take(english, scale.edge, "edge", lambda p: len(p.paragraphs) >= 3)
        wire_shas = {p.sha for p in wire}
        # hosts: every page whose real page is in the corpus (a wire article's page is not)
        hosts = [p for p in pages if p.sha not in wire_shas]

        # 1. the real pages as themselves: benchmark pages (but the wire articles'), then the other collections
        group_of: dict[str, str] = {}
        for p in pages:
            if p.sha in wire_shas:
                continue
            group_of[p.url] = f"page:{p.url}"
            self.add(p.url, p.html, "independent", group_of[p.url], source=p.sha)
        for o in src.others:
            group_of[o.url] = f"page:{o.url}"
            self.add(o.url, o.html, "independent", group_of[o.url], source=o.name)
        texts = {p.url: p.body for p in pages if p.sha not in wire_shas}
        texts.update({o.url: o.text for o in src.others if o.text})
        self.truth["duplicates_in_data"] = [list(x) for x in duplicates_in_data(texts)]

        # 5a. the aggregator: one host site reposting real articles, most with a link back
        aggregator = self._aggregator(hosts, roles, dates)
        agg_site = _site(aggregator) if aggregator else None
        others_hosts = [h for h in hosts if aggregator is None or _site(h) != agg_site]
        self._dates(dates, aggregator, others_hosts, group_of)
        self._background(aggregator, pages, roles, group_of, n_tests=len(self.truth["dates"]))
        # 5b. wire copy
        self._wire(wire, others_hosts)
        # 4. URL variants
        self._variants(variants, group_of)
        # 2. walls, and articles with a wall line before the lead
        self._walls(others_hosts, pages)
        self._edge(edge, others_hosts, group_of)
        # 3. template stories
        self._templates(others_hosts)

        # crawl records: shuffled, fetched after every date the pages carry
        order = list(range(len(self.records)))
        rng.shuffle(order)
        lines = []
        for n, i in enumerate(order):
            url, html = self.records[i]
            lines.append(_jsonl({"url": url, "html": html, "fetched_at": _iso(CRAWL_START + dt.timedelta(minutes=n))}))
        self.truth.update({
            "pages": self.rows,
            "independent": [r["url"] for r in self.rows if r["role"] == "independent"],
            "dropped": src.dropped,
            "hosts_refused": {k: v for k, v in sorted(self.refused.items()) if v},
        })
        return {"lines": lines, "truth": self.truth}

    def _aggregator(self, hosts: Sequence[SourcePage], roles: dict[str, str],
                    dates: Sequence[SourcePage]) -> SourcePage | None:
        """The aggregator's host page: an English page free of roles that takes a sample article."""
        if not dates:
            return None
        from syndicate.extract.evidence import PUBLISHERS

        agency_sites = {site for _name, sites in PUBLISHERS.values() for site in sites}
        candidates = [h for h in hosts if h.sha not in roles and _english(h) and not _names_a_source(h)
                      and _site(h) not in agency_sites]
        sample = dates[0]
        for host in candidates:
            try:
                _transplant_checked(host, title=sample.title, paragraphs=sample.paragraphs,
                                    url=f"https://{host.netloc}/x",
                                    published=sample.published_iso, canonical=None)
            except (TransplantError, ValueError):
                continue
            roles[host.sha] = "aggregator"
            self.truth["aggregator"] = {"host_url": host.url, "site": _site(host)}
            return host
        return None

    def _dates(self, dates: Sequence[SourcePage], aggregator: SourcePage | None, hosts: Sequence[SourcePage],
               group_of: dict[str, str]) -> None:
        rng, out = self.rng, []
        self.truth["dates"] = out
        if aggregator is None:
            return
        for i, p in enumerate(dates):
            older = p.published - dt.timedelta(minutes=rng.randint(24 * 60, 72 * 60))
            made = self.place([aggregator], f"news/{_slug(p.title)}-{i + 1}/", title=p.title, paragraphs=p.paragraphs,
                              published=_iso(older))
            if made is None:
                continue
            _host, url, html = made
            self.add(url, html, "aggregator_copy", group_of[p.url], origin=p.url)
            case = {"origin": p.url, "origin_published": p.published_iso, "aggregator_copy": url,
                    "aggregator_published": _iso(older), "normal_copy": None}
            if i % 2 == 0:  # after the time the origin page declares (its metadata), else the day after its date
                base = _declared_time(p) or (p.published if p.has_time else p.published + dt.timedelta(days=1))
                later = base + dt.timedelta(minutes=rng.randint(2 * 60, 48 * 60))
                made = self.place(hosts, f"world/{_slug(p.title)}-{i + 1}", avoid_sites={_site(p)}, title=p.title,
                                  paragraphs=p.paragraphs, published=_iso(later))
                if made is not None:
                    self.add(made[1], made[2], "normal_copy", group_of[p.url], origin=p.url, host_url=made[0].url)
                    case["normal_copy"] = made[1]
            out.append(case)

    def _background(self, aggregator: SourcePage | None, pages: Sequence[SourcePage], roles: dict[str, str],
                    group_of: dict[str, str], n_tests: int) -> None:
        """The aggregator's reposts that link to their source: enough that over 75% of its pages repost."""
        out: list[dict] = []
        self.truth["background"] = out
        if aggregator is None or n_tests == 0:
            return
        # for one test cluster the site's other pages are its real page, these and the n-1 other test copies:
        # 3n+4 of 4n+4 point elsewhere, over syndicate's 0.75 (REPOSTER_SHARE)
        need = 3 * n_tests + 4
        articles = [(p.url, p.title, p.paragraphs, p.published, True) for p in pages
                    if p.sha not in roles and len(p.paragraphs) >= 2]
        for url, paragraphs in self.sources.bodies:
            words = paragraphs[0].split()
            title = " ".join(words[:10]) + ("\u2026" if len(words) > 10 else "")
            articles.append((url, title, paragraphs, None, False))
        for n, (url, title, paragraphs, published, crawled) in enumerate(articles):
            if len(out) >= need:
                break
            when = (published or FALLBACK_DATE) + dt.timedelta(minutes=self.rng.randint(60, 12 * 60))
            link = AGGREGATOR_LINK.format(url=html_lib.escape(url, quote=True))
            made = self.place([aggregator], f"news/{_slug(title)}-r{n + 1}/", title=title, paragraphs=paragraphs,
                              published=_iso(when), extra_after=[link])
            if made is None:
                continue
            group = group_of[url] if crawled else f"body:{url}"
            self.add(made[1], made[2], "aggregator_linked", group, origin=url, origin_crawled=crawled)
            out.append({"origin": url, "copy": made[1], "crawled": crawled})

    def _wire(self, wire: Sequence[SourcePage], hosts: Sequence[SourcePage]) -> None:
        out: list[dict] = []
        self.truth["wire"] = out
        for i, p in enumerate(wire):
            name, sites, form, places = AGENCIES[i % len(AGENCIES)]
            dateline = form.format(place=self.rng.choice(places), date=_ap_date(p.published))
            paragraphs = [dateline + p.paragraphs[0]] + p.paragraphs[1:]
            group, urls, used = f"wire:{i + 1}", [], {_site(p), *sites}
            for k in range(3 if i % 2 == 0 else 2):
                when = p.published + dt.timedelta(minutes=self.rng.randint(10, 20 * 60))
                made = self.place(hosts, f"business/{_slug(p.title)}-{i + 1}", avoid_sites=used, title=p.title,
                                  paragraphs=paragraphs, published=_iso(when))
                if made is None:
                    continue
                used.add(_site(made[0]))
                self.add(made[1], made[2], "wire_copy", group, agency=name, host_url=made[0].url)
                urls.append(made[1])
            if len(urls) >= 2:
                out.append({"agency": name, "sites": list(sites), "dateline": dateline.strip(), "urls": urls,
                            "article": p.url})

    def _variants(self, variants: Sequence[SourcePage], group_of: dict[str, str]) -> None:
        out: list[dict] = []
        self.truth["variants"] = out
        for i, p in enumerate(variants):
            amp = _amp_url(p.url, host_form=i % 2 == 0)
            if amp in self.urls or _url_key(amp) == _url_key(p.url):
                continue
            group = group_of[p.url]
            self.add(amp, _replace_canonical(p.html, p.url), "variant", group, variant="amp", canonical=p.url)
            served = f"\n<!-- served {_iso(CRAWL_START + dt.timedelta(seconds=17 * i + 3))} -->\n"
            self.add(_with_query(p.url, UTM), p.html + served, "variant", group, variant="utm", canonical=p.url)
            self.add(p.url.split("#")[0] + "#comments", p.html + served.replace("served", "served again"), "variant",
                     group, variant="fragment", canonical=p.url)
            out.append({"canonical": p.url,
                        "urls": [p.url, amp, _with_query(p.url, UTM), p.url.split("#")[0] + "#comments"]})

    def _walls(self, hosts: Sequence[SourcePage], pages: Sequence[SourcePage]) -> None:
        out: list[dict] = []
        self.truth["walls"] = out
        walls = self.sources.walls[: self.scale.walls]
        headlines = [p.title for p in pages if p.title]
        multi = set(self.rng.sample(range(len(walls)), min(self.scale.walls_multi, len(walls))))
        used_sites: set[str] = set()
        for i, wall in enumerate(walls):
            lines = [ln.strip() for ln in wall["text"].split("\n") if ln.strip()]
            headline_at = _headline_line(lines, wall.get("title") or "")
            titles = self.rng.sample(headlines, 4 if i in multi else 2)
            urls: list[str] = []
            sites: list[str] = []
            host_urls: list[str] = []
            first: SourcePage | None = None
            for k, headline in enumerate(titles):
                # the page shows its own headline where the wall text had the original page's
                paras = [headline if n == headline_at else ln for n, ln in enumerate(lines)]
                when = _iso(FALLBACK_DATE + dt.timedelta(days=self.rng.randint(0, 25), minutes=self.rng.randint(0, 1439)))
                path = f"news/{_slug(headline)}-w{i + 1}{'abcd'[k]}"
                if k == 1:  # the second page: the first page's site, another real page of it where there is one
                    made = self.on_same_site(first, hosts, path, title=headline, paragraphs=paras, published=when)
                else:
                    made = self.place(hosts, path, avoid_sites=set(sites) | (used_sites if k == 0 else set()),
                                      title=headline, paragraphs=paras, published=when,
                                      prefer=lambda h: k == 0 and self.site_pages(hosts, h) < 2)
                if made is None:
                    if k <= 1:
                        break
                    continue
                host, url, html = made
                if k == 0:
                    first = host
                    used_sites.add(_site(host))
                sites.append(_site(host))
                host_urls.append(host.url)
                self.add(url, html, "wall", f"wall:{url}", wall=wall["id"], reason=wall["expect"]["reason"],
                         host_url=host.url)
                urls.append(url)
            if len(urls) >= 2:
                out.append({"id": wall["id"], "reason": wall["expect"]["reason"], "urls": urls, "sites": sites,
                            "hosts": host_urls})

    def site_pages(self, hosts: Sequence[SourcePage], host: SourcePage) -> int:
        """How many host pages ``host``'s site has."""
        return sum(_site(h) == _site(host) for h in hosts)

    def on_same_site(self, first: SourcePage | None, hosts: Sequence[SourcePage], path: str, **kwargs: Any
                     ) -> tuple[SourcePage, str, str] | None:
        """A second page on ``first``'s site: in another real page of the site if one takes it, else in ``first``."""
        if first is None:
            return None
        others = [h for h in hosts if h is not first and _site(h) == _site(first)]
        return self.place(others, path, **kwargs) or self.place([first], path, **kwargs)

    def _edge(self, edge: Sequence[SourcePage], hosts: Sequence[SourcePage], group_of: dict[str, str]) -> None:
        out: list[dict] = []
        self.truth["edge"] = out
        lines = [x for x in self.sources.wall_lines if x["line"].isascii()
                 and re.search(r"\b(?:you|your|our|subscribe|subscriber|articles)\b", x["line"], re.I)
                 and len(x["line"].split()) <= 30]
        if not lines:
            return
        for i, p in enumerate(edge):
            line = lines[i % len(lines)]
            when = p.published + dt.timedelta(minutes=self.rng.randint(3 * 60, 30 * 60))
            made = self.place(hosts, f"news/{_slug(p.title)}-e{i + 1}", avoid_sites={_site(p)}, title=p.title,
                              paragraphs=[line["line"]] + p.paragraphs, published=_iso(when))
            if made is None:
                continue
            self.add(made[1], made[2], "edge_copy", group_of[p.url], origin=p.url, wall_line=line["line"],
                     host_url=made[0].url)
            out.append({"origin": p.url, "copy": made[1], "line": line["line"], "reason": line["reason"]})

    def _templates(self, hosts: Sequence[SourcePage]) -> None:
        out: list[dict] = []
        self.truth["templates"] = out
        frames = sorted(self.sources.frames, key=lambda f: f["frame"])[: self.scale.frames]
        for f_i, frame in enumerate(frames):
            cases = list(frame["cases"])
            self.rng.shuffle(cases)
            cases = cases[: self.scale.fills]
            base = dt.datetime(2024, 5, 6, 13, 0, tzinfo=dt.timezone.utc) + dt.timedelta(days=f_i)
            placed: list[dict] = []
            first: SourcePage | None = None
            sites: set[str] = set()
            for k, case in enumerate(cases):
                paras = [ln for ln in case["text"].split("\n") if ln.strip()]
                path = f"business/{_slug(case['title'])}-t{f_i + 1}{k + 1}"
                when = _iso(base + dt.timedelta(minutes=7 * k))
                if k == 1 and first is not None:
                    made = self.on_same_site(first, hosts, path, title=case["title"], paragraphs=paras, published=when)
                else:
                    made = self.place(hosts, path, avoid_sites=sites, title=case["title"], paragraphs=paras,
                                      published=when, prefer=lambda h: k == 0 and self.site_pages(hosts, h) < 2)
                if made is None:
                    continue
                host, url, html = made
                if k == 0:
                    first = host
                sites.add(_site(host))
                self.add(url, html, "template", f"tpl:{frame['frame']}:{case['id']}", frame=frame["frame"],
                         fill=case["id"], host_url=host.url)
                placed.append({"url": url, "fill": case["id"], "site": _site(host), "host": host,
                               "title": case["title"], "paragraphs": paras})
            copies = []
            if placed:
                first = placed[0]
                credit = TEMPLATE_CREDIT.format(url=html_lib.escape(first["url"], quote=True),
                                                publisher=html_lib.escape(first["host"].publisher))
                made = self.place(hosts, f"markets/{_slug(first['title'])}-c{f_i + 1}", avoid_sites=sites,
                                  title=first["title"], paragraphs=first["paragraphs"],
                                  published=_iso(base + dt.timedelta(hours=5)), extra_after=[credit])
                if made is not None:
                    self.add(made[1], made[2], "template_copy", f"tpl:{frame['frame']}:{first['fill']}",
                             frame=frame["frame"], fill=first["fill"], origin=first["url"], host_url=made[0].url)
                    copies.append({"url": made[1], "of": first["url"], "fill": first["fill"]})
            out.append({"frame": frame["frame"],
                        "pages": [{"url": p["url"], "fill": p["fill"], "site": p["site"]} for p in placed],
                        "copies": copies})


def build(sources: Sources, out_dir: Path | str, seed: int = 1, scale: Scale = FULL) -> dict:
    """Write ``corpus.jsonl`` and ``truth.json`` into ``out_dir``; return the truth."""
    out_dir = Path(out_dir)
    made = _Builder(sources, seed, scale).build()
    truth = {"seed": seed, "sources": sources.label, **made["truth"]}
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "corpus.jsonl").write_text("\n".join(made["lines"]) + "\n", encoding="utf-8")
    (out_dir / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return truth


# --------------------------------------------------------------------------
# Scanning and scoring
# --------------------------------------------------------------------------


def run_scan(corpus: Path | str, workdir: Path | str, workers: int) -> tuple[Path, float]:
    """``syndicate scan`` into a fresh database: (database, seconds)."""
    db = Path(workdir) / "realcrawl.duckdb"
    db.unlink(missing_ok=True)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "syndicate", "scan", str(corpus), "--db", str(db), "--workers", str(workers), "--quiet"],
        check=False,
    )
    return db, time.perf_counter() - start


def _pkey(name: str | None) -> str:
    return re.sub(r"[\W_]+", "", (name or "").casefold())


class _Db:
    """What the database says, read once through the documented tables and view."""

    def __init__(self, path: Path):
        import duckdb

        with duckdb.connect(str(path), read_only=True) as con:
            q = lambda sql: con.execute(sql).fetchall()  # noqa: E731
            self.docs = {url: (doc_id, status, reason, published) for doc_id, url, status, reason, published in q(
                "SELECT doc_id, url, status, status_reason, published_at FROM documents")}
            self.url_of = {doc_id: url for url, (doc_id, *_rest) in self.docs.items()}
            self.matches = {(a, b): (kind, sim, cont) for a, b, kind, sim, cont in q(
                "SELECT doc_a, doc_b, kind, similarity, containment FROM matches")}
            self.cluster = dict(q("SELECT doc_id, cluster_id FROM clusters"))
            self.origins = {row[0]: row for row in q(
                "SELECT cluster_id, origin_doc_id, origin_url, origin_domain, publisher, method, evidence FROM origins")}
            self.syndication = q("SELECT copy_doc_id, origin_doc_id, origin_url, kind FROM syndication")
            self.link_evidence = {d for (d,) in q("SELECT DISTINCT doc_id FROM evidence WHERE kind = 'link'")}
            settings = q("SELECT value FROM meta WHERE key = 'settings'")
        kinds = json.loads(settings[0][0]).get("cluster_kinds") if settings else None
        self.cluster_kinds = tuple(k.strip() for k in kinds.split(",")) if isinstance(kinds, str) else CLUSTER_KINDS

    def doc(self, url: str) -> int | None:
        row = self.docs.get(_url_key(url))
        return row[0] if row else None

    def status(self, url: str) -> tuple[str | None, str | None]:
        """(status, status_reason) of the page stored for ``url``."""
        row = self.docs.get(_url_key(url))
        return (row[1], row[2]) if row else (None, None)

    def together(self, a: int | None, b: int | None) -> bool:
        """Are the two pages in one cluster?"""
        if a is None or b is None:
            return False
        return self.cluster.get(a) is not None and self.cluster.get(a) == self.cluster.get(b)

    def copies(self, a: int, b: int) -> str | None:
        """How the database reports a and b as carrying one article: a clustering match or a syndication row."""
        m = self.matches.get((min(a, b), max(a, b)))
        if m and m[0] in self.cluster_kinds:
            return m[0]
        return None

    def syndication_pairs(self) -> set[tuple[int, int]]:
        """(copy, origin) pairs of the syndication view whose origin is stored, smaller doc_id first."""
        if not hasattr(self, "_synd"):
            self._synd = {(min(c, o), max(c, o)) for c, o, _u, _k in self.syndication if o is not None and c != o}
        return self._synd

    def origin_of(self, doc_id: int | None) -> tuple | None:
        if doc_id is None:
            return None
        return self.origins.get(self.cluster.get(doc_id, doc_id))

    def pair_note(self, a: int, b: int) -> dict:
        m = self.matches.get((min(a, b), max(a, b)))
        kind = m[0] if m else "syndication row" if (min(a, b), max(a, b)) in self.syndication_pairs() else "no match"
        return {"a": self.url_of.get(a), "b": self.url_of.get(b), "kind": kind,
                "similarity": round(m[1], 3) if m else None, "containment": round(m[2], 3) if m else None}


def _pairs_reported(db: _Db, docs: Sequence[int], synd: set[tuple[int, int]]) -> list[tuple[int, int]]:
    """Pairs among ``docs`` that the database reports as copies (clustering match or syndication row)."""
    wanted = set(docs)
    found = {pair for pair, m in db.matches.items()
             if m[0] in db.cluster_kinds and pair[0] in wanted and pair[1] in wanted}
    found |= {pair for pair in synd if pair[0] in wanted and pair[1] in wanted}
    return sorted(found)


def score(db_path: Path | str, truth: dict) -> dict:
    """Every figure of the report, from the database through the documented SQL."""
    db = _Db(Path(db_path))
    synd = db.syndication_pairs()
    out: dict[str, Any] = {}
    rows = truth["pages"]
    doc_of = {r["url"]: db.doc(r["url"]) for r in rows}
    out["pages"] = {"records": len(rows), "documents": len(db.docs),
                    "unmapped": sorted(u for u, d in doc_of.items() if d is None)}

    # 1. independent real pages
    indep = [doc_of[u] for u in truth["independent"] if doc_of[u] is not None]
    reported = _pairs_reported(db, indep, synd)
    dupes = {(min(doc_of[a], doc_of[b]), max(doc_of[a], doc_of[b])) for a, b, _c in truth["duplicates_in_data"]
             if doc_of[a] is not None and doc_of[b] is not None}
    false = [p for p in reported if p not in dupes]
    out["independent"] = {"pages": len(indep), "pairs": math.comb(len(indep), 2), "false_pairs": len(false),
                          "details": [db.pair_note(a, b) for a, b in false],
                          "duplicates_in_data": len(dupes), "duplicates_found": len(set(reported) & dupes),
                          "duplicates_missed": [db.pair_note(a, b) for a, b in sorted(dupes - set(reported))]}

    # 2. walls
    wall_pages = [r for r in rows if r["role"] == "wall"]
    no_article = [r for r in wall_pages if db.status(r["url"])[0] == "no_article"]
    detected = [r for r in no_article if db.status(r["url"])[1] in WALL_REASONS]
    right = [r for r in detected if db.status(r["url"])[1] == r["reason"]]
    wall_pairs = [(doc_of[a], doc_of[b]) for w in truth["walls"] for a, b in itertools.combinations(w["urls"], 2)
                  if doc_of[a] is not None and doc_of[b] is not None]
    matched = [p for p in wall_pairs if db.copies(*p) or (min(p), max(p)) in synd]
    wall_docs = {doc_of[r["url"]] for r in wall_pages}
    in_clusters = sorted(d for d in wall_docs if d in db.cluster)
    as_copies_of = [(c, u) for c, _o, u, _k in db.syndication if c in wall_docs]
    out["walls"] = {
        "pages": len(wall_pages), "no_article": len(no_article), "detected": len(detected), "expected_reason": len(right),
        "pairs": len(wall_pairs), "matched": len(matched), "in_clusters": len(in_clusters),
        "in_syndication": len({c for c, _u in as_copies_of}),
        "syndication_rows": [{"copy": db.url_of.get(c), "origin": u, "publisher": db.origin_of(c)[4]}
                             for c, u in as_copies_of],
        "details": [db.pair_note(*p) for p in matched],
        "missed": [{"url": r["url"], "wall": r["wall"], "expected": r["reason"], "status": db.status(r["url"])}
                   for r in wall_pages if r not in right],
    }
    edge_hits = [e for e in truth["edge"] if db.together(doc_of[e["copy"]], doc_of[e["origin"]])]
    out["wall_edge"] = {"articles": len(truth["edge"]), "matched": len(edge_hits),
                        "missed": [e for e in truth["edge"] if e not in edge_hits]}

    # 3. templates
    tpl_pairs: list[tuple[int, int]] = []
    for frame in truth["templates"]:
        members = [(p["url"], p["fill"]) for p in frame["pages"]] + [(c["url"], c["fill"]) for c in frame["copies"]]
        for (ua, fa), (ub, fb) in itertools.combinations(members, 2):
            if fa != fb and doc_of[ua] is not None and doc_of[ub] is not None:
                tpl_pairs.append((doc_of[ua], doc_of[ub]))
    as_copies = [p for p in tpl_pairs if db.copies(*p) or (min(p), max(p)) in synd]
    as_template = [p for p in tpl_pairs if db.matches.get((min(p), max(p)), ("",))[0] == "template"]
    copies = [c for f in truth["templates"] for c in f["copies"]]
    copy_hits = [c for c in copies if doc_of[c["url"]] is not None and doc_of[c["of"]] is not None
                 and db.copies(doc_of[c["url"]], doc_of[c["of"]])]
    out["templates"] = {"pairs": len(tpl_pairs), "as_copies": len(as_copies), "as_template": len(as_template),
                        "copies": len(copies), "copies_matched": len(copy_hits),
                        "details": [db.pair_note(*p) for p in as_copies],
                        "copies_missed": [c for c in copies if c not in copy_hits]}

    # 4. URL variants
    joined, origin_right, rows_between, notes = 0, 0, 0, []
    for group in truth["variants"]:
        docs = sorted({doc_of[u] for u in group["urls"] if doc_of[u] is not None})
        canonical = doc_of[group["canonical"]]
        ok = len(docs) == 1
        if not ok and all(d in db.cluster for d in docs) and len({db.cluster[d] for d in docs}) == 1:
            parent = {d: d for d in docs}

            def find(x: int) -> int:
                while parent[x] != x:
                    x = parent[x]
                return x

            for a, b in itertools.combinations(docs, 2):
                if db.matches.get((a, b), ("",))[0] == "alias":
                    parent[find(a)] = find(b)
            ok = len({find(d) for d in docs}) == 1
        joined += ok
        between = [(c, o) for c, o, _u, _k in db.syndication if c in docs and o in docs]
        rows_between += len(between)
        origin = db.origin_of(canonical)
        right = origin is not None and origin[1] == canonical
        origin_right += right
        if not ok or between or not right:
            notes.append({"canonical": group["canonical"], "documents": len(docs), "joined": ok,
                          "kinds": sorted({db.matches[(a, b)][0] for a, b in itertools.combinations(docs, 2)
                                           if (a, b) in db.matches}),
                          "syndication_rows": len(between), "origin": origin[2] if origin else None,
                          "method": origin[5] if origin else None})
    out["variants"] = {"groups": len(truth["variants"]), "joined": joined, "syndication_rows": rows_between,
                       "origin_canonical": origin_right, "details": notes}

    # 5. origins when dates lie
    hits, older, clustered, notes = 0, 0, 0, []
    for case in truth["dates"]:
        o, c = doc_of[case["origin"]], doc_of[case["aggregator_copy"]]
        together = db.together(o, c)
        clustered += together
        origin = db.origin_of(o)
        right = together and origin is not None and origin[1] == o
        hits += right
        po = db.docs[_url_key(case["origin"])][3] if o is not None else None
        pc = db.docs[_url_key(case["aggregator_copy"])][3] if c is not None else None
        older += bool(po and pc and pc < po)
        if not right:
            notes.append({"origin": case["origin"], "aggregator_copy": case["aggregator_copy"],
                          "normal_copy": case["normal_copy"], "clustered": together,
                          "chosen": origin[2] if origin else None, "method": origin[5] if origin else None,
                          "evidence": origin[6] if origin else None,
                          "origin_published": str(po) if po else None, "copy_published": str(pc) if pc else None})
    n = len(truth["dates"])
    agg_rows = [r for r in rows if r["role"] in ("aggregator_copy", "aggregator_linked")]
    out["dates"] = {"clusters": n, "origin_right": hits, "accuracy": hits / n if n else 0.0, "clustered": clustered,
                    "copy_older_in_db": older, "details": notes,
                    "aggregator_pages": len(agg_rows) + 1,
                    "aggregator_linking": sum(doc_of[r["url"]] in db.link_evidence for r in agg_rows)}
    bg_right = 0
    for case in truth["background"]:
        c = doc_of[case["copy"]]
        origin = db.origin_of(c)
        bg_right += origin is not None and _url_key(origin[2] or "") == _url_key(case["origin"])
    out["background"] = {"reposts": len(truth["background"]), "origin_right": bg_right}

    # 5b. wire copy
    wire_hits, notes = 0, []
    for case in truth["wire"]:
        docs = [doc_of[u] for u in case["urls"] if doc_of[u] is not None]
        cids = {db.cluster.get(d) for d in docs}
        together = len(docs) == len(case["urls"]) and len(cids) == 1 and None not in cids
        origin = db.origin_of(docs[0]) if docs else None
        ok = (together and origin is not None and origin[1] is None and _pkey(origin[4]) == _pkey(case["agency"])
              and (origin[3] is None or origin[3] in case["sites"]))
        wire_hits += ok
        if not ok:
            notes.append({"agency": case["agency"], "dateline": case["dateline"], "clustered": together,
                          "publisher": origin[4] if origin else None, "origin_domain": origin[3] if origin else None,
                          "origin_url": origin[2] if origin else None, "method": origin[5] if origin else None,
                          "urls": case["urls"]})
    out["wire"] = {"clusters": len(truth["wire"]), "attributed": wire_hits, "details": notes}

    # every other unexpected pair, and the expected pairs found
    group = {doc_of[r["url"]]: r["group"] for r in rows if doc_of[r["url"]] is not None}
    role = {doc_of[r["url"]]: r["role"] for r in rows if doc_of[r["url"]] is not None}
    counted = set(reported) | {(min(p), max(p)) for p in matched + as_copies}
    variant_docs = {doc_of[u] for g in truth["variants"] for u in g["urls"]}
    other = []
    for pair in sorted({p for p, m in db.matches.items() if m[0] in db.cluster_kinds} | synd):
        a, b = pair
        if pair in counted or group.get(a) == group.get(b) or (a in variant_docs and b in variant_docs):
            continue
        other.append({**db.pair_note(a, b), "roles": [role.get(a), role.get(b)]})
    expected = [(doc_of[a["url"]], doc_of[b["url"]]) for a, b in itertools.combinations(rows, 2)
                if a["group"] == b["group"] and doc_of[a["url"]] is not None and doc_of[b["url"]] is not None
                and doc_of[a["url"]] != doc_of[b["url"]]] if len(rows) < 4000 else []
    expected = sorted({(min(p), max(p)) for p in expected})
    found = [p for p in expected if db.cluster.get(p[0]) is not None and db.cluster.get(p[0]) == db.cluster.get(p[1])]
    out["other"] = {"unexpected_pairs": len(other), "details": other}
    out["expected"] = {"pairs": len(expected), "found": len(found),
                       "missed": [db.pair_note(*p) | {"roles": [role.get(p[0]), role.get(p[1])]}
                                  for p in expected if p not in set(found)]}
    return out


# --------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------


def _rows(s: dict) -> list[tuple[str, str, str, str]]:
    """(case, figure, result, target) of the report."""
    i, w, t, v, d = s["independent"], s["walls"], s["templates"], s["variants"], s["dates"]
    of = lambda n, total, unit: f"{n} of {total} {unit}"  # noqa: E731
    return [
        ("1", "false pairs among the independent real pages", f"{i['false_pairs']} of {i['pairs']:,} pairs "
         f"({i['pages']} pages)", "0"),
        ("1", "duplicates in the data (same true text) reported",
         of(i["duplicates_found"], i["duplicates_in_data"], "pairs"), "-"),
        ("2", "wall pages stored as no_article", of(w["no_article"], w["pages"], "pages"), "all"),
        ("2", "walls detected (no_article, a wall reason)", of(w["detected"], w["pages"], "pages"), "all"),
        ("2", "... with the expected reason", of(w["expected_reason"], w["pages"], "pages"), "all"),
        ("2", "wall pairs matched", of(w["matched"], w["pairs"], "pairs"), "0"),
        ("2", "wall pages in a cluster", of(w["in_clusters"], w["pages"], "pages"), "0"),
        ("2", "wall pages reported as copies (syndication view)", of(w["in_syndication"], w["pages"], "pages"), "0"),
        ("2", "copies with a wall line before the lead matched",
         of(s["wall_edge"]["matched"], s["wall_edge"]["articles"], "articles"), "all"),
        ("3", "template pairs reported as copies", of(t["as_copies"], t["pairs"], "pairs"), "0"),
        ("3", "template pairs stored as kind template", of(t["as_template"], t["pairs"], "pairs"), "-"),
        ("3", "verbatim copies of a template story matched", of(t["copies_matched"], t["copies"], "copies"), "all"),
        ("4", "variant groups joined (one document or alias)", of(v["joined"], v["groups"], "groups"), "all"),
        ("4", "syndication rows between variants of one page", f"{v['syndication_rows']} rows", "0"),
        ("4", "variant groups whose origin is the canonical page",
         of(v["origin_canonical"], v["groups"], "groups"), "all"),
        ("5", "origin right, aggregator copy dated 1-3 days earlier",
         f"{d['origin_right']} of {d['clusters']} clusters ({d['accuracy']:.3f})", ">= 0.95"),
        ("5", "... aggregator copy clustered with its origin", of(d["clustered"], d["clusters"], "clusters"), "all"),
        ("5", "... aggregator copy dated earlier in documents",
         of(d["copy_older_in_db"], d["clusters"], "clusters"), "all"),
        ("5", "aggregator pages linking to a source (evidence)",
         of(d["aggregator_linking"], d["aggregator_pages"], "pages"), "-"),
        ("5", "origin right on the aggregator's linked reposts",
         of(s["background"]["origin_right"], s["background"]["reposts"], "reposts"), "all"),
        ("5", "wire clusters attributed to the agency", of(s["wire"]["attributed"], s["wire"]["clusters"], "clusters"),
         "all"),
        ("-", "other unexpected pairs", f"{s['other']['unexpected_pairs']} pairs", "0"),
        ("-", "expected pairs in one cluster", of(s["expected"]["found"], s["expected"]["pairs"], "pairs"), "all"),
    ]


def table(scores: dict) -> str:
    rows = _rows(scores)
    w1 = max(len(r[1]) for r in rows) + 2
    w2 = max(len(r[2]) for r in rows) + 2
    lines = [f"{'case':<6}{'figure':<{w1}}{'result':<{w2}}target"]
    lines += [f"{c:<6}{f:<{w1}}{r:<{w2}}{t}" for c, f, r, t in rows]
    return "\n".join(lines)


def problems(scores: dict, limit: int = 8) -> str:
    """The pairs and clusters behind the figures that miss their target, a few of each."""
    out = []

    def show(title: str, items: list, fmt: Callable[[Any], str]) -> None:
        if items:
            out.append(f"{title} ({len(items)}):")
            out.extend("  " + fmt(x) for x in items[:limit])
            if len(items) > limit:
                out.append(f"  ... {len(items) - limit} more (--json lists them all)")

    pair = lambda p: f"{p['a']}  ~  {p['b']}  [{p['kind']}, sim {p['similarity']}, cont {p['containment']}]"  # noqa: E731
    show("false pairs among independent pages", scores["independent"]["details"], pair)
    show("duplicates in the data not reported", scores["independent"]["duplicates_missed"], pair)
    show("walls not detected as expected", scores["walls"]["missed"],
         lambda m: f"{m['url']}  {m['wall']}: expected {m['expected']}, got {m['status']}")
    show("wall pairs matched", scores["walls"]["details"], pair)
    show("wall pages in the syndication view", scores["walls"]["syndication_rows"],
         lambda r: f"{r['copy']}  as a copy of {r['origin'] or r['publisher']}")
    show("copies with a wall line not matched", scores["wall_edge"]["missed"], lambda e: f"{e['copy']}  ({e['line']})")
    show("template pairs reported as copies", scores["templates"]["details"], pair)
    show("template copies not matched", scores["templates"]["copies_missed"], lambda c: f"{c['url']} of {c['of']}")
    show("variant groups", scores["variants"]["details"], lambda v: json.dumps(v, ensure_ascii=False))
    show("wrong origins, dates lie", scores["dates"]["details"], lambda v: json.dumps(v, ensure_ascii=False))
    show("wire clusters not attributed to the agency", scores["wire"]["details"],
         lambda v: json.dumps(v, ensure_ascii=False))
    show("other unexpected pairs", scores["other"]["details"], lambda p: pair(p) + f" {p['roles']}")
    show("expected pairs not in one cluster", scores["expected"]["missed"],
         lambda p: f"{p['a']}  ~  {p['b']} {p['roles']}")
    return "\n".join(out)


def summary(truth: dict) -> str:
    roles: dict[str, int] = defaultdict(int)
    for r in truth["pages"]:
        roles[r["role"]] += 1
    return (f"{len(truth['pages'])} pages (seed {truth['seed']}): "
            + ", ".join(f"{k} {v}" for k, v in sorted(roles.items(), key=lambda kv: -kv[1]))
            + (f"; left out: {', '.join(truth['dropped'])}" if truth.get("dropped") else ""))


def run(sources: Sources | Path | str, workdir: Path | str, seed: int = 1, workers: int = 2,
        scale: Scale = FULL) -> dict:
    """Build the corpus from ``sources`` (or a ``../shared/corpora`` folder), scan it, score it."""
    start = time.perf_counter()
    if not isinstance(sources, Sources):
        sources = load_shared(sources)
    folder = Path(workdir)
    truth = build(sources, folder, seed=seed, scale=scale)
    built = time.perf_counter() - start
    db, seconds = run_scan(folder / "corpus.jsonl", folder, workers)
    scores = score(db, truth)
    scores["summary"] = summary(truth)
    scores["seconds"] = {"build": round(built, 1), "scan": round(seconds, 1)}
    return scores


def report(scores: dict, details: bool = True) -> str:
    head = (f"Real crawl: {scores['summary']}; built in {scores['seconds']['build']:.0f} s, "
            f"scanned in {scores['seconds']['scan']:.0f} s")
    text = head + "\n" + table(scores)
    more = problems(scores) if details else ""
    return text + ("\n\n" + more if more else "")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED,
                        help="the folder holding article-extraction-benchmark/, readability-test-pages/ and "
                             "trafilatura-test-pages/ (default: ../shared/corpora beside the clone)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--out", type=Path, help="keep corpus.jsonl, truth.json and the database here")
    parser.add_argument("--json", action="store_true", help="print the figures (and every pair behind them) as JSON")
    args = parser.parse_args(argv)
    try:
        sources = load_shared(args.shared)
    except FileNotFoundError as exc:
        print(f"realcrawl.py: error: {exc}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.out or Path(tmp)
        scores = run(sources, folder, seed=args.seed, workers=args.workers)
    print(json.dumps(scores, indent=2, ensure_ascii=False, default=str) if args.json else report(scores))
    return 0


if __name__ == "__main__":
    sys.exit(main())
