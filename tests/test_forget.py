"""Undo: prune --dry-run, forget a page or a domain, check --fix after a DELETE through sql --write."""

from __future__ import annotations

import shutil
import subprocess
import sys

import duckdb
import pytest
from click.testing import CliRunner

from conftest import SAMPLE_CORPUS
from syndicate import scan
from syndicate.cli import cli
from syndicate.store.schema import TABLES

CNN = "https://www.cnn.com/2023/11/10/politics/hostage-deal-negotiations-israel-hamas/index.html"
NYPOST = "https://nypost.com/2023/11/12/hostage-negotiators-discussing-days-long-fighting-pause-between-israel-and-hamas/"


@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    db = tmp_path_factory.mktemp("forget") / "syndicate.duckdb"
    scan([SAMPLE_CORPUS], db, workers=1)
    return db


@pytest.fixture
def db(scanned, tmp_path):
    """A fresh copy of the scanned database for each test."""
    copy = tmp_path / "syndicate.duckdb"
    shutil.copy(scanned, copy)
    return copy


def tables(db) -> dict[str, list[tuple]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in TABLES}


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_dry_runs_change_nothing(db):
    before = tables(db)
    prune = run("prune", "--older-than", "0d", "--dry-run", "--db", db)
    assert prune.exit_code == 0, prune.output
    assert prune.stdout.startswith("would remove 29 pages, last seen before ")
    assert prune.stdout.rstrip().endswith("and their 10 matches; clusters 1 -> 0; nothing changed (--dry-run)")
    forget = run("forget", NYPOST.replace("https://", "http://").rstrip("/"), "--dry-run", "--db", db)
    assert forget.exit_code == 0, forget.output
    assert forget.stdout.startswith("would remove 1 pages, 1 URL") and "their 4 matches" in forget.stdout
    domain = run("forget", "--domain", "www.worldnewsroundup.com", "--dry-run", "--db", db)
    assert domain.stdout.startswith("would remove 4 pages, the domain worldnewsroundup.com")
    assert tables(db) == before


def test_prune_refuses_to_empty_the_database_without_all(db):
    before = tables(db)
    refused = run("prune", "--older-than", "0d", "--db", db)
    assert refused.exit_code == 2 and "would remove every stored page (29" in refused.stderr
    assert tables(db) == before
    emptied = run("prune", "--older-than", "0d", "--all", "--db", db)
    assert emptied.exit_code == 0 and emptied.stdout.startswith("removed 29 pages")
    assert tables(db)["documents"] == []


def test_forget_a_page_removes_it_and_what_came_from_it(db):
    result = run("forget", NYPOST, "--db", db)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("removed 1 pages, 1 URL, and their 4 matches; clusters 1 -> 1")
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM documents WHERE url = ?", [NYPOST]).fetchall() == [(0,)]
        assert con.execute("SELECT count(*) FROM syndication WHERE copy_url = ?", [NYPOST]).fetchall() == [(0,)]
        assert con.execute("SELECT count(*) FROM syndication WHERE origin_url = ?", [CNN]).fetchall()[0][0] > 0
    assert run("check", "--db", db).exit_code == 0
    missing = run("forget", "https://example.org/never-crawled", "--db", db)
    assert missing.exit_code == 1 and "is not in" in missing.stderr
    assert run("forget", "--db", db).exit_code == 2  # nothing named


def test_forget_a_domain_as_a_subprocess(db):
    done = subprocess.run([sys.executable, "-m", "syndicate", "forget", "--domain", "worldnewsroundup.com",
                           "--db", str(db)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("removed 4 pages, the domain worldnewsroundup.com")
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM documents WHERE domain = 'worldnewsroundup.com'").fetchall() == [(0,)]
    assert run("check", "--db", db).exit_code == 0


def test_check_fix_repairs_a_delete_through_sql_write(db):
    deleted = run("sql", "--write", "DELETE FROM documents WHERE domain = 'nypost.com'", "--db", db)
    assert deleted.exit_code == 0, deleted.output
    broken = run("check", "--db", db)
    assert broken.exit_code == 1
    assert "match with a document that is not stored: 4" in broken.stdout
    assert "check --fix" in broken.stderr
    fixed = run("check", "--fix", "--db", db)
    assert fixed.exit_code == 0, fixed.output
    lines = fixed.stdout.splitlines()
    assert "fixed: deleted 4 matches with a document that is not stored" in lines
    assert "fixed: deleted 1 cluster rows of documents that are not stored" in lines
    assert lines[-1].startswith("ok: 27 documents, 6 matches, 1 clusters consistent")
    assert run("check", "--db", db).exit_code == 0
    rescan = scan([SAMPLE_CORPUS], db, workers=1)  # the pages come back, and match again
    assert rescan.pages_new == 2 and rescan.new_matches == 4
    assert run("check", "--db", db).exit_code == 0
