"""``syndicate check`` finds deliberately corrupted rows, and nothing in a healthy database."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from syndicate import Store, scan
from syndicate.store.check import check
from syndicate.cli import cli

ROOT = Path(__file__).resolve().parent.parent
SITES = ["cnn.com", "nypost.com", "worldnewsroundup.com", "deccanherald.com", "albawaba.com"]


@pytest.fixture(scope="module")
def healthy(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("check")
    for site in SITES:
        shutil.copytree(ROOT / "sample_corpus" / site, root / "crawl" / site)
    db = root / "healthy.duckdb"
    summary = scan([root / "crawl"], db, workers=1)
    assert summary.new_matches >= 4
    return db


@pytest.fixture
def db(healthy, tmp_path) -> Path:
    copy = tmp_path / "db.duckdb"
    shutil.copy(healthy, copy)
    return copy


def test_healthy_database_has_no_problems(db):
    with Store.open(db, read_only=True) as store:
        assert check(store) == []
    result = CliRunner().invoke(cli, ["check", "--db", str(db)])
    assert result.exit_code == 0 and result.output.startswith("ok: ")


# a pair of matched documents (a, b), an article x, and a document outside the cluster of the pair
CORRUPTIONS = {
    "match with a document that is not stored": "INSERT INTO matches (doc_a, doc_b, similarity, containment, kind) VALUES ({a}, 999999, 0.9, 0.9, 'duplicate')",
    "article without its 74 band hashes": "DELETE FROM bands WHERE doc_id = {x} AND band = 3",
    "article without a signature of num_perm values": "DELETE FROM signatures WHERE doc_id = {x}",
    "matched pair in different clusters": "UPDATE clusters SET cluster_id = 424242 WHERE doc_id = {b}",
    "document in more than one cluster": "INSERT INTO clusters VALUES ({x}, 777777)",
    "origin page outside its cluster": "UPDATE origins SET origin_doc_id = {outside} WHERE cluster_id = {cluster}",
    "band, signature, link or evidence row of a document that is not stored":
        "INSERT INTO bands VALUES (0, 12345, 888888)",
    "duplicate url in documents": "INSERT INTO documents (doc_id, url) SELECT 555555, url FROM documents WHERE doc_id = {x}",
    "matched document without a cluster": "DELETE FROM clusters WHERE doc_id = {a}",
}


@pytest.mark.parametrize("rule", sorted(CORRUPTIONS))
def test_each_corruption_is_found(db, rule):
    con = duckdb.connect(str(db))
    a, b = con.execute("SELECT doc_a, doc_b FROM matches ORDER BY 1, 2 LIMIT 1").fetchall()[0]
    cluster = con.execute("SELECT cluster_id FROM clusters WHERE doc_id = ?", [a]).fetchall()[0][0]
    outside = con.execute("SELECT min(doc_id) FROM documents WHERE doc_id NOT IN "
                          "(SELECT doc_id FROM clusters WHERE cluster_id = ?)", [cluster]).fetchall()[0][0]
    x = con.execute("SELECT min(doc_id) FROM documents WHERE status = 'article'").fetchall()[0][0]
    con.execute(CORRUPTIONS[rule].format(a=a, b=b, x=x, cluster=cluster, outside=outside))
    con.close()
    with Store.open(db, read_only=True) as store:
        found = {p.rule: p for p in check(store)}
    assert rule in found, sorted(found)
    assert found[rule].count >= 1 and found[rule].examples


def test_cli_check_exits_1_and_names_the_problem(db):
    con = duckdb.connect(str(db))
    con.execute("INSERT INTO matches (doc_a, doc_b, similarity, containment, kind) VALUES (1, 999999, 0.9, 0.9, 'duplicate')")
    con.close()
    done = subprocess.run([sys.executable, "-m", "syndicate", "check", "--db", str(db)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "match with a document that is not stored: 1 (e.g. (1, 999999))" in done.stdout
