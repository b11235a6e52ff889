"""The article a page carries, from one Resiliparse parse: :func:`extract`, the fast extraction (issue 18).

It fills the same :class:`~syndicate.extract.article.Article` as
``article.extract`` (text, links, title, author, site name, dates, language,
evidence, wall verdict) from a single ``HTMLTree`` parse, in a few
milliseconds a page instead of tens; trafilatura is not used.

The body
    Resiliparse's ``extract_plain_text(main_content=True)`` on the whole page
    keeps the article but also the chrome its rules do not know (photo
    captions, headline and byline blocks, "Most popular" lists, site blurbs
    after the article) and drops every ``<ul>`` (it takes them for menus).
    What is done about it, with the body F1 each step gives on the 131 pages
    of the article-extraction benchmark (``benchmarks/accuracy.py``'s
    scoring; ``article.extract`` scores 0.968 there):

    0. the whole page, main content: 0.934 (precision 0.889, recall 0.983);
    1. elements that are never the article are skipped: ``header`` and
       ``h1`` (the headline block), captions, newsletter boxes: 0.955 (an
       ``<h1>`` in the container that is not the headline, neither the
       page's first ``<h1>`` nor the title, is a heading of the text and
       stays);
    2. the *container*: the deepest element holding CONTAINER_SHARE of the
       text of the page's long ``<p>`` paragraphs (comment threads, ``nav``,
       ``aside`` and ``footer`` not counted). The whole page is extracted,
       then the body is reduced to the container and extracted again, from
       the same tree; the container's text is taken when it holds COVERAGE
       of the whole page's long lines (0.959), or when the long paragraphs
       hold PARAGRAPH_SHARE of them and the page's longest line is in the
       container (0.962). Taking the container always gives 0.958: articles
       written outside ``<p>`` (``<br>``-separated text) lose to a column
       of teasers. Where this view fails (measured on the corpora of
       ``accuracy.py``, whose copies sit in other sites' chrome): a ``<p>``
       holding ``<br>``-separated lines is a block of paragraphs, so its
       parent is the container; a page without long ``<p>`` (text in
       ``<div>``s) takes the element holding its ``[itemprop=articleBody]``;
       on a page of short lines (long lines at most SHORT_LINES_PAGE of its
       text: a calendar, lottery results, or an article the main-content
       rules dropped) the container must hold SHORT_PAGE_SHARE of the whole
       page's text, or more text than it; and the paragraph rule needs the
       container to hold HALF_COVERAGE of the long lines (not one paragraph
       of chrome longer than the article's). With the headings of step 1,
       the 131 pages go from 0.9688 to 0.9695, the corpus of seed 1 from
       0.956 to 0.962;
    3. the container's ``<ul>`` lists that are not mostly links become
       ``<ol>``, which Resiliparse keeps: 0.967 (recall 0.974 to 0.983);
    4. lines that are a link and nothing else ("MORE: ...", related
       headlines between paragraphs) and the placeholders ads and widgets
       leave ("Advertisement", "Read more") go: 0.969 (precision 0.956,
       recall 0.983). Control and format characters (ESC, a right-to-left
       override) are dropped, as trafilatura drops them.

    A page nested deeper than MAX_DEPTH (hostile or broken markup) is read
    without the main-content rules, whose cost grows with the square of the
    depth (2 s at 10,000 levels).

Metadata
    From the same tree: ``<meta>`` (OpenGraph, Twitter, Dublin Core and the
    other names htmldate reads), JSON-LD, ``<title>``, ``<h1>``, ``<time>``
    and ``<html lang>``; canonical link, og:url and modification time from
    ``article.head_meta``. The publication date is searched in the cheap
    places (JSON-LD ``datePublished``, the meta tags, ``<time datetime>`` in
    the article, the URL); ``htmldate.find_date`` parses the page again only
    when none of them has one (16 of the 131 benchmark pages), and the
    crawl record's own date (JSONL ``published_at``) comes last, as in
    ``article.extract``. A date is the instant the page gives, in UTC;
    htmldate (so ``article.extract``) takes the day in the URL first, which
    is the day before for an American evening story (5 of the 131 pages). Titles and site names follow
    trafilatura's order (og:title is kept as it is, a ``<title>`` loses its
    " | Site" suffix); the language is the first subtag of ``<html lang>``,
    og:locale or Content-Language ("en-US" -> "en"). Authors: JSON-LD (an
    ``{"@id"}`` reference read from the graph's Person), the author metas,
    ``itemprop``/``rel=author``, then the byline elements trafilatura reads
    (class ``author-name``, ``author``, ``byline``, a link to ``/author/``):
    115 of the 131 benchmark pages get one, ``article.extract`` 110.

Evidence
    Source links are found on Resiliparse's DOM by the rules of
    ``evidence.source_links`` (the same links on the sample corpus and the
    benchmark pages: tested), credit lines by ``evidence.credits`` on the
    text, walls by ``walls.judge_text``.
"""

