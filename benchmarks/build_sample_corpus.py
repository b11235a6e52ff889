#!/usr/bin/env python3
"""Build ``sample_corpus/`` from the shared real data, deterministically.

Measures nothing: it (re)builds the repository's committed ``sample_corpus/``
(the small corpus of the README's examples and of tests). With ``--check`` it
runs trafilatura on every page it wrote and reports, page by page, whether the
expected article text is extracted (no baseline: a sanity check of the build).

Data (read-only), in ``../shared/corpora`` beside the clone (``--shared``),
not in the repository:

* ``<shared>/article-extraction-benchmark/html/<sha256>.html.gz`` -- 131 real
  news pages, ``ground-truth.json`` maps ``<sha256>`` to ``{url, articleBody}``
  (Scrapinghub/Zyte article-extraction-benchmark, MIT License; its ``LICENSE``
  is copied into the output);
* ``<shared>/000_ac21ed3f2fa6be03.txt`` -- a real repost of a CNN article on an
  aggregator site, as text (the "seed").

Time on 2 cores: about 2 seconds, ``--check`` included.

Run::

    python benchmarks/build_sample_corpus.py --shared ../shared/corpora --out sample_corpus
    python benchmarks/build_sample_corpus.py --shared ../shared/corpora --out /tmp/sample_corpus --check

``--out`` (default ``sample_corpus``) is emptied first; a folder this script
did not write is refused.

The corpus mixes an origin page, reposts of it on other sites' real page
chrome, template twins (the unmodified host pages of those reposts), pages on
the same aggregator template carrying *different* articles, and unrelated real
pages.  Reposts are made with :func:`transplant.transplant` (in
``benchmarks/transplant.py``, next to this script), which puts an article into
a real host page in place of the host's own article; ``benchmarks/corpus.py``
uses it too, for the larger syndication benchmark.

The output is fully determined by the inputs (no randomness, no clock; gzip
files are written with ``mtime=0``), so re-running the script reproduces the
committed files byte for byte.
"""

from __future__ import annotations

import argparse
import gzip
import html as html_lib
import json
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence
from urllib.parse import quote, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))  # transplant.py sits beside this script
from transplant import (  # noqa: E402
    _MONTHS_FULL,
    TransplantError,
    _default_description,
    _key,
    _parse_published,
    ensure_og_url,
    slugify,
    straight_quotes as _straight_quotes,
    transplant,
    visible_text,
)

__all__ = [
    "TransplantError",
    "transplant",
    "ensure_og_url",
    "visible_text",
    "build",
    "main",
]

# --------------------------------------------------------------------------
# The aggregator template (reconstructed from the seed repost's text)
# --------------------------------------------------------------------------

AGG_DOMAIN = "worldnewsroundup.com"
AGG_SITE = "World News Roundup"
AGG_LATEST_POLITICS = [
    "Speaker Johnson unveils two-step plan to avert a government shutdown",
    "Moody\u2019s lowers US credit outlook to negative, citing political polarization",
    "Biden and Xi set to meet on the sidelines of APEC summit in San Francisco",
    "Haley, DeSantis and Ramaswamy clash at third Republican debate in Miami",
    "Ohio voters enshrine abortion rights in state constitution",
]
AGG_NAV = ["World", "Politics", "Business", "Tech", "Entertainment", "Sports", "Health"]


@dataclass(frozen=True)
class AggregatorPost:
    """One post on the aggregator template."""

    title: str
    slug: str
    post_id: int
    paragraphs: tuple[str, ...]
    source_url: str
    published: str  # ISO 8601, UTC
    read_minutes: int
    views: int
    previous: str  # title of the "Previous Story"
    next: str  # title of the "Next Story"
    category: str = "Politics"

    @property
    def url(self) -> str:
        return f"https://{AGG_DOMAIN}/{self.slug}/"


def _esc(text: str) -> str:
    return html_lib.escape(text, quote=True)


