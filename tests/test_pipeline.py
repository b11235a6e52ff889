"""scan end to end on real article text: matching, partial copies, incremental runs."""

from __future__ import annotations

import duckdb
import pytest

from conftest import write_jsonl
from syndicate import Settings, scan
from syndicate.errors import SettingsMismatchError
from syndicate.engines.local import STATUS_OK, STATUS_WITH_ERRORS


def syndication_records(english_bodies):
    """An original, a full copy with an intro line, a truncated copy, and an unrelated article."""
    (url_a, paras_a), (url_b, paras_b) = english_bodies[0], english_bodies[1]
    half = paras_a[: len(paras_a) // 2]
    return [
        {"url": url_a, "text": "\n".join(paras_a), "fetched_at": "2023-11-10T10:00:00Z"},
        {"url": "https://copier.example/story-1", "text": "\n".join(["Our partners report:"] + paras_a),
         "fetched_at": "2023-11-11T10:00:00Z"},
        {"url": "https://truncator.example/teaser", "text": "\n".join(half + ["Continue reading at the source"]),
         "fetched_at": "2023-11-12T10:00:00Z"},
        {"url": url_b, "text": "\n".join(paras_b), "fetched_at": "2023-11-10T09:00:00Z"},
    ]


def clusters_by_url(db) -> set[frozenset[str]]:
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "SELECT cluster_id, list(url ORDER BY url) FROM clusters JOIN documents USING (doc_id) GROUP BY 1"
        ).fetchall()
    return {frozenset(urls) for _, urls in rows}


def matches_by_url(db) -> set[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            """SELECT a.url, b.url, m.kind, round(m.similarity, 6), round(m.containment, 6)
               FROM matches m JOIN documents a ON a.doc_id = m.doc_a JOIN documents b ON b.doc_id = m.doc_b"""
        ).fetchall()
    return {(min(a, b), max(a, b), kind, sim, cont) for a, b, kind, sim, cont in rows}


def dump(db) -> dict[str, list]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {
            "documents": con.execute(
                "SELECT * EXCLUDE (last_seen) FROM documents ORDER BY doc_id").fetchall(),
            "links": con.execute("SELECT * FROM links ORDER BY ALL").fetchall(),
            "signatures": con.execute("SELECT * FROM signatures ORDER BY doc_id").fetchall(),
            "bands": con.execute("SELECT * FROM bands ORDER BY ALL").fetchall(),
            "matches": con.execute("SELECT * FROM matches ORDER BY ALL").fetchall(),
            "clusters": con.execute("SELECT * FROM clusters ORDER BY ALL").fetchall(),
        }


def test_copies_match_and_truncated_copy_is_partial(tmp_path, english_bodies):
    records = syndication_records(english_bodies)
    corpus = write_jsonl(tmp_path / "crawl.jsonl", records)
    summary = scan([corpus], tmp_path / "s.duckdb", workers=1)
    assert summary.status == STATUS_OK
    assert (summary.pages_read, summary.pages_new, summary.articles) == (4, 4, 4)
    assert summary.new_matches == 3 and summary.clusters == 1
    url_a, url_b = records[0]["url"], records[3]["url"]
    found = {(a, b): (kind, sim, cont) for a, b, kind, sim, cont in matches_by_url(tmp_path / "s.duckdb")}
    full = found[tuple(sorted((url_a, "https://copier.example/story-1")))]
    assert full[0] == "duplicate" and full[1] > 0.9
    part = found[tuple(sorted((url_a, "https://truncator.example/teaser")))]
    assert part[0] == "partial" and part[2] > 0.9 and part[1] < 0.6
    assert clusters_by_url(tmp_path / "s.duckdb") == {
        frozenset({url_a, "https://copier.example/story-1", "https://truncator.example/teaser"})
    }
    assert all(url_b not in c for c in clusters_by_url(tmp_path / "s.duckdb"))


def test_syndication_view_names_earliest_published_member_as_origin(tmp_path, english_bodies):
    records = syndication_records(english_bodies)
    scan([write_jsonl(tmp_path / "c.jsonl", records)], tmp_path / "s.duckdb", workers=1)
    with duckdb.connect(str(tmp_path / "s.duckdb"), read_only=True) as con:
        rows = con.execute("SELECT copy_url, origin_url, kind FROM syndication ORDER BY copy_url").fetchall()
    assert rows == [
        ("https://copier.example/story-1", records[0]["url"], "duplicate"),
        ("https://truncator.example/teaser", records[0]["url"], "partial"),
    ]