from __future__ import annotations

import html as html_lib
import json
import re
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

from resiliparse.extract.html2text import extract_plain_text
from resiliparse.parse.encoding import bytes_to_str, detect_encoding
from resiliparse.parse.html import HTMLTree, NodeType

from .article import (MAX_ATTRIBUTES, Article, ExtractionError, Link, _DATE_PARAMS, _clean, _clean_text, _identity,
                      _plausible, _published, attribute_bomb, content_hash, domain_of, language_code)
from .evidence import (_SKIP_ANCESTORS, Evidence, canonical_elsewhere, clean_publisher, credits, link_evidence,
                       site_of, source_candidate)
from .walls import judge_text
from ..read.page import Page
from ..read.sniff import binary_reason

__all__ = ["extract"]

CONTAINER_SHARE = 0.7
"""The container is the deepest element holding this share of the long paragraphs' text."""
LONG_PARAGRAPH_CHARS = 80
"""A ``<p>`` this long counts for the container; shorter ones are bylines, captions and buttons."""
COVERAGE = 0.9
"""The container's text is taken when it holds this share of the characters of the whole page's long lines ..."""
PARAGRAPH_SHARE = 0.6
"""... or when the long paragraphs hold this share of them, the page's longest line is in the container ..."""
HALF_COVERAGE = 0.5
"""... and the container holds this share of them (not one paragraph of chrome longer than the article's paragraphs)."""
SHORT_LINES_PAGE = 0.5
"""A page whose long lines are at most this share of its text is a page of short lines (a calendar, a list of results) ..."""
SHORT_PAGE_SHARE = 0.6
"""... whose container's text is taken when it holds this share of the whole page's text, or more text than it."""
LONG_LINE_WORDS = 12
LONG_LINE_CHARS = 100
"""A long line of the extracted text: this many words, or characters (scripts without spaces)."""
MAX_DEPTH = 256
"""Deeper pages are read without Resiliparse's main-content rules (no real page of the benchmarks is deeper than 128)."""
LINK_LINE_SHARE = 0.9
"""A line whose link text is this share of its text is a link, not a paragraph."""

_OPTIONS = dict(preserve_formatting="minimal_html", links=True, alt_texts=False, list_bullets=False, comments=False,
                post_meta=False, form_fields=False, noscript=False)


_SKIP = ("header", "h1", "figcaption",
         ":is(div,section,span,p,ul,ol,li,aside,figure):is([class*=caption],[class*=newsletter],[class*=subscribe],"
         "[id*=caption],[id*=newsletter])")
"""Elements that are never the article: the headline block, photo captions, newsletter boxes."""
_NOT_COUNTED = ", ".join(f"{sel} p" for sel in (
    "[id^=comment]", "[class^=comment]", "[class*=comments]", "[id*=comments]", "[class*=comment-list]",
    "[class*=commentlist]", "#respond", "#disqus_thread", "nav", "aside", "footer"))
_COUNTED_PARAGRAPHS = f"p:not({_NOT_COUNTED})"
_DEEP = "*" + " > *" * MAX_DEPTH
_PLACEHOLDERS = {
    "advertisement", "advertisements", "advertising", "ad", "ads", "sponsored", "sponsored content", "story continues below",
    "story continues below advertisement", "article continues below advertisement", "continue reading below",
    "continue reading the main story", "continue reading", "read more", "read more below", "skip advertisement",
    "scroll to continue with content", "click here", "see more", "show more", "don't miss", "related", "related articles",
    "related stories", "related content", "more on this", "more from", "recommended", "recommended stories",
    "trending", "trending now", "popular", "most popular", "share this article", "share", "share this", "tweet",
    "email", "print", "comments", "comment", "loading", "anzeige", "werbung", "publicité",
    "publicidad", "pubblicità", "реклама", "广告",
}
"""Lines that are only what an ad, a widget or a button leaves in the text."""

_TAG = re.compile(r"<[^>]*>")
_ANCHOR = re.compile(r'<a href="([^"]*)">(.*?)</a>', re.DOTALL)


class _Line:
    __slots__ = ("text", "anchors", "link_chars")

    def __init__(self, text: str, anchors: list[tuple[str, str]], link_chars: int) -> None:
        self.text = text
        self.anchors = anchors
        self.link_chars = link_chars


