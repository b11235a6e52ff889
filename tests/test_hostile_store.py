"""Honest errors when the database cannot be used: 75 only for another scan's lock, the real cause otherwise."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from conftest import SAMPLE_CORPUS
from syndicate import scan
from syndicate.cli import cli
from syndicate.store.lock import WriteLock

NYPOST = SAMPLE_CORPUS / "nypost.com"


@pytest.fixture()
def db(tmp_path):
    path = tmp_path / "s.duckdb"
    scan([NYPOST], path, workers=1)
    return path


def test_a_reader_holding_the_file_is_named_and_is_not_exit_75(db):
    """A reader has the file open: the scan names the reader's pid (not its own) and fails with 2, not 75."""
    reader = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb, sys; c = duckdb.connect({str(db)!r}, read_only=True); "
                               "print('open', flush=True); sys.stdin.read()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert reader.stdout.readline().strip() == "open"
        done = subprocess.run([sys.executable, "-m", "syndicate", "scan", str(SAMPLE_CORPUS), "--db", str(db), "--quiet"],
                              capture_output=True, text=True, timeout=300)
    finally:
        reader.communicate("", timeout=30)
    assert done.returncode == 2, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in done.stderr
    assert f"pid {reader.pid}" in lines[0] and "another process has it open" in lines[0]
    assert "being written by a scan" not in lines[0]


def test_another_scan_holding_the_lock_is_still_75(db):
    with WriteLock(db, "scan"):
        result = CliRunner().invoke(cli, ["scan", str(NYPOST), "--db", str(db), "--quiet"])
    assert result.exit_code == 75
    assert "being written by another scan" in result.output


@pytest.mark.parametrize("content", [b"garbage " * 1000, b"", b"DUCK" + bytes(5000)], ids=["text", "empty", "zeros"])
def test_a_file_that_is_not_a_duckdb_database_says_so(tmp_path, content):
    path = tmp_path / "not.duckdb"
    path.write_bytes(content)
    result = CliRunner().invoke(cli, ["scan", str(NYPOST), "--db", str(path), "--quiet"])
    assert result.exit_code == 2, result.output
    assert "not a readable DuckDB database" in result.output and "Traceback" not in result.output
    assert path.read_bytes() == content  # left as it was


def test_a_read_only_file_names_the_permission_problem(db):
    if subprocess.run(["id", "-u"], capture_output=True, text=True).stdout.strip() == "0":
        pytest.skip("root opens read-only files for writing")
    db.chmod(0o444)
    result = CliRunner().invoke(cli, ["scan", str(NYPOST), "--db", str(db), "--quiet"])
    assert result.exit_code == 2 and "permission" in result.output.lower()


@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_a_page_timeout_that_is_no_number_is_a_usage_error(db, value):
    result = CliRunner().invoke(cli, ["scan", str(NYPOST), "--db", str(db), "--quiet", "--page-timeout", value])
    assert result.exit_code == 2
    assert "--page-timeout" in result.output and "Traceback" not in result.output


def test_a_truncated_database_is_named_damaged_not_a_traceback(tmp_path):
    path = tmp_path / "t.duckdb"
    scan([SAMPLE_CORPUS], path, workers=2)
    size = path.stat().st_size
    with open(path, "r+b") as f:
        f.truncate(size // 2)
    for command in (["scan", str(NYPOST), "--db", str(path), "--quiet"], ["check", "--db", str(path)]):
        result = CliRunner().invoke(cli, command)
        assert result.exit_code == 2, result.output
        assert "damaged or truncated" in result.output and "Traceback" not in result.output
    assert path.stat().st_size == size // 2  # nothing written over it


@pytest.mark.parametrize("key,value", [("settings", "{garbage"), ("settings", "[]"), ("schema_version", "three")])
def test_damaged_meta_rows_are_named(db, key, value):
    import duckdb

    with duckdb.connect(str(db)) as con:
        con.execute("UPDATE meta SET value = ? WHERE key = ?", [value, key])
    result = CliRunner().invoke(cli, ["scan", str(NYPOST), "--db", str(db), "--quiet"])
    assert result.exit_code == 2, result.output
    assert "damaged meta table" in result.output and "Traceback" not in result.output
