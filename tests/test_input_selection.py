"""Which files a scan reads: crawler-named pages found by content, skipped files counted, patterns, file lists,
and no silent success on empty input."""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from conftest import SAMPLE_CORPUS
from syndicate import scan
from syndicate.cli import cli
from syndicate.errors import EmptyInputError
from syndicate.read.select import Selection, looks_like_html, not_a_page

CNN = SAMPLE_CORPUS / "cnn.com" / "hostage-deal-negotiations.html"
NYPOST = next((SAMPLE_CORPUS / "nypost.com").glob("*.html"))
TRUMP = SAMPLE_CORPUS / "cnn.com" / "donald-trump-health-walter-reed.html.gz"
ALBAWABA = sorted((SAMPLE_CORPUS / "albawaba.com").glob("*.html"))[0]
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))


@pytest.fixture
def crawl(tmp_path):
    """Real pages saved under the names crawlers give them, beside files that are not pages."""
    root = tmp_path / "crawl"
    (root / "news" / "2023").mkdir(parents=True)
    (root / "assets").mkdir()
    shutil.copy(CNN, root / "index.html?p=2")
    (root / "news" / "story.php").write_bytes(gzip.decompress(TRUMP.read_bytes()))
    shutil.copy(NYPOST, root / "news" / "2023" / "hostage-talks")  # no extension
    (root / "news" / "page.xhtml").write_bytes(b'<?xml version="1.0" encoding="utf-8"?>\n' + ALBAWABA.read_bytes())
    (root / "assets" / "logo.png").write_bytes(PNG)
    (root / "assets" / "photo").write_bytes(PNG)  # an image without a name that says so
    (root / "assets" / "site.css").write_text("body { color: red }")
    (root / "assets" / "notes").write_text("plain notes, no markup at all\n" * 20)
    return root