def extract(page: Page) -> Article:
    """The article a page carries, with the evidence of where it came from, as ``article.extract`` gives it.

    An Article with empty text when the page has none. Raises ExtractionError
    for input that is not a web page (binary, empty, unparseable), and for
    nothing else.
    """
    chash = content_hash(page)
    url, canonical, modified, crawled = _identity(page)
    base = dict(url=url, crawled_url=crawled, domain=domain_of(url), content_hash=chash, source=page.source,
                record=page.record, fetched_at=page.fetched_at, canonical_url=canonical, modified_at=modified)
    if page.html is None:
        wall = judge_text(_clean_text(page.text or ""), page.title)
        return Article(extract_mode="fast", text=wall.text, title=page.title, evidence=tuple(credits(wall.text)),
                       published_at=_plausible(page.published_at), status_reason=wall.reason, **base)
    if not page.html or not (page.html.strip() if isinstance(page.html, str) else page.html.strip()):
        raise ExtractionError("empty page")
    if (why := binary_reason(page.html)):
        raise ExtractionError(why)
    try:
        html = _decode(page.html)
        if attribute_bomb(html):
            raise ExtractionError(f"not parseable as HTML: an element with over {MAX_ATTRIBUTES:,} attributes")
        tree = _parse(html)
        body = tree.body
        if body is None or _dubious(html, body):
            raise ExtractionError("not parseable as HTML")
        meta = _Meta(tree, url)
        links_to_source = _source_links(tree, url)
        text, links, article_node_date = _body(tree, body, url, meta.title)
        published = meta.published or article_node_date or _url_date(canonical or url)
        if published is None:
            published = _htmldate(html, url) or _plausible(page.published_at)  # the crawl record's date comes last
    except ExtractionError:
        raise
    except Exception as exc:  # noqa: BLE001 - a hostile page may break any part; it is one page's error
        detail = str(exc).splitlines()[0] if str(exc) else ""
        raise ExtractionError(f"extraction failed: {type(exc).__name__}: {detail}".rstrip(": ")) from None
    evidence = links_to_source + canonical_elsewhere(url, canonical)
    title = meta.title
    wall = judge_text(text, title)
    text = wall.text
    return Article(
        extract_mode="fast",
        text=text,
        status_reason=wall.reason,
        title=title,
        author=meta.author,
        sitename=meta.sitename,
        published_at=published,
        language=meta.language,
        links=links,
        evidence=tuple(evidence + credits(text)),
        **base,
    )


# --- decoding and parsing -------------------------------------------------------------------------


def _decode(data: str | bytes) -> str:
    """The page as text: UTF-8 when it is valid UTF-8, else the encoding its bytes show (not the one it declares:
    a page that fails as UTF-8 often declares it), nearly-UTF-8 pages repaired."""
    if isinstance(data, str):
        return data
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    encoding = (detect_encoding(data) or "utf-8").lower()
    if encoding.replace("-", "") == "utf8":
        repaired = data.decode("utf-8", "replace")
        if repaired.count("\ufffd") * 100 < len(repaired):  # a few broken sequences in a UTF-8 page
            return repaired
        encoding = detect_encoding(data, from_html_meta=True) or "cp1252"
    return bytes_to_str(data, encoding, errors="replace")


def _parse(html: str) -> HTMLTree:
    try:
        return HTMLTree.parse(html)
    except UnicodeEncodeError:  # a str with lone surrogates
        return HTMLTree.parse(html.encode("utf-8", "replace").decode("utf-8"))


def _dubious(html: str, body: object) -> bool:
    """Not a web page: no ``html`` in its first 50 characters and fewer than two elements (trafilatura's test)."""
    if "html" in html[:50].lower():
        return False
    elements = body.get_elements_by_tag_name("*")  # type: ignore[attr-defined]
    return len(elements) < 2


# --- the body ---------------------------------------------------------------------------------------


def _body(tree: HTMLTree, body: object, url: str, title: str | None) -> tuple[str, tuple[Link, ...], datetime | None]:
    """The article's text (one paragraph a line), its links, and the date of a ``<time>`` in the article."""
    deep = body.query_selector(_DEEP) is not None  # type: ignore[attr-defined]
    node, paragraphs = (None, 0) if deep else _container(body)
    when = _time_in(body, node)
    if node is not None:
        _keep_lists(tree, node)
        _keep_headings(tree, body, node, title)
    whole = _lines(extract_plain_text(tree, main_content=not deep, skip_elements=_SKIP, **_OPTIONS))
    lines = whole
    if node is not None:
        body.replace_children(node)  # type: ignore[attr-defined]
        inside = _lines(extract_plain_text(tree, main_content=True, skip_elements=_SKIP, **_OPTIONS))
        if _take_container(whole, inside, paragraphs):
            lines = inside
    kept = [line for line in lines if not _chrome_line(line)]
    links: list[Link] = []
    for line in kept:
        for href, anchor in line.anchors:
            target = html_lib.unescape(href).strip()
            if target and not target.startswith(("#", "javascript:", "mailto:")):
                try:
                    target = urljoin(url, target)
                except ValueError:  # "http://[::1": a broken link is left out, not the page
                    continue
                links.append(Link(url=target, text=" ".join(html_lib.unescape(_TAG.sub("", anchor)).split())))
    return "\n".join(line.text for line in kept), tuple(links), when