def render_aggregator_page(post: AggregatorPost) -> str:
    """A WordPress-like aggregator page: the article plus the chrome seen in the seed repost."""
    base = f"https://{AGG_DOMAIN}"
    when = _parse_published(post.published)
    iso = when.isoformat()
    human = f"{_MONTHS_FULL[when.month - 1]} {when.day}, {when.year}"
    desc = _default_description(post.paragraphs)
    nav = "\n".join(
        f'          <li id="menu-item-{100 + i}" class="menu-item menu-item-type-taxonomy menu-item-object-category'
        f'{" current-post-ancestor" if name == post.category else ""} menu-item-{100 + i}">'
        f'<a href="{base}/category/{name.lower()}/">{_esc(name)}</a></li>'
        for i, name in enumerate(AGG_NAV)
    )
    body = "\n".join(f"<p>{_esc(p)}</p>" for p in post.paragraphs)
    latest = "\n".join(
        f'            <li class="latest-post"><a href="{base}/{slugify(t)}/">{_esc(t)}</a></li>'
        for t in AGG_LATEST_POLITICS
    )
    jsonld = json.dumps(
        {
            "@context": "https://schema.org",
            "@graph": [
                {
                    "@type": "NewsArticle",
                    "@id": f"{post.url}#article",
                    "isPartOf": {"@id": post.url},
                    "author": {"@type": "Person", "name": "Roundup Desk"},
                    "headline": post.title,
                    "datePublished": iso,
                    "dateModified": iso,
                    "mainEntityOfPage": {"@id": post.url},
                    "publisher": {"@id": f"{base}/#organization"},
                    "articleSection": [post.category],
                    "inLanguage": "en-US",
                },
                {
                    "@type": "WebPage",
                    "@id": post.url,
                    "url": post.url,
                    "name": f"{post.title} - {AGG_SITE}",
                    "datePublished": iso,
                    "inLanguage": "en-US",
                },
                {
                    "@type": "Organization",
                    "@id": f"{base}/#organization",
                    "name": AGG_SITE,
                    "url": f"{base}/",
                },
            ],
        },
        ensure_ascii=False,
    )
    return f"""<!DOCTYPE html>
<html lang="en-US">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_esc(post.title)} - {AGG_SITE}</title>
<meta name="description" content="{_esc(desc)}">
<meta name="robots" content="index, follow, max-image-preview:large">
<link rel="canonical" href="{post.url}">
<meta property="og:locale" content="en_US">
<meta property="og:type" content="article">
<meta property="og:title" content="{_esc(post.title)}">
<meta property="og:description" content="{_esc(desc)}">
<meta property="og:url" content="{post.url}">
<meta property="og:site_name" content="{AGG_SITE}">
<meta property="article:section" content="{post.category}">
<meta property="article:published_time" content="{iso}">
<meta property="article:modified_time" content="{iso}">
<meta name="twitter:card" content="summary_large_image">
<meta name="twitter:label1" content="Est. reading time">
<meta name="twitter:data1" content="{post.read_minutes} minutes">
<script type="application/ld+json" class="yoast-schema-graph">{jsonld}</script>
<link rel="alternate" type="application/rss+xml" title="{AGG_SITE} &raquo; Feed" href="{base}/feed/">
<link rel="stylesheet" id="wp-block-library-css" href="{base}/wp-includes/css/dist/block-library/style.min.css?ver=6.3.2" media="all">
<link rel="stylesheet" id="roundup-style-css" href="{base}/wp-content/themes/roundup/style.css?ver=2.4.1" media="all">
<link rel="https://api.w.org/" href="{base}/wp-json/">
<link rel="shortlink" href="{base}/?p={post.post_id}">
</head>
<body class="post-template-default single single-post postid-{post.post_id} single-format-standard">
<div id="page" class="site">
  <a class="skip-link screen-reader-text" href="#content">Skip to content</a>
  <div class="top-bar">
    <div class="container">
      <span class="top-bar-date">{when:%A}, {human}</span>
      <ul class="top-bar-links"><li><a href="{base}/about-us/">About Us</a></li><li><a href="{base}/contact/">Contact</a></li><li><a href="{base}/advertise/">Advertise</a></li></ul>
    </div>
  </div>
  <header id="masthead" class="site-header">
    <div class="container">
      <div class="site-branding">
        <p class="site-title"><a href="{base}/" rel="home">{AGG_SITE}</a></p>
        <p class="site-description">Top stories from around the world, all in one place</p>
      </div>
      <nav id="site-navigation" class="main-navigation" aria-label="Primary">
        <ul id="primary-menu" class="menu">
          <li id="menu-item-99" class="menu-item menu-item-home menu-item-99"><a href="{base}/">Home</a></li>
{nav}
        </ul>
      </nav>
      <form role="search" method="get" class="search-form" action="{base}/">
        <label><span class="screen-reader-text">Search for:</span><input type="search" class="search-field" placeholder="Search &hellip;" value="" name="s"></label>
        <input type="submit" class="search-submit" value="Search">
      </form>
    </div>
  </header>
  <div id="content" class="site-content">
    <div class="container">
      <nav class="breadcrumbs" aria-label="Breadcrumb"><a href="{base}/">Home</a> &raquo; <a href="{base}/category/{post.category.lower()}/">{post.category}</a></nav>
      <main id="primary" class="site-main">
        <article id="post-{post.post_id}" class="post-{post.post_id} post type-post status-publish format-standard hentry category-{post.category.lower()}">
          <header class="entry-header">
            <span class="cat-links"><a href="{base}/category/{post.category.lower()}/" rel="category tag">{post.category}</a></span>
            <h1 class="entry-title">{_esc(post.title)}</h1>
            <div class="entry-meta">
              <span class="posted-on"><time class="entry-date published" datetime="{iso}">{human}</time></span>
              <span class="reading-time">{post.read_minutes} mins read</span>
              <span class="post-views">{post.views} views</span>
            </div>
          </header>
          <div class="entry-content">
{body}
<p class="source-link"><a href="{_esc(post.source_url)}" target="_blank" rel="noopener">Read the full article here</a></p>
          </div>
          <footer class="entry-footer">
            <div class="share-buttons">
              <a class="share-facebook" href="https://www.facebook.com/sharer/sharer.php?u={quote(post.url, safe='')}" rel="nofollow noopener" target="_blank">Facebook</a>
              <a class="share-twitter" href="https://twitter.com/intent/tweet?url={quote(post.url, safe='')}" rel="nofollow noopener" target="_blank">Twitter</a>
              <a class="share-email" href="mailto:?subject={quote(post.title)}&amp;body={quote(post.url, safe='')}">Email</a>
            </div>
          </footer>
        </article>
        <div id="comments" class="comments-area">
          <div id="respond" class="comment-respond">
            <h3 id="reply-title" class="comment-reply-title">Leave a Reply</h3>
            <form action="{base}/wp-comments-post.php" method="post" id="commentform" class="comment-form" novalidate>
              <p class="comment-notes"><span id="email-notes">Your email address will not be published.</span> <span class="required-field-message">Required fields are marked <span class="required">*</span></span></p>
              <p class="comment-form-comment"><label for="comment">Comment <span class="required">*</span></label> <textarea id="comment" name="comment" cols="45" rows="8" maxlength="65525" required></textarea></p>
              <p class="comment-form-author"><label for="author">Name <span class="required">*</span></label> <input id="author" name="author" type="text" value="" size="30" maxlength="245" autocomplete="name" required></p>
              <p class="comment-form-email"><label for="email">Email <span class="required">*</span></label> <input id="email" name="email" type="email" value="" size="30" maxlength="100" aria-describedby="email-notes" autocomplete="email" required></p>
              <p class="comment-form-url"><label for="url">Website</label> <input id="url" name="url" type="url" value="" size="30" maxlength="200" autocomplete="url"></p>
              <p class="form-submit"><input name="submit" type="submit" id="submit" class="submit" value="Post Comment"> <input type="hidden" name="comment_post_ID" value="{post.post_id}" id="comment_post_ID"> <input type="hidden" name="comment_parent" id="comment_parent" value="0"></p>
            </form>
          </div>
        </div>
        <nav class="navigation post-navigation" aria-label="Posts">
          <h2 class="screen-reader-text">Post navigation</h2>
          <div class="nav-links">
            <div class="nav-previous"><a href="{base}/{slugify(post.previous)}/" rel="prev"><span class="meta-nav">Previous Story</span> <span class="post-title">{_esc(post.previous)}</span></a></div>
            <div class="nav-next"><a href="{base}/{slugify(post.next)}/" rel="next"><span class="meta-nav">Next Story</span> <span class="post-title">{_esc(post.next)}</span></a></div>
          </div>
        </nav>
        <section class="related-posts latest-from-category">
          <h3 class="widget-title">Latest from Politics</h3>
          <ul>
{latest}
          </ul>
        </section>
      </main>
      <aside id="secondary" class="widget-area">
        <section id="newsletter-2" class="widget widget_newsletter">
          <h2 class="widget-title">Newsletter</h2>
          <p>Get the day&rsquo;s top headlines delivered to your inbox every morning.</p>
          <form class="newsletter-form" action="{base}/subscribe/" method="post"><input type="email" name="email" placeholder="Your email address"> <button type="submit">Subscribe</button></form>
        </section>
        <section id="categories-2" class="widget widget_categories">
          <h2 class="widget-title">Categories</h2>
          <ul>
{chr(10).join(f'            <li class="cat-item"><a href="{base}/category/{n.lower()}/">{n}</a></li>' for n in AGG_NAV)}
          </ul>
        </section>
      </aside>
    </div>
  </div>
  <footer id="colophon" class="site-footer">
    <div class="container">
      <ul class="footer-menu">
        <li><a href="{base}/about-us/">About Us</a></li>
        <li><a href="{base}/contact/">Contact</a></li>
        <li><a href="{base}/privacy-policy/">Privacy Policy</a></li>
        <li><a href="{base}/terms-of-use/">Terms of Use</a></li>
      </ul>
      <p class="site-info">&copy; 2023 {AGG_SITE}. All Rights Reserved. All articles are the property of their respective owners.</p>
    </div>
  </footer>
</div>
<script src="{base}/wp-content/themes/roundup/js/navigation.js?ver=2.4.1" id="roundup-navigation-js"></script>
<script src="{base}/wp-includes/js/comment-reply.min.js?ver=6.3.2" id="comment-reply-js" async data-wp-strategy="async"></script>
</body>
</html>
"""


