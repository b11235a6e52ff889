#!/usr/bin/env python3
"""Put an article into a real host page in place of the host's own article.

:func:`transplant` is the building block of the benchmark generators in this
folder (``build_sample_corpus.py``, ``corpus.py``): given a real news page and
the paragraphs of its own article (e.g. the article-extraction benchmark's
``articleBody`` split on newlines), it rewrites the page so that it carries
another article -- paragraphs, headline, description, URL, canonical link,
dates and JSON-LD -- while keeping the host site's chrome.  The result is
verified (new paragraphs visible, no host paragraph left) or
:class:`TransplantError` is raised.

Also here: :func:`visible_text` (the text a browser would render, roughly),
:func:`ensure_og_url`, :func:`straight_quotes` and :func:`slugify`.

Measures nothing and is not run on its own: a module, no data of its own
(its callers pass it the real pages of
``../shared/corpora/article-extraction-benchmark``, beside the clone and not
in the repository), no run time of its own (a page takes milliseconds).

Import it as ``from transplant import transplant`` with ``benchmarks/`` on
``sys.path`` (as it is when a script in ``benchmarks/`` is run).  Needs lxml.
"""

from __future__ import annotations

import datetime as dt
import difflib
import html as html_lib
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Sequence
from urllib.parse import quote, quote_plus, urlsplit

import lxml.html

__all__ = [
    "TransplantError",
    "transplant",
    "ensure_og_url",
    "visible_text",
    "straight_quotes",
    "slugify",
]


class TransplantError(ValueError):
    """The host page could not be rewritten cleanly."""


#: Tags whose text is never rendered.
_INVISIBLE_TAGS = frozenset({"script", "style", "noscript", "template", "textarea", "svg", "head", "title"})
#: Inline tags: a paragraph match on one of these is promoted to its block parent.
_INLINE_TAGS = frozenset(
    {
        "a", "abbr", "b", "bdi", "bdo", "big", "br", "cite", "code", "del", "dfn", "em", "font",
        "i", "ins", "kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup",
        "time", "tt", "u", "var", "wbr",
    }
)
_META_DATE_NAME = re.compile(r"(date|time|publish|modified|updated|created|issued)", re.I)
_META_DATE_EXCLUDE = re.compile(r"(expir|timezone|time_?zone|ttl|refresh|reading|duration|viewport)", re.I)
_DATEISH_ATTR = re.compile(r"(date|time|stamp|publish|posted|updated|dateline)", re.I)
_DATE_PREFIX = re.compile(r"^\s*(published|posted|updated|last updated|first published|date)\b", re.I)
_JSONLD_DATE_KEYS = frozenset({"datePublished", "dateModified", "dateCreated", "uploadDate", "dateline"})
_JSONLD_DROP_KEYS = frozenset({"articleBody", "text", "keywords", "wordCount", "speakable"})
_JSONLD_TITLE_KEYS = frozenset({"headline", "alternativeHeadline"})
_ARTICLE_TYPES = re.compile(r"(Article|BlogPosting|Report|WebPage|NewsArticle|Posting)$")
_TITLE_METAS = frozenset(
    {"og:title", "twitter:title", "twitter:text:title", "title", "headline", "alternativeheadline",
     "sailthru.title", "parsely-title"}
)
_TOPIC_METAS = frozenset({"keywords", "news_keywords", "article:tag", "parsely-tags", "sailthru.tags"})
_VERIFY_MIN_CHARS = 80

_MONTHS_FULL = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]
_MONTH_RE = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_WEEKDAY_RE = r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)(?:day|sday|nesday|rsday|urday)?\.?,?"
# "Mon November 18, 2019", "Nov 20 2019", "November 20th, 2019", "18 November 2019",
# "2019-11-18", "11/18/2019", then an optional time "10:18am" / "1909 GMT (0309 HKT)".
_DATE_TEXT_RE = re.compile(
    rf"(?:{_WEEKDAY_RE}\s+)?"
    rf"(?:{_MONTH_RE}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH_RE},?\s+\d{{4}}"
    rf"|\d{{4}}-\d{{2}}-\d{{2}}(?:[T ]\d{{2}}:\d{{2}}(?::\d{{2}})?(?:\.\d+)?(?:Z|[+-]\d{{2}}:?\d{{2}})?)?"
    rf"|\d{{1,2}}/\d{{1,2}}/\d{{4}})",
    re.I,
)
_TIME_TEXT_RE = re.compile(
    r"\b(?:\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?(?:\s*(?:GMT|UTC|ET|EST|EDT|PT|IST|HKT))?"
    r"|\d{4}\s+(?:GMT|UTC)(?:\s*\(\d{4}\s+[A-Z]{2,4}\))?)",
    re.I,
)
_DATE_OR_TIME_RE = re.compile(rf"(?P<date>{_DATE_TEXT_RE.pattern})|(?P<time>{_TIME_TEXT_RE.pattern})", re.I)


def _key(text: str) -> str:
    """Whitespace-free form of a text (also without soft hyphens and zero-width
    characters), used to find paragraphs in the DOM."""
    return re.sub(r"[\s\u00ad\u200b-\u200d\u2060\ufeff]+", "", text)