def _container(body: object) -> tuple[object | None, int]:
    """The deepest element holding CONTAINER_SHARE of the long paragraphs' text (None when there are none), and their length."""
    contained: dict[object, int] = {}
    depth: dict[object, int] = {}
    total = 0
    chains: dict[object, tuple[object, ...]] = {}

    def chain(node: object) -> tuple[object, ...]:
        """The element and its ancestors, nearest first (each parent read once: a node's wrapper costs microseconds)."""
        path = []
        while node is not None and node not in chains and node.type == NodeType.ELEMENT:  # type: ignore[attr-defined]
            path.append(node)
            node = node.parent  # type: ignore[attr-defined]
        known = chains.get(node, ()) if node is not None else ()
        for i in range(len(path) - 1, -1, -1):
            known = (path[i], *known)
            chains[path[i]] = known
        return known

    for p in body.query_selector_all(_COUNTED_PARAGRAPHS).values():  # type: ignore[attr-defined]
        size = len(p.text or "")
        if size < LONG_PARAGRAPH_CHARS:
            continue
        total += size
        nodes = chain(p)
        for i, node in enumerate(nodes):
            contained[node] = contained.get(node, 0) + size
            depth[node] = len(nodes) - i
    if not total:
        return _marked_body(body, chain), 0
    best = max((n for n, size in contained.items() if size >= CONTAINER_SHARE * total), key=depth.__getitem__)
    if best.tag == "p" and best.query_selector("br") is not None and best.parent is not None:
        best = best.parent  # paragraphs written as lines of one <p> (<br>-separated): the article is around it
    return (None if best.tag in ("body", "html") else best), total


def _marked_body(body: object, chain: Callable[[object], tuple[object, ...]]) -> object | None:
    """The element holding every ``[itemprop=articleBody]`` of the page (schema.org's mark of the article's text), for a
    page without long ``<p>`` paragraphs (text in ``<div>``s); None when there is none, or only ``<body>``."""
    marked = body.query_selector_all("[itemprop=articleBody]").values()  # type: ignore[attr-defined]
    common: tuple[object, ...] | None = None
    for node in marked:
        ancestors = chain(node)
        if common is not None:
            shared = set(common)
            ancestors = tuple(n for n in ancestors if n in shared)
        common = ancestors
    if not common or common[0].tag in ("body", "html"):
        return None
    return common[0]


def _keep_headings(tree: HTMLTree, body: object, node: object, title: str | None) -> None:
    """``<h1>`` is skipped as the headline; in the article, an ``<h1>`` that is not the headline (not the page's first
    ``<h1>``, its text not the title's) is a heading of the text (a post written in Markdown) and becomes ``<h2>``."""
    headline = body.query_selector("h1")  # type: ignore[attr-defined]
    key = _letters(title)
    for h1 in node.query_selector_all("h1").values():  # type: ignore[attr-defined]
        own = _letters(h1.text)
        if h1 == headline or not own or not key or own in key or key in own:
            continue
        h2 = tree.create_element("h2")
        if h2 is not None:
            h2.append(*h1.child_nodes.values())
            h1.replace_with(h2)


def _letters(text: str | None) -> str:
    return "".join(c for c in (text or "").casefold() if c.isalnum())


def _keep_lists(tree: HTMLTree, node: object) -> None:
    """Resiliparse drops ``<ul>`` as navigation; in the article, a list that is not mostly links becomes ``<ol>``."""
    for ul in node.query_selector_all("ul").values():  # type: ignore[attr-defined]
        size = len(ul.text or "")
        if not size or sum(len(a.text or "") for a in ul.get_elements_by_tag_name("a").values()) > 0.5 * size:
            continue
        ol = tree.create_element("ol")
        if ol is not None:
            ol.append(*ul.child_nodes.values())
            ul.replace_with(ol)


def _lines(markup: str) -> list[_Line]:
    """The lines of ``extract_plain_text(preserve_formatting="minimal_html", links=True)``: text, anchors, link length."""
    out = []
    for raw in markup.split("\n"):
        if "<" in raw:
            anchors = _ANCHOR.findall(raw)
            text = " ".join(html_lib.unescape(_TAG.sub("", raw)).split())
            link_chars = sum(len(" ".join(html_lib.unescape(_TAG.sub("", a)).split())) for _, a in anchors)
        else:
            anchors, text, link_chars = [], " ".join(html_lib.unescape(raw).split()), 0
        if text and not text.isprintable():  # control and format characters (ESC, RTL override), as trafilatura drops them
            text = " ".join("".join(c for c in text if c.isprintable() or c.isspace()).split())
        if text:
            out.append(_Line(text, anchors, link_chars))
    return out


def _is_long(text: str) -> bool:
    return len(text) >= LONG_LINE_CHARS or text.count(" ") + 1 >= LONG_LINE_WORDS


