"""The database file: creation, settings, refusals."""

import duckdb
import pytest

from syndicate.errors import DatabaseError, SettingsMismatchError
from syndicate.settings import Settings
from syndicate.store.database import SCHEMA_VERSION, Store

TABLES = {"meta", "documents", "links", "signatures", "bands", "matches", "clusters", "runs", "errors"}


def test_new_database_has_tables_views_and_settings(tmp_path):
    db = tmp_path / "new.duckdb"
    with Store.open(db, Settings(threshold=0.6)) as store:
        assert store.settings.threshold == 0.6
    with duckdb.connect(str(db), read_only=True) as con:
        names = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
    assert TABLES | {"syndication", "origins", "evidence"} <= names
    assert meta["schema_version"] == str(SCHEMA_VERSION)
    assert Settings.from_json(meta["settings"]) == Settings(threshold=0.6)
    with Store.open(db) as store:  # no settings given: the stored ones
        assert store.settings == Settings(threshold=0.6)


def test_different_settings_are_refused_with_the_difference(tmp_path):
    db = tmp_path / "s.duckdb"
    Store.open(db).close()
    with pytest.raises(SettingsMismatchError, match=r"num_perm 128 != 64.*use a new --db"):
        Store.open(db, Settings(num_perm=64))


def test_foreign_duckdb_file_is_refused(tmp_path):
    db = tmp_path / "other.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute("CREATE TABLE sales (x INT)")
    with pytest.raises(DatabaseError, match="not a syndicate one"):
        Store.open(db)


def test_not_a_database_file_is_refused(tmp_path):
    db = tmp_path / "notes.duckdb"
    db.write_text("hello, this is not a database\n" * 100)
    with pytest.raises(DatabaseError):
        Store.open(db)


def test_newer_schema_is_refused(tmp_path):
    db = tmp_path / "s.duckdb"
    Store.open(db).close()
    with duckdb.connect(str(db)) as con:
        con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(SCHEMA_VERSION + 1)])
    with pytest.raises(DatabaseError, match="newer syndicate"):
        Store.open(db)


def test_read_only_open_of_missing_database_says_how_to_create_it(tmp_path):
    with pytest.raises(DatabaseError, match="run 'syndicate scan"):
        Store.open(tmp_path / "missing.duckdb", read_only=True)
    assert not (tmp_path / "missing.duckdb").exists()


def test_settings_validation():
    with pytest.raises(SettingsMismatchError):
        Settings(threshold=0)
    with pytest.raises(SettingsMismatchError):
        Settings(shingle_size=0)
    assert Settings().replace(threshold=0.8).threshold == 0.8
    assert Settings().replace(candidate_threshold=0.5).bands != Settings().bands