def _alnum(text: str) -> str:
    return re.sub(r"[\W_]+", "", text).lower()


def _norm_space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _parse(html: str) -> lxml.html.HtmlElement:
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=False)
    return lxml.html.document_fromstring(html.encode("utf-8"), parser=parser)


def _serialize(doc: lxml.html.HtmlElement) -> str:
    doctype = doc.getroottree().docinfo.doctype or "<!DOCTYPE html>"
    # lxml adds a legacy HTML 4 doctype to documents that had none; use the modern one then.
    if "REC-html40/loose.dtd" in doctype:
        doctype = "<!DOCTYPE html>"
    out = lxml.html.tostring(doc, encoding="unicode", method="html")
    return doctype + "\n" + out + "\n"


def _compute_keys(root: lxml.html.HtmlElement) -> dict[Any, str]:
    """Visible text key (whitespace removed) of every element, bottom-up."""
    keys: dict[Any, str] = {}

    def visit(el: Any) -> str:
        if not isinstance(el.tag, str) or el.tag in _INVISIBLE_TAGS:
            keys[el] = ""
            return ""
        parts = [_key(el.text or "")]
        for child in el:
            parts.append(visit(child))
            parts.append(_key(child.tail or ""))
        k = "".join(parts)
        keys[el] = k
        return k

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 20000))
    visit(root)
    return keys


def visible_text(html_or_doc: str | lxml.html.HtmlElement) -> str:
    """Text a browser would render (roughly): body text without scripts, styles etc."""
    doc = _parse(html_or_doc) if isinstance(html_or_doc, str) else html_or_doc
    body = doc.find("body")
    root = body if body is not None else doc
    chunks: list[str] = []

    def visit(el: Any) -> None:
        if isinstance(el.tag, str) and el.tag not in _INVISIBLE_TAGS:
            chunks.append(el.text or "")
            for child in el:
                visit(child)
                chunks.append(child.tail or "")
        # comments / processing instructions / invisible tags: skip content

    visit(root)
    return _norm_space(" ".join(chunks))


def _doc_order(root: Any) -> dict[Any, int]:
    return {el: i for i, el in enumerate(root.iter())}


def _minimal_containers(el: Any, kp: str, keys: dict[Any, str], out: list[Any]) -> None:
    """Deepest elements whose visible text contains ``kp`` (all occurrences)."""
    hits = [c for c in el if isinstance(c.tag, str) and kp in keys.get(c, "")]
    if not hits:
        out.append(el)
        return
    covered = sum(keys[c].count(kp) for c in hits)
    for c in hits:
        _minimal_containers(c, kp, keys, out)
    if keys[el].count(kp) > covered:  # one more occurrence spans several children
        out.append(el)


def _promote(el: Any, kp: str, keys: dict[Any, str]) -> Any:
    """Climb from an inline match to the block element that holds (mostly) the paragraph."""
    while el.tag in _INLINE_TAGS:
        parent = el.getparent()
        if parent is None or parent.tag in ("body", "html"):
            break
        if len(keys[parent]) > len(kp) * 1.15 + 15:
            break
        el = parent
    return el


def _is_ancestor(a: Any, b: Any) -> bool:
    p = b.getparent()
    while p is not None:
        if p is a:
            return True
        p = p.getparent()
    return False


@dataclass
class _Slot:
    el: Any
    host_keys: list[str] = field(default_factory=list)

    def pure(self, keys: dict[Any, str]) -> bool:
        total = sum(len(k) for k in self.host_keys)
        return len(self.host_keys) == 1 and len(keys[self.el]) <= total * 1.15 + 15