def _take_container(whole: list[_Line], inside: list[_Line], paragraphs: int) -> bool:
    """Whether the container's lines are the article rather than the whole page's (``paragraphs``: the long ``<p>`` text)."""
    long_lines = [line.text for line in whole if _is_long(line.text)]
    need = sum(map(len, long_lines))
    texts = {line.text for line in inside}
    lines = [line.text for line in whole if not _chrome_line(line)]
    chars = sum(map(len, lines))
    if need <= SHORT_LINES_PAGE * chars:  # a page of short lines (a calendar, results), or none: the long lines say little
        if sum(len(line.text) for line in inside if not _chrome_line(line)) >= chars:
            return bool(inside)  # the main-content rules dropped text outside the container
        return sum(len(t) for t in lines if t in texts) >= SHORT_PAGE_SHARE * chars
    have = sum(len(t) for t in long_lines if t in texts)
    if have >= COVERAGE * need:
        return True
    return have >= HALF_COVERAGE * need and paragraphs >= PARAGRAPH_SHARE * need and max(long_lines, key=len) in texts


def _chrome_line(line: _Line) -> bool:
    """A short line that is one link, or only a placeholder ("Advertisement", "Read more", "Share")."""
    if line.link_chars >= LINK_LINE_SHARE * len(line.text) and not _is_long(line.text):
        return True
    return len(line.text) <= 40 and line.text.casefold().strip(" .:…-–—|>»") in _PLACEHOLDERS


# --- metadata ---------------------------------------------------------------------------------------

_TITLE_NAMES = ("og:title", "twitter:title", "dc.title", "dcterms.title", "parsely-title", "sailthru.title", "title",
                "headline")
_SITE_NAMES = ("og:site_name", "article:publisher", "dc.publisher", "dc:publisher", "dcterms.publisher", "publisher",
               "sailthru.publisher", "rbpubname", "application-name", "twitter:site")
_AUTHOR_NAMES = ("author", "article:author", "og:article:author", "dc.creator", "dcterms.creator", "byl",
                 "parsely-author", "sailthru.author", "citation_author")
_DATE_NAMES = {
    "article:published_time", "og:published_time", "og:article:published_time", "article:published", "datepublished",
    "pubdate", "publishdate", "publish_date", "publish-date", "published_date", "published-date", "published_time",
    "publication_date", "date", "dc.date", "dc.date.issued", "dc.date.created", "dc.date.publication", "dcterms.date",
    "dcterms.issued", "dcterms.created", "dc:date", "dc:created", "dc.created", "sailthru.date", "parsely-pub-date",
    "article.published", "article.created", "article_date_original", "article:post_date", "article:published_date",
    "article:publicationdate", "citation_date", "citation_publication_date", "date_published", "date_created",
    "datecreated", "dateposted", "displaydate", "originalpublicationdate", "og:pubdate", "og:publish_date",
    "og:datepublished", "rnews:datepublished", "cxenseparse:recs:publishtime", "bt:pubdate", "rbpubdate",
    "release_date", "publisheddate", "content_create_date", "dcsext.articlefirstpublished", "vr:published_time",
    "mediator_published_time", "shareaholic:article_published_time", "twt-published-at", "doc_date",
}
"""The meta names and properties htmldate takes for a publication date (its DATE_ATTRIBUTES, less the loosest)."""
_ARTICLE_TYPES = ("article", "posting", "report", "story", "review", "webpage", "liveblog")
_TITLE_SUFFIX = re.compile(r"^(.+?)\s+[|–—·•»~:-]{1,2}\s+[^|–—·•»~]{1,60}$")
_DATE_IN_URL = re.compile(r"\D((?:19|20)\d{2})[/_-](0?[1-9]|1[0-2])[/_-](0?[1-9]|[12]\d|3[01])(?:\D|$)")
_JSON_PUBLISHED = re.compile(r'"datePublished"\s*:\s*"([^"]{8,40})"')
_JSON_PUBLISHER_NAME = re.compile(r'"publisher"\s*:\s*\{[^{}]*?"name"\s*:\s*"([^"\\]{2,80})"')
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")
_BY = re.compile(r"^(?:(?:analysis|opinion|commentary|story|text|words)\s+)?(?:by|von|par|por|di|door)\s+", re.IGNORECASE)
_AUTHOR_SPLIT = re.compile(r"\s*(?:[,;&|/]|\band\b|\bund\b|\bet\b|\by\b|\be\b)\s*")
_BYLINES = ("[class*=author-name], [class*=authorName], [class*=AuthorName]",
            "a[class*=author], .author a", ".author, #author, .byline",
            'a[href*="/author/"]')
"""Byline elements, the most specific first (trafilatura's author XPaths, in short)."""
_EMAIL = re.compile(r"\S+@\S+\.\w+")


