"""The scan as an unattended nightly job: crash safety, locking, run log, retention."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from conftest import SAMPLE_CORPUS, write_jsonl
from syndicate import scan
from syndicate.cli import cli
from syndicate.store.lock import LockedError, WriteLock
from syndicate.store.retention import parse_age, prune

# Every table a scan writes, with the columns that depend on the wall clock left out.
TABLES = {
    "documents": "SELECT * EXCLUDE (first_seen, last_seen) FROM documents ORDER BY doc_id",
    "links": "SELECT * FROM links ORDER BY ALL",
    "evidence": "SELECT * FROM evidence ORDER BY ALL",
    "signatures": "SELECT * FROM signatures ORDER BY doc_id",
    "bands": "SELECT * FROM bands ORDER BY ALL",
    "site_lines": "SELECT * FROM site_lines ORDER BY ALL",
    "matches": "SELECT * FROM matches ORDER BY ALL",
    "clusters": "SELECT * FROM clusters ORDER BY ALL",
    "origins": "SELECT * FROM origins ORDER BY ALL",
}


def tables(db: Path) -> dict[str, list]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {name: con.execute(sql).fetchall() for name, sql in TABLES.items()}


@pytest.fixture(scope="module")
def crawl(tmp_path_factory) -> Path:
    """sample_corpus/ as one JSONL export, each page twice (a second crawl URL), fetch times fixed."""
    folder = tmp_path_factory.mktemp("crawl")
    records = []
    for i, path in enumerate(sorted(p for p in SAMPLE_CORPUS.rglob("*.html"))):
        html = path.read_text(encoding="utf-8")
        for copy in range(2):
            records.append({"url": f"https://mirror{copy}.example/{path.stem}", "html": html,
                            "fetched_at": f"2023-11-12T0{copy}:{i:02d}:00Z"})
    return write_jsonl(folder / "crawl.jsonl", records)


@pytest.fixture(scope="module")
def reference(crawl, tmp_path_factory) -> dict[str, list]:
    db = tmp_path_factory.mktemp("ref") / "ref.duckdb"
    scan([crawl], db, workers=1, batch_size=4)
    return tables(db)


def start_scan(crawl: Path, db: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "syndicate", "scan", str(crawl), "--db", str(db), "--workers", "1",
         "--batch-size", "4", "--log-interval", "0", *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for_batches(proc: subprocess.Popen, n: int) -> None:
    seen = 0
    while seen < n:
        line = proc.stderr.readline()
        assert line, f"scan ended before {n} batches: {proc.stderr.read()}"
        seen += " scan: " in line and ", 0 done (" not in line  # the first line comes before any batch


@pytest.mark.parametrize("batches,delay,band_index", [(1, 0.0, False), (3, 0.0, True), (5, 0.15, False), (7, 0.05, True)])
def test_kill_9_then_rerun_equals_an_uninterrupted_scan(crawl, reference, tmp_path, monkeypatch, batches, delay, band_index):
    """Half the cases look candidates up in the band index (built at once, appended after every batch)."""
    if band_index:
        monkeypatch.setenv("SYNDICATE_BAND_INDEX_MIN_ROWS", "0")
    db = tmp_path / "s.duckdb"
    proc = start_scan(crawl, db)
    wait_for_batches(proc, batches)
    time.sleep(delay)  # with a delay the kill lands inside the next batch's work
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    rerun = start_scan(crawl, db, "--json")
    out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err
    summary = json.loads(out)
    assert summary["interrupted_runs"] == [1]
    assert summary["pages_unchanged"] >= 4 * batches  # the stored batches were not extracted again
    assert tables(db) == reference
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT run_id, status FROM runs ORDER BY 1").fetchall() == [(1, "interrupted"), (2, "ok")]
    assert Path(str(db) + ".bands", "manifest.json").exists() == band_index


def test_a_pool_of_workers_stores_what_one_worker_stores(crawl, reference, tmp_path):
    """Batches that come back together are stored in one transaction; the tables are the same."""
    db = tmp_path / "pool.duckdb"
    stored = []
    summary = scan([crawl], db, workers=2, batch_size=4, on_batch=lambda s: stored.append(s.pages_read))
    assert summary.pages_read == len(crawl.read_text().splitlines()) and stored[-1] == summary.pages_read
    assert tables(db) == reference


def test_second_scan_is_refused_at_once_and_the_first_finishes(crawl, tmp_path):
    """The first scan reads precisely: slow enough (seconds) for the refused scan and query to come back while it runs."""
    reference = tmp_path / "reference.duckdb"
    scan([crawl], reference, workers=1, batch_size=4, fast=False)
    db = tmp_path / "s.duckdb"
    first = start_scan(crawl, db, "--extract", "precise")
    wait_for_batches(first, 1)
    second = subprocess.run([sys.executable, "-m", "syndicate", "scan", str(crawl), "--db", str(db)],
                            capture_output=True, text=True, timeout=120)
    first_still_running = first.poll() is None
    query = subprocess.run([sys.executable, "-m", "syndicate", "sql", "SELECT 1", "--db", str(db)],
                           capture_output=True, text=True, timeout=120)
    first.communicate(timeout=300)
    assert second.returncode == 75, second.stderr
    assert second.stderr.startswith("error: ") and f"pid {first.pid} on " in second.stderr and "since" in second.stderr
    assert len(second.stderr.strip().splitlines()) == 1
    assert first_still_running  # refused at once: it came back while the first still held the lock
    assert query.returncode == 75 and "try again when it finishes" in query.stderr
    assert first.returncode == 0
    assert tables(db) == tables(reference)


def test_lock_left_by_a_dead_process_is_taken_over(tmp_path):
    db = tmp_path / "s.duckdb"
    dead = subprocess.run([sys.executable, "-c", (
        "import os, sys; from syndicate.store.lock import WriteLock; "
        f"WriteLock({str(db)!r}).acquire(); os._exit(0)")], timeout=60)
    assert dead.returncode == 0
    assert json.loads((tmp_path / "s.duckdb.lock").read_text())["pid"] > 0  # the lock file is left behind
    with WriteLock(db) as lock:
        assert lock.stale is not None and lock.stale.pid != os.getpid()
        with pytest.raises(LockedError, match=r"is being written by another scan \(pid \d+ on .*, since .*\)"):
            WriteLock(db).acquire()


def test_runs_lists_the_run_log(tmp_path, english_bodies):
    url, paras = english_bodies[0]
    corpus = write_jsonl(tmp_path / "c.jsonl", [{"url": url, "text": "\n".join(paras)}, {"url": "x"}])
    db = tmp_path / "s.duckdb"
    runner = CliRunner()
    assert runner.invoke(cli, ["scan", str(corpus), "--db", str(db), "--workers", "1"]).exit_code == 3
    assert runner.invoke(cli, ["scan", str(corpus), "--db", str(db), "--workers", "1"]).exit_code == 3
    rows = json.loads(runner.invoke(cli, ["runs", "--db", str(db), "--format", "json"]).stdout)
    assert [(r["run_id"], r["status"], r["pages_read"], r["pages_new"], r["pages_failed"]) for r in rows] == [
        (2, "completed_with_errors", 2, 0, 1), (1, "completed_with_errors", 2, 1, 1)]
    with duckdb.connect(str(db), read_only=True) as con:
        errors = con.execute("SELECT run_id, record, reason FROM errors ORDER BY run_id").fetchall()
    assert errors == [(run, "line 2", "record has neither 'html' nor 'text'") for run in (1, 2)]


def test_json_summary_for_monitoring(tmp_path, english_bodies):
    url, paras = english_bodies[0]
    corpus = write_jsonl(tmp_path / "c.jsonl", [{"url": url, "text": "\n".join(paras)}])
    result = CliRunner().invoke(cli, ["scan", str(corpus), "--db", str(tmp_path / "s.duckdb"), "--workers", "1", "--json"])
    data = json.loads(result.stdout)
    assert (data["status"], data["pages_read"], data["pages_new"], data["run_id"]) == ("ok", 1, 1, 1)


def test_progress_lines_on_a_non_terminal(tmp_path, crawl):
    proc = start_scan(crawl, tmp_path / "s.duckdb")
    _, err = proc.communicate(timeout=300)
    lines = [line for line in err.splitlines() if " scan: " in line]
    assert len(lines) >= 10  # one per batch with --log-interval 0
    assert all(" pages/s" in line and "pages read" in line and " done (" in line for line in lines)
    assert lines[0].endswith("0 pages read, 0 done (0 extracted, 0 unchanged, 0 failed), 0 new matches, 0.0 pages/s")
    assert "ETA " in lines[1] and "new matches" in lines[1]
    # the last matching round is said while it runs, and its matches counted after it
    matching = [i for i, line in enumerate(lines) if line.endswith("matching...")]
    assert matching and matching[-1] == len(lines) - 2
    assert " 0 new matches" in lines[-2] and " 0 new matches" not in lines[-1]
    read = lines[-1].split(" scan: ")[1].split(" ")[0]
    assert f"{read} pages read, {read} done ({read} extracted, 0 unchanged, 0 failed)" in lines[-1]
    datetime.strptime(lines[0].split(" ")[0], "%Y-%m-%dT%H:%M:%SZ")


def test_progress_is_logged_on_a_timer_while_a_batch_runs(tmp_path, crawl):
    """Off a terminal, a line every --log-interval seconds, not only when a batch ends."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "syndicate", "scan", str(crawl), "--db", str(tmp_path / "s.duckdb"), "--workers", "1",
         "--batch-size", "64", "--log-interval", "0.05"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    lines = [line for line in err.splitlines() if " scan: " in line]
    stamps = {line.split(" ")[0] for line in lines}
    # one batch of 64 holds all 44 pages: batch ends alone would give at most 3 lines
    assert len(lines) > 3 and len(stamps) >= 1


