"""Honest errors when the database cannot be used: 75 only for another scan's lock, the real cause otherwise."""

from __future__ import annotations

import ctypes
import json
import os
import resource
import shlex
import shutil
import signal
import subprocess
import sys
from contextlib import contextmanager
from typing import Iterator

import duckdb
import pytest
from click.testing import CliRunner

from conftest import SAMPLE_CORPUS
from syndicate import scan
from syndicate.cli import cli
from syndicate.store.lock import WriteLock

NYPOST = SAMPLE_CORPUS / "nypost.com"


@contextmanager
def process_holding(code: str, ready: str) -> Iterator[subprocess.Popen]:
    """Another process running ``code``, which prints ``ready`` once it holds the database, until the block ends."""
    proc = subprocess.Popen([sys.executable, "-c", f"import sys; {code}; print({ready!r}, flush=True); sys.stdin.read()"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == ready
        yield proc
    finally:
        proc.communicate("", timeout=30)
HEADER = 3 * 4096  # DuckDB's file header and its two database headers; blocks follow


def syndicate(*args: object, preexec=None) -> subprocess.CompletedProcess:
    """The real command in a process of its own."""
    return subprocess.run([sys.executable, "-m", "syndicate", *map(str, args)], capture_output=True, text=True,
                          timeout=600, preexec_fn=preexec)


def one_error_line(text: str) -> str:
    """The single line a failed command prints: no traceback, nothing else."""
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in text, text
    return lines[0]


def stored(path) -> tuple[int, int]:
    """(documents, matches) as any DuckDB client reads them (a .wal beside the file included)."""
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM matches)").fetchall()[0]


def file_size_limit(limit: int):
    """For preexec_fn: no file of the process may grow past ``limit`` bytes (a full disk, for that process)."""
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write then fails with EFBIG instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def without_root_powers() -> None:
    """For preexec_fn: root that obeys file permissions (drops CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH)."""
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (1, 2):
        if libc.prctl(24, cap, 0, 0, 0) != 0:  # PR_CAPBSET_DROP: gone from the command exec'd next
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def mounts_allowed(tmp_path) -> bool:
    """Whether this test may mount filesystems in a mount namespace of its own (root with unshare)."""
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return False
    target = tmp_path / "probe"
    target.mkdir()
    return subprocess.run(["unshare", "--mount", "sh", "-c", f"mount -t tmpfs -o size=1m tmpfs {target}"],
                          capture_output=True).returncode == 0


def in_mount_namespace(script: str) -> None:
    """Run a shell script in a mount namespace of its own: its mounts vanish with it."""
    done = subprocess.run(["unshare", "--mount", "sh", "-ec", script], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr


@pytest.fixture()
def db(tmp_path):
    path = tmp_path / "s.duckdb"
    scan([NYPOST], path, workers=1)
    return path


def test_a_reader_holding_the_file_is_named_and_is_not_exit_75(db):
    """A reader has the file open: the scan names the reader's pid (not its own) and fails with 2, not 75."""
    with process_holding(f"import duckdb; c = duckdb.connect({str(db)!r}, read_only=True)", "open") as reader:
        done = subprocess.run([sys.executable, "-m", "syndicate", "scan", str(SAMPLE_CORPUS), "--db", str(db), "--quiet"],
                              capture_output=True, text=True, timeout=300)
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
    """A database file it may not write: exit 2 naming the permission, as root too (without its override)."""
    before = stored(db)
    db.chmod(0o444)
    done = syndicate("scan", NYPOST, "--db", db, "--quiet", preexec=without_root_powers if os.geteuid() == 0 else None)
    assert done.returncode == 2, done.stderr
    line = one_error_line(done.stderr)
    assert "Permission denied" in line and "permissions" in line
    assert stored(db) == before


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "-1"])
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


def test_another_scan_in_another_process_is_named_with_75(db):
    """75 is kept for its one meaning: another syndicate process holds the write lock, and it is named."""
    with process_holding(f"from syndicate.store.lock import WriteLock; WriteLock({str(db)!r}).acquire()", "held") as holder:
        done = syndicate("scan", NYPOST, "--db", db, "--quiet")
    assert done.returncode == 75, done.stderr
    assert f"pid {holder.pid} " in one_error_line(done.stderr)


