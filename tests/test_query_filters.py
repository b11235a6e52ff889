"""Query-time filters (--kinds, --min-similarity, --config) on copies, top, report and export.

sample_corpus/ is scanned for real (``--extract precise``, whose similarities
the figures below are); then the stored pairs are given several
kinds with SQL, so every branch of the rule in syndicate/views/query.py is
exercised on real stored documents:

- CNN - nypost: the match is deleted, so nypost is linked to CNN only through
  the other pages of the cluster (all its own matches are ``partial``, at
  0.56-0.58; through deccanherald, partial 0.560 then duplicate 0.960);
- CNN - albawaba: the match becomes a ``rewrite`` at similarity 0.35;
- CNN - jpost: an extra ``related`` pair (0.22), CNN - usatoday an extra
  ``template`` pair (0.6); neither page is in the cluster.
"""

from __future__ import annotations

import json
import re
import shutil

import duckdb
import pytest
from click.testing import CliRunner

from conftest import SAMPLE_CORPUS
from syndicate import Store, copies, scan, top
from syndicate.cli import cli

CNN = "https://www.cnn.com/2023/11/10/politics/hostage-deal-negotiations-israel-hamas/index.html"
NYPOST = "https://nypost.com/2023/11/12/hostage-negotiators-discussing-days-long-fighting-pause-between-israel-and-hamas/"
ALBAWABA = "https://www.albawaba.com/news/israel-and-hamas-weigh-days-long-truce-exchange-large-hostage-release-1538214"
DECCAN = "https://www.deccanherald.com/international/hostage-negotiators-discussing-days-long-fighting-pause-between-israel-and-hamas-1247312.html"
WNR = "https://worldnewsroundup.com/hostage-negotiators-discussing-days-long-fighting-pause-between-israel-and-hamas-in-exchange-for-freeing-large-group/"
JPOST = "https://www.jpost.com/Breaking-News/Son-of-former-German-president-stabbed-to-death-in-Berlin-608399"
USATODAY = "https://www.usatoday.com/story/news/nation/2019/11/19/meth-were-it-south-dakota-campaign-working-kristi-noem-says/4236383002/"
OUTSIDE_ORIGINS = {"aljazeera.com", "nbcnews.com", "panarmenian.net", "SyndiGate.info"}  # pages alone naming a source
VALID = "duplicate, partial, rewrite, alias, related, template"


def _pair(con, url_a: str, url_b: str) -> tuple[int, int]:
    a, b = (con.execute("SELECT doc_id FROM documents WHERE url = ?", [u]).fetchall()[0][0] for u in (url_a, url_b))
    return min(a, b), max(a, b)


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("filters") / "f.duckdb"
    summary = scan([SAMPLE_CORPUS], path, workers=2, fast=False)
    assert summary.new_matches == 10
    with duckdb.connect(str(path)) as con:
        assert con.execute("SELECT count(*) FROM matches WHERE kind NOT IN ('duplicate', 'partial')").fetchall() == [(0,)]
        con.execute("DELETE FROM matches WHERE doc_a = ? AND doc_b = ?", list(_pair(con, CNN, NYPOST)))
        con.execute("UPDATE matches SET kind = 'rewrite', similarity = 0.35 WHERE doc_a = ? AND doc_b = ?",
                    list(_pair(con, CNN, ALBAWABA)))
        for url, kind, sim, tri in ((JPOST, "related", 0.22, 0.31), (USATODAY, "template", 0.6, 0.72)):
            a, b = _pair(con, CNN, url)
            con.execute("INSERT INTO matches (doc_a, doc_b, similarity, containment, kind, trigram_containment) "
                        "VALUES (?, ?, ?, ?, ?, ?)", [a, b, sim, sim + 0.1, kind, tri])
    return path


