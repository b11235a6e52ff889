"""Hostile crawled values in what syndicate writes out (issue 19, item 8).

The report links only http(s) pages and carries a Content-Security-Policy;
CSV (and JSON) output carries every value exactly, the same into a pipe as on
a terminal, quoted by the csv module; only the human table neutralises
terminal escapes.
"""

from __future__ import annotations

import csv
import html
import io
import json
import os
import pty
import re
import shutil
import subprocess
import sys
import tty
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from conftest import load_truth
from syndicate import scan
from syndicate.cli import cli

ORIGIN = "https://origin.example/story"
FORMULA = "=cmd|' /C calc'!A0"
PAGES = [  # (url, title) of six pages carrying one article
    (ORIGIN, "The origin"),
    ("javascript:alert(document.cookie)//", FORMULA),
    ("data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "+SUM(1,2) @import -2"),
    ("https://ansi.example/a\x1b[2Jb\x1b]0;pwned\x07", "Red \x1b[31malert\x1b[0m title"),
    ('https://quote.example/a,b"c\nd', 'Quote " and, comma'),
    ("JaVaScRiPt:alert(2)", "line one\nline two"),
]


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    body = next(p["articleBody"] for p in load_truth().values() if "cnn.com" in p["url"])
    paragraphs = "".join(f"<p>{line}</p>" for line in body.split("\n") if line.strip())
    root = tmp_path_factory.mktemp("output-hostile")
    records = [{"url": url, "html": f"<html><head><title>{html.escape(title)}</title></head><body><article>"
                                    f"{paragraphs}</article></body></html>",
                "fetched_at": f"2024-01-0{i + 1}T00:00:00Z"} for i, (url, title) in enumerate(PAGES)]
    (root / "crawl.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    scan([root / "crawl.jsonl"], root / "h.duckdb", workers=1)
    return root / "h.duckdb"


def stored(db: Path, query: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(query).fetchall()


def test_the_hostile_values_are_stored_as_crawled(db):
    urls = [u for (u,) in stored(db, "SELECT url FROM documents ORDER BY doc_id")]
    assert urls == [u for u, _ in PAGES]  # the test is about these exact values reaching the output
    assert stored(db, "SELECT count(DISTINCT cluster_id), count(*) FROM clusters") == [(1, len(PAGES))]


# --- the HTML report ------------------------------------------------------------------------------------------


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.targets: list[tuple[str, str, str]] = []  # (tag, attribute, value) of every URL-taking attribute
        self.csp: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src", "action", "formaction", "xlink:href", "srcset", "poster", "data"):
                self.targets.append((tag, name, value or ""))
            if tag == "meta" and name == "content" and ("http-equiv", "Content-Security-Policy") in attrs:
                self.csp.append(value or "")


@pytest.fixture(scope="module")
def report(db) -> str:
    out = db.parent / "report.html"
    result = CliRunner().invoke(cli, ["report", "--db", str(db), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


def test_report_links_only_http_pages_and_shows_the_others_as_text(report):
    parser = _Links()
    parser.feed(report)
    links = [value for tag, name, value in parser.targets if tag == "a"]
    assert links and all(re.match(r"https?://", v, re.I) for v in links), links
    assert ORIGIN in links
    # anything else the SVG figures reference is inside the page
    assert all(v.startswith("#") for tag, name, v in parser.targets if tag != "a"), parser.targets
    lowered = report.lower()
    for scheme in ("javascript:", "data:text"):
        assert f'href="{scheme}' not in lowered and f"href='{scheme}" not in lowered
        assert scheme in lowered  # shown, as text
    assert "javascript:alert(document.cookie)//" in report
    assert "\x1b" not in report  # the ANSI URL is shown escaped, not linked
    assert "<script" not in lowered


def test_report_has_a_strict_content_security_policy(report):
    parser = _Links()
    parser.feed(report)
    assert len(parser.csp) == 1
    policy = {d.split()[0]: d.split()[1:] for d in (p.strip() for p in parser.csp[0].split(";")) if d}
    assert policy["default-src"] == ["'none'"]  # no script, image, font, frame, fetch
    assert policy["style-src"] == ["'unsafe-inline'"]  # the page's own styles and the SVG's style attributes
    assert policy["base-uri"] == ["'none'"] and policy["form-action"] == ["'none'"]
    assert "script-src" not in policy
    head = report[:report.index("<title>")]
    assert "Content-Security-Policy" in head  # before anything it governs


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Chromium is not installed (.ci/run installs it)")
def test_report_renders_under_its_policy_in_chromium(report, db, tmp_path):
    done = subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp_path / 'profile'}",
         "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9", "--enable-logging=stderr",
         "--v=0", "--virtual-time-budget=3000", "--dump-dom", (db.parent / "report.html").as_uri()],
        capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.count("<svg") == 5
    assert [line for line in done.stderr.splitlines() if "CONSOLE" in line or "Content Security" in line] == []


# --- CSV and JSON: exact values, piped or on a terminal ---------------------------------------------------------

QUERY = "SELECT doc_id, url, crawled_url, title FROM documents ORDER BY doc_id"


def expected_csv_rows(db: Path) -> list[list[str]]:
    return [["doc_id", "url", "crawled_url", "title"]] + [[str(c) for c in row] for row in stored(db, QUERY)]


@pytest.mark.parametrize("terminal", [False, True], ids=["piped", "terminal"])
def test_csv_carries_every_value_exactly(db, terminal):
    result = CliRunner().invoke(cli, ["sql", QUERY, "--db", str(db), "--format", "csv"], color=terminal)
    assert result.exit_code == 0, result.output
    assert list(csv.reader(io.StringIO(result.stdout, newline=""))) == expected_csv_rows(db)
    assert "\x1b[2J" in result.stdout  # carried, not dropped
    assert f'"{FORMULA}"' not in result.stdout and f",{FORMULA}\n" in result.stdout  # not quoted, not prefixed
    assert '"https://quote.example/a,b""c\nd"' in result.stdout  # quoted by the csv module


def test_csv_and_json_are_identical_piped_and_on_a_terminal(db):
    for args in (["sql", QUERY], ["copies", ORIGIN], ["top"], ["runs"]):
        for fmt in ("csv", "json"):
            piped, terminal = (CliRunner().invoke(cli, [*args, "--db", str(db), "--format", fmt], color=color)
                               for color in (False, True))
            assert piped.exit_code == 0 and piped.stdout == terminal.stdout, (args, fmt)
    copies = CliRunner().invoke(cli, ["copies", ORIGIN, "--db", str(db), "--format", "csv"]).stdout
    urls = {row["url"] for row in csv.DictReader(io.StringIO(copies, newline=""))}
    assert urls == {u for u, _ in PAGES[1:]}


def test_json_carries_every_value_exactly(db):
    result = CliRunner().invoke(cli, ["sql", QUERY, "--db", str(db), "--format", "json"])
    assert [tuple(r.values()) for r in json.loads(result.stdout)] == stored(db, QUERY)
    assert "\x1b" not in result.stdout  # JSON writes it as \u001b


def test_table_still_neutralises_escapes(db):
    for color in (False, True):
        out = CliRunner().invoke(cli, ["sql", QUERY, "--db", str(db)], color=color).stdout
        assert "\x1b" not in out and "\x07" not in out and "\\x1b[2J" in out


def _run(args: list[str], on_terminal: bool) -> bytes:
    """The command's stdout bytes, through a pipe or a real pseudo-terminal (raw: no newline translation)."""
    cmd = [sys.executable, "-m", "syndicate", *args]
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    if not on_terminal:
        return subprocess.run(cmd, capture_output=True, env=env, timeout=120, check=True).stdout
    leader, follower = pty.openpty()
    tty.setraw(follower)
    proc = subprocess.Popen(cmd, stdout=follower, stderr=subprocess.DEVNULL, env=env)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the terminal's other end is closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert proc.wait(timeout=120) == 0
    return b"".join(chunks)


def test_csv_is_byte_identical_through_a_pipe_and_on_a_real_terminal(db):
    args = ["sql", QUERY, "--db", str(db), "--format", "csv"]
    piped, terminal = _run(args, False), _run(args, True)
    assert piped == terminal
    assert list(csv.reader(io.StringIO(piped.decode("utf-8"), newline=""))) == expected_csv_rows(db)
