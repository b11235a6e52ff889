"""Bad values inside pages, and pages too slow to parse (issue 19): none may crash or stall a scan.

Dates no datetime can hold (year 9999 or 1 pushed out of range by their offset,
year 0, year 99999) in meta tags, JSON-LD, ``<time>`` and crawl exports; URLs
no parser can take apart (``http://[oops/page``, a port of 99999, a full-width
solidus, full-width or spaced hosts, IDNA that cannot be encoded) in canonical
links, og:url, the article's links and crawl exports; elements of 80,000
attributes; a page whose parse alone runs for minutes. Each is written by code
into a page carrying the real CNN story of ``sample_corpus/``, and scanned with
the real ``scan`` (both extraction modes) beside the real pages of that story,
so that the bad values also reach matching, clustering and attribution. A bad
value must end as NULL (or an ``errors`` row with a reason), never as a
crashed scan; the good pages are stored and matched as always. No mocks.
"""

from __future__ import annotations

import gzip
import html as html_lib
import json
import os
import shutil
import signal
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from hypothesis import given, settings as hsettings, strategies as st

from conftest import PAGES, SAMPLE_CORPUS, write_jsonl
from syndicate import scan
from syndicate.cli import cli
from syndicate.extract import fast
from syndicate.engines.pool import WorkerPool
from syndicate.extract.article import ExtractionError, attribute_bomb, extract
from syndicate.match.origin import Member, by_dates
from syndicate.read.page import Page, ReadError
from syndicate.read.urls import normalize_url

CNN = SAMPLE_CORPUS / "cnn.com" / "hostage-deal-negotiations.html"
CNN_URL = "https://www.cnn.com/2023/11/10/politics/hostage-deal-negotiations-israel-hamas/index.html"
STORY = {  # the real pages of the story: the CNN original and three reposts (see sample_corpus/README.md)
    "cnn.com": "hostage-deal-negotiations.html",
    "worldnewsroundup.com": "hostage-negotiators-discussing-days-long-fighting-pause.html",
    "nypost.com": "hostage-negotiators-discussing-days-long-fighting-pause.html",
    "albawaba.com": "israel-and-hamas-weigh-days-long-truce.html",
}
MODES = [pytest.param(True, id="fast"), pytest.param(False, id="precise")]

BAD_DATES = {
    "year 9999, offset +14:00": "9999-12-31T23:59:59+14:00",
    "year 9999, offset -05:00 (past 9999 in UTC)": "9999-12-31T23:00:00-05:00",
    "year 1, offset +01:00 (before year 1 in UTC)": "0001-01-01T00:30:00+01:00",
    "year 1, offset -14:00": "0001-01-01T00:00:00-14:00",
    "year 0": "0000-01-01T00:00:00Z",
    "year 99999": "99999-01-01T00:00:00Z",
    "year 9999, a day only": "9999-12-31",
    "a negative year": "-0001-01-01T00:00:00Z",
}
DATE_PLACES = ("article:published_time", "article:modified_time", "JSON-LD", "time datetime")

UNPARSABLE_URLS = {  # urllib cannot take these apart: a canonical or og:url like them is no URL (NULL)
    "unclosed IPv6 bracket": "http://[oops/page",
    "port 99999": "http://example.com:99999/story",
    "full-width solidus in the host": "http://exa\uff0fmple.com/story",
}
ODD_URLS = {  # taken apart, but no host a resolver would take: kept as declared, never a crash
    "full-width host": "http://\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45.com/story",
    "space in the host": "http://exa mple.com/story",
    "IDNA label over 63 characters": "http://" + "\u00e9" * 64 + ".com/story",
    "IDNA with a joiner": "http://a\u200db.com/story",
    "punycode that does not decode": "http://xn--a.com/story",
}
BAD_URLS = {**UNPARSABLE_URLS, **ODD_URLS}
URL_PLACES = ("canonical", "og:url", "link in the text", "source link")

EARLIEST = datetime(1995, 1, 1)


# --- building the crawl ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def paragraphs() -> list[str]:
    """The CNN story's paragraphs, as the extractor reads them from the real page."""
    text = fast.extract(Page(source="cnn", record="", html=CNN.read_bytes())).text
    lines = [line for line in text.split("\n") if len(line.split()) >= 8]
    assert len(lines) >= 10
    return lines


