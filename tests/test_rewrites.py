"""Rewritten wire copy (issue 17): found as ``rewrite``, independent write-ups of one event left apart,
thresholds changed at query time and by ``syndicate recluster`` without a rescan.

Real article bodies from tests/data/origins (the article-extraction benchmark's,
MIT); the rewrites are made from them by tests/rewriting.py, since real
rewritten pairs (COUNTER) may not be copied in: benchmarks/rewrites.py
measures those from ../shared.
"""

from __future__ import annotations

import gzip
import itertools
import json

import duckdb
import pytest
from click.testing import CliRunner

from conftest import DATA, write_jsonl
from rewriting import rewrite
from syndicate import scan
from syndicate.cli import cli
from syndicate.fingerprint.minhash import shingle_hashes
from syndicate.match.scores import REWRITE, RELATED, Scores, kind_of, longest_run, measure
from syndicate.settings import Settings

BODIES = json.loads(gzip.decompress((DATA / "origins" / "benchmark-bodies.json.gz").read_bytes()))
WIRE = next(k for k in BODIES if k.startswith("5a822960e9a2"))  # "VIENNA — The house where Adolf Hitler was born ..."
# different real articles about one event, from the benchmark's same-story groups (benchmarks/corpus.py)
SAME_EVENT = {
    "feather duvet lung": ("7bb1ca903543", "a078b3656adc", "bd673bd79881", "9eef8162bbb6"),
    "plague in china": ("ba4dfe2d3e81", "ea25dd7edff4", "8b1945303082"),
    "google stadia launch": ("680c2848e94a", "8267acacb9e4", "aade2ec8d1e7", "e100c9612ad8"),
    "hong kong protests": ("624fcd903d56", "e4c6a3b48240", "5fa3154ec031"),
    "home depot earnings": ("51374560f400", "f8ff621a0b9b"),
    "sweden drops assange investigation": ("c7e39ac49fa1", "dc7ccccc1f34"),
    "new york man pleads guilty to threatening omar": ("6ebac05f637e", "7a457a4f7173"),
}


def body(prefix: str) -> tuple[str, str]:
    key = next(k for k in BODIES if k.startswith(prefix))
    return BODIES[key]["url"], BODIES[key]["articleBody"]


def wire_pair(tmp_path):
    url, text = BODIES[WIRE]["url"], BODIES[WIRE]["articleBody"]
    records = [
        {"url": url, "title": "House where Hitler was born will become a police station, Austria says", "text": text,
         "fetched_at": "2019-11-19T10:00:00Z", "published_at": "2019-11-19T09:30:00Z"},
        {"url": "https://www.daily-courier.example/world/hitler-birthplace-police", "fetched_at": "2019-11-20T06:00:00Z",
         "published_at": "2019-11-20T05:30:00Z", "title": "Hitler's birthplace to become a police station",
         "text": rewrite(text)},
    ]
    return write_jsonl(tmp_path / "wire.jsonl", records)


def rows(db, sql):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_a_rewritten_wire_story_is_found_as_rewrite(tmp_path):
    db = tmp_path / "s.duckdb"
    scan([wire_pair(tmp_path)], db, workers=1)
    pairs = rows(db, "SELECT kind, similarity, trigram_containment, trigram_coverage, longest_run, hours_apart FROM matches")
    assert len(pairs) == 1
    kind, similarity, tri_small, tri_large, run, hours = pairs[0]
    assert kind == REWRITE and similarity < 0.5  # not a near-duplicate: reworded
    assert tri_small >= 0.4 and tri_large >= 0.2 and run >= 10
    assert hours == 20.0  # the export's published_at of each (text records carry no page metadata)
    assert rows(db, "SELECT copy_domain, kind, lag_hours FROM syndication") == [("daily-courier.example", "rewrite", 20.0)]


def test_independent_write_ups_of_one_event_are_not_flagged(tmp_path):
    records = []
    for name, prefixes in SAME_EVENT.items():
        for prefix in prefixes:
            url, text = body(prefix)
            records.append({"url": url, "title": name, "text": text})
    db = tmp_path / "s.duckdb"
    scan([write_jsonl(tmp_path / "events.jsonl", records)], db, workers=1)
    flagged = rows(db, "SELECT kind FROM matches WHERE kind <> 'related'")
    assert flagged == []
    assert rows(db, "SELECT count(*) FROM clusters") == [(0,)]
    # and pair by pair, on the texts alone
    settings = Settings()
    for prefixes in SAME_EVENT.values():
        for x, y in itertools.combinations(prefixes, 2):
            a, b = body(x)[1], body(y)[1]
            assert kind_of(measure(a, b, shingle_hashes(a), shingle_hashes(b), 5), settings) in (None, RELATED)