def test_ctrl_c_exits_130_and_the_rerun_finishes(crawl, reference, tmp_path):
    db = tmp_path / "s.duckdb"
    proc = start_scan(crawl, db)
    wait_for_batches(proc, 2)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "Aborted" not in err
    assert err.strip().splitlines()[-1] == ("interrupted: what was committed stays (a scan keeps every stored "
                                            "batch); rerun to continue")
    runs = json.loads(CliRunner().invoke(cli, ["runs", "--db", str(db), "--format", "json"]).stdout)
    assert [r["status"] for r in runs] == ["failed"]
    rerun = subprocess.run([sys.executable, "-m", "syndicate", "scan", str(crawl), "--db", str(db), "--workers", "1",
                            "--batch-size", "4"], capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert tables(db) == reference


def test_progress_bar_on_a_terminal(tmp_path, crawl):
    import pty

    controller, terminal = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "syndicate", "scan", str(crawl), "--db", str(tmp_path / "s.duckdb"),
                             "--workers", "1", "--batch-size", "8"], stdout=subprocess.PIPE, stderr=terminal)
    os.close(terminal)
    out, _ = proc.communicate(timeout=300)
    screen = b""
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:
            break
        if not chunk:
            break
        screen += chunk
    os.close(controller)
    updates = screen.decode().split("\r")
    assert proc.returncode == 0
    assert sum("pages/s" in u and "ETA" in u for u in updates) >= 3  # one line, rewritten in place
    assert " scan: " not in screen.decode()  # no log lines on a terminal
    assert b"pages read" in out