def _find_slots(doc: Any, host_paragraphs: Sequence[str]) -> tuple[list[_Slot], list[Any], list[str]]:
    """Locate the host article's paragraphs in the DOM.

    Returns ``(slots, duplicates, missing)``: slots in document order, pure
    duplicate occurrences elsewhere on the page (pull quotes, highlights) and
    the host paragraphs that could not be found.
    """
    body = doc.find("body")
    root = body if body is not None else doc
    keys = _compute_keys(root)
    order = _doc_order(root)
    per_para: list[tuple[str, list[Any]]] = []
    missing: list[str] = []
    for para in host_paragraphs:
        kp = _key(para)
        if len(kp) < 3 or kp not in keys.get(root, ""):
            if len(kp) >= 3:
                missing.append(para)
            continue
        found: list[Any] = []
        _minimal_containers(root, kp, keys, found)
        cands = []
        for el in found:
            el = _promote(el, kp, keys)
            if len(kp) < 25 and keys[el] != kp:  # short paragraphs: exact matches only
                continue
            if el not in cands:
                cands.append(el)
        if cands:
            per_para.append((kp, sorted(cands, key=order.__getitem__)))
        else:
            missing.append(para)

    # For paragraphs found several times, prefer a pure occurrence (an element holding
    # just that paragraph) next to the other paragraphs; drop the other occurrences
    # when they are pure duplicates (pull quotes, highlights) or text dumps of the article.
    def is_pure(el: Any, kp: str) -> bool:
        return len(keys[el]) <= len(kp) * 1.15 + 15

    parent_votes: Counter[Any] = Counter()
    for kp, cands in per_para:
        pure = [el for el in cands if is_pure(el, kp)] or cands
        for el in pure:
            parent_votes[el.getparent()] += 1.0 / len(pure)
    all_keys = [kp for kp, _ in per_para]
    slots: dict[Any, _Slot] = {}
    duplicates: list[Any] = []
    for kp, cands in per_para:
        pure = [el for el in cands if is_pure(el, kp)] or cands
        primary = max(pure, key=lambda el: (parent_votes[el.getparent()], -order[el]))
        slots.setdefault(primary, _Slot(primary)).host_keys.append(kp)
        for el in cands:
            if el is primary or el in duplicates:
                continue
            if is_pure(el, kp):
                duplicates.append(el)
            else:
                covered = sum(len(k) for k in all_keys if k in keys[el])
                if covered >= 0.5 * len(keys[el]) and not any(_is_ancestor(el, c) for c in pure):
                    duplicates.append(el)

    # Merge nested slots into their outermost ancestor.
    ordered = sorted(slots.values(), key=lambda s: order[s.el])
    merged: list[_Slot] = []
    for slot in ordered:
        outer = next((m for m in merged if _is_ancestor(m.el, slot.el)), None)
        if outer is not None:
            outer.host_keys.extend(slot.host_keys)
        else:
            merged.append(slot)
    # Host paragraphs inside figures are captions/credits: remove them, do not fill them.
    def in_figure(el: Any) -> bool:
        for a in [el, *el.iterancestors()]:
            if a.tag in ("body", "html"):
                break
            if a.tag in ("figure", "figcaption") or _is_caption_class(a):
                return True
        return False

    duplicates.extend(s.el for s in merged if in_figure(s.el))
    merged = [s for s in merged if not in_figure(s.el)]
    duplicates = [
        d for d in duplicates if not any(d is s.el or _is_ancestor(s.el, d) or _is_ancestor(d, s.el) for s in merged)
    ]
    return merged, duplicates, missing


def _clear(el: Any) -> None:
    for child in list(el):
        el.remove(child)
    el.text = None


def _fill_mixed(el: Any, paragraphs: Sequence[str], host_keys: Sequence[str], keys: dict[Any, str]) -> None:
    """Replace the host text inside ``el`` (paragraphs separated by <br>), keep its other blocks."""
    for child in list(el):
        ck = keys.get(child, "")
        keep = (
            isinstance(child.tag, str)
            and child.tag not in _INLINE_TAGS
            and child.tag != "br"
            and not any(hk in ck or (len(ck) > 30 and ck in hk) for hk in host_keys)
        )
        if keep:
            child.tail = None
        else:
            el.remove(child)
    el.text = None
    if not paragraphs:
        return
    el.text = paragraphs[0]
    pos = 0
    for para in paragraphs[1:]:
        for n in range(2):
            br = el.makeelement("br", {})
            if n == 1:
                br.tail = para
            el.insert(pos, br)
            pos += 1


def _shallow_clone(el: Any) -> Any:
    attrib = {k: v for k, v in el.attrib.items() if k != "id"}
    return el.makeelement(el.tag, attrib)


def _block_of(el: Any) -> Any:
    while el.tag in _INLINE_TAGS and el.getparent() is not None:
        el = el.getparent()
    return el


def _fill_slots(slots: list[_Slot], paragraphs: Sequence[str], keys: dict[Any, str]) -> tuple[Any, list[Any]]:
    """Distribute ``paragraphs`` over ``slots``.

    Returns the element after which to append (``None`` if nothing was filled)
    and the elements now holding the new paragraphs.

    Slots get one paragraph each, in order, up to the last slot of the main
    article container (the parent holding most slots), which gets all the
    remaining paragraphs (as clones of it).  Slots left over are removed.
    """
    parents = Counter(s.el.getparent() for s in slots)
    main_parent = parents.most_common(1)[0][0]
    last_main = max(i for i, s in enumerate(slots) if s.el.getparent() is main_parent)
    last_el = None
    filled: list[Any] = []
    n = len(paragraphs)
    for i, slot in enumerate(slots):
        if i >= n or i > last_main:  # surplus host elements: drop them
            if slot.pure(keys):
                slot.el.drop_tree()
            else:
                _fill_mixed(slot.el, [], slot.host_keys, keys)
            continue
        assigned = list(paragraphs[i:]) if i == last_main else [paragraphs[i]]
        if slot.pure(keys):
            _clear(slot.el)
            slot.el.text = assigned[0]
            last_el = slot.el
            filled.append(slot.el)
            anchor = _block_of(slot.el)
            for para in assigned[1:]:
                clone = _shallow_clone(anchor)
                clone.text = para
                anchor.addnext(clone)
                anchor = clone
                last_el = clone
                filled.append(clone)
        else:
            _fill_mixed(slot.el, assigned, slot.host_keys, keys)
            last_el = slot.el
            filled.append(slot.el)
    return (_block_of(last_el) if last_el is not None else None), filled


def _lca(elements: Sequence[Any]) -> Any:
    chains = []
    for el in elements:
        chain = [el]
        while chain[-1].getparent() is not None:
            chain.append(chain[-1].getparent())
        chains.append(chain[::-1])
    common = None
    for level in zip(*chains):
        if all(x is level[0] for x in level):
            common = level[0]
        else:
            break
    return common


