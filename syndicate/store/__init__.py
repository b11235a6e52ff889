"""The DuckDB database: the only writer of the record.

``database`` opens it and makes every write (and keeps the band index beside
it up to date); ``schema`` holds the tables, views and migrations; ``lock``
keeps one writer at a time; ``check`` and ``retention`` verify and prune what
is stored.
"""
