"""The DuckDB database: schema, settings, and every write.

DuckDB is the index as well as the store: the LSH band hashes are the table
``bands`` and candidate pairs come from a join on it (see ``match.py``).
All writes of a batch happen in one transaction, so an interrupted scan leaves
the database as it was after the last whole batch.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator, Sequence

import duckdb
import numpy as np
import pyarrow as pa

from .errors import DatabaseError, SettingsMismatchError
from .extract import Article
from .fingerprint import Fingerprint
from .settings import Settings

SCHEMA_VERSION = 1
DEFAULT_DB = "syndicate.duckdb"

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS documents (
    doc_id BIGINT NOT NULL,
    url VARCHAR NOT NULL,
    domain VARCHAR,
    title VARCHAR,
    author VARCHAR,
    sitename VARCHAR,
    published_at TIMESTAMP,
    fetched_at TIMESTAMP,
    canonical_url VARCHAR,
    language VARCHAR,
    source VARCHAR,
    record VARCHAR,
    content_hash VARCHAR,
    status VARCHAR,
    word_count INTEGER,
    shingle_count INTEGER,
    text VARCHAR,
    first_seen TIMESTAMP,
    last_seen TIMESTAMP
);
CREATE TABLE IF NOT EXISTS links (doc_id BIGINT NOT NULL, url VARCHAR, text VARCHAR);
CREATE TABLE IF NOT EXISTS signatures (doc_id BIGINT NOT NULL, minhash UINTEGER[]);
CREATE TABLE IF NOT EXISTS bands (band SMALLINT NOT NULL, hash UBIGINT NOT NULL, doc_id BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS matches (
    doc_a BIGINT NOT NULL,
    doc_b BIGINT NOT NULL,
    similarity DOUBLE,
    containment DOUBLE,
    kind VARCHAR
);
CREATE TABLE IF NOT EXISTS clusters (doc_id BIGINT NOT NULL, cluster_id BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    run_id BIGINT NOT NULL,
    started_at TIMESTAMP,
    finished_at TIMESTAMP,
    status VARCHAR,
    paths VARCHAR,
    pages_read BIGINT,
    pages_new BIGINT,
    pages_changed BIGINT,
    pages_skipped BIGINT,
    pages_failed BIGINT,
    articles BIGINT,
    new_matches BIGINT,
    clusters BIGINT,
    seconds DOUBLE,
    settings VARCHAR
);
CREATE TABLE IF NOT EXISTS errors (run_id BIGINT, source VARCHAR, record VARCHAR, reason VARCHAR);
"""

# The origin here is the placeholder of the core pipeline: the member published
# first (else fetched first); ties go to the smaller URL so the answer does not
# depend on scan order.
VIEWS = """
CREATE OR REPLACE VIEW cluster_origins AS
SELECT cluster_id, doc_id AS origin_doc_id
FROM (
    SELECT c.cluster_id, c.doc_id,
           row_number() OVER (
               PARTITION BY c.cluster_id
               ORDER BY d.published_at NULLS LAST, d.fetched_at NULLS LAST, d.url
           ) AS rank
    FROM clusters c JOIN documents d USING (doc_id)
)
WHERE rank = 1;

CREATE OR REPLACE VIEW syndication AS
SELECT c.cluster_id,
       cd.doc_id AS copy_doc_id,
       cd.url AS copy_url,
       cd.domain AS copy_domain,
       cd.title AS copy_title,
       cd.published_at AS copy_published_at,
       od.doc_id AS origin_doc_id,
       od.url AS origin_url,
       od.domain AS origin_domain,
       od.published_at AS origin_published_at,
       m.similarity,
       m.containment,
       m.kind
FROM clusters c
JOIN cluster_origins o USING (cluster_id)
JOIN documents cd ON cd.doc_id = c.doc_id
JOIN documents od ON od.doc_id = o.origin_doc_id
LEFT JOIN matches m
    ON m.doc_a = least(cd.doc_id, od.doc_id) AND m.doc_b = greatest(cd.doc_id, od.doc_id)
WHERE c.doc_id <> o.origin_doc_id;
"""


