"""``syndicate export``: the results as files, and a deduplicated corpus for dataset builders.

One file per table or view, in Parquet, CSV or JSON Lines, written by DuckDB's
own ``COPY`` (types kept in Parquet; in CSV and JSON Lines times are ISO 8601
UTC to the second, ``2026-12-05T03:12:44Z``, as every command prints them).
``corpus`` holds one page per article: each cluster's representative (its
origin page when that was crawled, else its longest member) and every article
that matched nothing.

The filters of :mod:`syndicate.views.query` (``kinds``, ``min_similarity``)
narrow ``matches`` to the passing matches, ``syndication`` to the copies that
pass (the same rows ``top`` counts) and the corpus: pages of a cluster count
as one article only when passing matches inside the cluster join them, so a
page cut off from its cluster by the filters is an article of its own.
``documents``, ``clusters`` and ``origins`` are written as stored.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Sequence

from .query import FILTERED_SYNDICATION_SQL, chain_table, check_filters, is_unfiltered
from ..sqlutil import copy_to, registered
from ..store.database import Store

TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
"""Times in CSV and JSON Lines: ISO 8601 UTC to the second, as every command prints them."""
FORMATS = {"parquet": ("parquet", "(FORMAT parquet)"),
           "csv": ("csv", f"(FORMAT csv, HEADER, TIMESTAMPFORMAT '{TIMESTAMP_FORMAT}')"),
           "jsonl": ("jsonl", f"(FORMAT json, TIMESTAMPFORMAT '{TIMESTAMP_FORMAT}')")}

# one page per article: the cluster's crawled origin, else its longest member (the smallest doc_id on a tie);
# {parts} gives each clustered page the article it belongs to (its cluster, unless filters split it)
CORPUS_TEMPLATE = """
WITH members AS (
    SELECT c.cluster_id, p.part, d.doc_id, d.word_count,
           count(*) OVER (PARTITION BY p.part) AS pages,
           o.origin_doc_id
    FROM clusters c JOIN ({parts}) p USING (doc_id) JOIN documents d USING (doc_id) LEFT JOIN origins o USING (cluster_id)
),
representatives AS (
    SELECT cluster_id, doc_id, pages - 1 AS copies FROM members
    QUALIFY row_number() OVER (PARTITION BY part
                               ORDER BY (doc_id = origin_doc_id) DESC NULLS LAST, word_count DESC, doc_id) = 1
)
SELECT d.doc_id, d.url, d.domain, d.title, d.author, d.published_at, d.language, d.word_count,
       r.cluster_id, coalesce(r.copies, 0) AS copies, d.text
FROM documents d LEFT JOIN representatives r USING (doc_id)
WHERE d.status = 'article'
  AND (r.doc_id IS NOT NULL OR d.doc_id NOT IN (SELECT doc_id FROM clusters))
ORDER BY d.doc_id
"""
CORPUS_SQL = CORPUS_TEMPLATE.format(parts="SELECT doc_id, cluster_id AS part FROM clusters")
# with filters: a page joined to others by passing matches is in their part, else alone
FILTERED_CORPUS_SQL = CORPUS_TEMPLATE.format(
    parts="SELECT c.doc_id, coalesce(q.part, c.doc_id) AS part FROM clusters c LEFT JOIN export_parts q USING (doc_id)")


def export_queries(with_text: bool = True, corpus_sql: str = CORPUS_SQL,
                   syndication_sql: str = "SELECT * FROM syndication", filtered: bool = False) -> dict[str, str]:
    """File name (without extension) → the query whose rows it holds.

    With ``filtered``, ``matches`` takes the parameters ``$kinds`` and
    ``$min_similarity``; ``corpus_sql`` and ``syndication_sql`` replace the
    unfiltered corpus and view.
    """
    text = "" if with_text else " EXCLUDE (text)"
    corpus = corpus_sql if with_text else f"SELECT * EXCLUDE (text) FROM ({corpus_sql})"
    matches = ("SELECT * FROM matches WHERE list_contains($kinds, kind) AND similarity >= $min_similarity"
               if filtered else "SELECT * FROM matches")
    return {
        "documents": f"SELECT *{text} FROM documents ORDER BY doc_id",
        "matches": f"{matches} ORDER BY doc_a, doc_b",
        "clusters": "SELECT * FROM clusters ORDER BY cluster_id, doc_id",
        "origins": "SELECT * FROM origins ORDER BY cluster_id",
        "syndication": f"SELECT * FROM ({syndication_sql}) ORDER BY cluster_id, copy_doc_id",
        "corpus": corpus,
    }


def export(
    store: Store, out: str | os.PathLike[str], fmt: str = "parquet", with_text: bool = True,
    kinds: str | Sequence[str] | None = None, min_similarity: float = 0.0,
) -> list[tuple[Path, int]]:
    """Write every export of :func:`export_queries` to ``out/<name>.<ext>``; returns each file and its rows.

    ``kinds`` (None: every kind) and ``min_similarity`` filter ``matches``,
    ``syndication`` and ``corpus`` (see the module docstring).
    """
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    chosen, value = check_filters(kinds, min_similarity)
    ext, options = FORMATS[fmt]
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    if is_unfiltered(chosen, value):
        return [(folder / f"{name}.{ext}", copy_to(store.con, query, folder / f"{name}.{ext}", options))
                for name, query in export_queries(with_text).items()]
    params = {"kinds": list(chosen), "min_similarity": value}
    table = chain_table(store, chosen, value)  # None: the filters keep every cluster whole
    corpus = CORPUS_SQL if table is None else FILTERED_CORPUS_SQL
    tables = {} if table is None else {"export_parts": table}
    chain = "SELECT doc_id, cluster_id AS part FROM clusters" if table is None else "SELECT doc_id, part FROM export_parts"
    syndication = FILTERED_SYNDICATION_SQL.format(chain=chain)
    written = []
    with registered(store.con, **tables):
        queries = export_queries(with_text, corpus, syndication, filtered=True)
        for name, query in queries.items():
            path = folder / f"{name}.{ext}"
            used = params if name in ("matches", "syndication") else None
            written.append((path, copy_to(store.con, query, path, options, used)))
    return written