# --------------------------------------------------------------------------
# Corpus specification
# --------------------------------------------------------------------------

SEED_FILE = "000_ac21ed3f2fa6be03.txt"
BENCH_DIR = "article-extraction-benchmark"
SEED_FIRST = "The parties involved in the ongoing negotiations"
SEED_LAST = "CNN\u2019s Paul LeBlanc contributed to this report."

CNN_TITLE = (
    "Hostage negotiators discussing days-long fighting pause between Israel and Hamas "
    "in exchange for freeing large group"
)
CNN_URL = "https://www.cnn.com/2023/11/10/politics/hostage-deal-negotiations-israel-hamas/index.html"
CNN_PUBLISHED = "2023-11-10T21:30:00Z"
CNN_HOST = "ef4e67b66d63"  # real cnn.com page (Trump health analysis): chrome of the origin
# the host's byline names the host article's author: drop it rather than invent one
CNN_REMOVE_XPATH = (
    '//p[contains(@class, "metadata__byline")]',
    '//meta[@itemprop="author" or @name="author"]',
)

AGG_SEED_PUBLISHED = "2023-11-11T08:05:00Z"
FETCHED_AT = "2023-11-12T03:00:00Z"
JSONL_NAME = "crawl-2023-11-12.jsonl"
GENERATED_MARK = "<!-- generated by benchmarks/build_sample_corpus.py; do not edit by hand -->"


