"""``syndicate sql`` without --write sees the database and nothing else (issue 19, item 4).

Every way out DuckDB offers (reading a file, listing a folder, writing with COPY
or EXPORT, attaching another database or a hard link to this one, extensions,
changing a setting back) is tried through the real CLI against a real database
in tmp_path: each fails with one line and exit 2, and nothing under tmp_path
changes, the database included.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ROOT, SAMPLE_CORPUS
from syndicate import scan
from syndicate.cli import cli
from syndicate.store.database import Store

SECRET = "sandbox-secret-5d1e9c"
SANDBOXED = "sql without --write reads this database and nothing else"
CNN = "https://www.cnn.com/2023/11/10/politics/hostage-deal-negotiations-israel-hamas/index.html"
NYPOST = "https://nypost.com/2023/11/12/hostage-negotiators-discussing-days-long-fighting-pause-between-israel-and-hamas/"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """sample_corpus/ scanned once; each test works on its own copy."""
    db = tmp_path_factory.mktemp("sandbox-built") / "built.duckdb"
    scan([SAMPLE_CORPUS], db, workers=1)
    return db


@pytest.fixture
def place(built, tmp_path) -> dict[str, Path]:
    """A copy of the database, a hard link to it, a secret file beside it and DuckDB's temp folder for it."""
    data = tmp_path / "data"
    data.mkdir()
    db = data / "syndicate.duckdb"
    shutil.copyfile(built, db)
    os.link(db, data / "link.duckdb")
    (tmp_path / "secret.csv").write_text(f"name:value\n{SECRET}:1\n", encoding="utf-8")
    (tmp_path / "evil.duckdb_extension").write_bytes(b"\x7fELF not really an extension")
    (data / "syndicate.duckdb.tmp").mkdir()  # where DuckDB spills by default: must not be reachable either
    return {"root": tmp_path, "db": db, "link": data / "link.duckdb", "secret": tmp_path / "secret.csv"}


