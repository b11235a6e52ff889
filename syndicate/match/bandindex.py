"""A sorted copy of the band table beside the database, so the candidate lookup reads only what it needs.

The DuckDB table ``bands`` is the record: queried in SQL, exported, checked.
A nightly batch of 10k pages probes about 890k band keys; against 10M stored
pages (890M band rows) a join on the table reads every row, however few
match. This copy, the folder ``<db>.bands/``, holds the same rows as
immutable runs of keys sorted with their documents; a probe is a binary
search inside one 2 KiB block found from a fence of every 256th key, so the
lookup reads the blocks holding the probed keys, not the table.

The copy follows the table transaction by transaction: each committed write
appends a run of the new rows, naming the documents whose rows in older runs
it voids (changed and deleted pages); runs are merged as they pile up, as in
an LSM tree. It records the database's ``band_seq`` (bumped by every
transaction that writes bands) and row count, and is trusted only when both
agree (rows of voided documents wait in older runs until a merge drops
them, so the runs may hold more); otherwise (a crash between a commit and its append, a database copied
without it, bands edited by hand) it is rebuilt from the table. Deleting the
folder is always safe.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

FORMAT = 1
FENCE_STEP = 256  # keys per block: one binary search of 8 steps inside 2 KiB
MERGE_RATIO = 8  # a run is merged into the one before it once that is less than 8x its size
REBUILD_CHUNK = 32_000_000  # most band rows sorted in memory at once when rebuilding (~1 GB)
_BAND_MIX = np.uint64(0x9E3779B97F4A7C15)


def _check_doc_range(least: int, most: int) -> None:
    """Runs hold doc_ids as uint32 (a third less to keep in memory than int64)."""
    if least < 0 or most >= 2**32:
        raise ValueError("doc_ids beyond 32 bits; candidates come from the join on the table")


def doc_ids(docs: np.ndarray) -> np.ndarray:
    """doc_ids as stored in runs: uint32."""
    docs = np.asarray(docs)
    if len(docs):
        _check_doc_range(int(docs.min()), int(docs.max()))
    return docs.astype(np.uint32)


def band_mix(bands: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        return np.asarray(bands, dtype=np.int64).astype(np.uint64) * _BAND_MIX


def band_keys(bands: np.ndarray, hashes: np.ndarray) -> np.ndarray:
    """One 64-bit key per (band, hash) row: rows join on both, the copy on this (DuckDB: ``xor(hash, mix)``)."""
    return np.asarray(hashes, dtype=np.uint64) ^ band_mix(bands)


MERGE_CHUNK = 4_000_000  # rows of the older run merged at a time (about 100 MB of arrays)


def _partition(keys: np.ndarray, docs: np.ndarray, shift: int, bins: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows grouped by ``(key >> shift) % bins``, in their order within a bin; and the bins' start offsets."""
    bucket = ((keys >> np.uint64(shift)) & np.uint64(bins - 1)).astype(np.uint16 if bins <= 1 << 16 else np.uint64)
    order = np.argsort(bucket, kind="stable")  # a radix sort for 16-bit buckets: linear
    starts = np.zeros(bins + 1, np.int64)
    np.cumsum(np.bincount(bucket, minlength=bins), out=starts[1:])
    return keys[order], docs[order], starts


def _bisect(keys: np.ndarray, probes: np.ndarray, lo: np.ndarray, hi: np.ndarray, right: bool) -> np.ndarray:
    """Per probe, the first index in [lo, hi) whose key is >= the probe (> with ``right``); hi if none.

    All probes step together, so each step reads one key a probe: with
    ranges one fence block wide, 9 steps, touching the blocks that hold the
    probed keys and no others.
    """
    lo, hi = lo.copy(), hi.copy()
    last = len(keys) - 1
    while True:
        active = lo < hi
        if not active.any():
            return lo
        mid = (lo + hi) >> 1
        at = keys[np.minimum(mid, last)]
        below = (at <= probes) if right else (at < probes)
        go_right = active & below
        lo = np.where(go_right, mid + 1, lo)
        hi = np.where(active & ~below, mid, hi)