@dataclass(frozen=True)
class RepostSpec:
    """A repost of the CNN article built into a real host page with :func:`transplant`."""

    variant: str  # "full" | "truncated" | "edited"
    host: str  # sha256 prefix of the benchmark page whose chrome is used
    url: str  # invented URL of the repost on the host's site
    published: str | None
    role: str
    path: str | None  # output path, or None to put the page into the JSONL export
    remove_xpath: tuple[str, ...] = ()


REPOSTS = [
    RepostSpec(
        variant="full",
        host="c90731f051d0",
        url="https://www.deccanherald.com/international/"
        "hostage-negotiators-discussing-days-long-fighting-pause-between-israel-and-hamas-1247312.html",
        published="2023-11-11T09:40:00Z",
        role="repost (full copy, 'Source: CNN' link)",
        path=None,
    ),
    RepostSpec(
        variant="truncated",
        host="a1fca19b884e",
        url="https://nypost.com/2023/11/12/"
        "hostage-negotiators-discussing-days-long-fighting-pause-between-israel-and-hamas/",
        published="2023-11-12T14:15:00Z",
        role="repost (truncated to the first half, 'Continue reading at CNN' link)",
        path="nypost.com/hostage-negotiators-discussing-days-long-fighting-pause.html",
    ),
    RepostSpec(
        variant="edited",
        host="833caf3bdba5",
        url="https://www.albawaba.com/news/israel-and-hamas-weigh-days-long-truce-exchange-large-hostage-release-1538214",
        published=None,
        role="repost (edited: new headline, intro sentence, a paragraph dropped, "
        "'Advertisement' lines, straight quotes; no date)",
        path="albawaba.com/israel-and-hamas-weigh-days-long-truce.html",
        # the host article's own syndication credit ("Via SyndiGate.info ... Copyright @ 2019 The New Arab")
        remove_xpath=(
            '//p[contains(@class, "syndigate-link")]/following-sibling::a[1]',
            '//p[contains(@class, "syndigate-link")]/following-sibling::br[1]',
            '//p[contains(@class, "syndigate")]',
        ),
    ),
]
EDITED_TITLE = "Israel and Hamas weigh days-long truce in exchange for large hostage release, US official says"
EDITED_INTRO = "A deal to free a large group of the hostages held in Gaza may be taking shape, according to a US official."
EDITED_DROP_INDEX = 10  # "The United States and its allies have urged Israel ..."
EDITED_AD_AFTER = (3, 12)  # an "Advertisement" line after these paragraphs (0-based, in the edited list)


def repost_text(variant: str, seed: Sequence[str]) -> tuple[str, list[str], list[str]]:
    """(title, paragraphs, extra_after snippets) of a repost variant of the seed article."""
    if variant == "full":
        return CNN_TITLE, list(seed), [f'<p class="source-credit">Source: <a href="{CNN_URL}">CNN</a></p>']
    if variant == "truncated":
        half = (len(seed) + 1) // 2
        more = f'<p class="continue-reading"><a href="{CNN_URL}">Continue reading at CNN</a></p>'
        return CNN_TITLE, list(seed[:half]), [more]
    if variant == "edited":
        edited = [_straight_quotes(p) for i, p in enumerate(seed) if i != EDITED_DROP_INDEX]
        edited.insert(0, EDITED_INTRO)
        for pos in sorted(EDITED_AD_AFTER, reverse=True):
            edited.insert(pos + 1, "Advertisement")
        return EDITED_TITLE, edited, []
    raise ValueError(f"unknown repost variant {variant!r}")


@dataclass(frozen=True)
class AggregatorSpec:
    """A post on the aggregator template carrying a benchmark page's article (page not in the corpus)."""

    source: str  # sha256 prefix of the benchmark page whose articleBody is used
    title: str
    post_id: int
    published: str
    read_minutes: int
    views: int
    previous: str
    next: str
    storage: str  # "html" | "jsonl"


