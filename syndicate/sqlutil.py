"""Passing Python data to DuckDB queries as named Arrow tables, never as formatted SQL."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import duckdb
import pyarrow as pa


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, **tables: pa.Table) -> Iterator[None]:
    """Make each Arrow table queryable under its keyword name for the duration of the block."""
    for name, table in tables.items():
        con.register(name, table)
    try:
        yield
    finally:
        for name in tables:
            con.unregister(name)


def ids(values: object, name: str = "doc_id") -> pa.Table:
    """A one-column BIGINT table of ids."""
    return pa.table({name: pa.array(sorted(set(values)), pa.int64())})  # type: ignore[arg-type]


def copy_to(con: duckdb.DuckDBPyConnection, query: str, path: Path, options: str = "(FORMAT parquet)",
            params: dict | None = None) -> int:
    """Write a query's rows to a file with DuckDB's COPY; returns how many rows it wrote.

    ``query`` and ``options`` are the caller's own SQL, ``params`` the query's
    named parameters; the path is quoted here (COPY takes no parameter for it).
    """
    quoted = str(path).replace("'", "''")
    return int(con.execute(f"COPY ({query}) TO '{quoted}' {options}", params or None).fetchall()[0][0])