def story_page(paragraphs: list[str], title: str, og_url: str | None, head: str = "", in_article: str = "") -> str:
    """A copy of the story on a small site's chrome, with extra markup in its head and at the top of its article."""
    og = f'<meta property="og:url" content="{html_lib.escape(og_url)}">' if og_url is not None else ""
    body = "\n".join(f"<p>{html_lib.escape(p)}</p>" for p in paragraphs)
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{html_lib.escape(title)}</title>{og}'
            f"{head}</head><body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav><article>"
            f"<h1>{html_lib.escape(title)}</h1>{in_article}{body}</article><footer>© Copy Media</footer></body></html>")


def date_markup(place: str, value: str) -> tuple[str, str]:
    """(head, article) markup declaring ``value`` as a date in ``place``."""
    v = html_lib.escape(value)
    if place == "JSON-LD":
        ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Hostage talks",
              "datePublished": value, "dateModified": value, "dateCreated": value}
        return f'<script type="application/ld+json">{json.dumps(ld)}</script>', ""
    if place == "time datetime":
        return "", f'<p class="dateline"><time datetime="{v}" pubdate>Published</time></p>'
    return f'<meta property="{place}" content="{v}">', ""


def url_markup(place: str, value: str) -> tuple[str, str]:
    v = html_lib.escape(value)
    if place == "canonical":
        return f'<link rel="canonical" href="{v}">', ""
    if place == "link in the text":
        return "", f'<p>As <a href="{v}">the broadcaster reported</a>, talks went on through the night.</p>'
    if place == "source link":
        return "", f'<p>Source: <a href="{v}">CNN</a>. Read the full article <a href="{v}">here</a>.</p>'
    return "", ""


def copy_story(folder: Path) -> None:
    for site, name in STORY.items():
        (folder / site).mkdir(parents=True, exist_ok=True)
        shutil.copy(SAMPLE_CORPUS / site / name, folder / site / name)


def date_pages(folder: Path, paragraphs: list[str]) -> dict[str, str]:
    """One page a (bad date, place), each on its own site; returns URL -> what it carries."""
    folder.mkdir(parents=True, exist_ok=True)
    made = {}
    for i, (what, value) in enumerate(BAD_DATES.items()):
        for j, place in enumerate(DATE_PLACES):
            url = f"https://dates-{i}-{j}.example/world/hostage-talks"
            head, top = date_markup(place, value)
            (folder / f"date-{i}-{j}.html").write_text(story_page(paragraphs, "Hostage talks", url, head, top),
                                                       encoding="utf-8")
            made[url] = f"{what} in {place}"
    return made


def url_pages(folder: Path, paragraphs: list[str]) -> dict[str, tuple[str, str, str]]:
    """One page a (bad URL, place); returns file name -> (place, name of the URL, the URL)."""
    folder.mkdir(parents=True, exist_ok=True)
    made = {}
    for i, (what, value) in enumerate(BAD_URLS.items()):
        for j, place in enumerate(URL_PLACES):
            og = value if place == "og:url" else f"https://urls-{i}-{j}.example/world/hostage-talks"
            head, top = url_markup(place, value)
            name = f"url-{i}-{j}.html"
            (folder / name).write_text(story_page(paragraphs, "Hostage talks", og, head, top), encoding="utf-8")
            made[name] = (place, what, value)
    return made


def query(db: Path, sql: str, *params: object) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def story_cluster(db: Path) -> set[str]:
    """The URLs of the cluster holding the CNN original; it must be attributed to it."""
    rows = query(db, """SELECT d.url FROM clusters c JOIN documents d USING (doc_id)
                        WHERE c.cluster_id = (SELECT c2.cluster_id FROM clusters c2 JOIN documents d2 USING (doc_id)
                                              WHERE d2.url = ?)""", CNN_URL)
    origin = query(db, """SELECT o.origin_url FROM origins o JOIN clusters c USING (cluster_id)
                          JOIN documents d USING (doc_id) WHERE d.url = ?""", CNN_URL)
    assert origin == [(CNN_URL,)]
    return {url for (url,) in rows}