def _block_bounds(fence: np.ndarray, step: int, n: int, probes: np.ndarray, right: bool) -> tuple[np.ndarray, np.ndarray]:
    """The fence block a bound lies in: after block j - 1's start, at most at block j's start.

    j is the first block whose first key is >= the probe (> with ``right``).
    """
    j = np.searchsorted(fence, probes, side="right" if right else "left").astype(np.int64)
    lo = np.maximum(j - 1, 0) * step
    hi = np.where(j < len(fence), np.minimum(j * step, n), n)
    return lo, hi


def _lookup(keys: np.ndarray, fence: np.ndarray, step: int, probes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every (probe index, key position) where the key equals the probe; ``fence[j] = keys[j * step]``."""
    n = len(keys)
    if n == 0 or len(probes) == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    first = _bisect(keys, probes, *_block_bounds(fence, step, n, probes, right=False), right=False)
    hit = first < n
    hit[hit] = keys[first[hit]] == probes[hit]
    hits = np.flatnonzero(hit)
    if len(hits) == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    end = _bisect(keys, probes[hits], *_block_bounds(fence, step, n, probes[hits], right=True), right=True)
    counts = end - first[hits]
    at_probe = np.repeat(hits, counts)
    offsets = np.arange(len(at_probe)) - np.repeat(np.cumsum(counts) - counts, counts)
    return at_probe, np.repeat(first[hits], counts) + offsets


def _voided(docs: np.ndarray, gone: np.ndarray) -> np.ndarray:
    """Which of ``docs`` are in ``gone`` (sorted): a binary search each, no mask the size of a run."""
    if len(gone) == 0:
        return np.zeros(len(docs), dtype=bool)
    at = np.minimum(np.searchsorted(gone, docs), len(gone) - 1)
    return gone[at] == docs


def _merge(old_keys: np.ndarray, old_docs: np.ndarray, gone: np.ndarray, new_keys: np.ndarray, new_docs: np.ndarray,
           out_keys: np.ndarray, out_docs: np.ndarray) -> int:
    """Merge two sorted runs into ``out``, leaving out the older run's rows of documents in ``gone``.

    The older run is read ``MERGE_CHUNK`` rows at a time, each merged with
    the newer rows that sort before the next chunk, so memory stays bounded
    whatever the runs' size. On equal keys the older row comes first.
    Returns the rows written.
    """
    o = j = 0
    n_old = len(old_keys)
    for lo in range(0, n_old, MERGE_CHUNK):
        hi = min(lo + MERGE_CHUNK, n_old)
        keys, docs = np.asarray(old_keys[lo:hi]), np.asarray(old_docs[lo:hi])
        kept = ~_voided(docs, gone)
        keys, docs = keys[kept], docs[kept]
        until = len(new_keys) if hi == n_old else int(np.searchsorted(new_keys, old_keys[hi], side="left"))
        keys = np.concatenate([keys, new_keys[j:until]])
        docs = np.concatenate([docs.astype(np.uint32), np.asarray(new_docs[j:until], np.uint32)])
        order = np.argsort(keys, kind="stable")  # two sorted runs: timsort merges them in one pass
        out_keys[o : o + len(keys)] = keys[order]
        out_docs[o : o + len(keys)] = docs[order]
        o += len(keys)
        j = until
    rest = len(new_keys) - j
    out_keys[o : o + rest] = new_keys[j:]
    out_docs[o : o + rest] = new_docs[j:]
    return o + rest


@dataclass
class Run:
    """Band keys sorted with their documents, and the documents whose rows in older runs are void."""

    name: str
    keys: np.ndarray
    docs: np.ndarray
    fence: np.ndarray
    gone: np.ndarray

    @property
    def rows(self) -> int:
        return len(self.keys)


class BandIndex:
    """The sorted copy of one database's band table (see the module docstring)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.runs: list[Run] = []
        self.db_id = ""
        self.seq = -1  # the band_seq it equals; -1: nothing usable
        self.rows = -1
        self._counter = 0

    @classmethod
    def beside(cls, db_path: str) -> "BandIndex | None":
        """The copy for the database file at ``db_path``; None for an in-memory database."""
        if not db_path or db_path.startswith(":memory:"):
            return None
        index = cls(Path(db_path + ".bands"))
        index.load()
        return index

    @staticmethod
    def discard(db_path: str) -> None:
        """Remove the copy (after the table was changed by other means); it is rebuilt when next needed."""
        shutil.rmtree(db_path + ".bands", ignore_errors=True)

    def current(self, db_id: str, seq: int, rows: int) -> bool:
        return self.seq >= 0 and self.db_id == db_id and self.seq == seq and self.rows == rows

    # --- reading ----------------------------------------------------------

    def load(self) -> None:
        """Read the manifest and map the runs; anything missing or unreadable leaves the copy unusable."""
        self.runs, self.seq, self.rows, self.db_id = [], -1, -1, ""
        try:
            manifest = json.loads((self.folder / "manifest.json").read_text())
            if manifest.get("format") != FORMAT:
                return
            runs = [self._open_run(entry) for entry in manifest["runs"]]
        except (OSError, EOFError, ValueError, KeyError, TypeError):
            return
        self.runs, self.db_id, self.seq, self.rows = runs, manifest["db_id"], manifest["seq"], manifest["rows"]
        self._counter = manifest.get("counter", 0)

    def _open_run(self, entry: dict) -> Run:
        name = entry["name"]
        keys = np.load(self.folder / f"{name}.keys.npy", mmap_mode="r")
        docs = np.load(self.folder / f"{name}.docs.npy", mmap_mode="r")
        fence = np.load(self.folder / f"{name}.fence.npy")
        gone = np.load(self.folder / f"{name}.gone.npy")
        if len(keys) != entry["rows"] or len(docs) != len(keys) or len(fence) != -(-len(keys) // FENCE_STEP):
            raise ValueError(f"run {name} does not have {entry['rows']} rows")
        return Run(name, keys, docs, fence, gone)

    def lookup(self, bands: np.ndarray, hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Every stored row sharing (band, hash) with a probe row: (index of the probe, doc_id) pairs."""
        keys = band_keys(bands, hashes)
        order = np.argsort(keys)
        probes = keys[order]
        found_probe, found_doc = [], []
        later_gone = np.empty(0, np.int64)  # documents voided by runs newer than the one searched
        for run in reversed(self.runs):
            if run.rows == 0:
                later_gone = np.union1d(later_gone, run.gone)
                continue
            at_probe, at_row = _lookup(run.keys, run.fence, FENCE_STEP, probes)
            n = len(at_probe)
            docs = np.asarray(run.docs[at_row]) if n else np.empty(0, np.int64)
            if len(later_gone) and n:
                valid = ~np.isin(docs, later_gone)
                at_probe, docs = at_probe[valid], docs[valid]
            found_probe.append(order[at_probe])
            found_doc.append(docs)
            later_gone = np.union1d(later_gone, run.gone)
        if not found_probe:
            return np.empty(0, np.int64), np.empty(0, np.int64)
        return np.concatenate(found_probe), np.concatenate(found_doc).astype(np.int64)

    # --- writing ----------------------------------------------------------

    def append(self, bands: np.ndarray, hashes: np.ndarray, docs: np.ndarray, gone: np.ndarray,
               seq: int, rows: int) -> None:
        """Add one committed transaction's rows and voided documents; the copy then equals band_seq ``seq``."""
        keys = band_keys(bands, hashes)
        order = np.argsort(keys, kind="stable")
        self.runs.append(self._write_run(keys[order], np.asarray(docs, np.int64)[order], np.unique(gone)))
        self._compact()
        self._save(self.db_id, seq, rows)

    def rebuild(self, con: duckdb.DuckDBPyConnection, db_id: str, seq: int, chunk_rows: int = REBUILD_CHUNK) -> None:
        """Make the copy anew from the band table, as one run.

        Rows are streamed out of DuckDB into bucket files by the top bits of
        their keys, then each bucket (about ``chunk_rows`` rows) is sorted in
        memory and written after the one before: one pass over the table, one
        over the buckets, whatever its size.
        """
        self.folder.mkdir(parents=True, exist_ok=True)
        self.runs = []
        total = int(con.execute("SELECT count(*) FROM bands").fetchall()[0][0])
        bits = max(0, math.ceil(math.log2(max(total, 1) / chunk_rows)))
        spill = self.folder / "rebuild.tmp"
        shutil.rmtree(spill, ignore_errors=True)
        spill.mkdir()
        try:
            rows, (least, most) = self._spill(con, spill, bits)
            _check_doc_range(least, most)
            name = self._new_name()
            keys = np.lib.format.open_memmap(self.folder / f"{name}.keys.npy", mode="w+", dtype=np.uint64, shape=(rows,))
            docs = np.lib.format.open_memmap(self.folder / f"{name}.docs.npy", mode="w+", dtype=np.uint32, shape=(rows,))
            at = 0
            for bucket in range(1 << bits):
                bucket_keys = np.fromfile(spill / f"{bucket}.keys", dtype=np.uint64)
                bucket_docs = np.fromfile(spill / f"{bucket}.docs", dtype=np.int64)
                n = len(bucket_keys)
                order = np.argsort(bucket_keys)
                keys[at:at + n] = bucket_keys[order]
                docs[at:at + n] = bucket_docs[order]
                at += n
            keys.flush()
            docs.flush()
            self.runs = [self._finish_run(name, np.empty(0, np.int64))]
        finally:
            shutil.rmtree(spill, ignore_errors=True)
        self._save(db_id, seq, rows)

    @staticmethod
    def _spill(con: duckdb.DuckDBPyConnection, spill: Path, bits: int) -> tuple[int, tuple[int, int]]:
        """Write every band row's key and doc_id to bucket files by the key's top ``bits``.

        Returns the rows written and the smallest and largest doc_id.
        """
        bands = [r[0] for r in con.execute("SELECT DISTINCT band FROM bands").fetchall()]
        mixes = pa.table({"band": pa.array(bands, pa.int16()), "mix": pa.array(band_mix(np.array(bands, np.int64)))})
        files = [(open(spill / f"{b}.keys", "wb"), open(spill / f"{b}.docs", "wb")) for b in range(1 << bits)]
        rows, least, most = 0, 0, 0
        try:
            con.register("band_mixes", mixes)
            reader = con.sql("SELECT xor(b.hash, m.mix) AS key, b.doc_id FROM bands b JOIN band_mixes m USING (band)")
            for batch in reader.to_arrow_reader(1_000_000):
                keys = np.asarray(batch.column(0).to_numpy(), dtype=np.uint64)
                docs = batch.column(1).to_numpy().astype(np.int64)
                if bits:
                    keys_out, docs_out, starts = _partition(keys, docs, 64 - bits, 1 << bits)
                else:
                    keys_out, docs_out, starts = keys, docs, np.array([0, len(keys)])
                for b, (kf, df) in enumerate(files):
                    kf.write(keys_out[starts[b]:starts[b + 1]].tobytes())
                    df.write(docs_out[starts[b]:starts[b + 1]].tobytes())
                rows += len(keys)
                least, most = min(least, int(docs.min(initial=0))), max(most, int(docs.max(initial=0)))
        finally:
            con.unregister("band_mixes")
            for kf, df in files:
                kf.close()
                df.close()
        return rows, (least, most)

    def _compact(self) -> None:
        """Merge the newest run into the one before it while that one is less than MERGE_RATIO times bigger.

        Run sizes then fall by at least MERGE_RATIO from oldest to newest, so a
        lookup visits few runs, and a row is rewritten a bounded number of times.
        """
        while len(self.runs) > 1 and self.runs[-2].rows < MERGE_RATIO * self.runs[-1].rows:
            newer, older = self.runs.pop(), self.runs.pop()
            # the merged run voids rows in older runs for both; with none left, for neither
            gone = np.union1d(older.gone, newer.gone).astype(np.int64) if self.runs else np.empty(0, np.int64)
            self.runs.append(self._merged(newer, older, gone))

    def _merged(self, newer: Run, older: Run, gone_after: np.ndarray) -> Run:
        """One run of ``older`` without ``newer``'s voided documents, and ``newer``; voiding ``gone_after``."""
        gone = np.ascontiguousarray(newer.gone, dtype=np.int64)  # sorted: np.unique / np.union1d made it
        name = self._new_name()
        size = older.rows - int(sum(_voided(np.asarray(older.docs[lo:lo + MERGE_CHUNK]), gone).sum()
                                    for lo in range(0, older.rows, MERGE_CHUNK))) + newer.rows
        out_keys = np.lib.format.open_memmap(self.folder / f"{name}.keys.npy", mode="w+", dtype=np.uint64, shape=(size,))
        out_docs = np.lib.format.open_memmap(self.folder / f"{name}.docs.npy", mode="w+", dtype=np.uint32, shape=(size,))
        _merge(older.keys, older.docs, gone, newer.keys, newer.docs, out_keys, out_docs)
        out_keys.flush()
        out_docs.flush()
        return self._finish_run(name, gone_after)

    def _write_run(self, keys: np.ndarray, docs: np.ndarray, gone: np.ndarray) -> Run:
        self.folder.mkdir(parents=True, exist_ok=True)
        name = self._new_name()
        np.save(self.folder / f"{name}.keys.npy", np.ascontiguousarray(keys, dtype=np.uint64))
        np.save(self.folder / f"{name}.docs.npy", doc_ids(docs))
        return self._finish_run(name, np.asarray(gone, np.int64))

    def _finish_run(self, name: str, gone: np.ndarray) -> Run:
        """Write the fence and void list of a run whose keys and docs are written; map it read-only."""
        keys = np.load(self.folder / f"{name}.keys.npy", mmap_mode="r")
        docs = np.load(self.folder / f"{name}.docs.npy", mmap_mode="r")
        fence = np.array(keys[::FENCE_STEP])  # a copy, writable, even where the slice is contiguous
        np.save(self.folder / f"{name}.fence.npy", fence)
        np.save(self.folder / f"{name}.gone.npy", gone)
        return Run(name, keys, docs, fence, gone)

    def _new_name(self) -> str:
        self._counter += 1
        return f"run{self._counter:08d}-{uuid.uuid4().hex[:8]}"

    def _save(self, db_id: str, seq: int, rows: int) -> None:
        """Replace the manifest in one step, then delete the files no run uses."""
        manifest = {"format": FORMAT, "db_id": db_id, "seq": seq, "rows": rows, "counter": self._counter,
                    "runs": [{"name": r.name, "rows": r.rows} for r in self.runs]}
        tmp = self.folder / "manifest.json.tmp"
        tmp.write_text(json.dumps(manifest))
        os.replace(tmp, self.folder / "manifest.json")
        self.db_id, self.seq, self.rows = db_id, seq, rows
        live = {r.name for r in self.runs}
        for path in self.folder.glob("run*.npy"):
            if path.name.split(".")[0] not in live:
                path.unlink(missing_ok=True)

    def invalidate(self) -> None:
        """Forget the copy (its manifest goes first, so a half-written state is never trusted)."""
        self.runs, self.seq, self.rows = [], -1, -1
        try:
            (self.folder / "manifest.json").unlink(missing_ok=True)
        except OSError:
            pass  # no folder to forget (a file in its place, say): nothing will trust it either
