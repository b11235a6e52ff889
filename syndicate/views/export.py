"""``syndicate export``: the results as files, and a deduplicated corpus for dataset builders.

One file per table or view, in Parquet, CSV or JSON Lines, written by DuckDB's
own ``COPY`` (types kept in Parquet; ISO timestamps in CSV and JSON Lines).
``corpus`` holds one page per article: each cluster's representative (its
origin page when that was crawled, else its longest member) and every article
that matched nothing.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..sqlutil import copy_to
from ..store.database import Store

FORMATS = {"parquet": ("parquet", "(FORMAT parquet)"), "csv": ("csv", "(FORMAT csv, HEADER)"),
           "jsonl": ("jsonl", "(FORMAT json)")}

# one page per article: the cluster's crawled origin, else its longest member (the smallest doc_id on a tie)
CORPUS_SQL = """
WITH members AS (
    SELECT c.cluster_id, d.doc_id, d.word_count,
           count(*) OVER (PARTITION BY c.cluster_id) AS pages,
           o.origin_doc_id
    FROM clusters c JOIN documents d USING (doc_id) LEFT JOIN origins o USING (cluster_id)
),
representatives AS (
    SELECT cluster_id, doc_id, pages - 1 AS copies FROM members
    QUALIFY row_number() OVER (PARTITION BY cluster_id
                               ORDER BY (doc_id = origin_doc_id) DESC NULLS LAST, word_count DESC, doc_id) = 1
)
SELECT d.doc_id, d.url, d.domain, d.title, d.author, d.published_at, d.language, d.word_count,
       r.cluster_id, coalesce(r.copies, 0) AS copies, d.text
FROM documents d LEFT JOIN representatives r USING (doc_id)
WHERE d.status = 'article'
  AND (r.doc_id IS NOT NULL OR d.doc_id NOT IN (SELECT doc_id FROM clusters))
ORDER BY d.doc_id
"""


def export_queries(with_text: bool = True) -> dict[str, str]:
    """File name (without extension) → the query whose rows it holds."""
    text = "" if with_text else " EXCLUDE (text)"
    corpus = CORPUS_SQL if with_text else f"SELECT * EXCLUDE (text) FROM ({CORPUS_SQL})"
    return {
        "documents": f"SELECT *{text} FROM documents ORDER BY doc_id",
        "matches": "SELECT * FROM matches ORDER BY doc_a, doc_b",
        "clusters": "SELECT * FROM clusters ORDER BY cluster_id, doc_id",
        "origins": "SELECT * FROM origins ORDER BY cluster_id",
        "syndication": "SELECT * FROM syndication ORDER BY cluster_id, copy_doc_id",
        "corpus": corpus,
    }


def export(
    store: Store, out: str | os.PathLike[str], fmt: str = "parquet", with_text: bool = True
) -> list[tuple[Path, int]]:
    """Write every export of :func:`export_queries` to ``out/<name>.<ext>``; returns each file and its rows."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    ext, options = FORMATS[fmt]
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, query in export_queries(with_text).items():
        path = folder / f"{name}.{ext}"
        written.append((path, copy_to(store.con, query, path, options)))
    return written