def assert_story_matched(db: Path) -> set[str]:
    """The four real pages of the story stored and clustered together, attributed to CNN."""
    members = story_cluster(db)
    sources = {s for (s,) in query(db, "SELECT source FROM documents d JOIN clusters c USING (doc_id) WHERE url IN "
                                       f"({', '.join('?' * len(members))})", *members)}
    for site, name in STORY.items():
        assert any(s.endswith(f"{site}/{name}") for s in sources), site
    return members


def plausible(when: datetime | None) -> bool:
    return when is None or EARLIEST <= when <= datetime.now() + timedelta(days=2)


# --- bad dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize("fast_mode", MODES)
def test_dates_no_datetime_can_hold_become_null_and_the_story_is_matched(tmp_path, paragraphs, fast_mode):
    crawl = tmp_path / "crawl"
    copy_story(crawl)
    made = date_pages(crawl / "copies", paragraphs)
    summary = scan([crawl], tmp_path / "s.duckdb", workers=2, fast=fast_mode)
    assert summary.status == "ok" and not summary.errors, summary.errors
    rows = {url: (published, modified) for url, published, modified in query(
        tmp_path / "s.duckdb", "SELECT url, published_at, modified_at FROM documents")}
    for url, what in made.items():
        assert url in rows, what
        assert plausible(rows[url][0]) and plausible(rows[url][1]), (what, rows[url])
    members = assert_story_matched(tmp_path / "s.duckdb")
    assert set(made) <= members  # the pages with bad dates went through matching and attribution


CRAWL_TIMES = {  # as a crawl export writes them: what the readers take is stored, what they refuse is an error row
    "year 9999, UTC": "9999-12-31T23:59:59Z",
    "year 9999, offset +14:00": "9999-12-31T23:59:59+14:00",
    "year 9999, offset -05:00": "9999-12-31T23:00:00-05:00",
    "year 1, UTC": "0001-01-01T00:00:00Z",
    "year 1, offset -14:00": "0001-01-01T00:00:00-14:00",
    "year 1, offset +01:00": "0001-01-01T00:30:00+01:00",
    "year 0": "0000-01-01T00:00:00Z",
    "year 99999": "99999-01-01T00:00:00Z",
    "Unix seconds of 9999-12-31": 253402300799,
    "Unix seconds past 9999": 10**12,
    "Unix seconds before year 1": -10**12,
}


@pytest.mark.parametrize("fast_mode", MODES)
def test_crawl_times_at_the_ends_of_the_calendar_do_not_break_attribution(tmp_path, paragraphs, fast_mode):
    """What the readers keep of these (a fetch time of 9999-12-31 is kept as given) reaches attribution, which once
    overflowed on it; what they refuse is an error row of its record."""
    crawl = tmp_path / "crawl"
    copy_story(crawl)
    records = []
    for i, value in enumerate(CRAWL_TIMES.values()):
        for field in ("fetched_at", "published_at"):
            url = f"https://feed-{i}-{field[0]}.example/2023/11/10/hostage-talks"
            records.append({"url": url, "html": story_page(paragraphs, "Hostage talks", url), field: value})
    write_jsonl(crawl / "export.jsonl", records)
    db = tmp_path / "s.duckdb"
    summary = scan([crawl], db, workers=1, fast=fast_mode)
    assert summary.status in ("ok", "completed_with_errors")
    stored = {url: published for url, published in query(db, "SELECT url, published_at FROM documents")}
    failed = {record: reason for record, reason in query(db, "SELECT record, reason FROM errors")}
    for n, record in enumerate(records, 1):
        assert record["url"] in stored or (failed.get(f"line {n}") or "").startswith("bad '"), record
        assert plausible(stored.get(record["url"]))
    assert {r["url"] for r in records if r["url"] in stored} <= assert_story_matched(db)