AGG_OTHER = [
    AggregatorSpec(
        source="5a822960e9a2",
        title="House where Hitler was born will become a police station, Austria says",
        post_id=48211,
        published="2023-11-10T16:20:00Z",
        read_minutes=1,
        views=41,
        previous="Oil prices edge higher as traders weigh Middle East supply risks",
        next="How Home Builder D.R. Horton Beat the Housing Bust",
        storage="html",
    ),
    AggregatorSpec(
        source="7916ecca969f",
        title="US service members killed in Afghanistan helicopter crash",
        post_id=48237,
        published="2023-11-11T10:45:00Z",
        read_minutes=1,
        views=18,
        previous="DoubleDown Interactive Co., Ltd. (DDI) Q3 2023 Earnings Call Transcript",
        next="Stocks rally as Treasury yields retreat from recent highs",
        storage="jsonl",
    ),
    AggregatorSpec(
        source="d90bda7ed14d",
        title="Amnesty: More than 100 protesters killed in Iran unrest",
        post_id=48252,
        published="2023-11-11T13:10:00Z",
        read_minutes=2,
        views=33,
        previous="Stocks rally as Treasury yields retreat from recent highs",
        next="Apple supplier Foxconn posts higher quarterly profit",
        storage="html",
    ),
]

#: Real benchmark pages kept unmodified (except an added og:url when missing).
#: (sha prefix, file name, storage, role)
UNMODIFIED = [
    # template twins: the real pages whose chrome carries the origin / the reposts
    ("ef4e67b66d63", "donald-trump-health-walter-reed.html", "gz", "template twin (real cnn.com page whose chrome carries the CNN origin)"),
    ("c90731f051d0", "impeachment-sham-completely-debunked-white-house.html", "html", "template twin (real host page of the deccanherald.com repost)"),
    ("a1fca19b884e", "three-taliban-prisoners-flown-to-qatar-for-hostage-swap.html", "gz", "template twin (real host page of the nypost.com repost)"),
    ("833caf3bdba5", "world-community-lashes-out-us-no-longer-considering-israeli-settlements-illegal.html", "html", "template twin (real host page of the albawaba.com repost)"),
    # unrelated pages: one per site, at most one per same-story group
    ("9da36ae4714b", "news-view-8723.html", "gz", "unrelated (Korean)"),
    ("85439e26c41c", "index-2726.html", "html", "unrelated (Japanese)"),
    ("b3c19dd5f061", "quem-se-ama.html", "jsonl", "unrelated (Portuguese)"),
    ("b6fb53e9fb04", "remake-serie-animata-de-i-cavalieri-dello-zodiaco-per-netflix.html", "html", "unrelated (Italian)"),
    ("c4a3637c6696", "skajrim-skorost-bega-kak-uvelichit.html", "html", "unrelated (Russian)"),
    ("7837c9d66c81", "sejarah-pecahnya-islam-jadi-sunni-dan-syiah.html", "html", "unrelated (Indonesian)"),
    ("ba07d1e64775", "comwrap-auf-der-dmexco-2018.html", "html", "unrelated (German)"),
    ("c00962aabe7b", "article-3834-1.html", "jsonl", "unrelated"),
    ("e372e42c0a3d", "son-of-former-german-president-stabbed-to-death-in-berlin.html", "html", "unrelated"),
    ("e100c9612ad8", "stadia-destiny-2-1080p-medium-rdr2-1440p.html", "html", "unrelated (one of the Stadia pages)"),
    ("65ce3a4577a0", "tuesdays-college-football-eastern-michigan-routs-northern-illinois.html", "html", "unrelated"),
    ("94fbcc267720", "milan-design-week-2018-michael-anastassiades-light-installation-flos.html", "html", "unrelated"),
    ("bc13ff87b263", "thousands-of-wework-employees-to-be-laid-off-this-week.html", "html", "unrelated"),
    ("9e8c9f082a8d", "what-value-drugs-come-us-border.html", "html", "unrelated"),
    ("776a1c046798", "meth-were-on-it-south-dakota-campaign.html", "html", "unrelated (one of the 'Meth. We're on it' pages)"),
    ("612cd2982662", "clymer-workshop-manual-review.html", "html", "unrelated"),
    ("ad9e9e596f21", "a-grant-to-evidence-action-beta.html", "html", "unrelated (one of the GiveWell pages)"),
]


@dataclass(frozen=True)
class BenchPage:
    sha: str
    url: str
    article_body: str
    html: str

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.article_body.split("\n") if p.strip()]


@dataclass
class Entry:
    """One page of the corpus, for the README table."""

    path: str  # relative to the corpus dir ("crawl-...jsonl#N" for JSONL rows)
    url: str
    role: str
    source: str


def load_benchmark(shared: Path) -> dict[str, BenchPage]:
    bench = shared / BENCH_DIR
    truth = json.loads((bench / "ground-truth.json").read_text(encoding="utf-8"))
    pages = {}
    for sha, item in truth.items():
        raw = gzip.decompress((bench / "html" / f"{sha}.html.gz").read_bytes())
        pages[sha] = BenchPage(sha, item["url"], item["articleBody"], raw.decode("utf-8"))
    return pages


def _page(pages: dict[str, BenchPage], prefix: str) -> BenchPage:
    hits = [p for sha, p in pages.items() if sha.startswith(prefix)]
    if len(hits) != 1:
        raise KeyError(f"benchmark page prefix {prefix!r} matches {len(hits)} pages")
    return hits[0]