def state(root: Path) -> dict[str, str]:
    """Every file and folder under root, with the SHA-256 of each file."""
    out = {}
    for path in sorted(root.rglob("*")):
        out[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
    return out


def sql(db: Path, query: str, *extra: str):
    return CliRunner().invoke(cli, ["sql", "--db", str(db), *extra, "--", query])  # a query may start with --


# (name, query with {root} {db} {link} {secret} {ext} filled in, what the one-line error says)
ESCAPES = [
    ("read_csv outside", "SELECT * FROM read_csv('{secret}', sep = ':')", SANDBOXED),
    ("read_csv /etc/passwd", "SELECT * FROM read_csv('/etc/passwd', sep = ':')", SANDBOXED),
    ("file path as table", "SELECT * FROM '{secret}'", SANDBOXED),
    ("read_text", "SELECT content FROM read_text('{secret}')", SANDBOXED),
    ("read_blob", "SELECT content FROM read_blob('{secret}')", SANDBOXED),
    ("read_json", "SELECT * FROM read_json_auto('{secret}')", SANDBOXED),
    ("glob of a folder", "SELECT * FROM glob('{root}/*')", SANDBOXED),
    ("glob /root/**", "SELECT * FROM glob('/root/**')", SANDBOXED),
    ("a URL", "SELECT * FROM read_csv('https://example.com/x.csv')", SANDBOXED),
    ("COPY TO", "COPY (SELECT url, title FROM documents) TO '{root}/out.csv'", SANDBOXED),
    ("COPY TO DuckDB's temp folder", "COPY (SELECT url FROM documents) TO '{db}.tmp/out.csv'", SANDBOXED),
    ("COPY FROM", "COPY documents FROM '{secret}'", SANDBOXED),
    ("EXPORT DATABASE", "EXPORT DATABASE '{root}/export'", SANDBOXED),
    ("IMPORT DATABASE", "IMPORT DATABASE '{root}'", SANDBOXED),
    ("ATTACH a new file", "ATTACH '{root}/new.duckdb' AS n", SANDBOXED),
    ("ATTACH a hard link READ_WRITE", "ATTACH '{link}' AS h (READ_WRITE); DELETE FROM h.runs", SANDBOXED),
    ("ATTACH a hard link READ_ONLY", "ATTACH '{link}' AS h (READ_ONLY); SELECT count(*) FROM h.documents", SANDBOXED),
    ("INSTALL", "INSTALL httpfs", SANDBOXED),
    ("LOAD a known extension", "LOAD httpfs", SANDBOXED),
    ("LOAD a file", "LOAD '{ext}'", SANDBOXED),
    ("SET external access back on", "SET enable_external_access = true", SANDBOXED),
    ("SET it back on, then read", "SET enable_external_access = true; SELECT content FROM read_text('{secret}')", SANDBOXED),
    ("PRAGMA external access back on", "PRAGMA enable_external_access = true", SANDBOXED),
    ("RESET external access", "RESET enable_external_access", SANDBOXED),
    ("unlock the configuration", "SET lock_configuration = false", SANDBOXED),
    ("allow a directory", "SET allowed_directories = ['{root}']", SANDBOXED),
    ("allow a path", "SET allowed_paths = ['{secret}']", SANDBOXED),
    ("move the temp folder", "SET temp_directory = '{root}'", SANDBOXED),
    ("profile into a file", "SET profiling_output = '{root}/profile.json'", SANDBOXED),
    ("log into a file", "CALL enable_logging(storage = 'file', storage_path = '{root}/log')", SANDBOXED),
    ("turn autoloading back on", "SET autoload_known_extensions = true", SANDBOXED),
    ("a write", "DELETE FROM runs", "the database is opened read-only"),
]


@pytest.mark.parametrize("query", [q for _, q, _ in ESCAPES], ids=[name for name, _, _ in ESCAPES])
def test_every_way_out_fails_with_one_line_and_changes_nothing(place, query):
    expected = next(message for _, q, message in ESCAPES if q == query)
    query = query.format(root=place["root"], db=place["db"], link=place["link"], secret=place["secret"],
                         ext=place["root"] / "evil.duckdb_extension")
    before = state(place["root"])
    result = sql(place["db"], query)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()  # our reason, then DuckDB's message, every line of it
    assert lines[0].startswith("error: ") and "Traceback" not in result.stderr, result.stderr
    assert expected in result.stderr, result.stderr
    assert SECRET not in result.output
    assert state(place["root"]) == before  # no file written, attached or created; the database byte for byte


def test_the_settings_are_in_force_and_visible_to_the_query(place):
    names = ["enable_external_access", "lock_configuration", "autoinstall_known_extensions",
             "autoload_known_extensions", "allow_community_extensions", "allow_unsigned_extensions",
             "python_enable_replacements"]
    quoted = ", ".join(f"'{n}'" for n in names)
    result = sql(place["db"], f"SELECT name, value FROM duckdb_settings() WHERE name IN ({quoted}) ORDER BY name",
                 "--format", "csv")
    assert result.exit_code == 0, result.output
    values = dict(line.split(",") for line in result.stdout.splitlines()[1:])
    assert values == {"enable_external_access": "false", "lock_configuration": "true",
                      "autoinstall_known_extensions": "false", "autoload_known_extensions": "false",
                      "allow_community_extensions": "false", "allow_unsigned_extensions": "false",
                      "python_enable_replacements": "false"}
    temp = sql(place["db"], "SELECT current_setting('temp_directory')", "--format", "csv").stdout.splitlines()[1]
    assert Path(temp).name.startswith("syndicate-sandbox-") and not Path(temp).exists()  # private, removed on close


def docs_sql_examples() -> list[str]:
    text = (ROOT / "docs" / "sql.md").read_text(encoding="utf-8")
    return [block.strip() for block in re.findall(r"^```sql\n(.*?)^```", text, re.S | re.M)]


@pytest.mark.parametrize("query", [
    "SELECT copy_domain, origin_domain, kind, round(similarity, 2) AS sim FROM syndication",
    "SELECT domain, count(*) AS pages FROM documents GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 3",
    "SELECT count(*) FROM matches JOIN clusters ON clusters.doc_id = matches.doc_a",
    "SELECT key FROM meta ORDER BY key",
    "DESCRIBE documents",
    "SHOW TABLES",
    "CREATE TEMP TABLE mine AS SELECT url FROM documents; SELECT count(*) FROM mine",  # scratch of its own: fine
    *docs_sql_examples(),
])
def test_ordinary_read_queries_still_work(place, query):
    before = state(place["root"])
    result = sql(place["db"], query)
    assert result.exit_code == 0, result.output
    assert state(place["root"]) == before


def test_the_view_answers_as_documented(place):
    result = sql(place["db"], "SELECT copy_domain FROM syndication WHERE origin_domain = 'cnn.com' ORDER BY 1",
                 "--format", "csv")
    assert result.stdout.splitlines() == ["copy_domain", "albawaba.com", "deccanherald.com", "nypost.com",
                                          "worldnewsroundup.com"]


def test_write_keeps_todays_behaviour_files_attach_and_all(place):
    """--write is the unsandboxed, writable connection it always was (and takes the write lock)."""
    root, db = place["root"], place["db"]
    copied = sql(db, f"COPY (SELECT url FROM documents ORDER BY url) TO '{root}/urls.csv'", "--write")
    assert copied.exit_code == 0, copied.output
    assert len((root / "urls.csv").read_text(encoding="utf-8").splitlines()) == 30  # header and 29 pages
    attached = sql(db, f"ATTACH '{root}/other.duckdb' AS o; CREATE TABLE o.t AS SELECT 1 AS x", "--write")
    assert attached.exit_code == 0, attached.output and (root / "other.duckdb").exists()
    read = sql(db, f"SELECT content FROM read_text('{place['secret']}')", "--write", "--format", "json")
    assert read.exit_code == 0 and SECRET in read.stdout
    assert sql(db, "DELETE FROM runs", "--write").exit_code == 0
    assert sql(db, "SELECT count(*) AS n FROM runs", "--format", "csv").stdout == "n\n0\n"


def test_the_query_commands_open_the_same_sandboxed_connection(place):
    db = str(place["db"])
    for args in (["copies", CNN], ["origin", NYPOST], ["top"], ["runs"], ["check"], ["diff", CNN, NYPOST],
                 ["report", "--out", str(place["root"] / "report.html")]):
        result = CliRunner().invoke(cli, [*args, "--db", db])
        assert result.exit_code == 0, (args, result.output)
    with Store.open(db, read_only=True, sandbox=True) as store:
        assert store.con.execute("SELECT current_setting('enable_external_access')").fetchall() == [(False,)]
    with pytest.raises(ValueError):
        Store.open(db, sandbox=True)  # a sandbox is read-only


def test_as_a_subprocess_the_secret_stays_out_and_nothing_is_left_behind(place):
    root = place["root"]
    tmp = root / "tmpdir"
    tmp.mkdir()
    env = {**os.environ, "TMPDIR": str(tmp)}
    before = state(root)
    done = subprocess.run(
        [sys.executable, "-m", "syndicate", "sql",
         f"ATTACH '{place['link']}' AS h (READ_WRITE); SELECT content FROM read_text('{place['secret']}')",
         "--db", str(place["db"])],
        capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 2
    assert done.stdout == "" and SECRET not in done.stderr
    assert done.stderr.startswith(f"error: {SANDBOXED}") and "Traceback" not in done.stderr
    assert state(root) == before  # the private temp folder under TMPDIR is gone too
    ok = subprocess.run([sys.executable, "-m", "syndicate", "sql", "SELECT count(*) AS n FROM documents",
                         "--db", str(place["db"]), "--format", "csv"], capture_output=True, text=True, env=env,
                        timeout=120)
    assert ok.returncode == 0 and ok.stdout == "n\n29\n"
    assert state(root) == before