def test_attribution_weighs_fetch_times_at_the_end_of_the_calendar():
    """A stored fetch time of 9999-12-31 23:00 (a crawl's, read as given) once overflowed ``fetched_at + 1 day``."""
    last = datetime(9999, 12, 31, 23, 0)
    members = [Member(1, "https://a.example/2023/11/10/story", "a.example", None, datetime(2023, 11, 10, 9), last, 500),
               Member(2, "https://b.example/story", "b.example", None, last, last, 500),
               Member(3, "https://c.example/story", "c.example", None, datetime(2023, 11, 11, 9), datetime(1, 1, 1), 500)]
    origin = by_dates(7, members)  # page 3's date is after its fetch time (year 1), which then dates it
    assert (origin.origin_doc_id, origin.method) == (3, "earliest_date") and "dated by its fetch" in origin.evidence
    origin = by_dates(7, members[:2])  # page 2's date (9999) is no later than its fetch (9999): page 1 is earlier
    assert (origin.origin_doc_id, origin.method) == (1, "earliest_date")


# --- bad URLs ------------------------------------------------------------------------------------


@pytest.mark.parametrize("fast_mode", MODES)
def test_urls_no_parser_can_read_are_dropped_and_the_story_is_matched(tmp_path, paragraphs, fast_mode):
    crawl = tmp_path / "crawl"
    copy_story(crawl)
    made = url_pages(crawl / "copies", paragraphs)
    db = tmp_path / "s.duckdb"
    summary = scan([crawl], db, workers=2, fast=fast_mode)
    assert summary.status == "ok" and not summary.errors, summary.errors
    rows = {Path(source).name: (url, canonical) for source, url, canonical in query(
        db, "SELECT source, url, canonical_url FROM documents")}
    for name, (place, what, value) in made.items():
        assert name in rows, (place, what)
        url, canonical = rows[name]
        if place == "canonical":
            assert canonical == (None if what in UNPARSABLE_URLS else value), (what, canonical)
        if place == "og:url":
            assert (url == value) == (what not in UNPARSABLE_URLS), (what, url)  # else the file's own URL
    assert len(assert_story_matched(db)) == len(STORY) + len(made)  # the copies with bad URLs matched too
    pointers = {url for (url,) in query(db, "SELECT url FROM evidence WHERE url IS NOT NULL")}
    assert not pointers & set(UNPARSABLE_URLS.values())  # no source link or canonical to a URL that is none


@pytest.mark.parametrize("fast_mode", MODES)
def test_bad_urls_in_a_crawl_export_are_stored_as_given(tmp_path, paragraphs, fast_mode):
    crawl = tmp_path / "crawl"
    copy_story(crawl)
    records = [{"url": value, "html": story_page(paragraphs, "Hostage talks", None,
                                                 f'<link rel="canonical" href="{html_lib.escape(value)}">'),
                "fetched_at": "2023-11-11T08:00:00Z"} for value in BAD_URLS.values()]
    write_jsonl(crawl / "export.jsonl", records)
    db = tmp_path / "s.duckdb"
    summary = scan([crawl], db, workers=1, fast=fast_mode)
    assert summary.status == "ok", summary.errors
    stored = {u for (u,) in query(db, "SELECT crawled_url FROM documents")}
    assert set(BAD_URLS.values()) <= stored
    assert_story_matched(db)