def _article_region(slots: Sequence[_Slot], keys: dict[Any, str]) -> Any:
    """The host's article area: the slots' common ancestor, widened to include its header/figure."""
    region = _lca([s.el for s in slots])
    total = sum(len(k) for s in slots for k in s.host_keys)
    while region is not None and region.getparent() is not None and region.tag not in ("body", "html"):
        parent = region.getparent()
        if parent.tag in ("body", "html") or len(keys.get(parent, "")) > total * 1.6 + 2000:
            break
        region = parent
    return region


_CAPTION_TOKEN = re.compile(r"(?:^|[-_])(?:caption|credits?|figcaption)(?:$|[-_])", re.I)


def _is_caption_class(el: Any) -> bool:
    tokens = f"{el.get('class') or ''} {el.get('id') or ''}".split()
    return any(_CAPTION_TOKEN.search(t) for t in tokens)


def _remove_captions(region: Any, keep: Sequence[Any] = ()) -> int:
    """Remove figure captions/credits (host-specific text) from the article area."""
    n = 0
    if region is None or region.tag in ("body", "html"):
        return 0
    for el in list(region.iter()):
        if not isinstance(el.tag, str) or el.getparent() is None:
            continue
        if any(el is k or _is_ancestor(el, k) for k in keep):
            continue
        if el.tag == "figcaption" or _is_caption_class(el):
            if _norm_space(el.text_content()):
                el.drop_tree()
                n += 1
    return n


def _similar(a: str, b: str) -> bool:
    a, b = _norm_space(html_lib.unescape(a)).lower(), _norm_space(html_lib.unescape(b)).lower()
    if not a or not b:
        return False
    if a == b or (min(len(a), len(b)) >= 15 and (a in b or b in a)):
        return True
    return difflib.SequenceMatcher(None, a, b).ratio() >= 0.6


def _replace_title_text(text: str, headlines: Sequence[str], title: str) -> str:
    """Replace the headline part of ``text`` (a <title> or og:title) keeping a site suffix."""
    for h in sorted(headlines, key=len, reverse=True):
        if h and h in text:
            return text.replace(h, title)
    parts = re.split(r"(\s+[|\-\u2013\u2014:]{1,2}\s+)", text)
    if len(parts) > 1:
        idx = max(range(0, len(parts), 2), key=lambda i: len(parts[i]))
        if any(_similar(parts[idx], h) for h in headlines) or len(parts[idx]) > 25:
            parts[idx] = title
            return "".join(parts)
    return title


def _meta_name(el: Any) -> str:
    return el.get("property") or el.get("name") or el.get("itemprop") or ""


def _parse_published(published: str) -> dt.datetime:
    return dt.datetime.fromisoformat(published.replace("Z", "+00:00"))


def _format_like(old: str, when: dt.datetime) -> str:
    """Render ``when`` in the style of the date string ``old``."""
    s = old.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
        return when.strftime("%Y-%m-%d")
    m = re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?", s)
    if m:
        return when.strftime("%Y-%m-%d %H:%M" + (":%S" if m.group(1) else ""))
    if re.match(r"\d{4}-\d{2}-\d{2}", s):
        return when.isoformat().replace("+00:00", "Z")
    if re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", s):
        return f"{when.month}/{when.day}/{when.year}"
    weekday = ""
    wm = re.match(_WEEKDAY_RE, s, re.I)
    if wm:
        w = wm.group(0)
        full = when.strftime("%A")
        weekday = (full if len(w.rstrip(".,")) > 3 else full[:3]) + ("," if w.endswith(",") else "") + " "
        s = s[wm.end():].strip()
    mm = re.search(_MONTH_RE, s, re.I)
    month_tok = mm.group(0) if mm else "November"
    month = _MONTHS_FULL[when.month - 1]
    if len(month_tok.rstrip(".")) <= 4 and month_tok.rstrip(".").lower() != month.lower():
        month = month[:3] + ("." if month_tok.endswith(".") else "")
    suffix = ""
    if re.search(r"\d(st|nd|rd|th)\b", s, re.I):
        d = when.day
        suffix = "th" if 11 <= d % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(d % 10, "th")
    comma = "," if "," in s else ""
    if re.match(r"\d", s):  # day first
        return f"{weekday}{when.day}{suffix} {month}{comma} {when.year}"
    return f"{weekday}{month} {when.day}{suffix}{comma} {when.year}"


def _format_time_like(old: str, when: dt.datetime) -> str:
    s = old.strip()
    m = re.fullmatch(r"(\d{4})\s+(GMT|UTC)(?:\s*\(\d{4}\s+([A-Z]{2,4})\))?", s, re.I)
    if m:
        return f"{when:%H%M} {m.group(2)}"
    tz = re.search(r"(GMT|UTC|ET|EST|EDT|PT|IST|HKT)$", s, re.I)
    ampm = re.search(r"([ap])\.?m\.?", s, re.I)
    if ampm:
        h = when.hour % 12 or 12
        marker = ("am" if when.hour < 12 else "pm")
        if ampm.group(0)[0].isupper():
            marker = marker.upper()
        if "." in ampm.group(0):
            marker = marker[0] + "." + marker[1] + "."
        out = f"{h}:{when:%M}" + (" " if re.search(r"\d\s+[ap]", s, re.I) else "") + marker
    else:
        out = f"{when:%H:%M}"
    return out + (" " + tz.group(1) if tz else "")