def test_prune_removes_old_pages_and_keeps_the_rest_consistent(tmp_path):
    db = tmp_path / "s.duckdb"
    scan([SAMPLE_CORPUS], db, workers=1)
    cnn = "https://www.cnn.com/2023/11/10/politics/hostage-deal-negotiations-israel-hamas/index.html"
    with duckdb.connect(str(db)) as con:  # the CNN page was last seen 100 days ago
        con.execute("UPDATE documents SET last_seen = last_seen - INTERVAL 100 DAY WHERE url = ?", [cnn])
    summary = prune(db, parse_age("90d"))
    assert (summary.pages, summary.matches, summary.clusters_before, summary.clusters_after) == (1, 4, 1, 1)
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM documents WHERE url = ?", [cnn]).fetchall()[0][0] == 0
        for table in ("links", "evidence", "signatures", "bands", "clusters"):
            orphans = con.execute(f"SELECT count(*) FROM {table} WHERE doc_id NOT IN (SELECT doc_id FROM documents)")
            assert orphans.fetchall()[0][0] == 0, table
        assert con.execute("""SELECT count(*) FROM matches WHERE doc_a NOT IN (SELECT doc_id FROM documents)
                              OR doc_b NOT IN (SELECT doc_id FROM documents)""").fetchall()[0][0] == 0
        # the four copies still form a cluster; its origin is now the CNN URL they link to, not a page
        (members,), = con.execute("SELECT count(*) FROM clusters").fetchall()
        origin = con.execute("SELECT origin_doc_id, origin_url FROM origins WHERE origin_url = ?", [cnn]).fetchall()
    assert members == 4 and origin == [(None, cnn)]
    result = CliRunner().invoke(cli, ["prune", "--older-than", "90d", "--db", str(db)])
    assert result.exit_code == 0 and result.stdout.startswith("removed 0 pages")
    bad = CliRunner().invoke(cli, ["prune", "--older-than", "ninety", "--db", str(db)])
    assert bad.exit_code == 2 and "write it like 90d" in bad.stderr


def test_parse_age():
    assert parse_age("90d") == timedelta(days=90) and parse_age("2w") == timedelta(weeks=2)
    assert parse_age(" 36h ") == timedelta(hours=36)
    assert datetime.now(timezone.utc) - parse_age("1d") < datetime.now(timezone.utc)
