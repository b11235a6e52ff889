"""``--engine spark``: the same scan on Spark (local[2]) gives the same tables as the local engine."""

from __future__ import annotations

import shutil
import sys

import duckdb
import pytest

pytest.importorskip("pyspark")

from conftest import PAGES, ROOT  # noqa: E402
from test_nightly import tables  # noqa: E402

from syndicate import scan  # noqa: E402
from syndicate.engines.spark import scan_spark  # noqa: E402

sys.path.insert(0, str(ROOT / "benchmarks"))
from corpus import build  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def spark():
    from syndicate.engines.spark import spark_session

    session = spark_session("local[2]")
    yield session
    session.stop()


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "precise"])
def test_sample_corpus_gives_identical_tables(spark, tmp_path, fast):
    """In either extraction mode (fast, the default, and precise)."""
    local = scan([ROOT / "sample_corpus"], tmp_path / "local.duckdb", workers=2, fast=fast)
    on_spark = scan_spark([ROOT / "sample_corpus"], tmp_path / "spark.duckdb", master="local[2]", fast=fast)
    assert on_spark.counts() == local.counts()
    assert local.new_matches >= 10
    assert tables(tmp_path / "spark.duckdb") == tables(tmp_path / "local.duckdb")
    with duckdb.connect(str(tmp_path / "spark.duckdb"), read_only=True) as con:
        modes = con.execute("SELECT list_distinct(list(extract_mode)) FROM documents").fetchall()
    assert modes == [(["fast" if fast else "precise"],)]


def test_small_accuracy_benchmark_gives_identical_tables(spark, tmp_path):
    truth = build(PAGES, tmp_path / "corpus", seed=1)
    assert truth
    jsonl = tmp_path / "corpus" / "corpus.jsonl"
    scan([jsonl], tmp_path / "local.duckdb", workers=2)
    scan_spark([jsonl], tmp_path / "spark.duckdb", master="local[2]")
    assert tables(tmp_path / "spark.duckdb") == tables(tmp_path / "local.duckdb")


def test_nightly_spark_run_extracts_only_new_pages_and_matches_them_against_stored(spark, tmp_path):
    crawl = tmp_path / "crawl"
    for site in ("cnn.com", "nypost.com"):
        shutil.copytree(ROOT / "sample_corpus" / site, crawl / site)
    db = tmp_path / "nightly.duckdb"
    first = scan_spark([crawl], db, master="local[2]")
    assert first.pages_new == 4 and first.new_matches == 1
    for site in ("worldnewsroundup.com", "deccanherald.com"):
        shutil.copytree(ROOT / "sample_corpus" / site, crawl / site)
    second = scan_spark([crawl], db, master="local[2]")
    assert (second.pages_unchanged, second.pages_new, second.new_matches) == (4, 4, 2)
    reference = tmp_path / "reference.duckdb"
    scan([crawl], reference, workers=2)
    assert clusters_by_url(db) == clusters_by_url(reference)  # doc_ids differ: two runs against one


def clusters_by_url(db) -> set[frozenset[str]]:
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        return {frozenset(urls) for (urls,) in con.execute(
            "SELECT list(url) FROM clusters JOIN documents USING (doc_id) GROUP BY cluster_id").fetchall()}


def test_cli_engine_spark(spark, tmp_path):
    from click.testing import CliRunner

    from syndicate.cli import cli

    result = CliRunner().invoke(cli, ["scan", str(ROOT / "sample_corpus" / "cnn.com"), "--engine", "spark",
                                      "--master", "local[2]", "--db", str(tmp_path / "cli.duckdb"),
                                      "--log-interval", "0"])
    assert result.exit_code == 0, result.output[-2000:]
    assert result.stdout.splitlines()[-1].startswith("2 pages read (2 new")
    progress = [line for line in result.stderr.splitlines() if " scan: " in line]  # not a terminal: log lines
    assert progress and progress[-1].split(" scan: ")[1].startswith("2 pages read, 2 done (2 extracted")


def test_uris_spark_reads_give_the_same_articles_and_matches(spark, tmp_path):
    """Input through Spark's binaryFile source (here file:// URIs; s3a:// and hdfs:// take the same path)."""
    import duckdb

    folders = [ROOT / "sample_corpus" / site for site in ("cnn.com", "nypost.com")]
    scan(folders, tmp_path / "local.duckdb", workers=1)
    on_spark = scan_spark([f.as_uri() for f in folders], tmp_path / "uri.duckdb", master="local[2]")
    assert on_spark.pages_read == 4 and on_spark.pages_failed == 0

    def seen(db):
        with duckdb.connect(str(db), read_only=True) as con:
            docs = con.execute("SELECT url, title, text, published_at, date_trunc('millisecond', fetched_at), status "
                               "FROM documents ORDER BY url").fetchall()  # Spark gives file times to the millisecond
            pairs = con.execute("""SELECT a.url, b.url, m.similarity, m.kind FROM matches m
                                   JOIN documents a ON a.doc_id = m.doc_a JOIN documents b ON b.doc_id = m.doc_b
                                   ORDER BY 1, 2""").fetchall()
            sources = [s for (s,) in con.execute("SELECT source FROM documents").fetchall()]
        return docs, pairs, sources

    local_docs, local_pairs, _ = seen(tmp_path / "local.duckdb")
    uri_docs, uri_pairs, sources = seen(tmp_path / "uri.duckdb")
    assert uri_docs == local_docs and uri_pairs == local_pairs and len(local_pairs) == 1
    assert all(s.startswith("file:") for s in sources)  # where each page came from, as Spark names it
