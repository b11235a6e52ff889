"""Schema versions: every released version upgrades in place; newer ones are refused; a failed upgrade changes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from syndicate import Store, scan
from syndicate.store.check import check
from syndicate.cli import cli
from syndicate.errors import DatabaseError
from syndicate.store.schema import MIGRATIONS, SCHEMA_VERSION, TABLES

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parent.parent
RELEASED = {1: DATA / "schema-v1", 2: DATA / "schema-v2", 3: DATA / "schema-v3"}  # EXPORT DATABASE of a scan made by that release (tests/data/README.md)


def build(version: int, path: Path) -> Path:
    """A database exactly as release ``version`` wrote it."""
    folder = RELEASED[version]
    con = duckdb.connect(str(path))
    con.execute((folder / "schema.sql").read_text(encoding="utf-8"))
    con.execute((folder / "load.sql").read_text(encoding="utf-8").replace("{dir}", folder.as_posix()))
    con.close()
    return path


def rows(path: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in TABLES}
    finally:
        con.close()


def test_every_released_version_has_a_fixture_and_a_migration_path():
    assert set(RELEASED) | {SCHEMA_VERSION} == set(range(1, SCHEMA_VERSION + 1))
    assert set(MIGRATIONS) == set(range(1, SCHEMA_VERSION))


@pytest.mark.parametrize("version", sorted(RELEASED))
def test_released_version_upgrades_in_place_keeping_every_row(version, tmp_path):
    db = build(version, tmp_path / f"v{version}.duckdb")
    before = rows(db)
    assert ("schema_version", str(version)) in before["meta"]
    with Store.open(db) as store:
        assert check(store) == []
        kinds = dict(store.con.execute("SELECT reason, kind FROM errors").fetchall())
        added = store.con.execute(
            "SELECT url, crawled_url, status, status_reason, article_key FROM documents ORDER BY url").fetchall()
        run_columns = [d[0] for d in store.con.execute("SELECT * FROM runs LIMIT 0").description]
    after = rows(db)
    assert ("schema_version", str(SCHEMA_VERSION)) in after["meta"]
    for table in TABLES:
        if table not in ("meta", "errors"):
            width = len(before[table][0]) if before[table] else 0
            assert [r[:width] for r in after[table]] == before[table], table  # new columns come last
    assert sorted(kinds.values()) == ["extract", "extract"]  # schema 2 added the kind; schema 1 rows get it
    assert sorted(reason.split(":")[0] for reason in kinds) == ["binary content, not HTML", "empty page"]
    assert [r[:4] for r in after["errors"]] == [r[:4] for r in before["errors"]]
    # schema 3: the URL as crawled is the stored one, articles have no status reason, keys drop scheme and www.
    assert all(crawled == url for url, crawled, *_ in added)
    assert all((reason is None) == (status == "article") for _, _, status, reason, _ in added)
    # schema 4: the runs column says "unchanged" as the scan summary does
    assert [c for c in run_columns if c.startswith("pages_")] == [
        "pages_read", "pages_new", "pages_changed", "pages_unchanged", "pages_failed"]
    cnn = next(row for row in added if "hostage-deal" in row[0])
    assert cnn[4] == "cnn.com/2023/11/10/politics/hostage-deal-negotiations-israel-hamas/index.html"


@pytest.mark.parametrize("version", sorted(RELEASED))
def test_upgraded_database_takes_a_nightly_scan(version, tmp_path):
    db = build(version, tmp_path / f"v{version}.duckdb")
    crawl = tmp_path / "crawl"
    for site in ("worldnewsroundup.com", "deccanherald.com"):
        shutil.copytree(ROOT / "sample_corpus" / site, crawl / site)
    summary = scan([crawl], db, workers=1)
    assert summary.pages_new == 4 and summary.new_matches == 2
    with Store.open(db, read_only=True) as store:
        assert check(store) == []
        # the aggregator's repost joins the stored CNN story and its nypost copy
        sizes = store.con.execute("SELECT count(*) FROM clusters GROUP BY cluster_id ORDER BY 1 DESC").fetchall()
    assert sizes == [(3,)]


def test_read_only_use_leaves_an_older_database_as_it_was(tmp_path):
    db = build(1, tmp_path / "v1.duckdb")
    before = rows(db)
    result = CliRunner().invoke(cli, ["sql", "SELECT count(*) AS n FROM documents", "--db", str(db)])
    assert result.exit_code == 0 and "4" in result.output
    assert rows(db) == before


def test_newer_schema_is_refused_with_a_message(tmp_path):
    db = build(1, tmp_path / "v1.duckdb")
    con = duckdb.connect(str(db))
    con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    con.close()
    with pytest.raises(DatabaseError, match="newer syndicate .schema 99"):
        Store.open(db)
    result = CliRunner().invoke(cli, ["scan", str(ROOT / "sample_corpus" / "cnn.com"), "--db", str(db)])
    assert result.exit_code == 2 and "upgrade syndicate" in result.output


def test_failed_upgrade_leaves_the_database_unchanged(tmp_path):
    db = build(1, tmp_path / "v1.duckdb")
    con = duckdb.connect(str(db))
    con.execute("ALTER TABLE errors ADD COLUMN kind VARCHAR")  # a half-done upgrade by hand: the migration's ALTER fails
    con.close()
    before = rows(db)
    with pytest.raises(DatabaseError, match="cannot upgrade .* from schema 1 to .*it is unchanged"):
        Store.open(db)
    assert rows(db) == before