class _Meta:
    """Title, author, site name, publication date and language, from the head and JSON-LD of one tree."""

    def __init__(self, tree: HTMLTree, url: str) -> None:
        names: dict[str, str] = {}
        doc = tree.document
        scripts = []
        for meta in doc.query_selector_all('meta, script[type="application/ld+json"]').values():  # type: ignore[union-attr]
            if meta.tag == "script":
                scripts.append(meta.text or "")
                continue
            content = meta.get_attribute("content")
            if content is None:
                content = meta.get_attribute("datetime")
            if not content or not content.strip():
                continue
            for attr in ("property", "name", "itemprop", "http-equiv"):
                key = meta.get_attribute(attr)
                if key:
                    key = key.strip().lower()
                    if key not in names:
                        names[key] = content.strip()
        ld = _json_ld(scripts)
        self.sitename = self._sitename(names, ld, tree, url)
        self.title = self._title(tree, names, ld)
        self.author = self._author(names, ld, doc)
        self.published = self._published(names, ld, doc)
        self.language = self._language(doc, names)

    @staticmethod
    def _title(tree: HTMLTree, names: dict[str, str], ld: dict[str, object]) -> str | None:
        """og:title, twitter:title and the other title metas, JSON-LD's headline; else the page's only ``<h1>``,
        its ``<title>`` without the site's name, its first ``<h1>`` (trafilatura's order)."""
        for value in [*(names.get(key) for key in _TITLE_NAMES), ld.get("headline")]:
            title = _clean(value)
            if title:
                return title
        body = tree.body
        h1s = body.get_elements_by_tag_name("h1") if body is not None else None
        if h1s is not None and len(h1s) == 1:
            title = _clean(h1s[0].text)
            if title:
                return title
        title = _clean(tree.title)
        if title:
            return _strip_site(title)
        return _clean(h1s[0].text) if h1s else None

    @staticmethod
    def _author(names: dict[str, str], ld: dict[str, object], doc: object) -> str | None:
        """JSON-LD's author names, else the author metas (not a URL), else a ``rel=author`` or ``itemprop=author``
        element, else a byline element (_BYLINES, in that order); "By A and B, Agency" -> "A; B; Agency"."""
        found = _names(ld.get("author"))
        if not found:
            found = [v for v in (_clean(names.get(key)) for key in _AUTHOR_NAMES) if v and not _is_url(v)][:1]
        if not found:
            selector = "[itemprop=author] [itemprop=name], [itemprop=author], a[rel=author]"
            node = doc.query_selector(selector)  # type: ignore[attr-defined]
            if node is not None:
                found = [node.text or ""]
        for selector in _BYLINES if not found else ():
            node = doc.query_selector(selector)  # type: ignore[attr-defined]
            line = _first_line(node) if node is not None else ""
            if line.strip():
                found = [line]
                break
        authors = []
        for value in found:
            for name in _AUTHOR_SPLIT.split(_BY.sub("", _clean(value) or "")):
                name = name.strip(" .,;:|-–—")
                if 2 <= len(name) <= 80 and name not in authors and not _is_url(name) and not _EMAIL.fullmatch(name):
                    authors.append(name)
        return "; ".join(authors[:6]) or None

    @staticmethod
    def _sitename(names: dict[str, str], ld: dict[str, object], tree: HTMLTree, url: str) -> str | None:
        """The site's name in trafilatura's order, through ``clean_publisher``.

        og:site_name, the publisher metas, application-name / twitter:site;
        JSON-LD's publisher when it is longer ("The Hill" over "TheHill"); a
        part of ``<title>`` that is a domain ("SpaceNews.com"); the host.
        """
        name = next((v for v in (_clean(names.get(key)) for key in _SITE_NAMES) if v and not _is_url(v)), None)
        name = name.lstrip("@/ ") or None if name else None  # twitter:site "@usatoday", "/CBSDetroit"
        publishers = _names(ld.get("publisher"))
        if not publishers:
            publishers = [m.group(1) for script in ld.get("_scripts", ()) for m in _JSON_PUBLISHER_NAME.finditer(script)][:1]
        for value in publishers:
            value = _clean(value)
            if value and (name is None or len(value) > len(name)):
                name = value
                break
        if name is None:
            title = _clean(tree.title)
            m = _TITLE_SUFFIX.match(title) if title else None
            parts = (title[:m.end(1)], title[m.end(1):].strip(" |–—·•»~:-")) if m else ()
            name = next((part for part in parts if "." in part.strip(".")), None)
        if name is None:
            name = domain_of(url) or None
        if name:
            name = name.lstrip("@")
            if name and "." not in name and not name[0].isupper():
                name = name.title()  # "comwrap" -> "Comwrap", as trafilatura writes a site name
        return clean_publisher(name)

    @staticmethod
    def _published(names: dict[str, str], ld: dict[str, object], doc: object) -> datetime | None:
        when = _date(ld.get("datePublished")) or _date(ld.get("dateCreated"))
        if when:
            return when
        for key, value in names.items():
            if key in _DATE_NAMES:
                when = _date(value)
                if when:
                    return when
        for node in doc.query_selector_all("[itemprop=datePublished]").values():  # type: ignore[attr-defined]
            when = _date(node.get_attribute("datetime") or node.get_attribute("content") or node.text)
            if when:
                return when
        for script in ld.get("_scripts", ()):  # JSON-LD that did not parse
            m = _JSON_PUBLISHED.search(script)
            if m:
                when = _date(m.group(1))
                if when:
                    return when
        return None

    @staticmethod
    def _language(doc: object, names: dict[str, str]) -> str | None:
        root = doc.document_element  # type: ignore[attr-defined]
        values = [root.get_attribute("lang"), root.get_attribute("xml:lang")] if root is not None else []
        values += [names.get("og:locale"), names.get("content-language"), names.get("language"), names.get("dc.language")]
        return language_code(values)