@pytest.mark.parametrize("command", [["check"], ["sql", "--write", "SELECT 1"]])
def test_a_reader_holding_the_file_is_named_by_every_command_on_the_live_file(db, command):
    """Commands that need the live file meet the same reader; none says 'being written by' itself or exits 75."""
    with process_holding(f"import duckdb; c = duckdb.connect({str(db)!r})", "open") as reader:
        done = syndicate(*command, "--db", db)
    assert done.returncode == 2, done.stderr
    line = one_error_line(done.stderr)
    assert f"pid {reader.pid}" in line and "being written" not in line


@pytest.mark.parametrize("command", [["runs"], ["sql", "SELECT count(*) FROM documents"]])
def test_read_commands_read_the_snapshot_whoever_holds_the_file(db, command):
    """The snapshot the last write published holds everything: the live file is not needed, nor opened."""
    with process_holding(f"import duckdb; c = duckdb.connect({str(db)!r})", "open"):
        done = syndicate(*command, "--db", db)
    assert done.returncode == 0 and done.stderr == "", done.stderr


def test_a_full_disk_while_a_batch_commits(db):
    """The write-ahead log cannot grow (RLIMIT_FSIZE: EFBIG, as a full disk gives ENOSPC): exit 74, one line,
    the pages stored before kept, and the next scan finishes the work."""
    before = stored(db)
    done = syndicate("scan", SAMPLE_CORPUS, "--db", db, "--quiet", "--workers", "1", preexec=file_size_limit(100_000))
    assert done.returncode == 74, done.stderr
    line = one_error_line(done.stderr)
    assert f"cannot write {db}.wal" in line and "File too large" in line and "committed before it stays" in line
    assert stored(db) == before
    result = CliRunner().invoke(cli, ["check", "--db", str(db)])
    assert result.exit_code == 0 and result.output.startswith("ok:"), result.output
    assert syndicate("scan", SAMPLE_CORPUS, "--db", db, "--quiet", "--workers", "1").returncode == 0
    assert stored(db) == (29, 10)


def test_a_full_disk_at_the_checkpoint_is_reported_and_loses_nothing(db):
    """The scan is committed (in the .wal) but cannot be written into the file: DuckDB would say nothing on
    close; the scan exits 74 saying so, and every page is there when the database is next opened."""
    done = syndicate("scan", SAMPLE_CORPUS, "--db", db, "--quiet", "--workers", "1",
                     preexec=file_size_limit(db.stat().st_size + 20_000))
    assert done.returncode == 74, done.stderr
    line = one_error_line(done.stderr)
    assert f"cannot write {db}:" in line and "checkpoint" in line and ".wal" in line
    assert stored(db) == (29, 10)
    result = CliRunner().invoke(cli, ["runs", "--db", str(db), "--format", "json"])
    assert json.loads(result.output)[0]["status"] == "ok"
    assert syndicate("scan", SAMPLE_CORPUS, "--db", db, "--quiet").returncode == 0
    assert not (db.parent / f"{db.name}.wal").exists()


def test_a_full_filesystem(db, tmp_path):
    """A real full disk: a tmpfs with 64 KiB left after the database (root only)."""
    if not mounts_allowed(tmp_path):
        pytest.skip("mounting a small filesystem needs root and unshare")
    before = stored(db)
    mnt, out = tmp_path / "mnt", tmp_path / "out"
    mnt.mkdir(), out.mkdir()
    in_mount_namespace(f"""
        mount -t tmpfs -o size={db.stat().st_size + 65536} tmpfs {mnt}
        cp {db} {mnt}/db.duckdb
        set +e
        {shlex.quote(sys.executable)} -m syndicate scan {SAMPLE_CORPUS} --db {mnt}/db.duckdb --quiet --workers 1 2> {out}/stderr
        echo $? > {out}/rc
        cp {mnt}/db.duckdb* {out}/
    """)
    assert (out / "rc").read_text().strip() == "74", (out / "stderr").read_text()
    line = one_error_line((out / "stderr").read_text())
    assert "no space left on the device" in line and "No space left on device" in line
    assert stored(out / "db.duckdb") == before


