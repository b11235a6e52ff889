"""The DuckDB database: the only writer of the record.

``database`` opens it and makes every write; ``schema`` holds the tables,
views and migrations; ``bandindex`` is the sorted band copy for candidate
lookups; ``lock`` keeps one writer at a time; ``check`` and ``retention``
verify and prune what is stored.
"""