def load_seed(shared: Path) -> list[str]:
    """The article paragraphs of the seed repost, exactly as in the text file."""
    lines = [ln.strip() for ln in (shared / SEED_FILE).read_text(encoding="utf-8").splitlines()]
    lines = [ln for ln in lines if ln]
    start = next(i for i, ln in enumerate(lines) if ln.startswith(SEED_FIRST))
    end = lines.index(SEED_LAST)
    return lines[start : end + 1]


def _domain(url: str) -> str:
    host = urlsplit(url).hostname or "unknown"
    return host[4:] if host.startswith("www.") else host


def _write(path: Path, text: str, *, gz: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    if gz:
        with open(path, "wb") as fh:
            with gzip.GzipFile(filename="", mode="wb", fileobj=fh, mtime=0, compresslevel=9) as gzf:
                gzf.write(data)
    else:
        path.write_bytes(data)


def _short_name(slug: str, limit: int = 60) -> str:
    """A file name from a slug, cut at a word boundary."""
    if len(slug) <= limit:
        return slug
    return slug[: limit + 1].rsplit("-", 1)[0]


def _og_url(html: str) -> str | None:
    m = re.search(r"""<meta\b[^>]*\bproperty\s*=\s*["']og:url["'][^>]*>""", html, re.I)
    if not m:
        return None
    c = re.search(r"""content\s*=\s*["']([^"']*)["']""", m.group(0), re.I)
    return html_lib.unescape(c.group(1)) if c else None


def build(shared: Path, out: Path) -> list[Entry]:
    """Write the sample corpus into ``out``; return its entries (for the README)."""
    pages = load_benchmark(shared)
    seed = load_seed(shared)
    entries: list[Entry] = []
    jsonl_rows: list[tuple[str, str, str, str]] = []  # (url, html, role, source)

    def emit(rel: str | None, url: str, html: str, role: str, source: str, storage: str) -> None:
        if storage == "jsonl":
            jsonl_rows.append((url, html, role, source))
            return
        assert rel is not None
        gz = storage == "gz"
        rel_path = rel + (".gz" if gz else "")
        _write(out / rel_path, html, gz=gz)
        entries.append(Entry(rel_path, url, role, source))

    # a. The CNN origin on real cnn.com chrome.
    cnn_host = _page(pages, CNN_HOST)
    cnn_html = transplant(
        cnn_host.html,
        host_paragraphs=cnn_host.paragraphs,
        host_url=cnn_host.url,
        title=CNN_TITLE,
        paragraphs=seed,
        url=CNN_URL,
        published=CNN_PUBLISHED,
        canonical=CNN_URL,
        remove_xpath=CNN_REMOVE_XPATH,
    )
    emit(
        "cnn.com/hostage-deal-negotiations.html",
        CNN_URL,
        cnn_html,
        "**origin** (CNN article on real cnn.com chrome)",
        f"seed text in benchmark page `{cnn_host.sha[:12]}`",
        "html",
    )

    # b. The seed repost on the aggregator template.
    seed_post = AggregatorPost(
        title=CNN_TITLE,
        slug=slugify(CNN_TITLE),
        post_id=48229,
        paragraphs=tuple(seed),
        source_url=CNN_URL,
        published=AGG_SEED_PUBLISHED,
        read_minutes=2,
        views=25,
        previous="How Home Builder D.R. Horton Beat the Housing Bust",
        next="DoubleDown Interactive Co., Ltd. (DDI) Q3 2023 Earnings Call Transcript",
    )
    emit(
        f"{AGG_DOMAIN}/{_short_name(seed_post.slug)}.html",
        seed_post.url,
        render_aggregator_page(seed_post),
        "repost (aggregator, verbatim seed text, 'Read the full article here' link, no canonical to CNN)",
        f"`{SEED_FILE}`",
        "html",
    )

    # c. Same aggregator template, different articles.
    for spec in AGG_OTHER:
        src = _page(pages, spec.source)
        post = AggregatorPost(
            title=spec.title,
            slug=slugify(spec.title),
            post_id=spec.post_id,
            paragraphs=tuple(src.paragraphs),
            source_url=src.url,
            published=spec.published,
            read_minutes=spec.read_minutes,
            views=spec.views,
            previous=spec.previous,
            next=spec.next,
        )
        emit(
            f"{AGG_DOMAIN}/{_short_name(post.slug)}.html",
            post.url,
            render_aggregator_page(post),
            "same template, different article (must not match)",
            f"articleBody of benchmark page `{src.sha[:12]}` ({_domain(src.url)}, not in the corpus)",
            spec.storage,
        )

    # d. Reposts of the CNN article on other real sites' chrome.
    for rep in REPOSTS:
        host = _page(pages, rep.host)
        title, paras, extra = repost_text(rep.variant, seed)
        html = transplant(
            host.html,
            host_paragraphs=host.paragraphs,
            host_url=host.url,
            title=title,
            paragraphs=paras,
            url=rep.url,
            published=rep.published,
            canonical=rep.url,
            extra_after=extra,
            remove_xpath=rep.remove_xpath,
        )
        what = {
            "full": "seed text",
            "truncated": f"seed text (first {len(paras)} of {len(seed)} paragraphs)",
            "edited": "seed text, edited,",
        }[rep.variant]
        emit(rep.path, rep.url, html, rep.role, f"{what} in benchmark page `{host.sha[:12]}`",
             "jsonl" if rep.path is None else "html")

    # e + f. Real pages, unmodified.
    for prefix, name, storage, role in UNMODIFIED:
        page = _page(pages, prefix)
        html = ensure_og_url(page.html, page.url)
        url = _og_url(html) or page.url
        if storage == "jsonl":
            url = page.url
        emit(f"{_domain(page.url)}/{name}", url, html, role, f"benchmark page `{page.sha[:12]}`", storage)

    # g. The JSONL crawl export.
    lines = []
    for i, (url, html, role, source) in enumerate(jsonl_rows, start=1):
        lines.append(json.dumps({"url": url, "html": html, "fetched_at": FETCHED_AT}, ensure_ascii=False))
        entries.append(Entry(f"{JSONL_NAME} (line {i})", url, role, source))
    _write(out / JSONL_NAME, "\n".join(lines) + "\n")

    # h. LICENSE and README.
    shutil.copyfile(shared / BENCH_DIR / "LICENSE", out / "LICENSE")
    half = len(repost_text("truncated", seed)[1])
    _write(out / "README.md", render_readme(entries, half=half, total=len(seed)))
    return entries


def render_readme(entries: Sequence[Entry], *, half: int, total: int) -> str:
    rows = "\n".join(f"| `{e.path}` | {e.url} | {e.role} | {e.source} |" for e in entries)
    return f"""{GENERATED_MARK}
# Sample corpus

A small, realistic corpus for trying `syndicate` end to end: one news article
(CNN, 10 November 2023), the copies of it that other sites published, and
pages that share a copy's *template* or *topic* but not its text.

Expected result: the origin, the aggregator repost and the three reposts on
real news-site chrome form one syndication cluster, attributed to the CNN URL
{CNN_URL} . Nothing else should match: not the template twins (the real pages
whose chrome the reposts were built in), not the other pages on the aggregator
template, not the unrelated pages.

## Files

Folder input reads every `*.html` / `*.html.gz` and takes each page's URL from
`og:url` (every page has one) or its canonical link. `{JSONL_NAME}` is a crawl
export with one JSON object per line: `{{"url", "html", "fetched_at"}}`; pages
in it are not repeated as files.

| File | URL | Role | Made from |
|---|---|---|---|
{rows}

Notes on the synthetic pages:

- **Origin.** The article text is the seed repost's text (below). The page
  chrome is a real cnn.com article page from the benchmark (`ef4e67b66d63`,
  kept alongside as a template twin); its own article, headline, dates, URLs,
  description and JSON-LD were replaced, and its byline removed (rather than
  invent an author). CNN's related-video playlist, navigation and footer
  (from 2019) are left as they were.
- **Aggregator pages.** The seed file gives only the aggregator's visible
  chrome ("2 mins read", "25 views", "Read the full article here", "Leave a
  Reply", "Your email address will not be published.", "Previous Story" /
  "Next Story" with their titles, "Latest from Politics"); the WordPress-like
  markup around it is reconstructed from that text. `{AGG_DOMAIN}` stands in
  for the aggregator, whose real name the seed does not give. The three other
  posts on this template carry articles of benchmark pages that are *not* in
  the corpus; their "Read the full article here" links point to those absent
  originals. All four share the same navigation, comment form, "Latest from
  Politics" list and footer; only the article, title, dates and the
  "Previous Story" / "Next Story" titles differ.
- **Reposts on real chrome.** Made with `transplant()` in
  `benchmarks/transplant.py`: the host's article paragraphs are
  replaced by the new ones (keeping the host's markup), the title, URL,
  canonical (self), dates and JSON-LD are rewritten, and the script checks that
  none of the host's own article paragraphs remain. The repost URLs on
  deccanherald.com, nypost.com and albawaba.com are invented.
  - deccanherald.com: full copy plus a "Source: CNN" link, published 2023-11-11;
  - nypost.com: the first {half} of the {total} paragraphs plus "Continue reading at
    CNN", published 2023-11-12;
  - albawaba.com: new headline, an added intro sentence, one middle paragraph
    dropped, two "Advertisement" lines, straight quotes, and no date at all.
- **Unmodified pages** are byte-identical to the benchmark files except for an
  `og:url` meta added right after `<head>` when the page had none. They are
  chosen so that no two share a site or a story (the benchmark has several
  same-story groups, e.g. four "feather duvet lung" pages; at most one page of
  any group is here).

## Extraction check

`--check` (below) runs trafilatura's `bare_extraction(html, with_metadata=True)`
on every page. With trafilatura 2.3.1 the origin, all reposts (the paragraphs
each one keeps) and all aggregator posts extract completely, without the
aggregator chrome, and with the intended dates. Known quirks:

- the albawaba.com repost has no date at all; trafilatura then reports
  `2000-01-01`, taken from the footer's "© 2000 - 2019";
- the mensagensreflexao.com.br page (JSONL) extracts about 4.5 times its short
  article (excerpts of the site's other posts come along);
- politifact.com misses one ground-truth paragraph, the "Our ruling" heading.

## Provenance and licence

- Real pages: the article-extraction benchmark published by Scrapinghub (now
  Zyte), <https://github.com/scrapinghub/article-extraction-benchmark>, MIT
  License, copied here as `LICENSE`. The pages were crawled in 2018-2019.
- Seed text: `{SEED_FILE}`, a real repost of the CNN article on a news
  aggregator, as text.

## Rebuilding

```
python benchmarks/build_sample_corpus.py --shared /work/shared/corpora --out sample_corpus
```

The build is deterministic; re-running it reproduces these files exactly.
Add `--check` to also run trafilatura on every page and report whether the
article text is extracted.
"""


# --------------------------------------------------------------------------
# Optional check with trafilatura
# --------------------------------------------------------------------------


def _iter_corpus(out: Path) -> Iterable[tuple[str, str, str | None]]:
    for path in sorted(out.rglob("*")):
        if path.name.endswith(".html"):
            yield str(path.relative_to(out)), path.read_text(encoding="utf-8"), None
        elif path.name.endswith(".html.gz"):
            yield str(path.relative_to(out)), gzip.decompress(path.read_bytes()).decode("utf-8"), None
        elif path.suffix == ".jsonl":
            for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                row = json.loads(line)
                yield f"{path.name} (line {i})", row["html"], row["url"]


def check(shared: Path, out: Path) -> int:
    """Extract every page with trafilatura and report how much of its expected article is found.

    Expected text: for the origin and the reposts, the seed paragraphs the page
    carries; for the other aggregator posts, their benchmark article; for real
    pages, their benchmark ``articleBody``.  A page is flagged POOR when a
    paragraph is missing or the extracted text is 1.5 times longer than
    expected.  Returns 1 if a synthetic page (origin, repost, aggregator post)
    is poor, else 0; poor real pages are only reported.
    """
    import trafilatura

    seed = load_seed(shared)
    pages = load_benchmark(shared)
    failed = 0
    for path, html, url in _iter_corpus(out):
        url = url or _og_url(html) or ""
        doc = trafilatura.bare_extraction(html, url=url, with_metadata=True)
        text = (doc.text if doc is not None else "") or ""
        title = (doc.title if doc is not None else "") or ""
        date = (doc.date if doc is not None else "") or ""
        tkey = _key(_straight_quotes(text))
        synthetic = _domain(url) == AGG_DOMAIN or url == CNN_URL or url in {r.url for r in REPOSTS}
        if synthetic:
            vis = _key(_straight_quotes(visible_text(html)))
            want = [p for p in seed if _key(_straight_quotes(p)) in vis]
            if not want:  # other aggregator posts: their benchmark article
                want = next(
                    (p.paragraphs for p in pages.values() if all(_key(_straight_quotes(x)) in vis for x in p.paragraphs)),
                    [],
                )
        else:
            page = next((p for p in pages.values() if url in (p.url, _og_url(ensure_og_url(p.html, p.url)))), None)
            want = page.paragraphs if page else []
        found = sum(1 for p in want if _key(_straight_quotes(p)) in tkey)
        chars = sum(len(p) for p in want)
        ratio = len(text) / chars if chars else 0.0
        ok = bool(want) and found == len(want) and ratio < 1.5
        failed += int(synthetic and not ok)
        print(
            f"{'OK  ' if ok else 'POOR'} {path}\n"
            f"     paragraphs {found}/{len(want)}  extracted/expected chars {ratio:.2f}"
            f"  date={date!r}  title={title[:70]!r}"
        )
    return 1 if failed else 0


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=Path("/work/shared/corpora"), help="shared corpora directory")
    ap.add_argument("--out", type=Path, default=Path("sample_corpus"), help="output directory")
    ap.add_argument("--check", action="store_true", help="run trafilatura on the result and report")
    args = ap.parse_args(argv)
    if not (args.shared / BENCH_DIR / "ground-truth.json").is_file() or not (args.shared / SEED_FILE).is_file():
        ap.error(f"no {BENCH_DIR}/ or {SEED_FILE} in {args.shared}: the real data is in ../shared/corpora, not in the repository")
    out: Path = args.out
    if out.exists():
        readme = out / "README.md"
        if any(out.iterdir()) and not (readme.exists() and readme.read_text(encoding="utf-8").startswith(GENERATED_MARK)):
            print(f"refusing to overwrite {out}: not a corpus made by this script", file=sys.stderr)
            return 2
        shutil.rmtree(out)
    out.mkdir(parents=True)
    entries = build(args.shared, out)
    total = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(f"wrote {len(entries)} pages to {out} ({total / 1e6:.2f} MB)")
    if args.check:
        return check(args.shared, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
