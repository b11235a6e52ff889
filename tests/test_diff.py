"""``syndicate diff``: the shared passages of the seed repost and its CNN original, marked correctly."""

from __future__ import annotations

import re
import subprocess
import sys
import shutil

import pytest
from click.testing import CliRunner

from conftest import SAMPLE_CORPUS
from syndicate import scan
from syndicate.cli import cli
from syndicate.views.diff import diff_articles
from syndicate.text import tokens

CNN = "https://www.cnn.com/2023/11/10/politics/hostage-deal-negotiations-israel-hamas/index.html"
REPOST = ("https://worldnewsroundup.com/hostage-negotiators-discussing-days-long-fighting-pause-between-israel-"
          "and-hamas-in-exchange-for-freeing-large-group/")
TRUNCATED = "https://nypost.com/2023/11/12/hostage-negotiators-discussing-days-long-fighting-pause-between-israel-and-hamas/"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    root = tmp_path_factory.mktemp("diff")
    for site in ("cnn.com", "worldnewsroundup.com", "nypost.com"):
        shutil.copytree(SAMPLE_CORPUS / site, root / "crawl" / site)
    scan([root / "crawl"], root / "d.duckdb", workers=1)
    return root / "d.duckdb"


def texts(db, *urls):
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        return [con.execute("SELECT text FROM documents WHERE url = ?", [u]).fetchall()[0][0] for u in urls]


def contains(haystack: list[str], needle: list[str]) -> bool:
    n = len(needle)
    return any(haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))


def test_every_marked_passage_is_in_the_other_article_and_nothing_unmarked_is(db):
    original, repost = texts(db, CNN, REPOST)
    diff = diff_articles(original, repost)
    assert diff.containment > 0.99 and diff.a.spans and diff.b.spans
    for side, other in ((diff.a, repost), (diff.b, original)):
        other_words = tokens(other)
        for start, end in side.spans:
            assert contains(other_words, tokens(side.text[start:end]))
        # what is left unmarked has no five-word run in common with the other article
        at = 0
        for start, end in [*side.spans, (len(side.text), len(side.text))]:
            gap = tokens(side.text[at:start])
            assert not any(contains(other_words, gap[i : i + 5]) for i in range(len(gap) - 4))
            at = end
    assert "It’s been close before" in "".join(original[a:b] for a, b in diff.a.spans)
    assert diff.b.shared_share > 0.95 and diff.a.shared_share > 0.9


def test_truncated_copy_is_wholly_shared_and_covers_part_of_the_original(db):
    original, truncated = texts(db, CNN, TRUNCATED)
    diff = diff_articles(original, truncated)
    assert diff.b.shared_share > 0.9
    assert 0.3 < diff.a.shared_share < 0.8


def test_cli_diff_prints_figures_and_writes_escaped_html(db, tmp_path):
    out = tmp_path / "diff.html"
    result = CliRunner().invoke(cli, ["diff", CNN, REPOST, "--db", str(db), "--html", str(out)])
    assert result.exit_code == 0, result.output
    assert re.match(r"similarity (0\.9\d\d|1\.000), containment", result.output) and "== B: " + REPOST in result.output
    page = out.read_text(encoding="utf-8")
    diff = diff_articles(*texts(db, CNN, REPOST))
    assert page.count("<mark>") == len(diff.a.spans) + len(diff.b.spans) >= 2
    assert "<script" not in page and "http" not in page.split("<body>")[0]  # no script, nothing fetched
    missing = CliRunner().invoke(cli, ["diff", CNN, "https://nowhere.example/", "--db", str(db)])
    assert missing.exit_code == 1 and "is not in" in missing.output


def test_diff_takes_url_variants_and_makes_the_html_folder(db, tmp_path):
    variant = CNN.replace("https://www.", "http://")
    out = tmp_path / "new" / "folder" / "diff.html"
    result = CliRunner().invoke(cli, ["diff", variant, TRUNCATED.rstrip("/"), "--db", str(db), "--html", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("similarity ") and out.exists()
    missing = CliRunner().invoke(cli, ["diff", "https://example.org/none", CNN, "--db", str(db)])
    assert missing.exit_code == 1 and missing.stderr.startswith("error: https://example.org/none is not in")
    unwritable = CliRunner().invoke(cli, ["diff", CNN, TRUNCATED, "--db", str(db), "--html", "/proc/diff.html"])
    assert unwritable.exit_code == 2 and unwritable.stderr.startswith("error: cannot write /proc/diff.html")


def test_output_into_a_pipe_closed_early_ends_quietly(db):
    """`syndicate diff A B | head -1`: the reader goes away. No traceback and no message; the status is 141 (what a
    shell shows for SIGPIPE) when a write met the closed pipe, 0 when everything fit in the pipe before it closed,
    never click's bare 1."""
    for args in (["diff", CNN, REPOST], ["sql", "SELECT range AS n FROM range(300000)"]):
        proc = subprocess.Popen([sys.executable, "-m", "syndicate", *args, "--db", str(db)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert proc.stdout.readline()
        proc.stdout.close()  # as head does after its line
        _, err = proc.communicate(timeout=120)
        assert err == b"" and proc.returncode in (0, 141), (args, proc.returncode, err)