def _strip_site(title: str) -> str:
    """A ``<title>`` without its " | Site" / " - Site" suffix (whole when what is left would be one word)."""
    m = _TITLE_SUFFIX.match(title)
    return m.group(1).strip() if m and len(m.group(1).split()) >= 2 else title


def _is_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://", "www."))


def _json_ld(scripts: list[str]) -> dict[str, object]:
    """The first article-like object of the page's JSON-LD (headline, author, publisher, dates), merged over the rest."""
    found: dict[str, object] = {}
    broken: list[str] = []
    named: dict[str, object] = {}  # "@id" -> the object with a name (a Person of a Yoast-style graph)
    for text in scripts:
        if not text.strip():
            continue
        try:
            data = json.loads(text, strict=False)
        except RecursionError:
            continue
        except ValueError:
            try:  # trailing commas, the usual fault of hand-written JSON-LD
                data = json.loads(_TRAILING_COMMA.sub(r"\1", text), strict=False)
            except (ValueError, RecursionError):
                broken.append(text[:100_000])
                continue
        for item in _items(data):
            ident = item.get("@id")
            if isinstance(ident, str) and item.get("name"):
                named.setdefault(ident, item)
            kind = item.get("@type")
            kinds = " ".join(map(str, kind if isinstance(kind, list) else [kind])).lower()
            if not any(word in kinds for word in _ARTICLE_TYPES):
                if "organization" in kinds and "name" in item and "_org" not in found:
                    found["_org"] = item.get("name")
                continue
            for key in ("headline", "author", "publisher", "datePublished", "dateCreated"):
                if key not in found and item.get(key):
                    found[key] = item[key]
    if "author" in found:
        found["author"] = _by_id(found["author"], named)
    if "publisher" not in found and "_org" in found:
        found["publisher"] = found["_org"]
    found["_scripts"] = broken
    return found


def _first_line(node: object) -> str:
    """An element's text up to its first line break or date ("by Jeff Foust<br><span>Monday, ...</span>")."""
    parts = []
    for child in node.child_nodes.values():  # type: ignore[attr-defined]
        if child.type == NodeType.ELEMENT and (child.tag in ("br", "time", "div", "p")
                                               or "date" in (child.getattr("class") or "").lower()):
            break
        parts.append(child.text or "")
    return " ".join(" ".join(parts).split())


def _by_id(value: object, named: dict[str, object]) -> object:
    """An ``{"@id": ...}`` reference (or a list of them) replaced by the graph's object of that id."""
    if isinstance(value, dict) and "name" not in value and isinstance(value.get("@id"), str):
        return named.get(value["@id"], value)
    if isinstance(value, list):
        return [_by_id(item, named) for item in value[:10]]
    return value


