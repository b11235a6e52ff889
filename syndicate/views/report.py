"""``syndicate report``: the picture at a glance, as one offline HTML file.

Totals and their trend per run, the top origin and reposting domains, a
histogram of repost lag, a domain-to-domain syndication graph and the
largest clusters with links to their pages. Every figure is drawn by
matplotlib as inline SVG with its text as paths; every crawled string in the
HTML goes through :func:`syndicate.views.display.html_text`. No script, no style
sheet or font from elsewhere: the file opens offline. Only ``http`` and
``https`` URLs become links (a crawled ``javascript:`` or ``data:`` URL is
shown as text), and a Content-Security-Policy allows nothing but the page's
own inline styles.
"""

from __future__ import annotations

import io
import math
import re
from datetime import datetime, timedelta, timezone

from typing import Sequence

from .display import html_text, printable
from .query import ALL_KINDS, check_filters, filtered_syndication
from ..store.database import Store

TOP = 10

# Nothing loads, runs or submits: no script, no fetch, no frame, no form, no <base>; inline styles only
# (the page's <style> and the style attributes of matplotlib's SVG; its glyphs are in-page <use> references).
CSP = ("default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'")
# a link target: an absolute http(s) URL with no space in it (browsers strip or reinterpret those)
_WEB_URL = re.compile(r"https?://\S+", re.IGNORECASE)


def page_link(url: str | None, label: str | None) -> str:
    """A crawled page as HTML: a link when its URL is http(s), else its label and URL as plain text."""
    text = html_text(label or url or "")
    if url and _WEB_URL.fullmatch(url) and printable(url) == url:  # and no control or text-hiding character
        return f"<a href=\"{html_text(url)}\" rel=\"noopener noreferrer\">{text}</a>"
    return text if not label or not url else f"{text} <code>{html_text(url)}</code>"


def _since_sql(since: timedelta | None) -> tuple[str, dict]:
    if since is None:
        return "TRUE", {}
    cutoff = datetime.now(timezone.utc).replace(tzinfo=None) - since
    return "d.first_seen >= $cutoff", {"cutoff": cutoff}


def gather(store: Store, since: timedelta | None = None, kinds: str | Sequence[str] | None = None,
           min_similarity: float = 0.0) -> dict:
    """The report's numbers, from the documented tables and view (what a user could ask in SQL).

    The copies (totals, top domains, lag, who copies whom) are the
    ``syndication`` rows that pass the filters, by the rule of
    :mod:`syndicate.views.query` (``kinds``, None for every kind, and
    ``min_similarity``): a copy whose match with the origin page fails is left
    out, and one linked to the origin only through other pages unless a chain
    of passing matches joins them. The runs and the largest clusters are as stored.
    """
    con = store.con
    where, since_params = _since_sql(since)
    chosen, value = check_filters(kinds, min_similarity)
    runs_where = "TRUE" if since is None else "started_at >= $cutoff"
    runs = con.execute(
        f"""SELECT run_id, started_at, pages_read, pages_new, pages_failed, new_matches, clusters FROM runs
            WHERE {runs_where} ORDER BY run_id""", since_params).fetchall()
    clusters = con.execute(f"""
        SELECT c.cluster_id, count(*) AS pages, any_value(o.origin_url), any_value(o.origin_domain),
               list(d.url ORDER BY d.doc_id), list(d.title ORDER BY d.doc_id)
        FROM clusters c JOIN documents d USING (doc_id) LEFT JOIN origins o USING (cluster_id)
        WHERE c.cluster_id IN (SELECT c2.cluster_id FROM clusters c2 JOIN documents d ON d.doc_id = c2.doc_id
                               WHERE {where})
        GROUP BY c.cluster_id ORDER BY pages DESC, c.cluster_id LIMIT {TOP}""", since_params).fetchall()
    with filtered_syndication(store, chosen, value) as (syndication, filter_params):
        params = {**since_params, **filter_params}
        copies = f"""FROM ({syndication}) s JOIN documents d ON d.doc_id = s.copy_doc_id WHERE {where}"""
        origins = con.execute(f"""SELECT coalesce(origin_domain, origin_publisher, '(unknown)') AS o, count(*) AS n
                                 {copies} GROUP BY o ORDER BY n DESC, o LIMIT {TOP}""", params).fetchall()
        reposters = con.execute(f"""SELECT copy_domain, count(*) AS n {copies}
                                   GROUP BY copy_domain ORDER BY n DESC, copy_domain LIMIT {TOP}""", params).fetchall()
        lags = [r[0] for r in con.execute(f"SELECT lag_hours {copies} AND lag_hours IS NOT NULL", params).fetchall()]
        edges = con.execute(f"""SELECT copy_domain, coalesce(origin_domain, origin_publisher, '(unknown)') AS o, count(*)
                               {copies} GROUP BY ALL ORDER BY 3 DESC, 1, 2 LIMIT 30""", params).fetchall()
        totals = con.execute(f"""SELECT count(*), count(*) FILTER (status = 'article'),
                                        (SELECT count(*) {copies})
                                 FROM documents d WHERE {where}""", params).fetchall()[0]
    return {"runs": runs, "origins": origins, "reposters": reposters, "lags": lags, "edges": edges,
            "clusters": clusters, "totals": totals, "filters": _describe(chosen, value)}


