"""The band index: its lookups give the candidates a scan of the band table gives, and it follows every write."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pytest
from click.testing import CliRunner
from hypothesis import given, settings as hsettings, strategies as st

from conftest import SAMPLE_CORPUS, write_jsonl
from syndicate import scan
from syndicate.match import bandindex
from syndicate.match.bandindex import MERGE_RATIO, BandIndex
from syndicate.cli import cli
from syndicate.match.candidates import candidate_pairs
from syndicate.store.retention import parse_age, prune
from syndicate.sqlutil import registered
from syndicate.store.database import Store

BUILDING = "building the band index"


@pytest.fixture(autouse=True)
def band_index_at_any_size(monkeypatch):
    """The test databases are small; the band index is kept from the first band row on."""
    monkeypatch.setenv("SYNDICATE_BAND_INDEX_MIN_ROWS", "0")


def agree(db: Path, new_ids: list[int] | None = None) -> int:
    """Candidates from the band index equal those from the table; returns how many there are."""
    return len(candidates(db, new_ids))


def candidates(db: Path, new_ids: list[int] | None = None) -> set[tuple[str, str]]:
    """Candidate pairs (as URLs) from the band index, checked equal to those from the table."""
    with Store.open(db) as store:
        if new_ids is None:
            new_ids = [r[0] for r in store.con.execute("SELECT DISTINCT doc_id FROM bands ORDER BY 1").fetchall()]
        from_table = candidate_pairs(store.con, new_ids, None)
        index = store.band_lookup()
        assert index is not None and index.seq >= 0
        from_index = candidate_pairs(store.con, new_ids, index)
        urls = dict(store.con.execute("SELECT doc_id, url FROM documents").fetchall())
    assert from_index == from_table
    return {tuple(sorted((urls[a], urls[b]))) for a, b in from_table[0]}


def sample_halves(tmp_path: Path) -> tuple[Path, Path]:
    pages = sorted(SAMPLE_CORPUS.rglob("*.html"))
    halves = tmp_path / "night1", tmp_path / "night2"
    for i, page in enumerate(pages):
        folder = halves[i % 2] / page.parent.name
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(page, folder / page.name)
    return halves


def rebuilds(caplog) -> int:
    return sum(BUILDING in r.getMessage() for r in caplog.records)


def test_nightly_scans_append_to_the_index_and_find_the_table_candidates(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="syndicate.store")
    night1, night2 = sample_halves(tmp_path)
    db = tmp_path / "s.duckdb"
    scan([night1], db, workers=1, batch_size=4)
    assert rebuilds(caplog) == 1  # made from the table once, at the first match of a new database
    with Store.open(db, read_only=True) as store:
        before = store.con.execute("SELECT max(doc_id) FROM documents").fetchall()[0][0]
    scan([night2], db, workers=1, batch_size=4)
    assert rebuilds(caplog) == 1  # the second night only appended
    with Store.open(db, read_only=True) as store:
        new = [r[0] for r in store.con.execute("SELECT doc_id FROM bands WHERE doc_id > ? GROUP BY 1", [before]).fetchall()]
        seq = int(store.con.execute("SELECT value FROM meta WHERE key = 'band_seq'").fetchall()[0][0])
    manifest = json.loads((Path(str(db) + ".bands") / "manifest.json").read_text())
    assert manifest["seq"] == seq > 1
    assert agree(db, new) > 0  # the second night's pages against everything
    assert agree(db) >= 5
    assert rebuilds(caplog) == 1


def test_changed_and_pruned_pages_leave_no_stale_rows(tmp_path, english_bodies, caplog):
    caplog.set_level(logging.INFO, logger="syndicate.store")
    db = tmp_path / "c.duckdb"
    # three articles, each on two sites: site{i} and site{i + 3}
    records = [{"url": f"https://site{i}.example/a", "text": "\n".join(body), "fetched_at": f"2024-01-0{1 + i}T00:00:00Z"}
               for i, (_, body) in enumerate(english_bodies[:3] * 2)]
    scan([write_jsonl(tmp_path / "a.jsonl", records)], db, workers=1)
    site = "https://site{}.example/a".format
    assert {(site(0), site(3)), (site(1), site(4))} <= candidates(db)
    # site0 now carries site1's article: its old rows must no longer pair it with site3
    changed = dict(records[0], text="\n".join(english_bodies[1][1]))
    scan([write_jsonl(tmp_path / "b.jsonl", [changed])], db, workers=1)
    after = candidates(db)
    assert (site(0), site(3)) not in after and {(site(0), site(1)), (site(0), site(4))} <= after
    with duckdb.connect(str(db)) as con:
        con.execute("UPDATE documents SET last_seen = last_seen - INTERVAL 100 DAY "
                    "WHERE url IN ('https://site1.example/a', 'https://site5.example/a')")
    assert prune(db, parse_age("90d")).pages == 2
    pruned = candidates(db)
    assert (site(0), site(4)) in pruned and not any(site(1) in pair or site(5) in pair for pair in pruned)
    assert rebuilds(caplog) == 1  # changes and deletions went in as appends


def test_an_index_behind_the_table_or_damaged_is_rebuilt(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="syndicate.store")
    night1, night2 = sample_halves(tmp_path)
    db = tmp_path / "s.duckdb"
    folder = Path(str(db) + ".bands")
    scan([night1], db, workers=1)
    old_manifest = (folder / "manifest.json").read_text()
    scan([night2], db, workers=1)
    built = rebuilds(caplog)
    # killed between a commit and its append: the index is one write behind the table
    (folder / "manifest.json").write_text(old_manifest)
    assert agree(db) > 0
    assert rebuilds(caplog) == built + 1
    # a run file cut short
    keys = next(folder.glob("run*.keys.npy"))
    keys.write_bytes(keys.read_bytes()[:-8])
    assert agree(db) > 0
    assert rebuilds(caplog) == built + 2
    # band rows changed by hand: the index is dropped at once
    result = CliRunner().invoke(cli, ["sql", "--write", "--db", str(db), "DELETE FROM bands WHERE doc_id = 3"])
    assert result.exit_code == 0, result.output
    assert not folder.exists()
    assert agree(db) > 0
    assert rebuilds(caplog) == built + 3


def test_small_databases_join_on_the_table_and_keep_no_index(tmp_path, monkeypatch):
    monkeypatch.delenv("SYNDICATE_BAND_INDEX_MIN_ROWS")
    db = tmp_path / "s.duckdb"
    scan([SAMPLE_CORPUS], db, workers=1)
    assert not Path(str(db) + ".bands").exists()
    with Store.open(db) as store:
        assert not store.uses_band_index() and store.band_lookup() is None
    monkeypatch.setenv("SYNDICATE_BAND_INDEX_MIN_ROWS", "1000")  # the table has more rows than this: built when needed
    with Store.open(db) as store:
        assert store.uses_band_index() and store.band_lookup() is not None
    assert Path(str(db) + ".bands", "manifest.json").exists()


def test_read_only_use_never_writes_an_index(tmp_path):
    db = tmp_path / "s.duckdb"
    scan([SAMPLE_CORPUS], db, workers=1)
    shutil.rmtree(str(db) + ".bands")
    result = CliRunner().invoke(cli, ["sql", "--db", str(db), "SELECT count(*) FROM bands"])
    assert result.exit_code == 0, result.output
    assert not Path(str(db) + ".bands").exists()


def table_rows(con: duckdb.DuckDBPyConnection, probes: pa.Table) -> list[tuple]:
    return sorted(con.execute("SELECT p.band, p.hash, b.doc_id FROM probes p JOIN bands b USING (band, hash)").fetchall())


@hsettings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 400), st.lists(st.integers(0, 60), max_size=6)), min_size=1, max_size=25),
       st.integers(0, 2**32))
def test_lookups_equal_the_join_after_any_writes_and_deletes(tmp_path_factory, writes, seed):
    """Random transactions (rows added, documents deleted, ids reused), each appended; lookups equal the join."""
    rng = np.random.default_rng(seed)
    folder = tmp_path_factory.mktemp("bi")
    con = duckdb.connect(str(folder / "t.duckdb"))
    con.execute("CREATE TABLE bands (band SMALLINT, hash UBIGINT, doc_id BIGINT)")
    index = BandIndex(folder / "t.duckdb.bands")
    index.rebuild(con, "db", 0)
    for seq, (n, gone) in enumerate(writes, start=1):
        con.execute("DELETE FROM bands WHERE list_contains(?, doc_id)", [gone])
        rows = pa.table({"band": rng.integers(-1, 4, n).astype(np.int16),
                         "hash": rng.integers(0, 50, n).astype(np.uint64),  # few values: shared buckets, duplicates
                         "doc_id": rng.integers(0, 60, n).astype(np.int64)})  # ids reused after deletion
        con.execute("INSERT INTO bands SELECT * FROM rows")
        index.append(rows.column("band").to_numpy(), rows.column("hash").to_numpy(), rows.column("doc_id").to_numpy(),
                     np.array(gone, np.int64), seq, 0)
        assert all(a.rows >= MERGE_RATIO * b.rows for a, b in zip(index.runs, index.runs[1:]))
    probe = np.unique(np.stack([rng.integers(-1, 4, 200), rng.integers(0, 60, 200)]), axis=1)
    probes = pa.table({"band": probe[0].astype(np.int16), "hash": probe[1].astype(np.uint64)})
    expected = table_rows(con, probes)
    for copy in (index, BandIndex.beside(str(folder / "t.duckdb"))):  # as written, and as read back from disk
        at, docs = copy.lookup(probe[0].astype(np.int16), probe[1].astype(np.uint64))
        assert sorted(zip(probe[0][at].tolist(), probe[1][at].tolist(), docs.tolist())) == expected
    con.close()


def test_runs_stay_few_as_nights_accumulate(tmp_path):
    index = BandIndex(tmp_path / "x.bands")
    con = duckdb.connect()
    con.execute("CREATE TABLE bands (band SMALLINT, hash UBIGINT, doc_id BIGINT)")
    index.rebuild(con, "db", 0)
    rng = np.random.default_rng(3)
    for night in range(1, 301):
        n = 89 * 10
        index.append(np.zeros(n, np.int16), rng.integers(0, 2**63, n, dtype=np.uint64),
                     np.full(n, night, np.int64), np.empty(0, np.int64), night, 0)
    sizes = [r.rows for r in index.runs]
    assert sum(sizes) == 300 * 890
    assert len(sizes) <= 4, sizes  # sizes fall by at least 8x per run: log8(300) + 1
    assert len(list((tmp_path / "x.bands").glob("run*.keys.npy"))) == len(sizes)  # merged runs' files are gone


def test_doc_ids_beyond_32_bits_fall_back_to_the_join(tmp_path, caplog):
    """Runs hold doc_ids as uint32; a bigger one drops the index, and the candidates come from the table."""
    caplog.set_level(logging.WARNING, logger="syndicate.store")
    db = tmp_path / "s.duckdb"
    scan([SAMPLE_CORPUS], db, workers=1)
    with Store.open(db) as store:
        assert store.band_lookup() is not None
        with store.transaction():
            store.add_band_rows(np.zeros(1, np.int16), np.ones(1, np.uint64), np.array([2**33]))
        assert "band index not updated" in caplog.text
        assert store.band_lookup() is None and "beyond 32 bits" in caplog.text
        ids = [r[0] for r in store.con.execute("SELECT DISTINCT doc_id FROM documents").fetchall()]
        assert len(candidate_pairs(store.con, ids, None)[0]) >= 5


def test_a_rebuild_in_many_buckets_equals_one_in_memory(tmp_path):
    """The spill into buckets by key prefix (used past 32M rows) gives the same sorted run."""
    rng = np.random.default_rng(5)
    con = duckdb.connect()
    rows = pa.table({"band": rng.integers(-1, 40, 20_000).astype(np.int16),
                     "hash": rng.integers(0, 2**64 - 1, 20_000, dtype=np.uint64, endpoint=True),
                     "doc_id": rng.integers(1, 3_000, 20_000)})
    with registered(con, rows=rows):
        con.execute("CREATE TABLE bands AS SELECT * FROM rows")
    whole, spilled = BandIndex(tmp_path / "a.bands"), BandIndex(tmp_path / "b.bands")
    whole.rebuild(con, "db", 1)
    spilled.rebuild(con, "db", 1, chunk_rows=1_000)  # 32 buckets
    assert not (tmp_path / "b.bands" / "rebuild.tmp").exists()
    (a,), (b,) = whole.runs, spilled.runs
    assert np.array_equal(a.keys, b.keys) and np.all(a.keys[1:] >= a.keys[:-1])
    assert sorted(zip(a.keys.tolist(), a.docs.tolist())) == sorted(zip(b.keys.tolist(), b.docs.tolist()))


@given(st.lists(st.integers(0, 40), max_size=400), st.lists(st.integers(-1, 42), max_size=60),
       st.sampled_from([1, 2, 3, 8, 256]))
@hsettings(max_examples=150, deadline=None)
def test_fenced_lookup_finds_every_equal_key(stored, probes, step):
    """Runs of equal keys longer than a fence block, probes between, before and after every key."""
    keys = np.sort(np.array(stored, dtype=np.uint64))
    wanted = np.sort(np.array(probes, dtype=np.int64)).clip(0).astype(np.uint64)
    at_probe, at_row = bandindex._lookup(keys, np.array(keys[::step]), step, wanted)
    expected = sorted((i, j) for i, p in enumerate(wanted.tolist()) for j, k in enumerate(keys.tolist()) if k == p)
    assert sorted(zip(at_probe.tolist(), at_row.tolist())) == expected


@given(st.lists(st.tuples(st.integers(0, 30), st.integers(1, 9)), max_size=120),
       st.lists(st.tuples(st.integers(0, 30), st.integers(1, 9)), max_size=60),
       st.lists(st.integers(1, 9), max_size=4), st.sampled_from([1, 3, 7, 1000]))
@hsettings(max_examples=150, deadline=None)
def test_chunked_merge_equals_sorting_both_runs(old, new, gone, chunk):
    """Merging chunk by chunk keeps every key in order and drops exactly the voided documents' older rows."""
    old, new = sorted(old), sorted(new)
    old_keys, old_docs = np.array([k for k, _ in old], np.uint64), np.array([d for _, d in old], np.uint32)
    new_keys, new_docs = np.array([k for k, _ in new], np.uint64), np.array([d for _, d in new], np.uint32)
    voided = np.unique(np.array(gone, np.int64))
    out_keys, out_docs = np.empty(len(old) + len(new), np.uint64), np.empty(len(old) + len(new), np.uint32)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bandindex, "MERGE_CHUNK", chunk)
        n = bandindex._merge(old_keys, old_docs, voided, new_keys, new_docs, out_keys, out_docs)
    kept = [(k, d) for k, d in old if d not in set(gone)] + new
    assert n == len(kept)
    assert np.all(out_keys[1:n] >= out_keys[: max(n - 1, 0)])  # sorted (n may be 0)
    assert sorted(zip(out_keys[:n].tolist(), out_docs[:n].tolist())) == sorted(kept)


def test_an_index_that_cannot_be_written_leaves_the_scan_whole(tmp_path, caplog):
    """A file where the index folder should be: the scan warns, joins on the table, and ends with the same tables."""
    caplog.set_level(logging.WARNING, logger="syndicate.store")
    db = tmp_path / "s.duckdb"
    Path(str(db) + ".bands").write_text("not a folder")
    summary = scan([SAMPLE_CORPUS], db, workers=1)
    assert summary.status == "ok" and summary.new_matches > 0
    assert any("cannot build the band index" in r.getMessage() for r in caplog.records)
    Path(str(db) + ".bands").unlink()
    assert agree(db) >= 5  # and with an index now, the same candidates
