"""Reading while a scan writes: the snapshot readers open, how it is published, and that nobody waits."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from conftest import SAMPLE_CORPUS
from syndicate import scan
from syndicate.cli import cli
from syndicate.store.database import Store
from syndicate.store.schema import TABLES
from syndicate.store.snapshot import Publisher, current, open_latest, publish, snapshot_path

# A real scan in its own process that stops after its first matching round, once it has published a snapshot
# (SYNDICATE_SNAPSHOT_INTERVAL=0: after every round), holding the database until its stdin closes.
MID_SCAN = textwrap.dedent("""
    import sys
    from pathlib import Path
    from syndicate import scan

    db = Path(sys.argv[1])
    snapshot = db.with_name(db.stem + ".snapshot" + db.suffix)
    held = []

    def hold(summary):
        if not held and snapshot.exists():
            held.append(summary.pages_new)
            print(summary.pages_new, flush=True)
            sys.stdin.read()

    summary = scan([sys.argv[2]], db, workers=1, batch_size=4, match_every=4, on_batch=hold)
    print("done", summary.pages_new, flush=True)
""")


def table_rows(path: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(path), read_only=True) as con:
        return {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in TABLES}


def count(path: Path) -> int:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("SELECT count(*) FROM documents").fetchall()[0][0]


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_a_scan_publishes_a_snapshot_equal_to_the_database(tmp_path):
    db = tmp_path / "syndicate.duckdb"
    scan([SAMPLE_CORPUS], db, workers=1)
    snapshot = tmp_path / "syndicate.snapshot.duckdb"
    assert snapshot_path(db) == snapshot and current(db)
    assert table_rows(snapshot) == table_rows(db)
    assert snapshot_path(tmp_path / "crawl-db") == tmp_path / "crawl-db.snapshot"


def test_readers_use_the_snapshot_while_a_scan_writes_and_the_scan_never_waits(tmp_path):
    db = tmp_path / "syndicate.duckdb"
    env = {**os.environ, "SYNDICATE_SNAPSHOT_INTERVAL": "0"}
    writer = subprocess.Popen([sys.executable, "-c", MID_SCAN, str(db), str(SAMPLE_CORPUS)], env=env,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        stored_at_round = int(writer.stdout.readline())
        snapshot = snapshot_path(db)
        published = count(snapshot)  # any DuckDB client may open the snapshot read-only meanwhile
        assert 0 < published <= stored_at_round < 29
        result = run("sql", "SELECT count(*) AS n FROM documents", "--db", db, "--format", "json")
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout) == [{"n": published}]
        note = result.stderr.strip()
        assert note.startswith("note: reading the snapshot of ") and "(run 1, mid-run; " in note
        assert f": {db} is being written by a scan (pid {writer.pid} on " in note
        runs = run("runs", "--db", db, "--format", "json")
        assert runs.exit_code == 0 and json.loads(runs.stdout)[0]["status"] == "running"
        top = run("top", "--db", db, "--format", "json")
        assert top.exit_code == 0 and set(json.loads(top.stdout)) == {"origins", "reposters"}
        store, reading = open_latest(db)
        with store:
            assert reading.snapshot and reading.busy and reading.run_status == "running"
        with duckdb.connect(str(snapshot), read_only=True) as held_open:  # a reader holding the old snapshot
            writer.stdin.close()
            assert writer.stdout.readline().split() == ["done", "29"]
            assert writer.wait(timeout=120) == 0
            assert held_open.execute("SELECT count(*) FROM documents").fetchall()[0][0] == published
    finally:
        if writer.poll() is None:
            writer.kill()
    assert count(snapshot) == 29 and current(db)
    after = run("sql", "SELECT count(*) AS n FROM documents", "--db", db, "--format", "json")
    assert json.loads(after.stdout) == [{"n": 29}] and after.stderr == ""


def test_a_current_snapshot_keeps_readers_off_the_live_file(tmp_path):
    db = tmp_path / "syndicate.duckdb"
    scan([SAMPLE_CORPUS / "cnn.com"], db, workers=1)
    store, reading = open_latest(db)
    with store:  # a reader holds what it reads for as long as it likes ...
        assert reading.snapshot and reading.busy is None
        summary = scan([SAMPLE_CORPUS / "nypost.com"], db, workers=1)  # ... and the next scan does not notice
        assert summary.pages_new > 0
    assert count(snapshot_path(db)) == count(db)


def test_without_a_current_snapshot_readers_open_the_live_database(tmp_path):
    db = tmp_path / "syndicate.duckdb"
    scan([SAMPLE_CORPUS / "cnn.com"], db, workers=1)
    snapshot_path(db).unlink()
    store, reading = open_latest(db)
    with store:
        assert not reading.snapshot and reading.path == db
    with Store.open(db) as store:  # a write outside syndicate's commands: the snapshot is older than the file
        store.con.execute("UPDATE documents SET title = 'changed'")
    publish(db)
    os.utime(db)  # touched after the snapshot
    assert not current(db)
    store, reading = open_latest(db)
    with store:
        assert not reading.snapshot


def test_write_commands_publish_and_a_killed_publication_leaves_the_previous_snapshot(tmp_path):
    db = tmp_path / "syndicate.duckdb"
    scan([SAMPLE_CORPUS], db, workers=1)
    snapshot = snapshot_path(db)
    before = table_rows(snapshot)
    leftover = tmp_path / ".syndicate.snapshot.duckdb.tmp-4242"  # a publication killed half way
    leftover.write_bytes(b"DUCK" * 1000)
    assert table_rows(snapshot) == before  # readers never see the half-written file
    result = run("sql", "--write", "DELETE FROM errors", "--db", db)
    assert result.exit_code == 0, result.output
    assert not leftover.exists() and current(db)
    assert run("recluster", "--db", db, "--threshold", "0.6").exit_code == 0
    assert table_rows(snapshot) == table_rows(db)
    assert json.loads(run("sql", "SELECT value FROM meta WHERE key = 'settings'", "--db", db,
                          "--format", "json").stdout)[0]["value"].count('"threshold": 0.6') == 1
    assert run("prune", "--older-than", "3650d", "--db", db).exit_code == 0
    assert run("check", "--db", db).exit_code == 0


def test_snapshots_can_be_turned_off(tmp_path):
    db = tmp_path / "syndicate.duckdb"
    env = {**os.environ, "SYNDICATE_SNAPSHOT": "off"}
    done = subprocess.run([sys.executable, "-m", "syndicate", "scan", str(SAMPLE_CORPUS / "cnn.com"), "--db", str(db)],
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert db.exists() and not snapshot_path(db).exists()
    assert json.loads(run("sql", "SELECT count(*) AS n FROM documents", "--db", db, "--format", "json").stdout)[0]["n"] == 2


def test_publishing_during_a_scan_keeps_to_a_tenth_of_its_time(tmp_path):
    db = tmp_path / "syndicate.duckdb"
    scan([SAMPLE_CORPUS / "cnn.com"], db, workers=1)
    publisher = Publisher(db, interval=0)
    assert publisher.due()
    publisher.publish()
    assert publisher.published == 1 and current(db)
    publisher.cost = 3600.0  # as if the copy had taken an hour: the next one waits ten
    assert not publisher.due()
    publisher.last -= 36_000
    assert publisher.due()
