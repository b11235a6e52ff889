"""Clusters: connected components of verified matches, kept up to date incrementally.

A cluster's id is its smallest doc_id, so merging two clusters or splitting
one (when a page changes) needs only the components that were touched.
Documents that match nothing are in no cluster. Only matches of the clustering
kinds (``Settings.cluster_kinds``: by default ``duplicate``, ``partial``,
``rewrite`` and ``alias``) join clusters: two stories from one template do not.
"""

from __future__ import annotations

from typing import Callable, Iterable, Sequence

import duckdb

from ..settings import DEFAULT_CLUSTER_KINDS
from ..sqlutil import ids, registered

AFFECTED_SQL = """
WITH touched AS (
         SELECT doc_id FROM touched_docs
         UNION SELECT doc_b FROM matches WHERE doc_a IN (SELECT doc_id FROM touched_docs) AND list_contains($kinds, kind)
         UNION SELECT doc_a FROM matches WHERE doc_b IN (SELECT doc_id FROM touched_docs) AND list_contains($kinds, kind)
     ),
     touched_clusters AS (
         SELECT DISTINCT cluster_id FROM clusters WHERE doc_id IN (SELECT doc_id FROM touched)
     )
SELECT doc_id FROM touched
UNION
SELECT doc_id FROM clusters WHERE cluster_id IN (SELECT cluster_id FROM touched_clusters)
"""

EDGES_SQL = """
SELECT doc_a, doc_b FROM matches
WHERE (doc_a IN (SELECT doc_id FROM affected_docs) OR doc_b IN (SELECT doc_id FROM affected_docs))
  AND list_contains($kinds, kind)
"""


def components(edges: Iterable[tuple[int, int]]) -> dict[int, int]:
    """Union-find: each node of the edges mapped to the smallest node of its component."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        root = x
        while parent.setdefault(root, root) != root:
            root = parent[root]
        while parent[x] != root:  # path compression
            parent[x], x = root, parent[x]
        return root

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            if ra < rb:
                parent[rb] = ra
            else:
                parent[ra] = rb
    return {node: find(node) for node in parent}


Components = Callable[[Iterable[tuple[int, int]]], dict[int, int]]


def recluster(
    con: duckdb.DuckDBPyConnection, touched: Sequence[int], components_of: Components | None = None,
    kinds: Sequence[str] = DEFAULT_CLUSTER_KINDS,
) -> tuple[list[int], dict[int, int]]:
    """New cluster assignment for everything connected to the ``touched`` documents.

    ``touched`` are documents whose matches changed (new, re-extracted or
    removed pages and their partners). Returns the documents whose cluster
    rows must be replaced, and their new doc_id -> cluster_id assignment.
    ``components_of`` computes the components (default: union-find here);
    ``kinds`` are the kinds of match that join clusters.
    """
    if not touched:
        return [], {}
    with registered(con, touched_docs=ids(touched)):
        affected = [row[0] for row in con.execute(AFFECTED_SQL, {"kinds": list(kinds)}).fetchall()]
    with registered(con, affected_docs=ids(affected)):
        edges = con.execute(EDGES_SQL, {"kinds": list(kinds)}).fetchall()
    return affected, (components_of or components)(edges)
