"""Hostile input: a fuzzed crawl never crashes a run, never changes what is stored, always leaves a reason."""

from __future__ import annotations

import gzip
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from hostile import ROOT, write_hostile_corpus
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from syndicate import scan
from syndicate.extract.article import ExtractionError, extract
from syndicate.read.http import Undecodable, decode_body, parse_headers
from syndicate.read.page import Page, ReadError
from syndicate.read.files import read_html_file, read_jsonl
from syndicate.text import normalize, token_stream, tokens
from syndicate.read.warc import read_warc

GOOD_SITES = ["cnn.com", "nypost.com", "worldnewsroundup.com", "deccanherald.com", "albawaba.com", "jpost.com"]


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    good = root / "good"
    for site in GOOD_SITES:
        shutil.copytree(ROOT / "sample_corpus" / site, good / site)
    rejected, survived = write_hostile_corpus(root / "bad")
    return good, root / "bad", rejected, survived


def snapshot(db: Path, urls: set[str] | None = None) -> dict:
    """What a user reads of the good pages: their documents, matches, clusters and origins, keyed by URL."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        url = dict(con.execute("SELECT doc_id, url FROM documents").fetchall())
        keep = (lambda u: u in urls) if urls is not None else (lambda u: True)
        docs = {r[0]: r[1:] for r in con.execute(
            "SELECT url, title, text, word_count, shingle_count, status, published_at, canonical_url FROM documents"
        ).fetchall() if keep(r[0])}
        matches = {tuple(sorted((url[a], url[b]))): (s, c, k) for a, b, s, c, k in con.execute(
            "SELECT doc_a, doc_b, similarity, containment, kind FROM matches").fetchall()
            if keep(url[a]) and keep(url[b])}
        members: dict[int, set[str]] = {}
        for doc_id, cluster_id in con.execute("SELECT doc_id, cluster_id FROM clusters").fetchall():
            if keep(url[doc_id]):
                members.setdefault(cluster_id, set()).add(url[doc_id])
        origins = {frozenset(members[c]): (u, m, p) for c, u, m, p in con.execute(
            "SELECT cluster_id, origin_url, method, publisher FROM origins").fetchall() if c in members}
        clusters = {frozenset(m) for m in members.values() if len(m) > 1}
        return {"documents": docs, "matches": matches, "clusters": clusters, "origins": origins}
    finally:
        con.close()


def errors(db: Path) -> list[tuple[str, str, str]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT source, record, reason FROM errors").fetchall()
    finally:
        con.close()


def test_hostile_crawl_completes_and_good_pages_match_as_if_alone(crawl, tmp_path):
    good, bad, rejected, survived = crawl
    clean = scan([good], tmp_path / "clean.duckdb", workers=2)
    mixed = scan([good, bad], tmp_path / "mixed.duckdb", workers=2)
    assert clean.status == "ok" and clean.new_matches >= 4
    assert mixed.status == "completed_with_errors"
    reference = snapshot(tmp_path / "clean.duckdb")
    assert reference["clusters"], "the good pages hold a syndicated story"
    assert snapshot(tmp_path / "mixed.duckdb", set(reference["documents"])) == reference

    rows = errors(tmp_path / "mixed.duckdb")
    for name, what in rejected.items():
        mine = [r for r in rows if Path(r[0]).name == name]
        assert mine, f"{name} ({what}) left no row in errors"
    for source, record, reason in rows:
        assert reason and "\n" not in reason and len(reason) < 300, (source, reason)
    jsonl_errors = [r for r in rows if r[0].endswith("broken.jsonl")]
    assert len(jsonl_errors) >= 5  # cut line, non-object, wrong types, no html, binary junk

    # hostile but readable pages are stored, and none of them joins a good page's cluster
    con = duckdb.connect(str(tmp_path / "mixed.duckdb"), read_only=True)
    sources = {Path(s).name for (s,) in con.execute("SELECT source FROM documents").fetchall()}
    con.close()
    for name in survived:
        assert name.split("#")[0] in sources, f"{name} ({survived[name]}) was not stored"


def test_hostile_scan_changes_nothing_already_stored(crawl, tmp_path):
    good, bad, _, _ = crawl
    db = tmp_path / "nightly.duckdb"
    scan([good], db, workers=1)
    before = snapshot(db)
    summary = scan([bad], db, workers=2)
    assert summary.status == "completed_with_errors" and summary.pages_failed >= 10
    assert snapshot(db, set(before["documents"])) == before


def test_cli_reports_completed_with_errors_and_one_line_reasons(crawl, tmp_path):
    _, bad, rejected, _ = crawl
    done = subprocess.run([sys.executable, "-m", "syndicate", "scan", str(bad), "--db", str(tmp_path / "c.duckdb")],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 3, done.stderr
    skipped = [line for line in done.stderr.splitlines() if line.startswith("skipped ")]
    assert len(skipped) >= len(rejected)
    assert "\x1b" not in done.stderr and "\x00" not in done.stderr  # control characters from URLs shown escaped


def _slow_page() -> bytes:
    """A 9 MB page of 150,000 tiny paragraphs: trafilatura needs tens of seconds for it."""
    cells = "".join(f"<p>Paragraph {i} of a page that is far too long.</p>" for i in range(150_000))
    return f"<html><head><title>Slow</title></head><body><article>{cells}</article></body></html>".encode()


def test_a_page_slower_than_the_limit_is_abandoned_and_the_workers_go_on(tmp_path):
    folder = tmp_path / "crawl"
    shutil.copytree(ROOT / "sample_corpus" / "nypost.com", folder / "nypost.com")  # pages of 0.1-0.3 s
    (folder / "slow.html").write_bytes(_slow_page())
    summary = scan([folder], tmp_path / "t.duckdb", workers=2, page_timeout=4.0, fast=False)  # trafilatura: minutes
    reasons = [(e.kind, e.reason) for e in summary.errors]
    assert reasons == [("timeout", "extraction took longer than 4 s (--page-timeout); page abandoned")]
    assert summary.articles == 2  # both real pages extracted by the same workers


# --- properties of the readers and the normaliser over arbitrary input --------------------------

@given(st.binary(max_size=3000))
@hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_bytes_named_html_give_a_page_or_one_error(tmp_path, data):
    path = tmp_path / "page.html.gz"
    path.write_bytes(data)
    items = list(read_html_file(path))
    assert len(items) == 1
    item = items[0]
    if isinstance(item, ReadError):
        assert item.reason and "\n" not in item.reason
    else:
        try:
            article = extract(item)
        except ExtractionError as exc:
            assert str(exc) and "\n" not in str(exc)
        else:
            assert isinstance(article.text, str)


@given(st.binary(max_size=2000))
@hsettings(max_examples=150, deadline=None)
def test_any_bytes_extract_to_an_article_or_an_extraction_error(data):
    try:
        article = extract(Page(source="fuzz", record="", html=data, fallback_url="https://fuzz.example/"))
    except ExtractionError as exc:
        assert str(exc) and "\n" not in str(exc)
    else:
        assert "\x00" not in article.text or article.text


jsonl_lines = st.one_of(
    st.text(max_size=200).map(lambda s: s.replace("\n", " ")),
    st.fixed_dictionaries({}, optional={
        "url": st.one_of(st.text(max_size=40), st.integers(), st.none(), st.lists(st.integers(), max_size=2)),
        "html": st.one_of(st.text(max_size=200), st.integers(), st.none()),
        "text": st.one_of(st.text(max_size=200), st.booleans()),
        "fetched_at": st.one_of(st.text(max_size=30), st.floats(allow_nan=True), st.integers()),
        "title": st.one_of(st.text(max_size=30), st.integers()),
    }).map(lambda d: __import__("json").dumps(d)),
)


@given(st.lists(jsonl_lines, max_size=12), st.booleans())
@hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_jsonl_gives_pages_and_one_line_errors(tmp_path, lines, gzipped):
    data = ("\n".join(lines) + "\n").encode("utf-8", errors="surrogatepass")
    path = tmp_path / ("x.jsonl.gz" if gzipped else "x.jsonl")
    path.write_bytes(gzip.compress(data) if gzipped else data)
    items = list(read_jsonl(path))
    assert len(items) <= len(lines) + 1
    for item in items:
        assert isinstance(item, (Page, ReadError))
        if isinstance(item, ReadError):
            assert item.reason and "\n" not in item.reason


@given(st.binary(max_size=4000))
@hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_bytes_named_warc_never_raise(tmp_path, data):
    path = tmp_path / "x.warc"
    path.write_bytes(b"WARC/1.0\r\n" + data)
    for item in read_warc(path):
        assert isinstance(item, (Page, ReadError))


codings = st.lists(st.sampled_from(["chunked", "gzip", "x-gzip", "deflate", "br", "zstd", "identity", "bogus", ""]),
                   max_size=3).map(", ".join)


@given(st.lists(st.binary(max_size=60), max_size=8), st.binary(max_size=2000), codings, codings)
@hsettings(max_examples=200, deadline=None)
def test_any_http_headers_and_body_decode_or_say_why(lines, body, transfer, content):
    headers = parse_headers(lines)
    assert all(k == k.lower() for k in headers)
    try:
        decoded = decode_body(body, {"transfer-encoding": transfer, "content-encoding": content})
    except Undecodable as exc:
        assert str(exc) and "\n" not in str(exc)
    else:
        assert isinstance(decoded, bytes)


@given(st.text(max_size=500))
@hsettings(max_examples=300, deadline=None)
def test_normaliser_is_total_and_tokens_are_clean(text):
    words = tokens(text)
    for w in words:
        assert w and not any(c.isspace() for c in w)
    stream = token_stream(text).decode("utf-8")
    assert stream.split() == words
    assert tokens(" ".join(words)) == words  # tokens of tokens are themselves
    assert normalize(text) == normalize(text)