def _rewrite_date_text(text: str, when: dt.datetime | None) -> str:
    if when is None:
        return ""
    return _DATE_OR_TIME_RE.sub(
        lambda m: _format_like(m.group(0), when) if m.group("date") else _format_time_like(m.group(0), when), text
    )


def _date_elements(doc: Any) -> list[Any]:
    """Visible elements that show the host's publication / update date."""
    body = doc.find("body")
    if body is None:
        return []
    found: list[Any] = []
    for el in body.iter():
        if not isinstance(el.tag, str) or el.tag in _INVISIBLE_TAGS:
            continue
        text = _norm_space(el.text_content())
        if not text or len(text) > 120 or not _DATE_TEXT_RE.search(text):
            continue
        attrs = " ".join(filter(None, [el.get("class"), el.get("id"), el.get("itemprop")]))
        if el.tag == "time" or _DATEISH_ATTR.search(attrs) or _DATE_PREFIX.match(text):
            found.append(el)
    # keep outermost only
    return [el for el in found if not any(_is_ancestor(o, el) for o in found)]


def _walk_jsonld(node: Any, fn: Any) -> Any:
    if isinstance(node, dict):
        node = fn(node)
        return {k: _walk_jsonld(v, fn) for k, v in node.items()}
    if isinstance(node, list):
        return [_walk_jsonld(v, fn) for v in node]
    return node


def _rewrite_jsonld(
    text: str,
    *,
    title: str,
    description: str,
    url: str,
    host_urls: Sequence[str],
    published: str | None,
    host_keys: Sequence[str] = (),
) -> str:
    """Rewrite one JSON-LD block for the new article (see :func:`transplant`)."""

    def has_host_text(value: str) -> bool:
        vk = _key(html_lib.unescape(value))
        return any(hk in vk for hk in host_keys)

    def fix(obj: dict[str, Any]) -> dict[str, Any]:
        obj = {k: v for k, v in obj.items() if not (isinstance(v, str) and has_host_text(v))}
        types = obj.get("@type")
        types = types if isinstance(types, list) else [types]
        is_article = any(isinstance(t, str) and _ARTICLE_TYPES.search(t) for t in types)
        for k in list(obj):
            if k in _JSONLD_DROP_KEYS and (is_article or k == "articleBody"):
                del obj[k]
            elif k in _JSONLD_DATE_KEYS and is_article:
                if published is None:
                    del obj[k]
                else:
                    obj[k] = published
            elif k in _JSONLD_TITLE_KEYS and is_article:
                obj[k] = title
            elif k == "name" and is_article:
                obj[k] = title
            elif k == "description" and is_article:
                obj[k] = description
        return obj

    def swap_urls(node: Any) -> Any:
        if isinstance(node, str):
            for hu in host_urls:
                node = node.replace(hu, url)
            return node
        if isinstance(node, dict):
            return {k: swap_urls(v) for k, v in node.items()}
        if isinstance(node, list):
            return [swap_urls(v) for v in node]
        return node

    try:
        data = json.loads(text)
    except ValueError:
        # Invalid JSON (it happens): neutralise the article text with regexes.
        text = re.sub(r'"articleBody"\s*:\s*"(?:\\.|[^"\\])*"\s*,?', "", text)
        text = re.sub(
            r'"\w+"\s*:\s*"((?:\\.|[^"\\])*)"\s*,?',
            lambda m: "" if has_host_text(m.group(1)) else m.group(0),
            text,
        )
        for k in _JSONLD_DATE_KEYS:
            repl = "" if published is None else f'"{k}": "{published}",'
            text = re.sub(rf'"{k}"\s*:\s*"[^"]*"\s*,?', repl, text)
        for hu in host_urls:
            text = text.replace(hu, url).replace(hu.replace("/", "\\/"), url.replace("/", "\\/"))
        return text
    data = swap_urls(_walk_jsonld(data, fix))
    return json.dumps(data, ensure_ascii=False, indent=2)


def _host_urls(doc: Any, host_url: str | None) -> list[str]:
    urls = set()
    if host_url:
        urls.add(host_url)
    for xp in ('//meta[@property="og:url"]/@content', '//link[@rel="canonical"]/@href', '//meta[@name="twitter:url"]/@content'):
        for u in doc.xpath(xp):
            u = u.strip()
            if u.startswith("http"):
                urls.add(u)
    return sorted(urls, key=len, reverse=True)


def _set_head_link(head: Any, rel: str, href: str | None) -> None:
    for link in head.getroottree().getroot().xpath(f'//link[@rel="{rel}"]'):
        link.drop_tree()
    if href is not None:
        head.append(head.makeelement("link", {"rel": rel, "href": href}))


def _set_meta(head: Any, key: str, value: str, *, attr: str = "property") -> None:
    root = head.getroottree().getroot()
    metas = root.xpath(f'//meta[@property="{key}" or @name="{key}"]')
    if metas:
        for m in metas:
            m.set("content", value)
    else:
        head.append(head.makeelement("meta", {attr: key, "content": value}))