def _describe(kinds: Sequence[str], min_similarity: float) -> str:
    """The filters in words, for the page: 'copies of kinds duplicate, partial; similarity at least 0.3'."""
    text = "copies of every kind" if set(kinds) >= set(ALL_KINDS) else f"copies of kinds {', '.join(kinds)}"
    return text + (f"; similarity at least {min_similarity:g}" if min_similarity > 0 else "")


def _svg(fig) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None}, bbox_inches="tight")
    svg = buf.getvalue()
    return svg[svg.index("<svg"):]


def _figures(data: dict) -> dict[str, str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from matplotlib.ticker import MaxNLocator

    plt.rcParams.update({"svg.fonttype": "path", "svg.hashsalt": "syndicate", "font.size": 9})
    counts = MaxNLocator(integer=True)  # counts have no half ticks
    out = {}

    fig, ax = plt.subplots(figsize=(7, 2.6))
    runs = data["runs"]
    if runs:
        x = [str(r[0]) for r in runs]
        ax.bar(x, [r[3] for r in runs], label="new pages", color="#8fb3d9")
        ax.plot(x, [r[5] for r in runs], marker="o", color="#c0392b", label="new matches")
        ax.set_xlabel("run")
        ax.yaxis.set_major_locator(counts)
        ax.legend(frameon=False)
    else:
        ax.text(0.5, 0.5, "no runs in this period", ha="center", va="center", transform=ax.transAxes)
    ax.set_title("Per run")
    out["trend"] = _svg(fig)
    plt.close(fig)

    for key, rows, title in (("origins", data["origins"], "Top origin domains (copies)"),
                             ("reposters", data["reposters"], "Top reposting domains (copies)")):
        fig, ax = plt.subplots(figsize=(5, 2.8))
        if rows:
            names = [r[0] for r in rows][::-1]
            ax.barh(names, [r[1] for r in rows][::-1], color="#5d8aa8")
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        else:
            ax.text(0.5, 0.5, "no copies in this period", ha="center", va="center", transform=ax.transAxes)
        ax.set_title(title)
        out[key] = _svg(fig)
        plt.close(fig)

    fig, ax = plt.subplots(figsize=(5, 2.8))
    lags = data["lags"]
    if lags:
        shown, cap, beyond = lag_range(lags)
        ax.hist(shown, bins=min(30, max(5, len(lags))), color="#7a9e7e")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        label = "hours after the origin"
        if beyond:
            label += f" (the last bar also holds {beyond} cop{'ies' if beyond != 1 else 'y'} later than {cap:g} h)"
        ax.set_xlabel(label)
    else:
        ax.text(0.5, 0.5, "no dated copies in this period", ha="center", va="center", transform=ax.transAxes)
    ax.set_title("Repost lag")
    out["lag"] = _svg(fig)
    plt.close(fig)

    out["graph"] = _graph(plt, data["edges"])
    return out


def lag_range(lags: list[float]) -> tuple[list[float], float, int]:
    """The lags to draw, the cap of the axis and how many lags lie beyond it.

    One origin years older than its copies would stretch the axis to tens of
    thousands of hours and squash every other bar into the first: the axis
    ends at the 95th percentile (rounded up to a whole day past 48 h), and
    the lags beyond it are drawn in the last bar and counted in the label.
    """
    ordered = sorted(lags)
    cap = ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]
    cap = math.ceil(cap / 24) * 24 if cap > 48 else math.ceil(cap) if cap > 0 else cap
    if cap <= ordered[0] or ordered[-1] <= cap:
        return lags, ordered[-1], 0
    return [min(x, cap) for x in lags], cap, sum(x > cap for x in lags)


GRAPH_DOMAINS = 24
"""Most domains drawn in the who-copies-whom graph (those in the most copies): more labels would overlap."""


