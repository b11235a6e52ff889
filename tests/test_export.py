"""``syndicate export``: files that read back as the same rows, and a corpus with one page per article."""

from __future__ import annotations

import shutil

import duckdb
import pytest
from click.testing import CliRunner

from conftest import SAMPLE_CORPUS
from syndicate import Store, scan
from syndicate.cli import cli
from syndicate.views.export import export_queries

SITES = ["cnn.com", "nypost.com", "worldnewsroundup.com", "deccanherald.com", "albawaba.com"]
CNN = "https://www.cnn.com/2023/11/10/politics/hostage-deal-negotiations-israel-hamas/index.html"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    root = tmp_path_factory.mktemp("export")
    for site in SITES:
        shutil.copytree(SAMPLE_CORPUS / site, root / "crawl" / site)
    summary = scan([root / "crawl"], root / "e.duckdb", workers=1)
    assert summary.new_matches >= 4
    return root / "e.duckdb"


def test_parquet_export_round_trips(db, tmp_path):
    result = CliRunner().invoke(cli, ["export", "--db", str(db), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    with duckdb.connect(str(db), read_only=True) as con:
        for name, query in export_queries().items():
            assert con.execute("SELECT * FROM read_parquet(?)", [str(tmp_path / "out" / f"{name}.parquet")]
                               ).fetchall() == con.execute(query).fetchall(), name


@pytest.mark.parametrize("fmt,reader", [("csv", "read_csv"), ("jsonl", "read_json")])
def test_csv_and_jsonl_exports_read_back_with_the_same_ids(db, tmp_path, fmt, reader):
    result = CliRunner().invoke(cli, ["export", "--db", str(db), "--out", str(tmp_path), "--format", fmt])
    assert result.exit_code == 0, result.output
    with duckdb.connect(str(db), read_only=True) as con:
        for name, key in [("documents", "doc_id"), ("matches", "doc_a, doc_b"), ("clusters", "doc_id"),
                          ("corpus", "doc_id")]:
            back = con.execute(f"SELECT {key} FROM {reader}(?) ORDER BY ALL", [str(tmp_path / f"{name}.{fmt}")]).fetchall()
            query = export_queries()[name]
            assert back == con.execute(f"SELECT {key} FROM ({query}) ORDER BY ALL").fetchall(), name
        texts = con.execute(f"SELECT text FROM {reader}(?) WHERE url = ?", [str(tmp_path / f"documents.{fmt}"), CNN]).fetchall()
        assert texts == con.execute("SELECT text FROM documents WHERE url = ?", [CNN]).fetchall()


def test_corpus_keeps_one_page_per_article(db, tmp_path):
    with Store.open(db, read_only=True) as store:
        rows = store.con.execute(export_queries()["corpus"]).fetchall()
        articles = store.con.execute("SELECT count(*) FROM documents WHERE status = 'article'").fetchall()[0][0]
        clustered = store.con.execute("SELECT count(*), count(DISTINCT cluster_id) FROM clusters").fetchall()[0]
    urls = [r[1] for r in rows]
    assert len(rows) == articles - clustered[0] + clustered[1]
    assert CNN in urls  # the crawled origin represents its cluster ...
    cnn = rows[urls.index(CNN)]
    assert cnn[9] == 3  # ... and counts its copies (nypost, worldnewsroundup, albawaba)
    assert not any("hostage-negotiators" in u for u in urls)  # none of the reposts is kept


def test_no_text_leaves_texts_out(db, tmp_path):
    CliRunner().invoke(cli, ["export", "--db", str(db), "--out", str(tmp_path), "--no-text"])
    with duckdb.connect() as con:
        columns = [c[0] for c in con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(tmp_path / "documents.parquet")]).fetchall()]
        corpus = [c[0] for c in con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(tmp_path / "corpus.parquet")]).fetchall()]
    assert "text" not in columns and "text" not in corpus and "url" in columns