def test_a_read_only_filesystem(db, tmp_path):
    """The folder is on a read-only mount: exit 2 naming it, and reading still works (root only)."""
    if not mounts_allowed(tmp_path):
        pytest.skip("mounting needs root and unshare")
    mnt, out = tmp_path / "mnt", tmp_path / "out"
    mnt.mkdir(), out.mkdir()
    python = shlex.quote(sys.executable)
    in_mount_namespace(f"""
        mount -t tmpfs -o size=16m tmpfs {mnt}
        cp {db} {mnt}/db.duckdb
        mount -o remount,ro {mnt}
        set +e
        {python} -m syndicate scan {NYPOST} --db {mnt}/db.duckdb --quiet 2> {out}/scan; echo $? > {out}/scan.rc
        {python} -m syndicate runs --db {mnt}/db.duckdb > {out}/runs; echo $? > {out}/runs.rc
    """)
    assert (out / "scan.rc").read_text().strip() == "2"
    assert "Read-only file system" in one_error_line((out / "scan").read_text())
    assert (out / "runs.rc").read_text().strip() == "0" and "(1 row)" in (out / "runs").read_text()


def test_a_read_only_filesystem_under_a_writable_database(db, tmp_path):
    """The database file (and its lock) can be written but its folder cannot, so DuckDB's .wal cannot be
    created: the first write of the scan fails, exit 74 naming it, the file unchanged (root only)."""
    if not mounts_allowed(tmp_path):
        pytest.skip("mounting needs root and unshare")
    before = stored(db)
    (db.parent / f"{db.name}.lock").touch()
    mnt, out = tmp_path / "mnt", tmp_path / "out"
    mnt.mkdir(), out.mkdir()
    in_mount_namespace(f"""
        mount -t tmpfs -o size=1m tmpfs {mnt}
        touch {mnt}/db.duckdb {mnt}/db.duckdb.lock
        mount --bind {db} {mnt}/db.duckdb
        mount --bind {db}.lock {mnt}/db.duckdb.lock
        mount -o remount,ro {mnt}
        set +e
        {shlex.quote(sys.executable)} -m syndicate scan {SAMPLE_CORPUS} --db {mnt}/db.duckdb --quiet --workers 1 2> {out}/stderr
        echo $? > {out}/rc
    """)
    assert (out / "rc").read_text().strip() == "74", (out / "stderr").read_text()
    line = one_error_line((out / "stderr").read_text())
    assert "the filesystem is read-only" in line and "db.duckdb.wal" in line
    assert stored(db) == before


@pytest.fixture(scope="module")
def whole(tmp_path_factory):
    """The sample corpus scanned: a database of 13 blocks, each in use."""
    path = tmp_path_factory.mktemp("whole") / "whole.duckdb"
    scan([SAMPLE_CORPUS], path, workers=2)
    return path