def _string_swaps(
    host_urls: Sequence[str], url: str, title_pairs: Sequence[tuple[str, str]], *, in_script: bool = False
) -> list[tuple[str, str]]:
    """(old, new) replacements for the host's URL, path and headline as they appear in
    attributes and inline scripts: plain, percent-encoded, form-encoded, JSON-escaped."""
    pairs: list[tuple[str, str]] = []
    new_path = urlsplit(url).path
    for hu in host_urls:
        pairs.append((hu, url))
        path = urlsplit(hu).path
        if len(path) > 20 and path != new_path:
            pairs.append((path, new_path))
    pairs += list(title_pairs)
    out: list[tuple[str, str]] = []
    for old, new in pairs:
        plain = json.dumps(new, ensure_ascii=False)[1:-1] if in_script else new
        for o, n in (
            (old, plain),
            (quote(old, safe=""), quote(new, safe="")),
            (quote_plus(old), quote_plus(new)),
            (quote(old), quote(new)),
            (old.replace("/", "\\/"), plain.replace("/", "\\/")),
        ):
            if o and o != n and (o, n) not in out:
                out.append((o, n))
    return sorted(out, key=lambda p: len(p[0]), reverse=True)


def _apply_swaps(value: str, swaps: Sequence[tuple[str, str]]) -> str:
    for old, new in swaps:
        if old in value:
            value = value.replace(old, new)
    return value


def _script_has_host_text(text: str, signatures: Sequence[str]) -> bool:
    decoded = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)
    decoded = html_lib.unescape(decoded.replace("\\n", " ").replace('\\"', '"').replace("\\/", "/"))
    flat = _alnum(decoded)
    return any(sig in flat for sig in signatures)


def _default_description(paragraphs: Sequence[str]) -> str:
    first = next((p for p in paragraphs if len(p) > 40), paragraphs[0] if paragraphs else "")
    first = _norm_space(first)
    if len(first) <= 160:
        return first
    cut = first[:160].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "\u2026"