def test_rescan_changes_nothing(tmp_path, english_bodies):
    corpus = write_jsonl(tmp_path / "c.jsonl", syndication_records(english_bodies))
    db = tmp_path / "s.duckdb"
    scan([corpus], db, workers=1)
    before = dump(db)
    again = scan([corpus], db, workers=1)
    assert (again.pages_new, again.pages_changed, again.pages_unchanged, again.new_matches) == (0, 0, 4, 0)
    assert dump(db) == before


def test_incremental_scans_equal_one_big_scan(tmp_path, english_bodies):
    records = syndication_records(english_bodies)
    (url_c, paras_c) = english_bodies[2]
    records += [
        {"url": url_c, "text": "\n".join(paras_c)},
        {"url": "https://late.example/copy-of-c", "text": "\n".join(paras_c[1:])},
    ]
    first = write_jsonl(tmp_path / "night1.jsonl", records[::2])
    second = write_jsonl(tmp_path / "night2.jsonl", records[1::2])
    scan([first], tmp_path / "inc.duckdb", workers=1)
    scan([second], tmp_path / "inc.duckdb", workers=1)
    scan([first, second], tmp_path / "big.duckdb", workers=1, batch_size=2)
    assert clusters_by_url(tmp_path / "inc.duckdb") == clusters_by_url(tmp_path / "big.duckdb")
    assert matches_by_url(tmp_path / "inc.duckdb") == matches_by_url(tmp_path / "big.duckdb")
    assert len(clusters_by_url(tmp_path / "big.duckdb")) == 2


def test_a_late_page_merges_two_clusters(tmp_path, english_bodies):
    url_a, paras = english_bodies[0]
    n = len(paras)
    first_part, second_part = paras[: n // 2], paras[n // 2 :]
    night1 = write_jsonl(tmp_path / "n1.jsonl", [
        {"url": "https://x.example/first-half-1", "text": "\n".join(first_part)},
        {"url": "https://y.example/first-half-2", "text": "\n".join(first_part)},
        {"url": "https://z.example/second-half-1", "text": "\n".join(second_part)},
        {"url": "https://w.example/second-half-2", "text": "\n".join(second_part)},
    ])
    db = tmp_path / "s.duckdb"
    scan([night1], db, workers=1)
    assert len(clusters_by_url(db)) == 2
    scan([write_jsonl(tmp_path / "n2.jsonl", [{"url": url_a, "text": "\n".join(paras)}])], db, workers=1)
    assert clusters_by_url(db) == {frozenset({
        url_a, "https://x.example/first-half-1", "https://y.example/first-half-2",
        "https://z.example/second-half-1", "https://w.example/second-half-2"})}


def test_changed_page_is_re_extracted_and_leaves_its_cluster(tmp_path, english_bodies):
    records = syndication_records(english_bodies)
    db = tmp_path / "s.duckdb"
    scan([write_jsonl(tmp_path / "a.jsonl", records)], db, workers=1)
    with duckdb.connect(str(db), read_only=True) as con:
        (copy_id, first_seen), = con.execute(
            "SELECT doc_id, first_seen FROM documents WHERE url = 'https://copier.example/story-1'").fetchall()
    changed = dict(records[1], text="\n".join(english_bodies[2][1]))  # the copier now carries another article
    summary = scan([write_jsonl(tmp_path / "b.jsonl", [changed])], db, workers=1)
    assert (summary.pages_changed, summary.pages_new) == (1, 0)
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "SELECT doc_id, first_seen, text FROM documents WHERE url = 'https://copier.example/story-1'").fetchall()
    assert len(rows) == 1 and rows[0][0] == copy_id and rows[0][1] == first_seen
    assert rows[0][2].startswith(english_bodies[2][1][0][:40])
    assert clusters_by_url(db) == {frozenset({records[0]["url"], "https://truncator.example/teaser"})}


def test_other_settings_are_refused(tmp_path, english_bodies):
    corpus = write_jsonl(tmp_path / "c.jsonl", syndication_records(english_bodies)[:1])
    db = tmp_path / "s.duckdb"
    scan([corpus], db, workers=1)
    with pytest.raises(SettingsMismatchError, match=r"threshold 0.5 != 0.7"):
        scan([corpus], db, settings=Settings(threshold=0.7), workers=1)
    with pytest.raises(SettingsMismatchError, match=r"shingle_size 5 != 3"):
        scan([corpus], db, settings=Settings(shingle_size=3), workers=1)
    assert scan([corpus], db, settings=Settings(), workers=1).pages_unchanged == 1


