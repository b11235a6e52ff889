"""The CLI end to end on sample_corpus/: CliRunner in-process and the installed command as a subprocess."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import duckdb
import pytest
from click.testing import CliRunner

from conftest import SAMPLE_CORPUS, write_jsonl
from syndicate.cli import cli

CNN = "https://www.cnn.com/2023/11/10/politics/hostage-deal-negotiations-israel-hamas/index.html"
REPOSTS = {
    "https://worldnewsroundup.com/hostage-negotiators-discussing-days-long-fighting-pause-between-israel-and-hamas-in-exchange-for-freeing-large-group/",
    "https://www.deccanherald.com/international/hostage-negotiators-discussing-days-long-fighting-pause-between-israel-and-hamas-1247312.html",
    "https://nypost.com/2023/11/12/hostage-negotiators-discussing-days-long-fighting-pause-between-israel-and-hamas/",
    "https://www.albawaba.com/news/israel-and-hamas-weigh-days-long-truce-exchange-large-hostage-release-1538214",
}
TRUNCATED = "https://nypost.com/2023/11/12/hostage-negotiators-discussing-days-long-fighting-pause-between-israel-and-hamas/"
SUMMARY = re.compile(
    r"^(\d+) pages read \((\d+) new, (\d+) changed, (\d+) unchanged, (\d+) failed\), (\d+) articles, "
    r"(\d+) new matches, (\d+) clusters, [\d.]+ s(?:; \d+ files? skipped: .*)?$"
)


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory):
    """sample_corpus/ scanned once through the CLI."""
    db = tmp_path_factory.mktemp("sample") / "syndicate.duckdb"
    result = CliRunner().invoke(cli, ["scan", str(SAMPLE_CORPUS), "--db", str(db), "--workers", "2"])
    assert result.exit_code == 0, result.output
    return db, result


def run(*args, **kwargs):
    return CliRunner().invoke(cli, [str(a) for a in args], **kwargs)


def test_scan_prints_one_summary_line(sample_db):
    _, result = sample_db
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    read, new, changed, unchanged, failed, articles, matches, clusters = map(int, SUMMARY.match(lines[0]).groups())
    assert (read, new, failed, articles, clusters) == (29, 29, 0, 29, 1)
    assert matches == 10  # five pages carrying one article: every pair verified


def test_cnn_original_and_every_repost_form_the_only_cluster(sample_db):
    db, _ = sample_db
    with duckdb.connect(str(db), read_only=True) as con:
        clusters = con.execute(
            "SELECT list(url) FROM clusters JOIN documents USING (doc_id) GROUP BY cluster_id").fetchall()
    assert len(clusters) == 1
    assert set(clusters[0][0]) == REPOSTS | {CNN}


def test_syndication_view_answers_who_copied_cnn(sample_db):
    db, _ = sample_db
    result = run("sql", "SELECT copy_url, origin_url, kind FROM syndication WHERE origin_domain = 'cnn.com' ORDER BY copy_url",
                 "--db", db, "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert {r["copy_url"] for r in rows} == REPOSTS
    assert {r["origin_url"] for r in rows} == {CNN}
    assert {r["copy_url"]: r["kind"] for r in rows}[TRUNCATED] == "partial"


def test_copies_lists_the_reposts_with_similarity(sample_db):
    db, _ = sample_db
    result = run("copies", CNN, "--db", db, "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert {r["url"] for r in rows} == REPOSTS
    assert all(0.5 <= r["similarity"] <= 1.0 and r["containment"] >= 0.9 for r in rows)
    table = run("copies", CNN, "--db", db)
    assert "worldnewsroundup.com" in table.stdout and "partial" in table.stdout and "(4 rows)" in table.stdout


def test_copies_of_a_repost_marks_the_origin(sample_db):
    db, _ = sample_db
    rows = json.loads(run("copies", TRUNCATED, "--db", db, "--format", "json").stdout)
    assert {r["url"] for r in rows} == (REPOSTS - {TRUNCATED}) | {CNN}
    assert [r["url"] for r in rows if r["is_origin"] is True] == [CNN]
    assert all(r["is_origin"] is False for r in rows if r["url"] != CNN)


def test_copies_finds_url_spelling_variants(sample_db):
    db, _ = sample_db
    variant = CNN.replace("https://www.", "http://")
    assert run("copies", variant, "--db", db).exit_code == 0


def test_sql_formats(sample_db):
    db, _ = sample_db
    q = "SELECT domain, count(*) AS pages FROM documents WHERE domain LIKE '%.com' GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 2"
    table = run("sql", q, "--db", db).stdout.splitlines()
    assert table[0].split() == ["domain", "pages"] and table[-1] == "(2 rows)"
    csv_out = run("sql", q, "--db", db, "--format", "csv").stdout.splitlines()
    assert csv_out[0] == "domain,pages" and len(csv_out) == 3
    assert json.loads(run("sql", q, "--db", db, "--format", "json").stdout)[0]["pages"] == 4


def test_user_errors_are_one_line_without_traceback(tmp_path, sample_db):
    db, _ = sample_db
    cases = [
        (["sql", "SELECT 1", "--db", tmp_path / "none.duckdb"], "error: no database at"),
        (["copies", "https://nowhere.example/x", "--db", db], "error: https://nowhere.example/x is not in"),
        (["scan", tmp_path / "missing-folder", "--db", tmp_path / "x.duckdb"], "error: no such file or folder"),
        (["scan", SAMPLE_CORPUS, "--db", db, "--threshold", "0.7"], "error: "),
    ]
    for args, expected in cases:
        result = run(*args)
        assert result.exit_code != 0, args
        assert result.stderr.startswith(expected), (args, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output


def test_sql_errors_keep_every_line_duckdb_gives(sample_db):
    db, _ = sample_db
    typo = run("sql", "SELECT urll FROM documents", "--db", db)
    assert typo.exit_code == 2 and typo.stdout == ""
    lines = typo.stderr.splitlines()
    assert lines[0].startswith("error: SQL error: Binder Error: Referenced column \"urll\" not found"), typo.stderr
    assert any("Candidate bindings" in line for line in lines) and any("LINE 1:" in line for line in lines)
    syntax = run("sql", "SELEC nonsense", "--db", db)
    assert syntax.exit_code == 2 and "Traceback" not in syntax.output
    assert syntax.stderr.startswith("error: SQL error: Parser Error: syntax error") and "LINE 1:" in syntax.stderr
    for empty in ("", "   \n"):
        blank = run("sql", empty, "--db", db)
        assert blank.exit_code == 2 and "the query is empty" in blank.stderr and "Traceback" not in blank.output


def test_settings_mismatch_names_the_setting(sample_db):
    db, _ = sample_db
    result = run("scan", SAMPLE_CORPUS, "--db", db, "--threshold", "0.7")
    assert result.exit_code == 2
    assert "threshold 0.5 != 0.7" in result.stderr and "syndicate recluster" in result.stderr
    fixed = run("scan", SAMPLE_CORPUS, "--db", db, "--num-perm", "64")
    assert fixed.exit_code == 2
    assert "num_perm 128 != 64" in fixed.stderr and "use a new --db" in fixed.stderr


def test_bad_inputs_give_exit_status_3_and_rows_in_errors(tmp_path, english_bodies):
    url, paras = english_bodies[0]
    corpus = write_jsonl(tmp_path / "c.jsonl", [{"url": url, "text": "\n".join(paras)}, {"url": "x"}])
    (tmp_path / "junk.html").write_bytes(os.urandom(5000).replace(b"<", b"") + b"\x00")
    db = tmp_path / "s.duckdb"
    result = run("scan", corpus, tmp_path / "junk.html", "--db", db, "--workers", "1")
    assert result.exit_code == 3
    assert "skipped" in result.stderr and "binary content, not HTML" in result.stderr
    assert SUMMARY.match(result.stdout.strip()).group(5) == "2"
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM errors").fetchall()[0][0] == 2


def test_db_from_environment(tmp_path, english_bodies):
    url, paras = english_bodies[0]
    corpus = write_jsonl(tmp_path / "c.jsonl", [{"url": url, "text": "\n".join(paras)}])
    db = tmp_path / "env.duckdb"
    result = run("scan", corpus, "--workers", "1", env={"SYNDICATE_DB": str(db)})
    assert result.exit_code == 0 and db.exists()


def test_installed_command_as_subprocess(tmp_path):
    """The real entry point, in a fresh process, with the default database in the working directory."""
    env = dict(os.environ)
    env.pop("SYNDICATE_DB", None)
    scan = subprocess.run([sys.executable, "-m", "syndicate", "scan", str(SAMPLE_CORPUS), "--workers", "2"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert scan.returncode == 0, scan.stderr
    assert SUMMARY.match(scan.stdout.strip())
    assert (tmp_path / "syndicate.duckdb").exists()
    copies = subprocess.run([sys.executable, "-m", "syndicate", "copies", CNN, "--format", "csv"],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert copies.returncode == 0, copies.stderr
    assert {line.split(",")[0] for line in copies.stdout.splitlines()[1:]} == REPOSTS
    again = subprocess.run([sys.executable, "-m", "syndicate", "scan", str(SAMPLE_CORPUS)],
                           cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert SUMMARY.match(again.stdout.strip()).group(4) == "29"  # all unchanged
    bad = subprocess.run([sys.executable, "-m", "syndicate", "sql", "DROP TABLE documents"],
                         cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert bad.returncode != 0 and bad.stderr.startswith("error:") and "Traceback" not in bad.stderr


@pytest.mark.parametrize("args, mode", [((), "fast"), (("--extract", "precise"), "precise")], ids=["default", "precise"])
def test_both_extraction_modes_find_the_same_syndication(tmp_path, args, mode):
    """fast is the default; either mode finds the one cluster, and each page records the mode that read it."""
    db = tmp_path / "s.duckdb"
    result = run("scan", SAMPLE_CORPUS, "--db", db, "--workers", "2", *args, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["articles"] == 29
    with duckdb.connect(str(db), read_only=True) as con:
        clusters = con.execute(
            "SELECT list(url) FROM clusters JOIN documents USING (doc_id) GROUP BY cluster_id").fetchall()
        modes = con.execute("SELECT list_distinct(list(extract_mode)) FROM documents").fetchall()
    assert [set(c[0]) for c in clusters] == [REPOSTS | {CNN}]
    assert modes == [([mode],)]
    bad = run("scan", SAMPLE_CORPUS, "--db", db, "--extract", "sloppy")
    assert bad.exit_code == 2 and "sloppy" in bad.output


def test_sql_is_read_only_unless_told_to_write(tmp_path):
    db = tmp_path / "s.duckdb"
    assert run("scan", SAMPLE_CORPUS, "--db", db, "--workers", "2").exit_code == 0
    refused = run("sql", "DROP TABLE documents", "--db", db)
    assert refused.exit_code == 2
    assert "opened read-only" in refused.stderr and "add --write" in refused.stderr
    deleted = run("sql", "DELETE FROM errors WHERE run_id = 42", "--db", db)
    assert deleted.exit_code == 2
    count = run("sql", "SELECT count(*) AS n FROM documents", "--db", db, "--format", "json")
    assert json.loads(count.stdout) == [{"n": 29}]  # nothing was lost
    written = run("sql", "DELETE FROM runs WHERE run_id = 1", "--db", db, "--write")
    assert written.exit_code == 0, written.output
    assert json.loads(run("sql", "SELECT count(*) AS n FROM runs", "--db", db, "--format", "json").stdout) == [{"n": 0}]
    assert not (tmp_path / "s.duckdb.lock").read_text()  # the write lock was taken and released


def test_oversized_pages_are_recorded_not_extracted(tmp_path, english_bodies):
    url, paras = english_bodies[0]
    body = "".join(f"<p>{p}</p>" for p in paras)
    huge = "<html><body><article>" + body + "<p>" + "filler words " * 120_000 + "</p></article></body></html>"
    corpus = write_jsonl(tmp_path / "c.jsonl", [{"url": url, "html": f"<html><body><article>{body}</article></body></html>"},
                                                {"url": "https://huge.example/page", "html": huge}])
    db = tmp_path / "s.duckdb"
    result = run("scan", corpus, "--db", db, "--workers", "1", "--max-page-mb", "1")
    assert result.exit_code == 3, result.output
    assert "page of 1.5 MiB is over the 1 MiB limit (--max-page-mb)" in result.stderr
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT url FROM documents").fetchall() == [(url,)]
        assert con.execute("SELECT record FROM errors").fetchall() == [("line 2",)]


def test_parquet_out_writes_every_table_and_the_view_readable_in_place(tmp_path):
    import duckdb

    from syndicate.store.schema import TABLES

    db, out = tmp_path / "p.duckdb", tmp_path / "parquet"
    crawl = tmp_path / "crawl"
    for site in ("cnn.com", "nypost.com"):
        shutil.copytree(SAMPLE_CORPUS / site, crawl / site)
    result = CliRunner().invoke(cli, ["scan", str(crawl), "--db", str(db), "--parquet-out", str(out), "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{t}.parquet" for t in (*TABLES, "syndication"))
    with duckdb.connect(str(db), read_only=True) as con:
        for name in (*TABLES, "syndication"):
            stored = con.execute(f"SELECT * FROM {name} ORDER BY ALL").fetchall()
            in_place = con.execute(f"SELECT * FROM '{out / name}.parquet' ORDER BY ALL").fetchall()
            assert in_place == stored, name
        assert con.execute(f"SELECT count(*) FROM '{out}/matches.parquet'").fetchall() == [(1,)]