def db_rows(db: Path, query: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(query).fetchall()
    finally:
        con.close()


def test_pages_under_crawler_names_are_read_by_content_and_the_rest_counted(crawl, tmp_path):
    db = tmp_path / "s.duckdb"
    summary = scan([crawl], db, workers=1)
    sources = {Path(s).name for (s,) in db_rows(db, "SELECT source FROM documents")}
    assert sources == {"index.html?p=2", "story.php", "hostage-talks", "page.xhtml"}
    assert summary.pages_new == 4 and summary.pages_failed == 0
    assert summary.files_skipped == {"not a page (.png)": 1, "not a page (a PNG image)": 1,
                                     "not a page (.css)": 1, "not a page (no HTML in its first 8 KiB)": 1}
    assert summary.line().endswith("; 4 files skipped: 1 not a page (.css), 1 not a page (.png), "
                                   "1 not a page (a PNG image), 1 not a page (no HTML in its first 8 KiB)")
    assert db_rows(db, "SELECT files_skipped FROM runs") == [(4,)]
    assert db_rows(db, "SELECT count(*) FROM errors") == [(0,)]


def test_include_and_exclude_choose_files_and_folders(crawl, tmp_path):
    only_php = scan([crawl], tmp_path / "a.duckdb", workers=1, include=["*.php", "news/2023/*"])
    assert only_php.pages_new == 2 and only_php.files_skipped == {"not included (--include)": 6}
    no_news = scan([crawl], tmp_path / "b.duckdb", workers=1, exclude=["news", "*.png"])
    assert no_news.pages_new == 1
    assert no_news.files_skipped["folders excluded (--exclude)"] == 1
    assert no_news.files_skipped["excluded (--exclude)"] == 1  # logo.png; photo is sniffed
    both = scan([crawl], tmp_path / "c.duckdb", workers=1, include=["news/*"], exclude=["news/2023/*"])
    assert both.pages_new == 2  # story.php and page.xhtml: the exclude wins


def test_an_empty_scan_is_an_error_unless_allowed(tmp_path, crawl):
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(EmptyInputError, match="no pages found in .*empty; pass --allow-empty"):
        scan([empty], tmp_path / "e.duckdb", workers=1)
    assert db_rows(tmp_path / "e.duckdb", "SELECT status FROM runs") == [("failed",)]
    assert scan([empty], tmp_path / "e.duckdb", workers=1, allow_empty=True).pages_read == 0
    only_assets = CliRunner().invoke(cli, ["scan", str(crawl / "assets"), "--db", str(tmp_path / "f.duckdb")])
    assert only_assets.exit_code == 2
    assert only_assets.stderr.strip() == (
        f"error: no pages found in {crawl / 'assets'} (4 files skipped: 1 not a page (.css), 1 not a page (.png), "
        "1 not a page (a PNG image), 1 not a page (no HTML in its first 8 KiB)); pass --allow-empty "
        "(allow_empty=True) to accept an empty scan")
    allowed = CliRunner().invoke(cli, ["scan", str(crawl / "assets"), "--db", str(tmp_path / "f.duckdb"),
                                       "--allow-empty"])
    assert allowed.exit_code == 0 and allowed.stdout.startswith("0 pages read")


def test_a_file_list_from_a_file_or_stdin(crawl, tmp_path):
    listing = tmp_path / "list.txt"
    listing.write_text(f"# tonight's pages\n{crawl / 'news' / 'story.php'}\n\n   \n{crawl / 'index.html?p=2'}\n")
    result = CliRunner().invoke(cli, ["scan", "--from-file", str(listing), "--db", str(tmp_path / "a.duckdb"),
                                      "--workers", "1", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["pages_new"] == 2
    piped = subprocess.run([sys.executable, "-m", "syndicate", "scan", "--from-file", "-", str(crawl / "assets"),
                            "--db", str(tmp_path / "b.duckdb"), "--workers", "1", "--json"],
                           input=f"{crawl / 'news'}\n", capture_output=True, text=True, timeout=120)
    assert piped.returncode == 0, piped.stderr
    assert json.loads(piped.stdout)["pages_new"] == 3  # news/ holds three pages; assets/ none
    nothing = CliRunner().invoke(cli, ["scan", "--db", str(tmp_path / "c.duckdb")])
    assert nothing.exit_code == 2 and "name at least one PATH to scan, or --from-file FILE" in nothing.stderr


def test_a_file_named_on_the_command_line_is_judged_by_content(crawl, tmp_path):
    summary = scan([crawl / "news" / "story.php", crawl / "assets" / "photo"], tmp_path / "a.duckdb", workers=1)
    assert summary.pages_new == 1 and summary.pages_failed == 1
    assert summary.errors[0].reason == ("not a page (a PNG image); expected an HTML page, .jsonl or .warc "
                                        "(optionally .gz)")


@pytest.mark.parametrize("head, html", [
    (b"<!DOCTYPE html><html><head>", True),
    (b"\xef\xbb\xbf  \n<html lang=en>", True),
    (b"<!-- saved by a crawler -->\n<HTML>", True),
    (b'<?xml version="1.0"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN">', True),
    ("<!doctype html><title>x</title>".encode("utf-16"), True),
    (b'<?xml version="1.0"?><rss version="2.0"><channel>', False),
    (b"function f() { return '<html>'; }", False),
    (b'{"url": "https://example.com/", "html": "<html>"}', False),
    (b"", False),
])
def test_html_is_told_by_its_first_bytes(head, html):
    assert looks_like_html(head) is html


def test_a_huge_file_is_sniffed_from_its_first_8_kib(tmp_path):
    big = tmp_path / "dump"
    with open(big, "wb") as f:
        f.write(b"x" * 8192)
        f.seek(2**30)  # a sparse gigabyte: only the first 8 KiB are ever read
        f.write(b"<html>")
    assert not_a_page(big) == "not a page (no HTML in its first 8 KiB)"


def test_patterns_match_names_or_relative_paths():
    selection = Selection(include=["*.php", "news/2023/*"], exclude=["drafts"])
    assert not selection.excluded("a/b/index.php")
    assert not selection.excluded("news/2023/story")
    assert selection.excluded("news/2024/story")
    assert selection.excluded("x/drafts", is_folder=True)
    assert not selection.excluded("x/news", is_folder=True)  # includes choose files, not folders
    assert selection.skipped == {"not included (--include)": 1, "folders excluded (--exclude)": 1}