def _graph(plt, edges: list[tuple[str, str, int]]) -> str:
    """Domains on a circle, an arrow from each reposter to its origin, as thick as the copies.

    Only the GRAPH_DOMAINS domains in the most copies are drawn; labels stand
    outside the circle, turned along their radius, so neighbours do not overlap.
    """
    weight: dict[str, int] = {}
    for a, b, n in edges:
        weight[a] = weight.get(a, 0) + n
        weight[b] = weight.get(b, 0) + n
    kept = set(sorted(weight, key=lambda d: (-weight[d], d))[:GRAPH_DOMAINS])
    edges = [(a, b, n) for a, b, n in edges if a in kept and b in kept]
    fig, ax = plt.subplots(figsize=(6.5, 6.5))
    ax.set_axis_off()
    ax.set_title("Who copies whom (reposter → origin)")
    nodes = sorted({d for a, b, _ in edges for d in (a, b)})
    if not nodes:
        ax.text(0.5, 0.5, "no copies in this period", ha="center", va="center", transform=ax.transAxes)
        svg = _svg(fig)
        plt.close(fig)
        return svg
    where = {n: (math.cos(2 * math.pi * i / len(nodes)), math.sin(2 * math.pi * i / len(nodes)))
             for i, n in enumerate(nodes)}
    most = max(n for _, _, n in edges)
    for a, b, n in edges:
        (x1, y1), (x2, y2) = where[a], where[b]
        ax.annotate("", xy=(x2, y2), xytext=(x1, y1),
                    arrowprops={"arrowstyle": "-|>", "lw": 0.8 + 3 * n / most, "color": "#5d8aa8", "alpha": 0.8,
                                "shrinkA": 12, "shrinkB": 12})
    for name, (x, y) in where.items():
        ax.plot([x], [y], "o", color="#c0392b")
        angle = math.degrees(math.atan2(y, x))
        left = x < -1e-9
        ax.text(x * 1.08, y * 1.08, name, ha="right" if left else "left", va="center", fontsize=7,
                rotation=angle - 180 if left else angle, rotation_mode="anchor")
    ax.set_xlim(-2.1, 2.1)
    ax.set_ylim(-2.1, 2.1)
    svg = _svg(fig)
    plt.close(fig)
    return svg


def render(data: dict, title: str) -> str:
    """The report page: figures inline, tables of crawled values escaped."""
    figures = _figures(data)
    pages, articles, copies = data["totals"]
    rows = "".join(
        f"<tr><td>{r[0]}</td><td>{html_text(r[1])}</td><td>{r[2]}</td><td>{r[3]}</td><td>{r[4]}</td>"
        f"<td>{r[5]}</td><td>{r[6]}</td></tr>" for r in data["runs"])
    clusters = []
    for cluster_id, size, origin_url, origin_domain, urls, titles in data["clusters"]:
        members = "".join(f"<li>{page_link(u, t)}</li>" for u, t in zip(urls, titles))
        origin = html_text(origin_url or origin_domain or "unknown")
        clusters.append(f"<details><summary>cluster {cluster_id}: {size} pages; origin {origin}</summary>"
                        f"<ul>{members}</ul></details>")

    def figure(key: str, caption: str) -> str:
        return f"<figure id='{key}'>{figures[key]}<figcaption>{caption}</figcaption></figure>"

    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<meta http-equiv='Content-Security-Policy' content=\"{CSP}\">"
        "<meta name='referrer' content='no-referrer'>"
        f"<title>{html_text(title)}</title><style>"
        "body{font:14px/1.45 system-ui,sans-serif;margin:1.5em auto;max-width:1100px;color:#222}"
        "figure{margin:0}figure svg{max-width:100%;height:auto}.grid{display:flex;flex-wrap:wrap;gap:1em}"
        "table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:2px 8px;text-align:right}"
        ".totals{font-size:1.2em}summary{cursor:pointer}"
        "</style></head><body>"
        f"<h1>{html_text(title)}</h1>"
        f"<p class='totals'>{pages} pages, {articles} articles, {copies} copies</p>"
        + (f"<p class='filters'>Counted: {html_text(data['filters'])}</p>" if data.get("filters") else "") +
        f"{figure('trend', 'New pages and new matches per run')}"
        "<table><tr><th>run</th><th>started</th><th>read</th><th>new</th><th>failed</th><th>matches</th>"
        f"<th>clusters</th></tr>{rows}</table>"
        f"<div class='grid'>{figure('origins', 'Where copied articles come from')}"
        f"{figure('reposters', 'Who reposts most')}{figure('lag', 'How long after the origin copies appear')}</div>"
        f"{figure('graph', 'Syndication between the top domains')}"
        f"<h2>Largest clusters</h2>{''.join(clusters) or '<p>no clusters in this period</p>'}"
        "</body></html>\n"
    )


def report(store: Store, since: timedelta | None = None, kinds: str | Sequence[str] | None = None,
           min_similarity: float = 0.0) -> str:
    """The report of a database (the pages first seen within ``since``, or all) as one HTML page.

    ``kinds`` (None: every kind) and ``min_similarity`` choose the copies it
    counts; see :func:`gather`.
    """
    period = "all time" if since is None else f"the last {since}"
    return render(gather(store, since, kinds, min_similarity), f"syndicate report: {period}")
