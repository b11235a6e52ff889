"""The database schema: tables, views and the schema version.

Every table and column is documented in the README's "The SQL contract".
"""

from __future__ import annotations

from ..match.origin import URL_KEY_MACRO

SCHEMA_VERSION = 4
"""Version of the tables below; ``meta.schema_version`` holds a database's."""

TABLES = ("meta", "documents", "links", "evidence", "signatures", "site_lines", "bands", "matches", "clusters",
          "origins", "runs", "errors")
"""Every table, in the order of the schema."""

# MIGRATIONS[n] turns a schema-n database into schema n+1. Each runs in the
# transaction that also records the new version, so a failed upgrade leaves
# the database as it was. Released versions: 1 (syndicate 0.1.0), 2, 3, 4.
MIGRATIONS: dict[int, str] = {
    # 1 -> 2: errors.kind, so a night's failures can be counted by cause
    1: """
ALTER TABLE errors ADD COLUMN kind VARCHAR;
UPDATE errors SET kind = CASE
    WHEN reason LIKE 'page of % MiB is over the % MiB limit%' THEN 'too_large'
    WHEN reason LIKE 'extraction took longer than %' THEN 'timeout'
    WHEN reason IN ('empty page', 'binary content, not HTML', 'not parseable as HTML')
      OR reason LIKE 'extraction failed%' THEN 'extract'
    ELSE 'read' END;
""",
    # 2 -> 3: the URL as crawled beside the normalised one, why a page has no article, the key
    # under which one article's URL variants on its own site agree; every score of a match
    # (older matches keep NULL there, and their kind: recluster grades only scored pairs)
    2: r"""
ALTER TABLE matches ADD COLUMN shared INTEGER;
ALTER TABLE matches ADD COLUMN trigram_containment DOUBLE;
ALTER TABLE matches ADD COLUMN trigram_coverage DOUBLE;
ALTER TABLE matches ADD COLUMN longest_run INTEGER;
ALTER TABLE matches ADD COLUMN shared_sentences INTEGER;
ALTER TABLE matches ADD COLUMN title_similarity DOUBLE;
ALTER TABLE matches ADD COLUMN hours_apart DOUBLE;
ALTER TABLE documents ADD COLUMN crawled_url VARCHAR;
ALTER TABLE documents ADD COLUMN status_reason VARCHAR;
ALTER TABLE documents ADD COLUMN article_key VARCHAR;
ALTER TABLE documents ADD COLUMN extract_mode VARCHAR;
UPDATE documents SET crawled_url = url,
    status_reason = CASE WHEN status = 'article' THEN NULL WHEN coalesce(word_count, 0) = 0 THEN 'no_text' ELSE 'short' END,
    article_key = rtrim(regexp_replace(lower(coalesce(canonical_url, url)), '^[a-z]+://(www\.|m\.|amp\.|mobile\.)?', ''), '/');
""",
    # 3 -> 4: the runs column says what the scan summary says ("unchanged": stored with the same bytes), and
    # how many files of the folders scanned were passed over (not pages, --exclude)
    3: """
ALTER TABLE runs RENAME COLUMN pages_skipped TO pages_unchanged;
ALTER TABLE runs ADD COLUMN files_skipped BIGINT;
""",
}

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS documents (
    doc_id BIGINT NOT NULL,
    url VARCHAR NOT NULL,
    domain VARCHAR,
    site VARCHAR,
    title VARCHAR,
    author VARCHAR,
    sitename VARCHAR,
    published_at TIMESTAMP,
    fetched_at TIMESTAMP,
    modified_at TIMESTAMP,
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
    last_seen TIMESTAMP,
    matched BOOLEAN,
    crawled_url VARCHAR,
    status_reason VARCHAR,
    article_key VARCHAR,
    extract_mode VARCHAR
);
CREATE TABLE IF NOT EXISTS links (doc_id BIGINT NOT NULL, url VARCHAR, text VARCHAR);
CREATE TABLE IF NOT EXISTS evidence (doc_id BIGINT NOT NULL, kind VARCHAR, url VARCHAR, publisher VARCHAR, text VARCHAR);
CREATE TABLE IF NOT EXISTS signatures (doc_id BIGINT NOT NULL, minhash UINTEGER[]);
CREATE TABLE IF NOT EXISTS site_lines (site VARCHAR NOT NULL, line_hash UBIGINT NOT NULL, pages INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS bands (band SMALLINT NOT NULL, hash UBIGINT NOT NULL, doc_id BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS matches (
    doc_a BIGINT NOT NULL,
    doc_b BIGINT NOT NULL,
    similarity DOUBLE,
    containment DOUBLE,
    kind VARCHAR,
    shared INTEGER,
    trigram_containment DOUBLE,
    trigram_coverage DOUBLE,
    longest_run INTEGER,
    shared_sentences INTEGER,
    title_similarity DOUBLE,
    hours_apart DOUBLE
);
CREATE TABLE IF NOT EXISTS clusters (doc_id BIGINT NOT NULL, cluster_id BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS origins (
    cluster_id BIGINT NOT NULL,
    origin_doc_id BIGINT,
    origin_url VARCHAR,
    origin_domain VARCHAR,
    publisher VARCHAR,
    confidence DOUBLE,
    method VARCHAR,
    evidence VARCHAR
);
CREATE TABLE IF NOT EXISTS runs (
    run_id BIGINT NOT NULL,
    started_at TIMESTAMP,
    finished_at TIMESTAMP,
    status VARCHAR,
    paths VARCHAR,
    pages_read BIGINT,
    pages_new BIGINT,
    pages_changed BIGINT,
    pages_unchanged BIGINT,
    pages_failed BIGINT,
    articles BIGINT,
    new_matches BIGINT,
    clusters BIGINT,
    capped_buckets BIGINT,
    seconds DOUBLE,
    settings VARCHAR,
    files_skipped BIGINT
);
CREATE TABLE IF NOT EXISTS errors (run_id BIGINT, source VARCHAR, record VARCHAR, reason VARCHAR, kind VARCHAR);
"""

# Every page of a cluster but its origin (and the origin's other URLs on its own
# site) is a copy; a page alone whose evidence names an outside source is a
# cluster of one (origins row, no clusters row).
VIEWS = URL_KEY_MACRO + """
CREATE OR REPLACE VIEW syndication AS
WITH members AS (
    SELECT cluster_id, doc_id FROM clusters
    UNION ALL
    SELECT cluster_id, cluster_id AS doc_id FROM origins o
    WHERE NOT EXISTS (SELECT 1 FROM clusters c WHERE c.cluster_id = o.cluster_id)
)
SELECT m.cluster_id,
       cd.doc_id AS copy_doc_id,
       cd.url AS copy_url,
       cd.domain AS copy_domain,
       cd.title AS copy_title,
       cd.published_at AS copy_published_at,
       o.origin_doc_id,
       o.origin_url,
       o.origin_domain,
       o.publisher AS origin_publisher,
       od.published_at AS origin_published_at,
       mt.similarity,
       mt.containment,
       mt.kind,
       round(date_diff('second', od.published_at, coalesce(cd.published_at, cd.fetched_at)) / 3600.0, 2) AS lag_hours,
       (EXISTS (SELECT 1 FROM evidence e WHERE e.doc_id = cd.doc_id AND (
                    url_key(e.url) = url_key(o.origin_url)
                    OR (e.publisher IS NOT NULL AND lower(e.publisher) = lower(o.publisher))))
        OR EXISTS (SELECT 1 FROM links l WHERE l.doc_id = cd.doc_id AND url_key(l.url) = url_key(o.origin_url))
       ) AS links_back,
       o.confidence,
       o.method,
       o.evidence
FROM members m
JOIN origins o USING (cluster_id)
JOIN documents cd ON cd.doc_id = m.doc_id
LEFT JOIN documents od ON od.doc_id = o.origin_doc_id
LEFT JOIN matches mt
    ON mt.doc_a = least(cd.doc_id, o.origin_doc_id) AND mt.doc_b = greatest(cd.doc_id, o.origin_doc_id)
WHERE o.origin_doc_id IS DISTINCT FROM cd.doc_id
  -- another URL of the origin's own article on its own site is not a copy
  AND NOT coalesce(od.site = cd.site AND od.site <> '', false)
  AND coalesce(mt.kind, '') NOT IN ('alias', 'template');
"""
