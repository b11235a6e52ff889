"""Passing Python data to DuckDB queries as named Arrow tables, never as formatted SQL."""

from __future__ import annotations

from contextlib import contextmanager
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