def transplant(
    host_html: str,
    *,
    host_paragraphs: Sequence[str],
    title: str,
    paragraphs: Sequence[str],
    url: str,
    published: str | None,
    extra_after: Sequence[str] = (),
    canonical: str | None = None,
    description: str | None = None,
    host_url: str | None = None,
    remove_xpath: Sequence[str] = (),
) -> str:
    """Put an article into a real host page in place of the host's own article.

    The host's chrome (navigation, sidebars, related links, comments, footer,
    scripts) stays; what identifies the host's *article* is replaced:

    * the DOM elements holding the host's article paragraphs
      (``host_paragraphs``, e.g. the benchmark's ``articleBody`` split on
      newlines) get the new ``paragraphs``, one per element, keeping the
      host's tags and classes (extra paragraphs are clones of the last one;
      surplus host elements are removed); pure duplicates of host paragraphs
      elsewhere (pull quotes, highlights), captions in the article area, and
      inline scripts/noscripts quoting the host text are removed;
    * ``<title>``, ``og:title``/``twitter:title``, headline ``<h1>`` and
      ``itemprop=headline`` get ``title`` (a site suffix such as
      ``" | Deccan Herald"`` is kept);
    * description metas and visible standfirsts equal to the host description
      get ``description`` (default: start of the first paragraph);
    * ``og:url``/``twitter:url`` and every attribute holding the host URL get
      ``url``; ``amphtml``, ``shortlink`` and ``hreflang`` alternates are
      removed; ``<link rel=canonical>`` is set to ``canonical`` (pass ``url``
      for a self-canonical page, another URL for a cross-domain canonical, or
      ``None`` to have no canonical link);
    * publication/modification dates -- date metas, JSON-LD, microdata,
      ``<time>`` and visible date lines -- are set to ``published`` (ISO 8601,
      e.g. ``"2023-11-10T21:30:00Z"``), or removed when it is ``None``;
    * JSON-LD ``articleBody``/``text``/``keywords`` are removed and its
      headline, description, dates and URLs rewritten.

    ``remove_xpath`` selects further host elements to delete first (e.g. a
    credit line naming the host article's own source).

    ``extra_after`` are HTML snippets (e.g. ``'<p><a href="...">Read the full
    article here</a></p>'``) inserted right after the last new paragraph.

    The result is verified: every new paragraph must appear in the visible
    text, and no host paragraph longer than 80 characters may remain in it
    (nor in JSON-LD); otherwise :class:`TransplantError` is raised.

    Returns the new page as an HTML string (serialised by lxml).
    """
    if not paragraphs:
        raise TransplantError("no paragraphs to transplant")
    doc = _parse(host_html)
    head = doc.find("head")
    if head is None:
        head = doc.makeelement("head", {})
        doc.insert(0, head)
    for xp in remove_xpath:
        for el in doc.xpath(xp):
            if el.getparent() is not None:
                el.drop_tree()
    when = _parse_published(published) if published else None
    description = description or _default_description(paragraphs)
    host_urls = _host_urls(doc, host_url)
    host_keys_long = [_key(p) for p in host_paragraphs if len(p.strip()) > _VERIFY_MIN_CHARS]
    signatures = []
    for p in host_paragraphs:
        a = _alnum(p)
        if len(a) >= 60:
            signatures.extend([a[:40], a[len(a) // 2 : len(a) // 2 + 40]])

    # Host headline variants and description, before touching anything.
    headlines = [
        _norm_space(html_lib.unescape(x))
        for x in doc.xpath(
            '//meta[@property="og:title" or @name="twitter:title" or @name="title" or @itemprop="headline"'
            ' or @itemprop="alternativeHeadline"]/@content'
        )
        if _norm_space(x)
    ]
    page_title = _norm_space(doc.findtext(".//head/title") or "")
    if page_title:
        parts = re.split(r"\s+[|\-\u2013\u2014:]{1,2}\s+", page_title)
        headlines += [page_title, max(parts, key=len)]
    host_desc = [
        _norm_space(x)
        for x in doc.xpath('//meta[@name="description" or @property="og:description"]/@content')
        if len(_norm_space(x)) > 40
    ]

    # 1. Article paragraphs.
    slots, duplicates, _missing = _find_slots(doc, host_paragraphs)
    if not slots:
        raise TransplantError("none of the host paragraphs were found in the page")
    body = doc.find("body")
    keys = _compute_keys(body if body is not None else doc)
    region = _article_region(slots, keys)
    for el in duplicates:
        if el.getparent() is not None:
            el.drop_tree()
    # 2. A visible standfirst equal to the host description (not one of the slots).
    if host_desc and body is not None:
        dkeys = {_key(d) for d in host_desc}
        for el in list(body.iter()):
            if not isinstance(el.tag, str) or el.tag in _INVISIBLE_TAGS or el.getparent() is None:
                continue
            if keys.get(el) in dkeys and not any(
                el is s.el or _is_ancestor(el, s.el) or _is_ancestor(s.el, el) for s in slots
            ):
                _clear(el)
                el.text = description
    _remove_captions(region, keep=[sl.el for sl in slots])
    # 2b. Dates (before the new text goes in, so that it is never rewritten).
    for meta in doc.xpath("//meta[@content]"):
        name = _meta_name(meta)
        content = meta.get("content", "").strip()
        looks_like_date = bool(
            re.match(r"(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{8}(\d{4,6})?$|\d{10}(\d{3})?$)", content)
            or _DATE_TEXT_RE.search(content)
        )
        if _META_DATE_NAME.search(name) and not _META_DATE_EXCLUDE.search(name) and looks_like_date:
            if published is None:
                meta.drop_tree()
            else:
                meta.set("content", published)
    for el in _date_elements(doc):
        if any(el is sl.el or _is_ancestor(el, sl.el) for sl in slots):
            continue
        if when is None:
            el.drop_tree()
            continue
        if el.get("datetime"):
            el.set("datetime", published or "")
        for node in el.iter():
            if not isinstance(node.tag, str):
                continue
            if node.get("datetime"):
                node.set("datetime", published or "")
            if node.text:
                node.text = _rewrite_date_text(node.text, when)
            if node is not el and node.tail:
                node.tail = _rewrite_date_text(node.tail, when)
    for t in doc.xpath("//time[@datetime]"):
        if when is None:
            t.drop_tree()
        elif t.get("datetime") != published:
            t.set("datetime", published or "")
    # short loose date lines in the article area ("기사입력 :[ 2018-09-28 17:32 ]")
    if region is not None and region.getparent() is not None:
        for node in region.iter():
            if not isinstance(node.tag, str) or node.tag in _INVISIBLE_TAGS:
                continue
            for attr in ("text", "tail"):
                value = getattr(node, attr)
                if value and len(value.strip()) <= 80 and _DATE_TEXT_RE.search(value):
                    setattr(node, attr, _rewrite_date_text(value, when) if when else _DATE_TEXT_RE.sub("", value))

    last, filled = _fill_slots(slots, paragraphs, keys)

    def holds_new_text(el: Any) -> bool:
        return any(el is f or _is_ancestor(el, f) or _is_ancestor(f, el) for f in filled)

    if last is not None and extra_after:
        anchor = last
        for snippet in extra_after:
            for frag in lxml.html.fragments_fromstring(snippet):
                if isinstance(frag, str):
                    raise TransplantError(f"extra_after snippet must be markup, got text: {frag!r}")
                anchor.addnext(frag)
                anchor = frag

    # 3. Titles.
    head_title = head.find("title")
    if head_title is None:
        head_title = head.makeelement("title", {})
        head.append(head_title)
    head_title.text = _replace_title_text(_norm_space(head_title.text_content()), headlines, title)
    for el in list(head_title):
        head_title.remove(el)
    for meta in doc.xpath("//meta[@content]"):
        name = _meta_name(meta).lower()
        if name in _TITLE_METAS:
            meta.set("content", _replace_title_text(_norm_space(meta.get("content")), headlines, title))
        elif name in ("description", "og:description", "twitter:description"):
            meta.set("content", description)
        elif name in _TOPIC_METAS:
            meta.drop_tree()
    replaced = 0
    heading_xpath = (
        "//body//*[self::h1 or self::h2 or self::h3 or @itemprop='headline'"
        " or contains(translate(@class, 'TITLEHADN', 'titlehadn'), 'title')"
        " or contains(translate(@class, 'TITLEHADN', 'titlehadn'), 'headline')]"
    )
    for h in doc.xpath(heading_xpath):
        if h.getparent() is None or h.tag in _INVISIBLE_TAGS or holds_new_text(h):
            continue
        text = _norm_space(h.text_content())
        if not (10 <= len(text) <= 300) or not any(_similar(text, x) for x in headlines):
            continue
        # descend through single-child wrappers (<dl class=title><dt>...</dt></dl>)
        while len(h) == 1 and isinstance(h[0].tag, str) and _key(h[0].text_content()) == _key(h.text_content()):
            h = h[0]
        _clear(h)
        h.text = title
        replaced += 1
    exact = {_key(h) for h in headlines if len(h) >= 15}
    if body is not None and exact:
        for el in list(body.iter()):
            if not isinstance(el.tag, str) or el.tag in _INVISIBLE_TAGS or el.getparent() is None:
                continue
            if (el.tag in _INLINE_TAGS or not len(el)) and not holds_new_text(el):  # leaf-ish elements
                if _key(el.text_content()) in exact:
                    _clear(el)
                    el.text = title
                    replaced += 1
    if not replaced and slots:
        order = _doc_order(doc)
        first = min(filled, key=lambda e: order.get(e, 0), default=None)
        before = [
            h for h in doc.xpath("//body//h1") if first is None or order.get(h, 0) < order.get(first, 0)
        ]
        if before:
            _clear(before[-1])
            before[-1].text = title

    # 4. URLs.
    for link in doc.xpath('//link[@rel="amphtml" or @rel="shortlink" or (@rel="alternate" and @hreflang)]'):
        link.drop_tree()
    for link in doc.xpath('//link[@rel="alternate"][contains(@href, "oembed")]'):
        link.drop_tree()
    _set_head_link(head, "canonical", canonical)
    _set_meta(head, "og:url", url)
    for meta in doc.xpath('//meta[@name="twitter:url" or @property="twitter:url" or @itemprop="url"]'):
        meta.set("content", url)
    title_pairs = [(h, _replace_title_text(h, headlines, title)) for h in headlines if len(h) >= 15]
    swaps = _string_swaps(host_urls, url, title_pairs)
    script_swaps = _string_swaps(host_urls, url, title_pairs, in_script=True)
    for el in doc.iter():
        if not isinstance(el.tag, str) or (el.tag == "link" and el.get("rel") == "canonical"):
            continue
        for attr, value in el.attrib.items():
            new = _apply_swaps(value, swaps)
            if new != value:
                el.set(attr, new)

    # 5. JSON-LD and scripts quoting the host article.
    for script in doc.xpath("//script"):
        stype = (script.get("type") or "").lower()
        text = script.text or ""
        if stype == "application/ld+json":
            script.text = _rewrite_jsonld(
                text,
                title=title,
                description=description,
                url=url,
                host_urls=host_urls,
                published=published,
                host_keys=host_keys_long,
            )
        elif text and signatures and _script_has_host_text(text, signatures):
            script.drop_tree()
        elif text:
            new = _apply_swaps(text, script_swaps)
            if new != text:
                script.text = new
    for el in doc.xpath("//noscript | //template | //textarea"):
        if signatures and _script_has_host_text(el.text_content() + " ".join(el.itertext()), signatures):
            el.drop_tree()

    out = _serialize(doc)

    # 6. Verify.
    check = _parse(out)
    vis = _key(visible_text(check))
    left = [p for p in host_paragraphs if len(p.strip()) > _VERIFY_MIN_CHARS and _key(p) in vis]
    if left:
        raise TransplantError(f"{len(left)} host paragraph(s) still visible, e.g. {left[0][:80]!r}")
    for script in check.xpath('//script[@type="application/ld+json"]'):
        sk = _key(script.text or "")
        if any(hk in sk for hk in host_keys_long):
            raise TransplantError("host article text left in JSON-LD")
    lost = [p for p in paragraphs if _key(p) not in vis]
    if lost:
        raise TransplantError(f"{len(lost)} new paragraph(s) missing from the output, e.g. {lost[0][:80]!r}")
    return out


def ensure_og_url(html: str, url: str) -> str:
    """Return ``html`` unchanged if it has an ``og:url`` meta, else with one added after ``<head>``.

    Works on the string so that the rest of the page stays byte-identical.
    """
    if re.search(r"""<meta\b[^>]*\bproperty\s*=\s*["']og:url["']""", html, re.I):
        return html
    tag = f'<meta property="og:url" content="{html_lib.escape(url, quote=True)}">'
    m = re.search(r"<head\b[^>]*>", html, re.I)
    if m is None:
        raise ValueError("page has no <head>")
    return html[: m.end()] + "\n" + tag + html[m.end() :]



def straight_quotes(text: str) -> str:
    """Replace curly double and single quotes by straight ones."""
    return text.replace("\u201c", '"').replace("\u201d", '"').replace("\u2018", "'").replace("\u2019", "'")


def slugify(title: str) -> str:
    """WordPress-style slug: ``"D.R. Horton's Q3"`` -> ``"d-r-hortons-q3"``."""
    text = re.sub(r"['\u2019]", "", title.lower())
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")