@dataclass(frozen=True)
class StoredPage:
    """A page already in the database, as needed to decide whether to re-extract it."""

    doc_id: int
    content_hash: str


def _utc_naive(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    return value


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class Store:
    """One open syndicate database.

    Open it with :meth:`open`; the first scan records its settings and every
    later scan must use the same ones.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, path: str, settings: Settings) -> None:
        self.con = con
        self.path = path
        self.settings = settings

    @classmethod
    def open(cls, path: str | os.PathLike[str], settings: Settings | None = None, read_only: bool = False) -> "Store":
        """Open (or create) a database.

        ``settings`` None means "whatever the database was built with"
        (defaults for a new one); given settings that differ from the stored
        ones are refused, since fingerprints made with them would not compare.
        """
        path = str(path)
        if read_only and not Path(path).exists():
            raise DatabaseError(f"no database at {path}; run 'syndicate scan PATH --db {path}' first")
        try:
            con = duckdb.connect(path, read_only=read_only)
        except duckdb.IOException as exc:
            raise DatabaseError(f"cannot open database {path}: {str(exc).splitlines()[0]}") from None
        except duckdb.Error as exc:
            raise DatabaseError(f"{path} is not a DuckDB database ({str(exc).splitlines()[0]})") from None
        try:
            stored = cls._stored_settings(con, path)
            if stored is None:
                if read_only:
                    raise DatabaseError(f"{path} is not a syndicate database; run 'syndicate scan' to create one")
                settings = settings or Settings()
                con.execute("BEGIN")
                con.execute(SCHEMA)
                con.execute(
                    "INSERT INTO meta VALUES ('schema_version', ?), ('settings', ?)",
                    [str(SCHEMA_VERSION), settings.to_json()],
                )
                con.execute(VIEWS)
                con.execute("COMMIT")
            elif settings is not None and settings != stored:
                raise SettingsMismatchError(
                    f"{path} was built with other settings ({'; '.join(stored.differences(settings))}); "
                    "scan with the stored settings or use a new --db"
                )
            else:
                settings = stored
        except BaseException:
            con.close()
            raise
        return cls(con, path, settings)

    @staticmethod
    def _stored_settings(con: duckdb.DuckDBPyConnection, path: str) -> Settings | None:
        has_meta = con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta' AND table_schema = 'main'"
        ).fetchall()[0][0]
        if not has_meta:
            tables = con.execute("SELECT count(*) FROM information_schema.tables").fetchall()[0][0]
            if tables:
                raise DatabaseError(f"{path} is a DuckDB database but not a syndicate one; use another --db")
            return None
        rows = dict(con.execute("SELECT key, value FROM meta").fetchall())
        version = int(rows.get("schema_version", "0"))
        if version > SCHEMA_VERSION:
            raise DatabaseError(
                f"{path} was written by a newer syndicate (schema {version}, this one reads {SCHEMA_VERSION}); upgrade syndicate"
            )
        return Settings.from_json(rows["settings"])

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All or nothing: a batch is either wholly stored or not at all."""
        self.con.execute("BEGIN")
        try:
            yield
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    # --- reads -----------------------------------------------------------

    def stored_pages(self, urls: Sequence[str]) -> dict[str, StoredPage]:
        """Stored doc_id and content hash of the given URLs that are in the database."""
        if not urls:
            return {}
        wanted = pa.table({"url": pa.array(list(set(urls)), pa.string())})
        rows = self.con.execute(
            "SELECT d.url, d.doc_id, d.content_hash FROM documents d JOIN wanted w ON d.url = w.url"
        ).fetchall()
        return {url: StoredPage(doc_id, chash) for url, doc_id, chash in rows}

    def known_hashes(self, hashes: Sequence[str]) -> dict[str, set[str]]:
        """URLs stored under each of the given content hashes."""
        if not hashes:
            return {}
        wanted = pa.table({"h": pa.array(list(set(hashes)), pa.string())})
        out: dict[str, set[str]] = {}
        for chash, url in self.con.execute(
            "SELECT d.content_hash, d.url FROM documents d JOIN wanted w ON d.content_hash = w.h"
        ).fetchall():
            out.setdefault(chash, set()).add(url)
        return out

    def next_doc_id(self) -> int:
        return int(self.con.execute("SELECT coalesce(max(doc_id), 0) + 1 FROM documents").fetchall()[0][0])

    def texts(self, doc_ids: Sequence[int]) -> dict[int, str]:
        """Stored article text of the given documents."""
        if not doc_ids:
            return {}
        wanted = pa.table({"doc_id": pa.array(list(set(doc_ids)), pa.int64())})
        rows = self.con.execute(
            "SELECT d.doc_id, d.text FROM documents d JOIN wanted w USING (doc_id)"
        ).fetchall()
        return dict(rows)

    # --- writes ----------------------------------------------------------

    def start_run(self, paths: Sequence[str]) -> int:
        run_id = int(self.con.execute("SELECT coalesce(max(run_id), 0) + 1 FROM runs").fetchall()[0][0])
        self.con.execute(
            "INSERT INTO runs (run_id, started_at, status, paths, settings) VALUES (?, ?, 'running', ?, ?)",
            [run_id, _now(), "\n".join(paths), self.settings.to_json()],
        )
        return run_id

    def finish_run(self, run_id: int, status: str, counts: dict[str, int], seconds: float) -> None:
        columns = ", ".join(f"{name} = ?" for name in counts)
        self.con.execute(
            f"UPDATE runs SET finished_at = ?, status = ?, seconds = ?, {columns} WHERE run_id = ?",
            [_now(), status, seconds, *counts.values(), run_id],
        )

    def add_errors(self, run_id: int, errors: Sequence[tuple[str, str, str]]) -> None:
        if errors:
            self.con.executemany(
                "INSERT INTO errors VALUES (?, ?, ?, ?)", [(run_id, s, r, reason) for s, r, reason in errors]
            )

    def delete_documents(self, doc_ids: Sequence[int], keep_row: bool = False) -> None:
        """Remove documents with their links, signatures, bands and matches.

        With ``keep_row`` the documents row itself stays (it is about to be
        rewritten with new content under the same doc_id). Cluster rows stay
        until :func:`syndicate.cluster.recluster` recomputes those clusters.
        """
        if not doc_ids:
            return
        gone = pa.table({"doc_id": pa.array(list(doc_ids), pa.int64())})
        self.con.register("gone", gone)
        try:
            for table in ("links", "signatures", "bands") + (() if keep_row else ("documents",)):
                self.con.execute(f"DELETE FROM {table} WHERE doc_id IN (SELECT doc_id FROM gone)")
            self.con.execute(
                "DELETE FROM matches WHERE doc_a IN (SELECT doc_id FROM gone) OR doc_b IN (SELECT doc_id FROM gone)"
            )
        finally:
            self.con.unregister("gone")

    def write_documents(
        self, rows: Sequence[tuple[int, Article, Fingerprint | None, datetime]], now: datetime | None = None
    ) -> None:
        """Insert documents (doc_id, article, fingerprint or None, first_seen) with their index rows."""
        if not rows:
            return
        now = now or _now()
        doc = {name: [] for name in (
            "doc_id", "url", "domain", "title", "author", "sitename", "published_at", "fetched_at",
            "canonical_url", "language", "source", "record", "content_hash", "status", "word_count",
            "shingle_count", "text", "first_seen", "last_seen")}
        link_rows: dict[str, list] = {"doc_id": [], "url": [], "text": []}
        sig_ids: list[int] = []
        sigs: list[np.ndarray] = []
        band_ids: list[np.ndarray] = []
        band_hashes: list[np.ndarray] = []
        band_docs: list[np.ndarray] = []
        for doc_id, art, fp, first_seen in rows:
            values = dict(
                doc_id=doc_id, url=art.url, domain=art.domain, title=art.title, author=art.author,
                sitename=art.sitename, published_at=_utc_naive(art.published_at),
                fetched_at=_utc_naive(art.fetched_at), canonical_url=art.canonical_url,
                language=art.language, source=art.source, record=art.record, content_hash=art.content_hash,
                status="article" if fp is not None else "no_article", word_count=art.word_count,
                shingle_count=fp.shingle_count if fp is not None else 0, text=art.text,
                first_seen=_utc_naive(first_seen), last_seen=now,
            )
            for name, value in values.items():
                doc[name].append(value)
            for link in art.links:
                link_rows["doc_id"].append(doc_id)
                link_rows["url"].append(link.url)
                link_rows["text"].append(link.text)
            if fp is not None:
                sig_ids.append(doc_id)
                sigs.append(fp.signature)
                n = len(fp.bands)
                band_ids.append(np.arange(n, dtype=np.int16))
                band_hashes.append(fp.bands)
                band_docs.append(np.full(n, doc_id, dtype=np.int64))
        ts = pa.timestamp("us")
        doc_types = {"published_at": ts, "fetched_at": ts, "first_seen": ts, "last_seen": ts,
                     "doc_id": pa.int64(), "word_count": pa.int32(), "shingle_count": pa.int32()}
        new_docs = pa.table({k: pa.array(v, doc_types.get(k, pa.string())) for k, v in doc.items()})
        self._insert("documents", new_docs)
        if link_rows["doc_id"]:
            self._insert("links", pa.table({
                "doc_id": pa.array(link_rows["doc_id"], pa.int64()),
                "url": pa.array(link_rows["url"], pa.string()),
                "text": pa.array(link_rows["text"], pa.string()),
            }))
        if sig_ids:
            num_perm = self.settings.num_perm
            flat = pa.array(np.concatenate(sigs), pa.uint32())
            self._insert("signatures", pa.table({
                "doc_id": pa.array(sig_ids, pa.int64()),
                "minhash": pa.ListArray.from_arrays(pa.array(np.arange(0, len(flat) + 1, num_perm, dtype=np.int32)), flat),
            }))
            self._insert("bands", pa.table({
                "band": pa.array(np.concatenate(band_ids)),
                "hash": pa.array(np.concatenate(band_hashes)),
                "doc_id": pa.array(np.concatenate(band_docs)),
            }))

    def touch_documents(self, doc_ids: Sequence[int], now: datetime | None = None) -> None:
        """Mark stored pages as seen again in this crawl."""
        if doc_ids:
            seen = pa.table({"doc_id": pa.array(list(doc_ids), pa.int64())})
            self.con.execute(
                "UPDATE documents SET last_seen = ? WHERE doc_id IN (SELECT doc_id FROM seen)", [now or _now()]
            )

    def first_seen(self, doc_ids: Sequence[int]) -> dict[int, datetime]:
        if not doc_ids:
            return {}
        wanted = pa.table({"doc_id": pa.array(list(doc_ids), pa.int64())})
        return dict(self.con.execute("SELECT doc_id, first_seen FROM documents WHERE doc_id IN (SELECT doc_id FROM wanted)").fetchall())

    def write_matches(self, matches: Sequence[tuple[int, int, float, float, str]]) -> None:
        if matches:
            a, b, sim, cont, kind = zip(*matches)
            self._insert("matches", pa.table({
                "doc_a": pa.array(a, pa.int64()), "doc_b": pa.array(b, pa.int64()),
                "similarity": pa.array(sim, pa.float64()), "containment": pa.array(cont, pa.float64()),
                "kind": pa.array(kind, pa.string()),
            }))

    def replace_clusters(self, doc_ids: Sequence[int], assignment: dict[int, int]) -> None:
        """Drop the cluster rows of ``doc_ids`` and store ``assignment`` (doc_id -> cluster_id)."""
        if doc_ids:
            gone = pa.table({"doc_id": pa.array(list(doc_ids), pa.int64())})
            self.con.execute("DELETE FROM clusters WHERE doc_id IN (SELECT doc_id FROM gone)")
        if assignment:
            self._insert("clusters", pa.table({
                "doc_id": pa.array(list(assignment.keys()), pa.int64()),
                "cluster_id": pa.array(list(assignment.values()), pa.int64()),
            }))

    def _insert(self, table: str, data: pa.Table) -> None:
        self.con.register("_batch", data)
        try:
            self.con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _batch")
        finally:
            self.con.unregister("_batch")