def test_the_command_line_scans_bad_values_without_a_traceback(tmp_path, paragraphs):
    crawl = tmp_path / "crawl"
    copy_story(crawl)
    head = (f'<meta property="article:modified_time" content="{BAD_DATES["year 9999, offset -05:00 (past 9999 in UTC)"]}">'
            f'<link rel="canonical" href="{UNPARSABLE_URLS["unclosed IPv6 bracket"]}">')
    (crawl / "bad.html").write_text(story_page(paragraphs, "Hostage talks", "https://bad.example/story", head,
                                               '<p>Source: <a href="http://[oops/page">CNN</a></p>'), encoding="utf-8")
    result = CliRunner().invoke(cli, ["scan", str(crawl), "--db", str(tmp_path / "c.duckdb"), "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output and "5 pages read (5 new" in result.output
    assert query(tmp_path / "c.duckdb", "SELECT modified_at, canonical_url FROM documents WHERE url = ?",
                 "https://bad.example/story") == [(None, None)]


# --- pages too slow to parse ---------------------------------------------------------------------


def element(kind: str, count: int) -> str:
    """A ``<div>`` of ``count`` distinct attributes."""
    if kind == "separated by slashes":
        return "<div/" + "/".join(f"a{i}" for i in range(count)) + f"><p>{'word ' * 60}</p></div>"
    names = {"with values": lambda i: f'data-a{i}="{i}"', "without values": lambda i: f"data-a{i}"}
    return "<div " + " ".join(map(names[kind], range(count))) + f"><p>{'word ' * 60}</p></div>"


def attributes_page(kind: str, count: int = 80_000, elements: int = 1) -> bytes:
    return (f"<html><head><title>Attributes</title></head><body>{element(kind, count) * elements}</body></html>").encode()


@pytest.mark.parametrize("fast_mode", MODES)
@pytest.mark.parametrize("kind", ["with values", "without values", "separated by slashes"])
def test_an_element_of_80000_attributes_is_refused_before_parsing(tmp_path, fast_mode, kind):
    """lxml and lexbor read an element's attributes in quadratic time: the page took 31-71 s; now an error row."""
    crawl = tmp_path / "crawl"
    copy_story(crawl)
    (crawl / "attributes.html").write_bytes(attributes_page(kind))
    summary = scan([crawl], tmp_path / "s.duckdb", workers=2, fast=fast_mode)
    assert [(Path(e.source).name, e.kind, e.reason) for e in summary.errors] == [
        ("attributes.html", "extract", "not parseable as HTML: an element with over 10,000 attributes")]
    assert_story_matched(tmp_path / "s.duckdb")


def test_the_attribute_guard_passes_real_pages_and_catches_bombs():
    real = [p.read_bytes() for p in sorted(SAMPLE_CORPUS.rglob("*.html"))]
    real += [gzip.decompress(p.read_bytes()) for p in sorted(SAMPLE_CORPUS.rglob("*.html.gz")) + sorted(PAGES.glob("*.gz"))]
    assert len(real) >= 25
    for html in real:
        assert not attribute_bomb(html) and not attribute_bomb(html.decode("utf-8", "replace"))
    for kind in ("with values", "without values", "separated by slashes"):
        assert attribute_bomb(attributes_page(kind, 10_001)) and attribute_bomb(attributes_page(kind, 10_001).decode())
        assert not attribute_bomb(attributes_page(kind, 9_000))
        # the parsers' work is quadratic in each element's attributes: ten elements of 3,200 cost more than one of 10,000
        assert attribute_bomb(attributes_page(kind, 3_200, elements=10))
        assert not attribute_bomb(attributes_page(kind, 3_000, elements=10))


def options_page(count: int = 150_000) -> str:
    """A ``<select>`` of 150,000 options: lexbor (the fast mode's parser) reads them in quadratic time, minutes in one
    C call, which the worker's own SIGALRM cannot interrupt."""
    return ("<html><head><title>Pick one</title></head><body><p>" + "Choose your city from the list. " * 5 +
            "</p><select>" + "<option>x</option>" * count + "</select></body></html>")


@pytest.mark.parametrize("workers", [1, 2])
def test_a_page_whose_parse_outlasts_the_limit_is_stopped_and_the_rest_is_stored(tmp_path, workers):
    crawl = tmp_path / "crawl"
    copy_story(crawl)
    (crawl / "0-options.html").write_text(options_page(), encoding="utf-8")  # first: its chunk's other pages re-run
    summary = scan([crawl], tmp_path / "s.duckdb", workers=workers, page_timeout=1.0, fast=True)
    assert summary.status == "completed_with_errors"
    assert [(Path(e.source).name, e.kind, e.reason) for e in summary.errors] == [
        ("0-options.html", "timeout", "extraction took longer than 1 s (--page-timeout); page abandoned")]
    assert summary.articles == len(STORY)
    assert_story_matched(tmp_path / "s.duckdb")


def test_a_worker_that_dies_costs_only_the_page_it_was_on(paragraphs):
    """A worker killed from outside (the out-of-memory killer, a crash in a C library) is replaced; its page is an
    error row, the rest of its chunk is extracted by the new worker."""
    pool = WorkerPool(1, fast=True, timeout=600)
    try:
        story = [Page(source=f"copy-{i}", record="", url=f"https://copy-{i}.example/story",
                      html=story_page(paragraphs, "Hostage talks", None).encode()) for i in range(3)]
        submission = pool.submit([Page(source="options", record="", html=options_page().encode())] + story)
        while not (pool.workers and pool.workers[0].chunk):  # started (by the pool thread) and handed out: the worker is on the slow page, the others wait behind it
            time.sleep(0.01)
        os.kill(pool.workers[0].process.pid, signal.SIGKILL)
        results = submission.get()
    finally:
        pool.terminate()
        pool.join()
    assert isinstance(results[0], ReadError) and (results[0].kind, results[0].reason) == (
        "extract", "extraction crashed the worker process (killed by SIGKILL); page abandoned")
    assert [r.article.url for r in results[1:]] == [p.url for p in story]


def test_a_bug_in_a_worker_reaches_the_scan_with_its_traceback():
    """Not a page's fault, so not an error row: the exception is raised where the results are read, as before."""
    pool = WorkerPool(1, fast=True, timeout=5)
    try:
        submission = pool.submit(["not a page"])  # type: ignore[list-item]
        with pytest.raises(AttributeError) as raised:
            submission.get()
    finally:
        pool.terminate()
        pool.join()
    assert "Traceback" in str(raised.value.__cause__) and "process_page" in str(raised.value.__cause__)


# --- binary pages, as read.sniff judges them -----------------------------------------------------


@pytest.mark.parametrize("fast_mode", MODES)
def test_the_extractors_judge_binary_content_as_the_readers_do(fast_mode, paragraphs):
    run = fast.extract if fast_mode else extract
    page = story_page(paragraphs, "Hostage talks", "https://nul.example/story").encode()
    article = run(Page(source="p", record="", html=page.replace(b" the ", b" the\x00 ", 3)))  # a few NULs: a page
    assert article.has_article
    with pytest.raises(ExtractionError, match="^binary content, not HTML: a PNG image$"):
        run(Page(source="p", record="", html=b"\x89PNG\r\n\x1a\n" + page))
    with pytest.raises(ExtractionError, match="^binary content, not HTML: .* are control bytes$"):
        run(Page(source="p", record="", html=bytes(range(32)) * 200))


# --- any values, through the whole pipeline ------------------------------------------------------

EDGE_DATES = [*BAD_DATES.values(), *[v for v in CRAWL_TIMES.values() if isinstance(v, str)], "", " ", "T", "2023-02-30",
              "2023-11-10T25:61:00Z", "Fri, 31 Dec 9999 23:59:59 -0500", "Mon, 01 Jan 0001 00:00:00 +0100", "NaN"]
EDGE_URLS = [*BAD_URLS.values(), "", "/", "//", "http://", "https://[::1]:0/", "http://[::1", "http://]/", "[oops",
             "javascript:alert(1)", "http://x.example:/a", "http://x.example:-1/", "http://%zz/", "http://a..b/",
             "https://example.com/\ud800", "http://\u0000.example/"]


@st.composite
def dates(draw: st.DrawFn) -> str:
    kind = draw(st.integers(0, 2))
    if kind == 0:
        return draw(st.sampled_from(EDGE_DATES))
    if kind == 1:
        return draw(st.text(max_size=40))
    year, month, day = draw(st.integers(-10, 100_000)), draw(st.integers(0, 13)), draw(st.integers(0, 32))
    minutes = draw(st.integers(-24 * 60, 24 * 60))
    sign = "-" if minutes < 0 else "+"
    return f"{year:04d}-{month:02d}-{day:02d}T23:59:59{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


@st.composite
def urls(draw: st.DrawFn) -> str:
    kind = draw(st.integers(0, 2))
    if kind == 0:
        return draw(st.sampled_from(EDGE_URLS))
    if kind == 1:
        return draw(st.text(max_size=60))
    scheme = draw(st.sampled_from(["http", "https", "HTTPS", "ftp", "file", ""]))
    host = draw(st.one_of(st.text(min_size=1, max_size=20), st.sampled_from(["example.com", "[oops", "[::1]", "a b",
                                                                             "\uff45.com", "xn--a", "é" * 70])))
    port = draw(st.one_of(st.just(""), st.integers(-5, 10**6).map(lambda p: f":{p}"), st.text(max_size=5).map(":".__add__)))
    path = draw(st.text(max_size=20))
    return f"{scheme}://{host}{port}/{path}"


def any_page(paragraphs: list[str], date: str, url: str, name: str, junk: bytes) -> bytes:
    head = (f'<meta property="article:published_time" content="{html_lib.escape(date)}">'
            f'<meta property="article:modified_time" content="{html_lib.escape(date)}">'
            f'<meta name="author" content="{html_lib.escape(name)}">'
            f'<meta property="og:site_name" content="{html_lib.escape(name)}">'
            f'<link rel="canonical" href="{html_lib.escape(url)}">'
            '<script type="application/ld+json">' + json.dumps(
                {"@type": "NewsArticle", "headline": name, "datePublished": date, "dateModified": date, "url": url,
                 "author": {"@type": "Person", "name": name}, "publisher": {"@type": "Organization", "name": name}})
            + "</script>")
    top = (f'<p>By {html_lib.escape(name)} <time datetime="{html_lib.escape(date)}">then</time></p>'
           f'<p>Source: <a href="{html_lib.escape(url)}">{html_lib.escape(name)}</a></p>')
    page = story_page(paragraphs[:6], name or "Untitled", url, head, top).encode("utf-8", "surrogatepass")
    middle = len(page) // 2
    return page[:middle] + junk + page[middle:]


@given(
    pages=st.lists(st.tuples(dates(), urls(), st.text(max_size=40), st.binary(max_size=64)), min_size=1, max_size=3),
    records=st.lists(st.tuples(st.one_of(urls(), st.integers(), st.none()), st.one_of(dates(), st.integers(), st.floats(),
                                                                                      st.none()),
                               st.one_of(dates(), st.integers(-10**13, 10**13), st.none()), st.text(max_size=40)),
                     min_size=1, max_size=3),
    fast_mode=st.booleans(),
)
@hsettings(max_examples=30, deadline=None)
def test_any_dates_urls_names_and_bytes_through_the_whole_pipeline(paragraphs, pages, records, fast_mode):
    with tempfile.TemporaryDirectory() as tmp:
        crawl = Path(tmp) / "crawl"
        (crawl / "albawaba.com").mkdir(parents=True)
        control = crawl / "albawaba.com" / STORY["albawaba.com"]
        shutil.copy(SAMPLE_CORPUS / "albawaba.com" / STORY["albawaba.com"], control)
        for i, (date, url, name, junk) in enumerate(pages):
            (crawl / f"page-{i}.html").write_bytes(any_page(paragraphs, date, url, name, junk))
        lines = []
        for url, published, fetched, name in records:
            record = {"url": url, "html": any_page(paragraphs, str(published), str(url), name, b"").decode(
                "utf-8", "surrogatepass"), "published_at": published, "fetched_at": fetched}
            lines.append(json.dumps(record, ensure_ascii=True))
        (crawl / "export.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        db = Path(tmp) / "s.duckdb"

        summary = scan([crawl], db, workers=1, fast=fast_mode)

        assert summary.status in ("ok", "completed_with_errors")
        stored = set(query(db, "SELECT source, record FROM documents"))
        failed = {(s, r): reason for s, r, reason in query(db, "SELECT source, record, reason FROM errors")}
        assert all(reason and "\n" not in reason for reason in failed.values())
        assert (str(control), "") in stored
        given_urls = [url.strip() for _, url, _, _ in pages] + [url.strip() for url, *_ in records if isinstance(url, str)]

        def twin(url: object) -> bool:
            """Another page of the crawl has this URL: one of the two is stored, the later crawl winning."""
            return isinstance(url, str) and bool(url.strip()) and sum(
                normalize_url(u) == normalize_url(url.strip()) for u in given_urls) > 1

        for i, (_, url, _, _) in enumerate(pages):
            key = (str(crawl / f"page-{i}.html"), "")
            assert key in stored or key in failed or twin(url), (key, url)
        for n, (url, *_) in enumerate(records, 1):
            key = (str(crawl / "export.jsonl"), f"line {n}")
            assert key in stored or key in failed or twin(url), (key, url)