def test_stored_settings_are_used_by_later_scans(tmp_path, english_bodies):
    records = syndication_records(english_bodies)
    db = tmp_path / "s.duckdb"
    scan([write_jsonl(tmp_path / "a.jsonl", records[:2])], db, settings=Settings(shingle_size=3), workers=1)
    scan([write_jsonl(tmp_path / "b.jsonl", records[2:])], db, workers=1)
    with duckdb.connect(str(db), read_only=True) as con:
        settings = con.execute("SELECT value FROM meta WHERE key = 'settings'").fetchall()[0][0]
        assert Settings.from_json(settings).shingle_size == 3
    assert len(clusters_by_url(db)) == 1


def test_malformed_input_is_reported_and_the_scan_goes_on(tmp_path, english_bodies):
    url_a, paras = english_bodies[0]
    body = "".join(f"<p>{p}</p>" for p in paras)
    folder = tmp_path / "crawl"
    folder.mkdir()
    (folder / "binary.html").write_bytes(bytes(range(256)) * 64)
    (folder / "empty.html").write_bytes(b"")
    unclosed = "".join(f"<p><b><i>{p}</b></i></span>" for p in paras)  # bad nesting, stray and missing end tags
    (folder / "broken.html").write_bytes(
        f"<html><head><meta property='og:url' content='https://broken.example/a'><title>x</title><body><div><article>{unclosed}"
        .encode())
    latin1 = f"<html><head><meta charset='utf-8'><meta property='og:url' content='https://latin.example/a'></head>" \
             f"<body><article>{body}<p>Caf\xe9 cr\xe8me \xa9 2023</p></article></body></html>"
    (folder / "undecodable.html").write_bytes(latin1.encode("latin-1", "replace"))
    (folder / "index.html").write_bytes(
        b"<html><head><meta property='og:url' content='https://index.example/'></head><body><ul>"
        + b"".join(b"<li><a href='/%d'>Story %d</a></li>" % (i, i) for i in range(20)) + b"</ul></body></html>")
    db = tmp_path / "s.duckdb"
    summary = scan([folder], db, workers=1)
    assert summary.status == STATUS_WITH_ERRORS
    assert summary.pages_read == 5 and summary.pages_failed == 2
    with duckdb.connect(str(db), read_only=True) as con:
        errors = dict(con.execute("SELECT regexp_extract(source, '[^/]+$'), reason FROM errors").fetchall())
        docs = dict(con.execute("SELECT url, status FROM documents").fetchall())
        runs = con.execute("SELECT status, pages_failed FROM runs").fetchall()
    assert errors.keys() == {"binary.html", "empty.html"} and errors["empty.html"] == "empty page"
    assert errors["binary.html"].startswith("binary content, not HTML: ")  # and why: the share of control bytes
    assert docs == {"https://broken.example/a": "article", "https://latin.example/a": "article",
                    "https://index.example/": "no_article"}
    assert runs == [(STATUS_WITH_ERRORS, 2)]
    # the broken and the mis-encoded page still carry the same article
    assert len(clusters_by_url(db)) == 1


def test_two_workers_store_what_one_worker_stores(tmp_path, english_bodies):
    corpus = write_jsonl(tmp_path / "c.jsonl", syndication_records(english_bodies))
    scan([corpus], tmp_path / "one.duckdb", workers=1)
    scan([corpus], tmp_path / "two.duckdb", workers=2, batch_size=2)
    assert dump(tmp_path / "one.duckdb")["matches"] == dump(tmp_path / "two.duckdb")["matches"]
    assert clusters_by_url(tmp_path / "one.duckdb") == clusters_by_url(tmp_path / "two.duckdb")


def test_a_huge_bucket_is_capped_and_still_one_cluster(tmp_path, english_bodies):
    from syndicate.match.candidates import MAX_BUCKET_PARTNERS

    url, paras = english_bodies[0]
    n = 2 * MAX_BUCKET_PARTNERS + 20  # a wire story on 120 sites
    records = [{"url": f"https://site{i}.example/story", "text": "\n".join(paras)} for i in range(n)]
    db = tmp_path / "s.duckdb"
    summary = scan([write_jsonl(tmp_path / "wire.jsonl", records)], db, workers=1)
    assert summary.capped_buckets > 0
    assert summary.new_matches < n * (n - 1) // 2  # not every pair was verified
    assert summary.clusters == 1
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM clusters").fetchall()[0][0] == n
        assert con.execute("SELECT capped_buckets FROM runs").fetchall()[0][0] == summary.capped_buckets