@pytest.fixture(autouse=True)
def no_config_around(monkeypatch, tmp_path):
    """No syndicate.toml or $SYNDICATE_CONFIG from the developer's shell: the built-in defaults unless a test sets one."""
    monkeypatch.delenv("SYNDICATE_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)


def run(*args, **kwargs):
    return CliRunner().invoke(cli, [str(a) for a in args], **kwargs)


def copies_of(db, *options) -> dict[str, dict]:
    result = run("copies", CNN, "--db", db, "--format", "json", *options)
    assert result.exit_code == 0, result.output
    return {r["url"]: r for r in json.loads(result.stdout)}


def top_origins(db, *options) -> dict[str, int]:
    result = run("top", "--db", db, "--format", "json", *options)
    assert result.exit_code == 0, result.output
    return {r["origin"]: r["copies"] for r in json.loads(result.stdout)["origins"]}


# ---- copies

def test_copies_default_shows_the_cluster_kinds_and_not_related_or_template(db):
    rows = copies_of(db)
    assert set(rows) == {DECCAN, WNR, ALBAWABA, NYPOST}
    assert rows[ALBAWABA]["kind"] == "rewrite"
    assert rows[NYPOST]["kind"] is None  # measured on the spot: linked through the cluster, no match of its own
    assert rows[NYPOST]["trigram_containment"] is None  # measured on the spot: no stored trigram score
    assert 0.5 < rows[NYPOST]["similarity"] < 0.55


def test_copies_show_the_stored_trigram_containment_of_direct_matches(db):
    rows = copies_of(db, "--kinds", "all")
    with duckdb.connect(str(db), read_only=True) as con:
        for url in (DECCAN, WNR, JPOST, USATODAY):
            stored = con.execute("SELECT trigram_containment FROM matches WHERE doc_a = ? AND doc_b = ?",
                                 list(_pair(con, CNN, url))).fetchall()[0][0]
            assert rows[url]["trigram_containment"] == pytest.approx(stored)
    assert rows[JPOST]["trigram_containment"] == pytest.approx(0.31)
    table = run("copies", CNN, "--db", db, "--kinds", "all").stdout
    assert "trigram_containment" in table.splitlines()[0] and "(6 rows)" in table


@pytest.mark.parametrize("kinds,expected", [
    ("duplicate", {DECCAN, WNR}),  # nypost's own matches are all partial: no chain of duplicates to CNN
    ("duplicate,partial", {DECCAN, WNR, NYPOST}),  # albawaba's match with CNN is a rewrite
    ("rewrite", {ALBAWABA}),
    ("related,template", {JPOST, USATODAY}),
    ("all", {DECCAN, WNR, ALBAWABA, NYPOST, JPOST, USATODAY}),
    ("ALL", {DECCAN, WNR, ALBAWABA, NYPOST, JPOST, USATODAY}),
    (" partial , duplicate ", {DECCAN, WNR, NYPOST}),
])
def test_copies_kinds(db, kinds, expected):
    rows = copies_of(db, "--kinds", kinds)
    assert set(rows) == expected
    for url in expected & {JPOST, USATODAY}:
        assert rows[url]["kind"] == {JPOST: "related", USATODAY: "template"}[url]


@pytest.mark.parametrize("minimum,expected", [
    ("0.5", {DECCAN, WNR, NYPOST}),  # albawaba 0.35 out; nypost chained at 0.56 and 0.96, measured 0.54
    ("0.55", {DECCAN, WNR}),  # nypost still chained (0.560 >= 0.55), but measured on the spot at 0.539
    ("0.961", {WNR}),  # 0.963; deccanherald is at 0.960
    ("1", set()),
])
def test_copies_min_similarity(db, minimum, expected):
    rows = copies_of(db, "--min-similarity", minimum)
    assert set(rows) == expected
    assert all(r["similarity"] >= float(minimum) for r in rows.values())


def test_copies_min_similarity_applies_to_other_kinds_too(db):
    assert set(copies_of(db, "--kinds", "all", "--min-similarity", "0.3")) == {DECCAN, WNR, ALBAWABA, NYPOST, USATODAY}


def test_copies_nothing_passing_says_so_with_the_filters(db):
    result = run("copies", CNN, "--db", db, "--min-similarity", "1")
    assert result.exit_code == 0 and result.stdout == ""
    assert "no other page carries the article" in result.stderr and "similarity at least 1" in result.stderr


def test_copies_of_a_page_outside_the_cluster_lists_its_direct_match(db):
    result = run("copies", JPOST, "--db", db, "--format", "json", "--kinds", "related")
    assert [r["url"] for r in json.loads(result.stdout)] == [CNN]
    assert json.loads(run("copies", JPOST, "--db", db, "--format", "json").stdout) == []  # related is not shown by default


def test_library_copies_takes_the_filters_as_parameters(db):
    with Store.open(db, read_only=True) as store:
        everything = {c.url: c for c in copies(store, CNN)}  # None: every kind
        assert set(everything) == {DECCAN, WNR, ALBAWABA, NYPOST, JPOST, USATODAY}
        assert not everything[JPOST].in_cluster and everything[DECCAN].in_cluster
        assert {c.url for c in copies(store, CNN, kinds=["duplicate"], min_similarity=0.961)} == {WNR}
        assert {c.url for c in copies(store, CNN, kinds="partial")} == set()  # no chain of partials reaches CNN
        assert {c.url for c in copies(store, CNN, kinds="partial,duplicate")} == {DECCAN, WNR, NYPOST}


# ---- top

def test_top_default_counts_every_copy_of_the_cluster(db):
    assert top_origins(db) == {"cnn.com": 4, **{o: 1 for o in OUTSIDE_ORIGINS}}


@pytest.mark.parametrize("options,cnn", [
    (["--kinds", "duplicate"], 2),  # deccanherald, worldnewsroundup
    (["--kinds", "duplicate,partial"], 3),  # + nypost, chained to CNN through deccanherald
    (["--kinds", "duplicate,partial,rewrite"], 4),  # chains computed (alias left out) agree with the default
    (["--kinds", "rewrite"], 1),  # albawaba
])
def test_top_counts_only_copies_whose_match_with_the_origin_passes(db, options, cnn):
    origins = top_origins(db, *options)
    assert origins.pop("cnn.com", 0) == cnn
    assert origins == {o: 1 for o in OUTSIDE_ORIGINS}  # pages alone: no score to filter, kept at min-similarity 0


def test_top_min_similarity_drops_unscored_pages_alone(db):
    assert top_origins(db, "--min-similarity", "0.5") == {"cnn.com": 3}
    assert top_origins(db, "--min-similarity", "0.97") == {}
    result = run("top", "--db", db, "--kinds", "duplicate", "--format", "json")
    reposters = json.loads(result.stdout)["reposters"]
    assert {r["reposter"]: r["copies"] for r in reposters} == {"worldnewsroundup.com": 4, "deccanherald.com": 1,
                                                               "albawaba.com": 1}


def test_library_top_takes_the_filters_as_parameters(db):
    with Store.open(db, read_only=True) as store:
        origins, _ = top(store, 10, kinds=("duplicate",), min_similarity=0.5)
    assert origins == [("cnn.com", 1, 2)]


def test_top_when_the_origin_was_not_crawled_keeps_copies_with_a_passing_match(db, tmp_path):
    copy = tmp_path / "uncrawled.duckdb"
    shutil.copy(db, copy)
    with duckdb.connect(str(copy)) as con:
        cnn = con.execute("SELECT doc_id FROM documents WHERE url = ?", [CNN]).fetchall()[0][0]
        con.execute("UPDATE origins SET origin_doc_id = NULL, origin_url = 'https://example.org/wire', "
                    "origin_domain = 'example.org' WHERE origin_doc_id = ?", [cnn])
    assert top_origins(copy)["example.org"] == 5  # CNN's page is now a copy too
    assert top_origins(copy, "--kinds", "rewrite")["example.org"] == 2  # CNN and albawaba, joined by the rewrite
    assert top_origins(copy, "--kinds", "duplicate")["example.org"] == 4  # all but nypost (partial matches only)


# ---- report

def test_report_counts_the_filtered_copies(db, tmp_path):
    pages = {}
    for name, options in (("all", ["--kinds", "all"]), ("dup", ["--kinds", "duplicate"]),
                          ("sim", ["--min-similarity", "0.5"])):
        out = tmp_path / f"{name}.html"
        result = run("report", "--db", db, "--out", out, *options)
        assert result.exit_code == 0, result.output
        pages[name] = out.read_text(encoding="utf-8")
    copies_in = {k: int(re.search(r"(\d+) copies</p>", v).group(1)) for k, v in pages.items()}
    assert copies_in == {"all": 8, "dup": 6, "sim": 3}
    assert "Counted: copies of every kind" in pages["all"]
    assert "Counted: copies of kinds duplicate<" in pages["dup"]
    assert "similarity at least 0.5" in pages["sim"]


# ---- export

def _read(path):
    with duckdb.connect() as con:
        rel = con.execute("SELECT * FROM read_parquet(?)", [str(path)])
        names = [d[0] for d in rel.description]
        return [dict(zip(names, row)) for row in rel.fetchall()]


def test_export_filters_matches_syndication_and_corpus(db, tmp_path):
    with duckdb.connect(str(db), read_only=True) as con:
        ids = {u: con.execute("SELECT doc_id FROM documents WHERE url = ?", [u]).fetchall()[0][0]
               for u in (CNN, NYPOST, ALBAWABA, DECCAN, WNR, JPOST)}
        stored = con.execute("SELECT count(*) FROM matches").fetchall()[0][0]
    out = {}
    for name, options in (("default", []), ("all", ["--kinds", "all"]), ("dup", ["--kinds", "duplicate"]),
                          ("sim", ["--min-similarity", "0.5"])):
        result = run("export", "--db", db, "--out", tmp_path / name, "--no-text", *options)
        assert result.exit_code == 0, result.output
        out[name] = {f: _read(tmp_path / name / f"{f}.parquet") for f in ("matches", "syndication", "corpus", "documents")}

    assert stored == 11
    assert len(out["all"]["matches"]) == 11
    assert {m["kind"] for m in out["default"]["matches"]} == {"duplicate", "partial", "rewrite"}
    assert len(out["default"]["matches"]) == 9
    assert {m["kind"] for m in out["dup"]["matches"]} == {"duplicate"}
    assert len(out["sim"]["matches"]) == 8 and min(m["similarity"] for m in out["sim"]["matches"]) >= 0.5

    def cnn_copies(files):
        return {r["copy_doc_id"] for r in files["syndication"] if r["origin_doc_id"] == ids[CNN]}
    assert cnn_copies(out["default"]) == {ids[DECCAN], ids[WNR], ids[ALBAWABA], ids[NYPOST]}
    assert cnn_copies(out["dup"]) == {ids[DECCAN], ids[WNR]}
    assert cnn_copies(out["sim"]) == {ids[DECCAN], ids[WNR], ids[NYPOST]}
    assert len(out["sim"]["syndication"]) == 3  # pages alone have no similarity to pass 0.5

    corpus = {name: {r["doc_id"]: r for r in files["corpus"]} for name, files in out.items()}
    assert ids[NYPOST] not in corpus["default"] and corpus["default"][ids[CNN]]["copies"] == 4
    # with duplicates only, nypost (partial matches only) is an article of its own; albawaba stays a copy of
    # CNN's article through its duplicate matches with deccanherald and worldnewsroundup
    assert corpus["dup"][ids[NYPOST]]["copies"] == 0 and corpus["dup"][ids[CNN]]["copies"] == 3
    assert len(corpus["dup"]) == len(corpus["default"]) + 1
    assert corpus["all"] == corpus["default"]  # the default kinds keep the cluster whole; related pairs join nothing
    assert len(out["dup"]["documents"]) == len(out["default"]["documents"]) == 29  # documents as stored


# ---- configuration file

def test_config_file_sets_the_defaults_and_options_win(db, tmp_path):
    config = tmp_path / "q.toml"
    config.write_text('[query]\nkinds = ["template"]\nmin_similarity = 0.0\n', encoding="utf-8")
    assert set(copies_of(db, "--config", config)) == {USATODAY}
    assert set(copies_of(db, "--config", config, "--kinds", "duplicate")) == {DECCAN, WNR}
    config.write_text('[query]\nkinds = "duplicate,partial,rewrite"\nmin_similarity = 0.9\n', encoding="utf-8")
    assert set(copies_of(db, "--config", config)) == {DECCAN, WNR}
    assert set(copies_of(db, "--config", config, "--min-similarity", "0")) == {DECCAN, WNR, ALBAWABA, NYPOST}
    assert top_origins(db, "--config", config) == {"cnn.com": 2}
    result = run("export", "--db", db, "--out", tmp_path / "x", "--config", config)
    assert result.exit_code == 0, result.output
    assert len(_read(tmp_path / "x" / "matches.parquet")) == 3  # the duplicates at 0.9 or more
    result = run("report", "--db", db, "--out", tmp_path / "r.html", "--config", config)
    assert result.exit_code == 0 and "similarity at least 0.9" in (tmp_path / "r.html").read_text(encoding="utf-8")


def test_config_from_the_working_directory_and_the_environment(db, tmp_path, monkeypatch):
    (tmp_path / "syndicate.toml").write_text('[query]\nkinds = ["rewrite"]\n', encoding="utf-8")
    assert set(copies_of(db)) == {ALBAWABA}  # ./syndicate.toml (the fixture made tmp_path the working directory)
    other = tmp_path / "other.toml"
    other.write_text('[query]\nkinds = ["related"]\n', encoding="utf-8")
    monkeypatch.setenv("SYNDICATE_CONFIG", str(other))
    assert set(copies_of(db)) == {JPOST}  # $SYNDICATE_CONFIG before ./syndicate.toml
    assert set(copies_of(db, "--config", tmp_path / "syndicate.toml")) == {ALBAWABA}  # --config before both


# ---- invalid values

@pytest.mark.parametrize("command", ["copies", "top", "report", "export"])
@pytest.mark.parametrize("options,message", [
    (["--kinds", "duplicate,bogus"], f"--kinds takes a comma-separated list of {VALID}, or all (got bogus)"),
    (["--kinds", ","], "(got nothing)"),
    (["--kinds", "all,dupes"], "(got dupes)"),
    (["--min-similarity", "1.5"], "--min-similarity must be between 0 and 1 (got 1.5)"),
    (["--min-similarity", "-0.1"], "--min-similarity must be between 0 and 1 (got -0.1)"),
    (["--min-similarity", "nan"], "--min-similarity must be between 0 and 1 (got nan)"),
])
def test_invalid_filters_are_one_line_and_exit_2(db, tmp_path, command, options, message):
    args = {"copies": ["copies", CNN], "top": ["top"], "report": ["report", "--out", tmp_path / "r.html"],
            "export": ["export", "--out", tmp_path / "e"]}[command]
    result = run(*args, "--db", db, *options)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ") and message in result.stderr
    assert not (tmp_path / "r.html").exists() and not (tmp_path / "e").exists()


def test_invalid_config_file_is_one_line_and_exit_2(db, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[query]\nkinds = ["bogus"]\n', encoding="utf-8")
    for args in (["copies", CNN], ["top"]):
        result = run(*args, "--db", db, "--config", bad)
        assert result.exit_code == 2 and result.stderr.startswith("error: ") and "bad.toml" in result.stderr
    result = run("top", "--db", db, "--config", tmp_path / "missing.toml")
    assert result.exit_code == 2 and "no configuration file" in result.stderr