def test_recluster_changes_kinds_clusters_and_origins_without_a_rescan(tmp_path):
    db = tmp_path / "s.duckdb"
    scan([wire_pair(tmp_path)], db, workers=1)
    runner = CliRunner()
    strict = runner.invoke(cli, ["recluster", "--db", str(db), "--rewrite-containment", "0.95"])
    assert strict.exit_code == 0, strict.output
    assert "rewrite -> related: 1" in strict.output
    assert rows(db, "SELECT kind FROM matches") == [("related",)]
    assert rows(db, "SELECT count(*) FROM clusters") == [(0,)] and rows(db, "SELECT count(*) FROM syndication") == [(0,)]
    # a config file back to the built-in bar; nothing was extracted again (still one run)
    (tmp_path / "syndicate.toml").write_text("[verdict]\nrewrite_containment = 0.4\n", encoding="utf-8")
    back = runner.invoke(cli, ["recluster", "--db", str(db), "--config", str(tmp_path / "syndicate.toml")])
    assert back.exit_code == 0, back.output
    assert rows(db, "SELECT kind FROM matches") == [("rewrite",)]
    assert rows(db, "SELECT count(DISTINCT cluster_id), count(*) FROM clusters") == [(1, 2)]
    assert rows(db, "SELECT count(*) FROM runs") == [(1,)]
    assert runner.invoke(cli, ["check", "--db", str(db)]).exit_code == 0
    # rewrites kept out of clusters by the cluster kinds
    out = runner.invoke(cli, ["recluster", "--db", str(db), "--kinds", "duplicate,partial,alias"])
    assert out.exit_code == 0 and rows(db, "SELECT count(*) FROM clusters") == [(0,)]
    assert rows(db, "SELECT kind FROM matches") == [("rewrite",)]


def test_a_scan_with_other_verdict_settings_points_to_recluster(tmp_path):
    db = tmp_path / "s.duckdb"
    scan([wire_pair(tmp_path)], db, workers=1)
    result = CliRunner().invoke(cli, ["scan", str(tmp_path / "wire.jsonl"), "--db", str(db), "--threshold", "0.7"])
    assert result.exit_code == 2
    assert "syndicate recluster" in result.output and "no rescan" in result.output
    fixed = CliRunner().invoke(cli, ["scan", str(tmp_path / "wire.jsonl"), "--db", str(db), "--shingle-size", "4"])
    assert fixed.exit_code == 2 and "fixed at the first scan" in fixed.output
    help_text = CliRunner().invoke(cli, ["scan", "--help"]).output
    assert "fixed at a database's first scan" in help_text and "recluster" in help_text


def test_recluster_refuses_fingerprint_settings_and_bad_config(tmp_path):
    db = tmp_path / "s.duckdb"
    scan([wire_pair(tmp_path)], db, workers=1)
    bad = tmp_path / "bad.toml"
    bad.write_text("[verdict]\nshingle_size = 4\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["recluster", "--db", str(db), "--config", str(bad)])
    assert result.exit_code == 2 and "unknown setting" in result.output and "verdict.shingle_size" in result.output
    kinds = CliRunner().invoke(cli, ["recluster", "--db", str(db), "--kinds", "duplicate,nonsense"])
    assert kinds.exit_code == 2 and "--kinds takes" in kinds.output


@pytest.mark.parametrize("scores, kind", [
    (Scores(0.9, 0.95, 400, 0.96, 0.9, 200, 10, 1.0), "duplicate"),
    (Scores(0.3, 0.51, 92, 0.66, 0.54, 21, 0, None), "rewrite"),
    (Scores(0.3, 0.51, 92, 0.66, 0.15, 21, 0, None), "related"),  # the longer story mostly its own
    (Scores(0.02, 0.05, 6, 0.25, 0.05, 8, 0, None), "related"),
    (Scores(0.01, 0.02, 2, 0.08, 0.02, 5, 0, None), None),  # below the floor: not stored
])
def test_kinds_follow_the_scores(scores, kind):
    assert kind_of(scores, Settings()) == kind


def test_longest_run_counts_tokens_of_the_longest_shared_passage():
    a = "one two three four five six seven eight nine ten".split()
    b = "zero one two three four five six seven x nine ten".split()
    assert longest_run(a, b, 5) == 7  # "one" .. "seven"
    assert longest_run(a, "a b c d e".split(), 5) == 0
