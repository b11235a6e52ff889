"""Machine output parses: every --format json is one JSON document, every CSV one table, with real types."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

from conftest import SAMPLE_CORPUS
from syndicate.cli import cli

CNN = "https://www.cnn.com/2023/11/10/politics/hostage-deal-negotiations-israel-hamas/index.html"
REPOST = "https://nypost.com/2023/11/12/hostage-negotiators-discussing-days-long-fighting-pause-between-israel-and-hamas/"
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z$")


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    """sample_corpus/ scanned twice (a second run with nothing new) through the CLI."""
    path = tmp_path_factory.mktemp("formats") / "syndicate.duckdb"
    for _ in range(2):
        result = CliRunner().invoke(cli, ["scan", str(SAMPLE_CORPUS), "--db", str(path), "--workers", "1"])
        assert result.exit_code == 0, result.output
    return path


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def one_csv_table(text: str) -> list[dict[str, str]]:
    rows = list(csv.reader(io.StringIO(text)))
    assert rows and all(len(row) == len(rows[0]) for row in rows), text
    assert len(set(rows[0])) == len(rows[0])
    return [dict(zip(rows[0], row)) for row in rows[1:]]


COMMANDS = {
    "sql": ["sql", "SELECT doc_id, url, fetched_at, published_at, word_count, status_reason FROM documents"],
    "copies": ["copies", CNN],
    "top": ["top"],
    "runs": ["runs"],
}


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_json_output_is_one_document(db, name):
    result = run(*COMMANDS[name], "--db", db, "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)  # raises on two documents one after the other
    assert isinstance(document, (list, dict)) and document


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_csv_output_is_one_table(db, name):
    result = run(*COMMANDS[name], "--db", db, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert one_csv_table(result.stdout)


def test_top_json_holds_both_lists_and_csv_one_table_with_a_list_column(db):
    top = json.loads(run("top", "--db", db, "--format", "json").stdout)
    assert set(top) == {"origins", "reposters"}
    assert top["origins"][0]["origin"] == "cnn.com" and isinstance(top["origins"][0]["copies"], int)
    assert all(isinstance(r["share_linking_back"], float) for r in top["reposters"])
    rows = one_csv_table(run("top", "--db", db, "--format", "csv").stdout)
    assert {r["list"] for r in rows} == {"origins", "reposters"}
    origins = [r for r in rows if r["list"] == "origins"]
    assert [r["domain"] for r in origins] == [o["origin"] for o in top["origins"]]
    assert all(r["sources"] == "" for r in origins)  # NULL: not a column of that list


def test_copies_marks_the_origin_with_a_boolean_and_prints_an_empty_list(db, tmp_path):
    rows = json.loads(run("copies", REPOST, "--db", db, "--format", "json").stdout)
    assert [r["url"] for r in rows if r["is_origin"] is True] == [CNN]
    assert all(isinstance(r["similarity"], float) for r in rows if r["kind"] is not None)
    assert all(r["kind"] in (None, "duplicate", "partial", "rewrite", "alias") for r in rows)
    alone = json.loads(run("sql", "SELECT url FROM documents WHERE url NOT IN (SELECT url FROM documents d "
                                  "JOIN clusters USING (doc_id)) AND status = 'article' LIMIT 1",
                           "--db", db, "--format", "json").stdout)[0]["url"]
    empty = run("copies", alone, "--db", db, "--format", "json")
    assert empty.exit_code == 0 and json.loads(empty.stdout) == []
    empty_csv = run("copies", alone, "--db", db, "--format", "csv")
    assert empty_csv.stdout.splitlines() == [
        "url,domain,published_at,similarity,containment,trigram_containment,kind,is_origin"]


def test_values_keep_their_types_and_precision(db):
    q = ("SELECT 1 AS i, 0.1::DOUBLE + 0.2::DOUBLE AS x, 2.5::DOUBLE AS d, NULL AS n, true AS b, "
         "TIMESTAMP '2026-12-05 03:12:44' AS t, TIMESTAMP '2026-12-05 03:12:44.5' AS tf, [1, 2] AS l")
    row = json.loads(run("sql", q, "--db", db, "--format", "json").stdout)[0]
    assert row == {"i": 1, "x": 0.30000000000000004, "d": 2.5, "n": None, "b": True, "t": "2026-12-05T03:12:44Z",
                   "tf": "2026-12-05T03:12:44.500000Z", "l": [1, 2]}
    table = run("sql", q, "--db", db).stdout.splitlines()
    assert table[2].split() == ["1", "0.30000000000000004", "2.5", "NULL", "true", "2026-12-05T03:12:44Z",
                                "2026-12-05T03:12:44Z", "[1,", "2]"]
    csv_row = one_csv_table(run("sql", q, "--db", db, "--format", "csv").stdout)[0]
    assert csv_row["n"] == "" and csv_row["b"] == "true" and csv_row["t"] == "2026-12-05T03:12:44Z"


def test_stored_timestamps_are_iso_8601_with_zone_everywhere(db):
    runs = json.loads(run("runs", "--db", db, "--format", "json").stdout)
    assert all(TIMESTAMP.match(r["started_at"]) and TIMESTAMP.match(r["finished_at"]) for r in runs)
    docs = json.loads(run("sql", "SELECT fetched_at FROM documents WHERE fetched_at IS NOT NULL",
                          "--db", db, "--format", "json").stdout)
    assert docs and all(TIMESTAMP.match(d["fetched_at"]) for d in docs)
    origin = json.loads(run("origin", CNN, "--db", db, "--format", "json").stdout)
    assert origin["page_is_origin"] is True


def test_runs_say_what_each_run_scanned_in_the_summary_words(db):
    runs = json.loads(run("runs", "--db", db, "--format", "json").stdout)
    assert [r["run_id"] for r in runs] == [2, 1]
    assert all(r["paths"] == [str(SAMPLE_CORPUS)] for r in runs)
    assert runs[0]["pages_unchanged"] == runs[1]["pages_new"] > 0 and runs[0]["pages_new"] == 0
    table = run("runs", "--db", db).stdout
    assert "pages_unchanged" in table and str(SAMPLE_CORPUS)[:40] in table


def test_long_values_are_whole_when_piped_and_cut_only_when_asked(db, tmp_path):
    long_url = "https://example.com/" + "a" * 150
    q = f"SELECT '{long_url}' AS url"
    piped = subprocess.run([sys.executable, "-m", "syndicate", "sql", q, "--db", str(db)],
                           capture_output=True, text=True, check=True)
    assert long_url in piped.stdout.splitlines()[2]
    cut = run("sql", q, "--db", db, "--max-width", "30").stdout.splitlines()[2]
    assert cut == long_url[:29] + "…"
    assert run("sql", q, "--db", db, "--max-width", "0").stdout.splitlines()[2] == long_url


def test_export_writes_times_in_the_same_format(db, tmp_path):
    for fmt in ("csv", "jsonl"):
        result = run("export", "--db", db, "--format", fmt, "--out", tmp_path / fmt, "--no-text")
        assert result.exit_code == 0, result.output
    rows = one_csv_table((tmp_path / "csv" / "documents.csv").read_text(encoding="utf-8"))
    assert rows and all(TIMESTAMP.match(r["first_seen"]) for r in rows)
    records = [json.loads(line) for line in (tmp_path / "jsonl" / "documents.jsonl").read_text().splitlines()]
    assert records and all(TIMESTAMP.match(r["last_seen"]) for r in records)


def test_repeated_column_names_lose_no_column(db):
    q = "SELECT d.doc_id, m.doc_a AS doc_id, 3 AS doc_id FROM documents d JOIN matches m ON m.doc_a = d.doc_id LIMIT 1"
    row = json.loads(run("sql", q, "--db", db, "--format", "json").stdout)[0]
    assert list(row) == ["doc_id", "doc_id_1", "doc_id_2"] and row["doc_id_2"] == 3
    assert run("sql", q, "--db", db, "--format", "csv").stdout.splitlines()[0] == "doc_id,doc_id_1,doc_id_2"
