"""``syndicate report``: one offline HTML file, every figure present, crawled text escaped, clean in Chromium."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
from click.testing import CliRunner

from conftest import SAMPLE_CORPUS, load_truth
from syndicate import scan
from syndicate.cli import cli

FIGURES = ["trend", "origins", "reposters", "lag", "graph"]
HOSTILE_TITLE = "<script>alert('x')</script>\" onload=\"steal()"


@pytest.fixture(scope="module")
def report_file(tmp_path_factory):
    """The report of sample_corpus/ plus a syndicated pair whose title and URL are hostile."""
    root = tmp_path_factory.mktemp("report")
    shutil.copytree(SAMPLE_CORPUS, root / "crawl")
    body = next(p["articleBody"] for p in load_truth().values() if "deccanherald" in p["url"])
    paragraphs = "".join(f"<p>{line}</p>" for line in body.split("\n") if line.strip())
    records = [{"url": f"https://hostile{i}.example/a?b=\"><script>x()</script>",
                "html": f"<html><head><title>{HOSTILE_TITLE}</title></head><body><article>{paragraphs}</article>"
                        "</body></html>"} for i in range(2)]
    (root / "crawl" / "hostile.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    db = root / "r.duckdb"
    scan([root / "crawl"], db, workers=2)
    out = root / "report.html"
    result = CliRunner().invoke(cli, ["report", "--db", str(db), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_report_has_every_figure_as_inline_svg(report_file):
    page = report_file.read_text(encoding="utf-8")
    for key in FIGURES:
        figure = re.search(rf"<figure id='{key}'>(.*?)</figure>", page, re.S)
        assert figure and "<svg" in figure.group(1) and "<path" in figure.group(1), key
    assert "Largest clusters" in page and "<details>" in page


def test_report_is_self_contained_and_escapes_crawled_text(report_file):
    page = report_file.read_text(encoding="utf-8")
    assert "<script" not in page.lower()  # neither ours nor a crawled one
    assert not re.search(r"""(src|srcset)=|<link|@import|url\((?!#)""", page)  # nothing loads from anywhere
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&quot; onload=&quot;steal()" in page
    assert 'href="https://hostile0.example/a?b=&quot;&gt;&lt;script&gt;x()&lt;/script&gt;"' in page


def test_since_limits_the_report_to_recent_pages(report_file, tmp_path):
    db = report_file.parent / "r.duckdb"
    out = tmp_path / "recent.html"
    assert CliRunner().invoke(cli, ["report", "--db", str(db), "--out", str(out), "--since", "7d"]).exit_code == 0
    assert "31 pages, 31 articles" in out.read_text(encoding="utf-8")  # every page was first seen just now
    empty = tmp_path / "none.html"
    con_result = CliRunner().invoke(cli, ["report", "--db", str(db), "--out", str(empty), "--since", "0h"])
    assert con_result.exit_code == 0
    assert "0 pages, 0 articles, 0 copies" in empty.read_text(encoding="utf-8")


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Chromium is not installed (.ci/run installs it)")
def test_report_opens_in_headless_chromium_offline_without_console_errors(report_file, tmp_path):
    done = subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp_path / 'profile'}",
         "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9", "--enable-logging=stderr",
         "--v=0", "--virtual-time-budget=3000", "--dump-dom", report_file.as_uri()],
        capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    for key in FIGURES:
        assert f'id="{key}"' in dom, key
    assert dom.count("<svg") == len(FIGURES)
    console = [line for line in done.stderr.splitlines() if "CONSOLE" in line]
    assert console == []
    assert "net::ERR" not in done.stderr  # nothing tried to load


def test_one_old_origin_does_not_stretch_the_lag_axis():
    from syndicate.views.report import lag_range

    lags = [0.5, 1.0, 2.0, 3.5, 5.0, 6.0, 8.0, 12.0, 20.0, 30.0] * 3 + [25_000.0]
    shown, cap, beyond = lag_range(lags)
    assert cap == 30 and beyond == 1  # the 95th percentile, not the old origin's 25,000 h
    assert max(shown) == 30 and len(shown) == len(lags)
    days = [float(h) for h in range(0, 200, 5)] + [9_000.0, 12_000.0]
    shown, cap, beyond = lag_range(days)
    assert cap % 24 == 0 and cap < 9_000 and beyond == 2  # past 48 h the axis ends on a whole day
    assert lag_range([4.0, 4.0, 4.0]) == ([4.0, 4.0, 4.0], 4.0, 0)