def _blocks(path) -> tuple[int, dict[int, set[str]]]:
    """The block size, and the tables whose data lies in each block."""
    with duckdb.connect(str(path), read_only=True) as con:
        size = con.execute("SELECT block_size FROM pragma_database_size()").fetchall()[0][0]
        tables = [t for (t,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()]
        users: dict[int, set[str]] = {}
        for table in tables:
            for (block,) in con.execute(f"SELECT DISTINCT block_id FROM pragma_storage_info('{table}') "
                                        "WHERE block_id >= 0").fetchall():
                users.setdefault(block, set()).add(table)
    return size, users


@pytest.mark.parametrize("table", ["documents", "matches", "bands", "signatures", "clusters", "origins"])
def test_check_reads_every_block_and_names_the_damaged_table(whole, tmp_path, table):
    """One byte flipped in the middle of a block: 'ok' before, now exit 2 naming the table whose data it holds."""
    path = tmp_path / "damaged.duckdb"
    shutil.copy(whole, path)
    assert CliRunner().invoke(cli, ["check", "--db", str(path)]).exit_code == 0
    size, users = _blocks(path)
    block = min(b for b, names in users.items() if table in names)
    middle = HEADER + block * size + size // 2
    with open(path, "r+b") as f:
        f.seek(middle)
        byte = f.read(1)
        f.seek(middle)
        f.write(bytes([byte[0] ^ 0xFF]))
    damaged = path.read_bytes()
    result = CliRunner().invoke(cli, ["check", "--db", str(path)])
    assert result.exit_code == 2, result.output
    line = one_error_line(result.output)
    assert "is damaged or truncated" in line and "checksum" in line and "restore it from a backup" in line
    assert any(f"reading table {name}:" in line for name in users[block])
    assert path.read_bytes() == damaged  # check writes nothing


def test_check_finds_a_missing_tail(whole, tmp_path):
    """The file lost the second half of its last block: check exits 2, where it said 'ok' before."""
    path = tmp_path / "short.duckdb"
    shutil.copy(whole, path)
    size, users = _blocks(path)
    last = max(users)
    with open(path, "r+b") as f:
        f.truncate(HEADER + last * size + size // 2)
    result = CliRunner().invoke(cli, ["check", "--db", str(path)])
    assert result.exit_code == 2, result.output
    line = one_error_line(result.output)
    assert "is damaged or truncated" in line and "Could not read enough bytes" in line
    assert any(f"reading table {name}:" in line for name in users[last])


def test_a_scan_that_meets_a_damaged_block_says_so(whole, tmp_path):
    """A scan reads the damaged documents block while it looks pages up: one line, exit 2, not a traceback."""
    path = tmp_path / "damaged.duckdb"
    shutil.copy(whole, path)
    size, users = _blocks(path)
    block = min(b for b, names in users.items() if "documents" in names)
    with open(path, "r+b") as f:
        f.seek(HEADER + block * size + size // 2)
        byte = f.read(1)
        f.seek(HEADER + block * size + size // 2)
        f.write(bytes([byte[0] ^ 0xFF]))
    done = syndicate("scan", NYPOST, "--db", path, "--quiet", "--workers", "1")
    assert done.returncode == 2, done.stderr
    line = one_error_line(done.stderr)
    assert f"{path} is damaged or truncated" in line and "checksum" in line and "syndicate check" in line


@pytest.mark.parametrize("offset", [20, 4096 + 20, 8192 + 20], ids=["file header", "database header 1", "database header 2"])
def test_a_damaged_header_is_named(whole, tmp_path, offset):
    path = tmp_path / "header.duckdb"
    shutil.copy(whole, path)
    with open(path, "r+b") as f:
        f.seek(offset)
        byte = f.read(1)
        f.seek(offset)
        f.write(bytes([byte[0] ^ 0xFF]))
    for command in (["scan", str(NYPOST), "--db", str(path), "--quiet"], ["check", "--db", str(path)]):
        result = CliRunner().invoke(cli, command)
        assert result.exit_code == 2, result.output
        assert "is damaged or truncated" in one_error_line(result.output)


@pytest.mark.parametrize("key,value,named", [
    ("settings", '{"num_perm": "many"}', "num_perm is 'many'"), ("settings", '{"seed": 1.5}', "seed is 1.5"),
    ("settings", '{"threshold": NaN}', "threshold is nan"), ("settings", '{"cluster_kinds": 5}', "cluster_kinds is 5"),
    ("settings", '{"shingle_size": 0}', "shingle-size must be at least 1"), ("settings", "null", "not an object"),
    ("schema_version", None, "no 'schema_version' row"), ("settings", None, "no 'settings' row"),
    ("band_seq", "x", "band_seq is 'x'"),
])
def test_more_damaged_meta_rows_are_named(db, key, value, named):
    """Garbage written into meta through DuckDB (None: the row deleted): one line naming it, exit 2."""
    with duckdb.connect(str(db)) as con:
        if value is None:
            con.execute("DELETE FROM meta WHERE key = ?", [key])
        elif key == "settings" and value.startswith("{"):
            con.execute("UPDATE meta SET value = json_merge_patch(value, ?) WHERE key = 'settings'", [value])
        else:
            con.execute("UPDATE meta SET value = ? WHERE key = ?", [value, key])
    before = stored(db)
    result = CliRunner().invoke(cli, ["scan", str(NYPOST), "--db", str(db), "--quiet"])
    assert result.exit_code == 2, result.output
    line = one_error_line(result.output)
    assert "damaged meta table" in line and named in line
    assert stored(db) == before
