"""``syndicate check``: verify that the tables agree with each other.

Each check is one SQL query counting the rows that break a rule, with a few
examples; a clean database gives no problems. The rules are what the rest of
syndicate relies on: a match joins two stored documents, every document has
at most one cluster, a matched pair shares one, an article has its signature
and every band, an origin belongs to its cluster.

Before the rules, every value of every table is read (and every key of a
table with a primary key looked up through its index), so that each block of
the file in use passes DuckDB's checksum: a block damaged in place, or lost
with a missing tail, fails here and not months later in a scan that happens
to need it.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from .database import Store
from .failure import damaged


@dataclass(frozen=True)
class Problem:
    """Rows that break one rule: how many, and up to five of them."""

    rule: str
    count: int
    examples: list[tuple]

    def line(self) -> str:
        shown = ", ".join(str(e[0] if len(e) == 1 else e) for e in self.examples)
        return f"{self.rule}: {self.count} (e.g. {shown})"


def _rules(store: Store) -> list[tuple[str, str]]:
    s = store.settings
    lsh_bands = 2 * s.bands
    kinds = "(" + ", ".join(f"'{k}'" for k in s.kinds) + ")"  # validated against CLUSTERABLE by Settings
    return [
        ("duplicate doc_id in documents",
         "SELECT doc_id FROM documents GROUP BY doc_id HAVING count(*) > 1"),
        ("duplicate url in documents",
         "SELECT url FROM documents GROUP BY url HAVING count(*) > 1"),
        ("match with a document that is not stored",
         "SELECT doc_a, doc_b FROM matches m WHERE m.doc_a NOT IN (SELECT doc_id FROM documents)"
         " OR m.doc_b NOT IN (SELECT doc_id FROM documents)"),
        ("match not in order (doc_a < doc_b) or stored twice",
         "SELECT doc_a, doc_b FROM matches GROUP BY doc_a, doc_b HAVING count(*) > 1 OR any_value(doc_a) >= any_value(doc_b)"),
        ("match with a similarity or containment outside [0, 1]",
         "SELECT doc_a, doc_b FROM matches WHERE NOT (similarity BETWEEN 0 AND 1 AND containment BETWEEN 0 AND 1)"),
        ("cluster row for a document that is not stored",
         "SELECT doc_id FROM clusters WHERE doc_id NOT IN (SELECT doc_id FROM documents)"),
        ("matched document without a cluster",
         f"SELECT doc_id FROM (SELECT doc_a AS doc_id FROM matches WHERE kind IN {kinds}"
         f" UNION SELECT doc_b FROM matches WHERE kind IN {kinds})"
         " WHERE doc_id NOT IN (SELECT doc_id FROM clusters)"),
        ("document in more than one cluster",
         "SELECT doc_id FROM clusters GROUP BY doc_id HAVING count(*) > 1"),
        ("matched pair in different clusters",
         "SELECT m.doc_a, m.doc_b FROM matches m JOIN clusters a ON a.doc_id = m.doc_a"
         f" JOIN clusters b ON b.doc_id = m.doc_b WHERE a.cluster_id <> b.cluster_id AND m.kind IN {kinds}"),
        ("article without a signature of num_perm values",
         f"SELECT d.doc_id FROM documents d LEFT JOIN signatures s USING (doc_id)"
         f" WHERE d.status = 'article' AND (s.minhash IS NULL OR len(s.minhash) <> {s.num_perm})"),
        (f"article without its {lsh_bands} band hashes",
         f"SELECT d.doc_id FROM documents d LEFT JOIN (SELECT doc_id, count(DISTINCT band) AS n FROM bands"
         f" WHERE band >= 0 GROUP BY doc_id) b USING (doc_id)"
         f" WHERE d.status = 'article' AND coalesce(b.n, 0) <> {lsh_bands}"),
        ("band, signature, link or evidence row of a document that is not stored",
         "SELECT doc_id FROM (SELECT doc_id FROM bands UNION SELECT doc_id FROM signatures"
         " UNION SELECT doc_id FROM links UNION SELECT doc_id FROM evidence)"
         " WHERE doc_id NOT IN (SELECT doc_id FROM documents)"),
        # a page alone that credits an outside source is a cluster of one: its doc_id, no clusters row
        ("origin of a cluster that does not exist",
         "SELECT cluster_id FROM origins WHERE cluster_id NOT IN (SELECT cluster_id FROM clusters)"
         " AND cluster_id NOT IN (SELECT doc_id FROM documents)"),
        ("cluster with more than one origin",
         "SELECT cluster_id FROM origins GROUP BY cluster_id HAVING count(*) > 1"),
        ("origin page outside its cluster",
         "SELECT o.cluster_id, o.origin_doc_id FROM origins o WHERE o.origin_doc_id IS NOT NULL AND NOT EXISTS"
         " (SELECT 1 FROM clusters c WHERE c.cluster_id = o.cluster_id AND c.doc_id = o.origin_doc_id)"),
    ]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def read_everything(store: Store) -> int:
    """Read every value of every table, and every key through its index; the number of rows read.

    Raises :class:`DatabaseError` naming the table when DuckDB cannot read a
    block back (a checksum that does not match, a file that ends too soon).
    A table with no rows has no blocks; free blocks hold nothing to lose.
    """
    con, rows = store.con, 0
    tables = con.execute("SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = current_database()"
                         " ORDER BY 1, 2").fetchall()
    for schema, table in tables:
        name = f"{_quote(schema)}.{_quote(table)}"
        columns = [c for (c,) in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = ?"
            " AND table_name = ? ORDER BY column_index", [schema, table]).fetchall()]
        # hash() reads every byte of a value (long strings and lists included); count(column) alone could be
        # answered from statistics without reading the column
        reads = ", ".join(f"bit_xor(hash({_quote(c)}))" for c in columns)
        try:
            rows += int(con.execute(f"SELECT count(*), {reads} FROM {name}").fetchall()[0][0])
            keys = con.execute(
                "SELECT constraint_column_names FROM duckdb_constraints() WHERE database_name = current_database()"
                " AND schema_name = ? AND table_name = ? AND constraint_type IN ('PRIMARY KEY', 'UNIQUE')",
                [schema, table]).fetchall()
            for (key,) in keys:  # an index is read where a lookup needs it: look every key up
                if len(key) == 1:
                    column = _quote(key[0])
                    for (value,) in con.execute(f"SELECT {column} FROM {name}").fetchall():
                        con.execute(f"SELECT count(*) FROM {name} WHERE {column} = ?", [value]).fetchall()
        except duckdb.Error as exc:
            if isinstance(exc, (duckdb.CatalogException, duckdb.BinderException, duckdb.ParserException)):
                raise  # a bug in this query, not the file
            raise damaged(store.path, f"reading table {table}: {exc}") from None
    return rows


def check(store: Store) -> list[Problem]:
    """Every rule the database breaks (an empty list for a healthy database); DatabaseError if it is unreadable."""
    read_everything(store)
    problems = []
    for rule, sql in _rules(store):
        count = store.con.execute(f"SELECT count(*) FROM ({sql})").fetchall()[0][0]
        if count:
            examples = store.con.execute(f"SELECT * FROM ({sql}) LIMIT 5").fetchall()
            problems.append(Problem(rule, int(count), [tuple(e) for e in examples]))
    return problems


# Rows that refer to what is no longer stored (left by a DELETE through `sql --write`): safe to delete, since
# nothing else refers to them; clusters and origins are then rebuilt from the matches.
_ORPHANS = (
    ("matches with a document that is not stored",
     "DELETE FROM matches WHERE doc_a NOT IN (SELECT doc_id FROM documents) OR doc_b NOT IN (SELECT doc_id FROM documents)"),
    ("cluster rows of documents that are not stored",
     "DELETE FROM clusters WHERE doc_id NOT IN (SELECT doc_id FROM documents)"),
    *((f"{table} rows of documents that are not stored",
       f"DELETE FROM {table} WHERE doc_id NOT IN (SELECT doc_id FROM documents)")
      for table in ("bands", "signatures", "links", "evidence")),
    ("origins of clusters that do not exist",
     "DELETE FROM origins WHERE cluster_id NOT IN (SELECT cluster_id FROM clusters)"
     " AND cluster_id NOT IN (SELECT doc_id FROM documents)"),
)


def repair(db: str) -> list[str]:
    """Fix what :func:`check` finds that can be fixed without a rescan; what was done, a line each.

    Deletes the rows that refer to documents no longer stored (what a
    ``DELETE FROM documents`` through ``sql --write`` leaves), then rebuilds
    every cluster and origin from the stored matches, as ``recluster`` does.
    Duplicate documents and articles missing their signature or bands are not
    repaired: ``forget`` those pages and scan them again.
    """
    from ..match.bandindex import BandIndex
    from .rejudge import rejudge
    from .snapshot import writing

    done = []
    with writing(db, "check --fix"), Store.open(db) as store:
        with store.transaction():
            for label, sql in _ORPHANS:
                count = store.con.execute(sql.replace("DELETE FROM", "SELECT count(*) FROM", 1)).fetchall()[0][0]
                if count:
                    store.con.execute(sql)
                    done.append(f"deleted {count} {label}")
    if any(line.endswith("bands rows of documents that are not stored") for line in done):
        BandIndex.discard(db)  # the next scan rebuilds it from the table
    rebuilt = rejudge(db, {})
    done.append(f"rebuilt clusters and origins from the stored matches: clusters {rebuilt.clusters_before} -> "
                f"{rebuilt.clusters_after}")
    return done