def _items(data: object, depth: int = 0):
    """Every JSON object of a JSON-LD document (lists and @graph walked), at most a few levels deep."""
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data[:50]:
            yield from _items(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        graph = data.get("@graph")
        if graph is not None:
            yield from _items(graph, depth + 1)
        main = data.get("mainEntity")
        if isinstance(main, (dict, list)):
            yield from _items(main, depth + 1)


def _names(value: object) -> list[str]:
    """Names in a JSON-LD author or publisher: a string, an object with a name, or a list of either."""
    if isinstance(value, str):
        return [value] if not value.lower().startswith(("http://", "https://")) else []
    if isinstance(value, dict):
        name = value.get("name")
        return _names(name) if isinstance(name, (str, list)) else []
    if isinstance(value, list):
        return [n for item in value[:10] for n in _names(item)]
    return []


def _time_in(body: object, container: object | None) -> datetime | None:
    """The date of the first ``<time datetime>`` (one marked ``pubdate`` first) in the article: the ``<article>`` holding
    the container, else the page's first ``<article>``, else the container's parent."""
    scopes = []
    if container is not None:
        scopes.append(container.closest("article"))  # type: ignore[attr-defined]
    scopes.append(body.query_selector("article"))  # type: ignore[attr-defined]
    if container is not None:
        scopes.append(container.parent)  # type: ignore[attr-defined]
    for scope in scopes:
        if scope is not None and scope.type == NodeType.ELEMENT:
            found = scope.query_selector("time[pubdate][datetime]") or scope.query_selector("time[datetime]")
            if found is not None:
                return _date(found.get_attribute("datetime"))
    return None


_ISO_DAY = re.compile(r"^\s*((?:19|20)\d{2})[-/.]?(0[1-9]|1[0-2])[-/.]?(0[1-9]|[12]\d|3[01])\b")


def _date(value: object) -> datetime | None:
    """A publication date from a metadata value (ISO 8601, RFC 2822, or a day first), None when absent or implausible."""
    if isinstance(value, list):
        value = value[0] if value else None
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    when = None
    try:
        when = _published(value)
    except (ValueError, OverflowError):
        when = None
    if when is None and "," in value:
        try:
            when = parsedate_to_datetime(value)
            when = when.replace(tzinfo=timezone.utc) if when.tzinfo is None else when.astimezone(timezone.utc)
        except (TypeError, ValueError, IndexError, OverflowError):
            when = None
    if when is None:
        m = _ISO_DAY.match(value)
        if m:
            try:
                when = datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)), tzinfo=timezone.utc)
            except ValueError:
                when = None
    if when is None or when.year < 1995 or when > datetime.now(timezone.utc) + timedelta(days=2):
        return None
    return when


def _url_date(url: str | None) -> datetime | None:
    """The day in a URL's path ("/2019/11/18/"), the last cheap source."""
    if not url:
        return None
    try:
        path = urlsplit(url).path
    except ValueError:
        return None
    m = _DATE_IN_URL.search(path)
    if not m:
        return None
    try:
        when = datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)), tzinfo=timezone.utc)
    except ValueError:
        return None
    return when if when <= datetime.now(timezone.utc) + timedelta(days=2) else None


def _htmldate(html: str, url: str) -> datetime | None:
    """htmldate's date (the search article.extract makes), for pages without a date in the cheap places."""
    from htmldate import find_date

    try:
        found = find_date(html, url=url if url.startswith("http") else None, **_DATE_PARAMS)
    except Exception:  # noqa: BLE001 - htmldate on hostile input; no date is the answer
        return None
    return _published(found)


# --- evidence ---------------------------------------------------------------------------------------


def _source_links(tree: HTMLTree, page_url: str) -> list[Evidence]:
    """``evidence.source_links`` on Resiliparse's DOM: links whose text or context says they lead to the source."""
    own = site_of(page_url)
    found: list[Evidence] = []
    seen: set[str] = set()
    skip = ", ".join(sorted(_SKIP_ANCESTORS))
    for a in tree.document.query_selector_all(_candidate_links(own)).values():  # type: ignore[union-attr]
        href = (a.get_attribute("href") or "").strip()
        anchor = " ".join((a.text or "").split())
        site = source_candidate(href, anchor, lambda a=a: _text_before(a), own)
        if site is None:
            continue
        parent = a.parent
        if parent is not None and parent.type == NodeType.ELEMENT and parent.closest(skip) is not None:
            continue
        evidence = link_evidence(href, page_url, site, anchor, _text_before(a), seen)
        if evidence is not None:
            found.append(evidence)
    return found


def _candidate_links(own: str) -> str:
    """A CSS selector for the links that may lead to a source: absolute, and not to the page's own site.

    Only links that ``evidence.source_links`` skips anyway are left out (an
    href starting with the page's own host, www. or not); the rules run on
    the rest. Each link handed to Python costs microseconds, and most
    absolute links of a page are internal.
    """
    if not re.fullmatch(r"[\w.-]+", own):
        return 'a[href*="//"]'
    prefixes = (f"{scheme}{www}{own}/" for scheme in ("https://", "http://", "//") for www in ("", "www."))
    return 'a[href*="//"]' + "".join(f':not([href^="{prefix}" i])' for prefix in prefixes)


_NOT_ELEMENTS = (NodeType.TEXT, NodeType.CDATA_SECTION, NodeType.COMMENT, NodeType.PROCESSING_INSTRUCTION)


def _text_before(a: object) -> str:
    """The text right before the anchor in its block, as ``evidence._text_before`` reads it on lxml."""
    parts: list[str] = []
    node = a.prev  # type: ignore[attr-defined]
    while node is not None and node.type in _NOT_ELEMENTS:  # trafilatura's parser drops comments: text runs on
        if node.type == NodeType.TEXT:
            parts.append(node.text or "")
        node = node.prev
    if node is not None and node.type == NodeType.ELEMENT:
        parts.append(node.text or "")
    return " ".join("".join(reversed(parts)).split())[-80:]
