"""Evidence of where a page's article came from, read once at extraction time.

Three kinds, each a small fact a person would point at:

- ``link``: a link in or right after the article whose text or context says
  it is the source ("Read the full article here", "Source: CNN",
  "Originally published at ...", "Continue reading at ...", "via ...");
- ``canonical``: ``<link rel=canonical>`` pointing to another site;
- ``credit``: a credit line naming another publisher ("CNN's Paul LeBlanc
  contributed to this report", "© The Associated Press", "This story was
  originally published by ...", "The post ... appeared first on ..."), and the
  datelines and bylines of news agencies and press-release wires
  ("WASHINGTON (AP) —", "LONDON, 12 March (Reuters) -", "NEW YORK, Jan. 5, 2024
  /PRNewswire/ --", "SAN FRANCISCO--(BUSINESS WIRE)--", "By THE ASSOCIATED
  PRESS", "... said. — AFP"). A dateline is a credit: it names the publisher
  whose article the page carries, as any credit line does, so it is stored as
  kind ``credit`` with the agency as publisher and the dateline as text
  (:func:`credit_form` tells the forms apart again).

Datelines count only at the start of a line among the first lines of the text,
bylines only as a line of their own there or among the last lines, or at the
very end ("... said. — AFP"): an agency named inside a sentence ("according to
an AP report", "told Reuters") is not a credit.

``publisher`` values are names (:func:`clean_publisher`): never a headline, a
copyright line or a URL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable
from urllib.parse import urljoin, urlsplit

LINK = "link"
CANONICAL = "canonical"
CREDIT = "credit"


@dataclass(frozen=True)
class Evidence:
    """One pointer from a page to the place its article came from."""

    kind: str
    url: str | None = None
    publisher: str | None = None
    text: str = ""


# Publishers that credit lines name in many spellings: canonical name and home sites.
_AP = ("The Associated Press", ("apnews.com", "ap.org"))
_REUTERS = ("Reuters", ("reuters.com",))
_AFP = ("AFP", ("afp.com",))
_CP = ("The Canadian Press", ("thecanadianpress.com",))
_XINHUA = ("Xinhua", ("xinhuanet.com", "news.cn"))
_PRWEB = ("PRWeb", ("prweb.com",))
PUBLISHERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "ap": _AP,
    "associatedpress": _AP,
    "theassociatedpress": _AP,
    "reuters": _REUTERS,
    "reutersstaff": _REUTERS,
    "thomsonreuters": _REUTERS,
    "afp": _AFP,
    "agencefrancepresse": _AFP,
    "cnn": ("CNN", ("cnn.com",)),
    "bbc": ("BBC", ("bbc.com", "bbc.co.uk")),
    "bbcnews": ("BBC", ("bbc.com", "bbc.co.uk")),
    "bloomberg": ("Bloomberg", ("bloomberg.com",)),
    "bloombergnews": ("Bloomberg", ("bloomberg.com",)),
    "upi": ("UPI", ("upi.com",)),
    "unitedpressinternational": ("UPI", ("upi.com",)),
    "pti": ("PTI", ("ptinews.com",)),
    "presstrustofindia": ("PTI", ("ptinews.com",)),
    "ians": ("IANS", ("ians.in",)),
    "ani": ("ANI", ("aninews.in",)),
    "dpa": ("dpa", ("dpa.com",)),
    "dpaafx": ("dpa", ("dpa.com",)),
    "deutschepresseagentur": ("dpa", ("dpa.com",)),
    "businesswire": ("Business Wire", ("businesswire.com",)),
    "prnewswire": ("PR Newswire", ("prnewswire.com",)),
    "prnewswireprweb": _PRWEB,
    "prweb": _PRWEB,
    "cnw": ("CNW", ("newswire.ca",)),
    "globenewswire": ("GlobeNewswire", ("globenewswire.com",)),
    "accesswire": ("ACCESSWIRE", ("accesswire.com",)),
    "cp": _CP,
    "canadianpress": _CP,
    "thecanadianpress": _CP,
    "aap": ("AAP", ("aap.com.au",)),
    "australianassociatedpress": ("AAP", ("aap.com.au",)),
    "efe": ("EFE", ("efe.com",)),
    "agenciaefe": ("EFE", ("efe.com",)),
    "ansa": ("ANSA", ("ansa.it",)),
    "xinhua": _XINHUA,
    "xinhuanewsagency": _XINHUA,
    "yonhap": ("Yonhap", ("yna.co.kr",)),
    "yonhapnewsagency": ("Yonhap", ("yna.co.kr",)),
    "kyodo": ("Kyodo News", ("kyodonews.net",)),
    "kyodonews": ("Kyodo News", ("kyodonews.net",)),
    "bernama": ("Bernama", ("bernama.com",)),
    "tass": ("TASS", ("tass.com", "tass.ru")),
    "thenewyorktimes": ("The New York Times", ("nytimes.com",)),
    "newyorktimes": ("The New York Times", ("nytimes.com",)),
    "thewashingtonpost": ("The Washington Post", ("washingtonpost.com",)),
    "washingtonpost": ("The Washington Post", ("washingtonpost.com",)),
    "theguardian": ("The Guardian", ("theguardian.com",)),
    "foxnews": ("Fox News", ("foxnews.com",)),
    "nbcnews": ("NBC News", ("nbcnews.com",)),
    "cbsnews": ("CBS News", ("cbsnews.com",)),
}

# Sites that links point to for other reasons than the article's source: sharing, photos, video.
_NOT_SOURCES = ("gettyimages.com", "gettyimages.co.uk", "shutterstock.com", "alamy.com", "flickr.com", "wikimedia.org",
                "wikipedia.org", "imgur.com", "unsplash.com", "pexels.com", "apimages.com", "vimeo.com",
                "facebook.com", "twitter.com", "x.com", "linkedin.com", "reddit.com", "whatsapp.com", "pinterest.com",
           "t.me", "telegram.me", "instagram.com", "youtube.com", "tumblr.com", "flipboard.com", "mix.com",
           "getpocket.com", "google.com", "news.google.com")
_SKIP_ANCESTORS = {"nav", "header", "footer", "aside", "form", "select", "button"}

_NAME = r"([A-Z][\w&'’.\-]*(?:\s+(?:[A-Z][\w&'’.\-]*|of|the|and|de|du|la|le)){0,6})"
_SOURCE_ANCHOR = re.compile(
    r"^(?:read (?:the )?(?:full|original|entire|complete|whole|rest of the) (?:article|story|report|post)\b.*"
    r"|continue reading\b.*|keep reading\b.*|read more (?:at|on)\b.*|read (?:it|this|the story) (?:at|on)\b.*"
    r"|(?:the )?original (?:article|story|post|report)\b.*|view (?:the )?original\b.*|full (?:article|story)\b.*"
    r"|sources?\s*:?.*|originally (?:published|posted|appeared)\b.*|this (?:article|story|post) (?:first |originally )?appeared\b.*"
    r"|first (?:published|appeared)\b.*|republished (?:from|with)\b.*|reprinted (?:from|with)\b.*)$",
    re.IGNORECASE,
)
_SOURCE_CONTEXT = re.compile(
    r"(?:\bsources?|\bvia|originally (?:published|posted|appeared) (?:at|on|by|in)|first (?:appeared|published) (?:on|in|at|by)"
    r"|continue reading (?:at|on)|read (?:the )?(?:full|original|whole|complete|rest of the) (?:article|story|report) (?:at|on)"
    r"|read more (?:at|on)|courtesy(?: of)?|republished (?:from|with permission (?:from|of))"
    r"|reprinted (?:from|with permission (?:from|of))|this (?:article|story) (?:first )?appeared (?:on|in))\s*:?\s*$",
    re.IGNORECASE,
)
_ANCHOR_PUBLISHER = re.compile(r"(?:\b(?:at|on|in|by|from)\s+|^sources?\s*:\s*)" + _NAME + r"\s*\.?$", re.IGNORECASE)
# Credit line patterns, each with the words it cannot match without: most texts have none of them,
# and testing for a word costs a fraction of running a pattern that may start at every capital letter.
_COPYRIGHT_HOLDERS = ("The Associated Press", "Associated Press", "Reuters", "Thomson Reuters", "AFP", "Agence France-Presse",
                      "Bloomberg", "The Canadian Press", "Canadian Press", "Kyodo News", "Yonhap", "Xinhua", "dpa", "EFE",
                      "ANSA", "AAP", "Australian Associated Press", "Press Trust of India", "Business Wire", "GlobeNewswire",
                      "PR Newswire")
_FIRST_CONTEXT = re.compile(r"(?:(?:^|\n)[ \t]*|[.!?)][ \t]+|(?:[Tt]his|[Tt]he) (?:story|article|post|piece|report|column|essay"
                            r"|interview) (?:was |is |has )?)\Z")
_CREDIT_PATTERNS: list[tuple[tuple[str, ...], re.Pattern[str]]] = [
    (("contributed to this",), re.compile(_NAME + r"['’]s\s+[A-Z][\w.\-]+(?:\s+[A-Z][\w.\-]+)*(?:,?\s+(?:and\s+)?[A-Z][\w.\-]+(?:\s+[A-Z][\w.\-]+)*)*\s+contributed to this (?:report|story|article)")),
    (("©", "(c)", "Copyright"), re.compile(r"(?:©|\(c\)|Copyright)\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?,?\s+)?(?:by\s+)?("
                                             + "|".join(sorted(_COPYRIGHT_HOLDERS, key=len, reverse=True)) + r")\b")),
    # "This story was originally published by ...", "Originally published at ..."; the words before must say
    # it is about this article (_FIRST_CONTEXT): "Cases ... first appeared in West Michigan" is not a credit
    (tuple(f"{when} {verb}" for when in ("riginally", "irst") for verb in ("published", "posted", "appeared")),
     _FIRST_PUBLISHED := re.compile(r"(?:[Oo]riginally|[Ff]irst) (?:published|posted|appeared) (?:by|on|in|at)\s+" + _NAME)),
    (("appeared",), re.compile(r"[Tt]his (?:story|article|post) (?:first |originally )?appeared (?:on|in)\s+" + _NAME)),
    # the footer of a WordPress feed, kept by sites that repost its items: "The post <title> appeared first on <site>."
    (("appeared first on",), re.compile(r"appeared first on\s+" + _NAME)),
    # agencies' own taglines, bylines in all but form (credit_form says "byline")
    (("This report by",), _CP_TAGLINE := re.compile(r"This report by (The Canadian Press) was first published")),
    (("inputs from",), _INPUTS_FROM := re.compile(r"[Ww]ith inputs from (PTI|IANS|ANI|Reuters|AFP|AP|UPI)\b")),
    (("Source", "Courtesy of"), re.compile(r"(?m)^\s*(?:Source|Sources|Courtesy of)\s*:\s*" + _NAME + r"\s*\.?\s*$")),
    (("reading at", "reading on"), re.compile(r"(?:[Cc]ontinue|[Kk]eep) reading (?:at|on)\s+" + _NAME)),
]

# --- datelines and bylines of agencies and press-release wires ---------------------------------------
# Read only on the first lines of the text (datelines, bylines) and on its last lines (bylines, "— AFP").

# Agencies as datelines print them between parentheses: "WASHINGTON (AP) —", "Berlin (dpa/lno) -",
# "SAN FRANCISCO--(BUSINESS WIRE)--", "NEW YORK, Jan. 05, 2024 (GLOBE NEWSWIRE) --", "Madrid, 5 ene (EFE).-"
_PAREN_AGENCIES = ("AP", "Reuters", "REUTERS", "AFP", "dpa", "dpa-AFX", "EFE", "ANSA", "Xinhua", "XINHUA", "Yonhap", "YONHAP",
                   "Kyodo", "KYODO", "AAP", "UPI", "Bernama", "BERNAMA", "TASS", "CP", "PTI", "IANS", "ANI", "CNN", "Bloomberg",
                   "BUSINESS WIRE", "Business Wire", "GLOBE NEWSWIRE", "GlobeNewswire", "ACCESSWIRE", "PRWEB", "PRWeb")
# ... and between slashes: "NEW YORK, Jan. 5, 2024 /PRNewswire/ --", "/PRNewswire-PRWeb/", "MOSCOW, January 5. /TASS/.",
# "VANCOUVER, BC / ACCESSWIRE / January 5, 2024 /", "TORONTO, Jan. 5, 2024 /CNW/ -"
_SLASH_AGENCIES = ("PRNewswire", "CNW", "TASS", "ACCESSWIRE")
# Agencies that bylines name: "By THE ASSOCIATED PRESS", "By Reuters Staff", "By JOSH BOAK AP Economics Writer"
_BYLINE_AGENCIES = ("THE ASSOCIATED PRESS", "The Associated Press", "Associated Press", "ASSOCIATED PRESS", "AP", "Reuters",
                    "REUTERS", "AFP", "Agence France-Presse", "AGENCE FRANCE-PRESSE", "The Canadian Press",
                    "THE CANADIAN PRESS", "Canadian Press", "Bloomberg News", "UPI", "United Press International",
                    "Press Trust of India", "PTI", "IANS", "ANI", "dpa", "EFE", "ANSA", "Kyodo News", "Kyodo",
                    "Yonhap News Agency", "Yonhap", "Xinhua", "Bernama", "TASS", "AAP", "Australian Associated Press")
# Agencies named alone on a line ("Associated Press"): only names no photo credit or sentence shortens to
_STANDALONE_AGENCIES = ("THE ASSOCIATED PRESS", "The Associated Press", "Associated Press", "ASSOCIATED PRESS",
                        "The Canadian Press", "THE CANADIAN PRESS", "Agence France-Presse", "Australian Associated Press",
                        "Press Trust of India", "United Press International", "Yonhap News Agency", "Kyodo News")
# Agencies signing at the end: "... said. — AFP", "... into the US. PTI", a last line "-- Reuters"
_END_AGENCIES = ("AFP", "PTI", "IANS", "ANI", "Reuters", "REUTERS", "AP", "UPI", "AAP", "EFE", "ANSA", "dpa", "Xinhua",
                 "Bernama", "BERNAMA", "TASS", "Yonhap", "Kyodo")
# Lower-case words a dateline's place and date may hold: months (es, fr, it, pt) and particles of place names
_LOWER_WORDS = ("ene|enero|feb|febr|febrero|marzo|abr|abril|mayo|jun|junio|jul|julio|ago|agosto|sep|sept|set|septiembre"
                "|oct|octubre|nov|noviembre|dic|diciembre|janv|janvier|févr|février|mars|avr|avril|mai|juin|juil|juillet"
                "|août|déc|décembre|septembre|octobre|novembre|gen|gennaio|febbraio|aprile|mag|maggio|giu|giugno|lug"
                "|luglio|settembre|ott|ottobre|dicembre|fev|fevereiro|abril|out|outubro|dez|dezembro|de|del|di|da|do"
                "|am|an|der|im|sur")
_PLACE_WORD = (r"(?:[A-ZÀ-ÖØ-Þ][\w'’.\-]*|\d{1,4}(?:st|nd|rd|th)?\.?|\[[^\]\n]{1,30}\]|(?:" + _LOWER_WORDS + r")\b\.?)")
_PLACE = _PLACE_WORD + r"(?:(?:[ \t]*[,/][ \t]*|[ \t]+)" + _PLACE_WORD + r"){0,9}"


def _alternation(names: tuple[str, ...]) -> str:
    return "|".join(re.escape(n) for n in sorted(set(names), key=len, reverse=True))


# Each pattern is matched at the start of one line (the lines of _edge_lines), after a cheap test of that line.
_DATELINE = re.compile(
    r"[ \t]*(?:" + _PLACE + r"[ \t]*,?[ \t]*(?:[-–—]{1,2}[ \t]*)?)?"
    r"(?:\((" + _alternation(_PAREN_AGENCIES) + r")(?:/[A-Za-z]{2,5})?\)"
    r"|/[ \t]?((?:" + _alternation(_SLASH_AGENCIES) + r")(?:-[A-Za-z][\w ]{0,24}?)?)[ \t]?/)"
    r"(?:[ \t]*[.,]?[ \t]*[-–—]{1,2}|[ \t]*:|\.(?=[ \t])|[ \t]+(?=[\"“‘'A-ZÀ-Þ0-9]))"
)
# the test: an agency in parentheses or between slashes
_DATELINE_GATE = re.compile(r"\((?:" + _alternation(_PAREN_AGENCIES) + r")[/)]|/[ \t]?(?:" + _alternation(_SLASH_AGENCIES)
                            + r")[-/ \t]")
_BYLINE = re.compile(
    r"[ \t]*(?:By|BY|Von|VON|Por|POR|Par|PAR)[ \t:]+(?:[^\n]{0,80}?(?:[ \t]*[,|/—–-][ \t]*|[ \t]+))?"
    r"(" + _alternation(_BYLINE_AGENCIES) + r")(?:[ \t]+[A-Z][a-z]+){0,3}[ \t]*\.?[ \t]*$"
)
_BY_WORDS = ("By", "BY", "Von", "VON", "Por", "POR", "Par", "PAR")
_STANDALONE = re.compile(r"[ \t]{0,3}(?:[-–—]{1,2}[ \t]?)?(" + _alternation(_STANDALONE_AGENCIES)
                         + r")[ \t]{0,3}\.?[ \t]{0,3}$")
_STANDALONE_CHARS = 40  # the longest line _STANDALONE matches
# at the end of one of the last lines: searched from _END_REACH characters before its end
_END = re.compile(r"(?:[.!?\"”’)\]]|^)[ \t]{0,3}(?:[-–—]{1,2}[ \t]{0,3})?(" + _alternation(_END_AGENCIES) + r")\.?\Z")
_END_REACH = 40
_AGENCY_TAGLINE = re.compile(_CP_TAGLINE.pattern + "|" + _INPUTS_FROM.pattern)
_CP_PLACE = re.compile(r"[ \t]*(?:\(CP\)|[A-Z][A-Z.'’\-]+\b(?![a-z]))")

_HEAD_LINES = 4  # a dateline or byline may follow a headline, a standfirst and a caption
_TAIL_LINES = 3
_LINE_CHARS = 300
_EDGE_CHARS = 2000


def _edge_lines(text: str) -> tuple[list[str], list[str]]:
    """The first and the last few non-blank lines of a text, each cut to _LINE_CHARS characters.

    A tail line cut short starts with "…", so that no pattern reads the cut
    as the start of a line.
    """
    head: list[str] = []
    for line in text[:_EDGE_CHARS].split("\n"):
        if line and not line.isspace():
            head.append(line[:_LINE_CHARS])
            if len(head) == _HEAD_LINES:
                break
    tail: list[str] = []
    lines = text[-_EDGE_CHARS:].split("\n")
    first = 1 if len(text) > _EDGE_CHARS else 0  # the first piece is cut inside a line
    for i in range(len(lines) - 1, first - 1, -1):
        line = lines[i]
        if line and not line.isspace():
            tail.append(line if len(line) <= _LINE_CHARS else "…" + line[-_LINE_CHARS:])
            if len(tail) == _TAIL_LINES:
                break
    tail.reverse()
    return head, tail


def _wire_lines(text: str) -> list[tuple[str, str, str]]:
    """(agency as printed, matched text, form) of the datelines and bylines at the start and end of a text."""
    head, tail = _edge_lines(text)
    found: list[tuple[str, str, str]] = []
    for line in head:
        if _DATELINE_GATE.search(line):
            m = _DATELINE.match(line)
            if m and (m.group(1) != "CP" or _CP_PLACE.match(line)):  # "Canadian Pacific (CP) —" is a ticker
                found.append((m.group(1) or m.group(2), m.group(0).strip(), "dateline"))
    for line in head + tail:
        start = line.lstrip()
        if start.startswith(_BY_WORDS):
            m = _BYLINE.match(line)
        elif len(start) <= _STANDALONE_CHARS:
            m = _STANDALONE.match(line)
        else:
            continue
        if m:
            found.append((m.group(1), m.group(0).strip(), "byline"))
    for line in tail:  # the signature may be followed by chrome extraction kept ("Comments")
        line = line.rstrip()
        if line.rstrip(".").endswith(_END_AGENCIES):
            m = _END.search(line, max(0, len(line) - _END_REACH))
            if m:
                found.append((m.group(1), m.group(0).strip().lstrip(".!?\"”’)]").strip(), "byline"))
    return found


def _agency_name(token: str) -> str:
    """The publisher a dateline's agency token names: "BUSINESS WIRE" -> "Business Wire"."""
    key = publisher_key(token)
    if key.startswith("prnewswire") and key not in PUBLISHERS:  # /PRNewswire-FirstCall/, /PRNewswire-USNewswire/
        key = "prnewswire"
    known = PUBLISHERS.get(key)
    return known[0] if known else token


def credit_form(text: str) -> str:
    """How a stored credit's text credits its publisher: ``dateline``, ``byline`` or ``credit`` (any other line)."""
    # a stored dateline ends where its separator did; what followed it ("/TASS/. The") is gone
    if _DATELINE_GATE.search(text) and _DATELINE.match(text + " A"):
        return "dateline"
    if _BYLINE.match(text) or _STANDALONE.match(text) or _END.search(text) or _AGENCY_TAGLINE.match(text):
        return "byline"
    return "credit"


def publisher_key(name: str) -> str:
    """Letters and digits of a publisher's name, lower-case: "The Associated Press" -> "theassociatedpress"."""
    return re.sub(r"[\W_]+", "", name.casefold())


def canonical_publisher(name: str) -> str:
    """The usual spelling of a publisher named in a credit line ("AP" -> "The Associated Press")."""
    name = " ".join(name.split()).strip(" .,:;-–—")
    known = PUBLISHERS.get(publisher_key(name))
    return known[0] if known else name


_COPYRIGHT_WORDS = re.compile(r"©|\(c\)|\bcopyright\b|\ball rights reserved\b", re.IGNORECASE)
_COPYRIGHT_STRIP = re.compile(
    r"©|\(c\)|\bcopyright\b|\ball rights reserved\b|\b(?:19|20)\d{2}\b(?:\s*[-–]\s*(?:(?:19|20)?\d{2})\b)?",
    re.IGNORECASE)
_PARENTHESES = re.compile(r"\s*\([^()]*\)")
_LEFT_PUNCTUATION = re.compile(r"\s+[.,;:]+")  # what stripped words leave: "The Associated Press. ."
_LEADING_BY = re.compile(r"^(?:by|par|von|por)\s+", re.IGNORECASE)
# " | ", " – ", " - ": a site name with a tagline ("Le Monde.fr - Actualités et Infos") or a title with the site's name
_SEGMENTS = re.compile(r"\s+(?:[|·•»~]|::|-{1,2}|[–—])\s+")
_URL_LIKE = re.compile(r"^(?:https?:/|www\.)|https?://", re.IGNORECASE)
_SENTENCE_BREAK = re.compile(r"\b[^\W\d_A-ZÀ-Þ]{3,}[.!?]\s+\S")  # "... introduces. The ...": a lower-case word ends a sentence
_COLON_PHRASE = re.compile(r":\s+\S+\s+\S")
_TRIM = " \t\"'“”‘’«»,;:|·•»~-–—_*"
_GENERIC_NAMES = {
    "home", "homepage", "home page", "main page", "news", "latest news", "breaking news", "top stories", "blog", "my blog",
    "my wordpress blog", "just another wordpress site", "wordpress", "untitled", "null", "none", "undefined", "unknown",
    "website", "web site", "site", "my site", "admin", "administrator", "staff", "staff report", "staff reports",
    "editor", "editors", "editorial", "default", "index", "article", "articles", "post", "posts", "page", "agency",
    "agencies", "wire", "wires", "wire service", "wire reports", "press release", "press releases", "news desk",
    "newsdesk", "web desk", "web team", "online desk", "desk", "author", "guest", "guest author", "anonymous",
}
_TRAILING_PARTICLES = {"the", "of", "and", "a", "an", "in", "on", "at", "by", "for", "to", "de", "du", "la", "le", "des"}
_MAX_NAME_CHARS = 60
_MAX_NAME_WORDS = 7


def clean_publisher(name: str | None) -> str | None:
    """A publisher's name as it should be stored, or None when ``name`` is not one.

    - None for an empty or generic value ("Home", "Staff", "Untitled") and a URL;
    - None for a headline: over 60 characters or 7 words, a sentence break, a
      final "?", an ellipsis, a colon followed by a phrase ("The One to Watch:
      Logitech Harmony One Introduces…"), a phrase of three words or more
      starting with a lower-case word, or ending on "the", "of", ...;
    - a copyright line keeps its holder, who is the publisher ("© 2000 Rural
      Press Ltd." -> "Rural Press Ltd."), and is None when no name is left
      ("Copyright 2014");
    - a value that is not a name as a whole but has parts around " | ", " – ",
      " - " ("A headline that runs on and on | CNN", "SIMPLYFOUND.COM | BY: JOE
      WEE") keeps its shortest part that is a name ("CNN", "SIMPLYFOUND.COM");
      so does a name with a tagline ("Mozilla Hacks – the Web developer blog"
      -> "Mozilla Hacks"); a short one stays whole ("CDU - Fraktion Erfurt");
    - otherwise the name with spaces, quotes and parentheses trimmed ("Bradley
      M. Kuhn ( Brad )" -> "Bradley M. Kuhn"); a final period stays after an
      abbreviation ("Wikimedia Foundation, Inc.").
    """
    if not name or not isinstance(name, str):
        return None
    text = " ".join(name.split())
    if not text or _URL_LIKE.search(text):
        return None
    if _COPYRIGHT_WORDS.search(text):
        text = _LEFT_PUNCTUATION.sub("", " ".join(_COPYRIGHT_STRIP.sub(" ", text).split())).strip(_TRIM)
        text = _LEADING_BY.sub("", text).strip(_TRIM)
    text = _trim(text)
    if not text:
        return None
    if _is_name(text):
        return text
    parts = [p for p in (_trim(part) for part in _SEGMENTS.split(text)) if p and _is_name(p)]
    return min(parts, key=lambda p: len(p.split())) if parts else None


def _trim(text: str) -> str:
    # "Bradley M. Kuhn ( Brad )", "Agence France-Presse (AFP)"
    text = _PARENTHESES.sub("", text).strip(_TRIM) or text.strip(_TRIM)
    if text.endswith(".") and len(text.rsplit(None, 1)[-1]) > 5:  # a sentence's period, not "Inc." or "Ltd."
        text = text.rstrip(".").rstrip(_TRIM)
    return text


def _is_name(text: str) -> bool:
    words = text.split()
    if len(text) > _MAX_NAME_CHARS or len(words) > _MAX_NAME_WORDS or not any(c.isalpha() for c in text):
        return False
    if " ".join(words).casefold() in _GENERIC_NAMES or _SEGMENTS.search(text) and len(words) > 4:
        return False
    if "…" in text or "..." in text or text.endswith("?") or _SENTENCE_BREAK.search(text):
        return False
    if _COLON_PHRASE.search(text) or (":" in text and len(words) >= 4):
        return False
    if text.endswith("!") and len(words) >= 4:
        return False
    if len(words) > 1 and words[-1] in _TRAILING_PARTICLES:  # "VICE US. In the": a name does not stop on "the"
        return False
    return not (len(words) >= 3 and words[0].islower() and "." not in words[0])  # "speicherguide.de GbR ..." is a name


def publisher_sites(name: str) -> tuple[str, ...]:
    """Home sites of a well-known publisher; () when it is not in the table."""
    known = PUBLISHERS.get(publisher_key(name))
    return known[1] if known else ()


_ABSOLUTE_HOST = re.compile(r"^(?:https?:)?//([^/:?#\s]+)", re.IGNORECASE)


@lru_cache(maxsize=65536)
def _site_of_host(host: str) -> str:
    return site_of(host)


def site_of(url_or_domain: str) -> str:
    """The registered site of a host: "edition.cnn.com" -> "cnn.com", "news.bbc.co.uk" -> "bbc.co.uk"."""
    host = url_or_domain
    if "/" in host:
        try:
            host = urlsplit(host).hostname or ""
        except ValueError:
            return ""
    labels = host.lower().strip(".").split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in {"co", "com", "org", "net", "ac", "gov", "edu", "ne", "or"}:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


@lru_cache(maxsize=65536)
def _not_a_source(site: str) -> bool:
    return any(site == s or site.endswith("." + s) for s in _NOT_SOURCES)


def same_publisher(site_a: str, site_b: str) -> bool:
    """Sites of one publisher: the same site, or the same name under another suffix (bbc.com, bbc.co.uk)."""
    return bool(site_a) and bool(site_b) and (site_a == site_b or site_a.split(".")[0] == site_b.split(".")[0])


def source_links(tree: object, page_url: str) -> list[Evidence]:
    """Links whose text or context says they lead to the article's source, to another site."""
    own = site_of(page_url)
    found: list[Evidence] = []
    seen: set[str] = set()
    for a in tree.iter("a"):  # type: ignore[attr-defined]
        href = (a.get("href") or "").strip()
        anchor = " ".join(a.text_content().split()) if _ABSOLUTE_HOST.match(href) else ""
        site = source_candidate(href, anchor, lambda a=a: _text_before(a), own)
        if site is None or any(anc.tag in _SKIP_ANCESTORS for anc in a.iterancestors() if isinstance(anc.tag, str)):
            continue
        evidence = link_evidence(href, page_url, site, anchor, _text_before(a), seen)
        if evidence is not None:
            found.append(evidence)
    return found


def source_candidate(href: str, anchor: str, before: Callable[[], str], own: str) -> str | None:
    """The site a link leads to when it may be the article's source (its text or the words before it say so), else None.

    Shared by both extraction engines; ``before`` is read only for links to another site.
    """
    host = _ABSOLUTE_HOST.match(href)
    if host is None:  # relative links stay on the page's own site
        return None
    site = _site_of_host(host.group(1).lower())
    if not site or same_publisher(site, own) or _not_a_source(site):
        return None
    if _SOURCE_ANCHOR.match(anchor):
        return site
    context = before()
    return site if _SOURCE_CONTEXT.search(context) and "share" not in context.lower() else None


def link_evidence(href: str, page_url: str, site: str, anchor: str, before: str, seen: set[str]) -> Evidence | None:
    """The evidence a source link gives: a ``link`` to the article, or a ``credit`` for a link to a home page.

    None for a target already seen on the page (``seen`` is updated) or one that is not a URL ("http://[::1",
    a port of 99999).
    """
    try:
        target = href if href.startswith("http") else urljoin(page_url, href)
        parts = urlsplit(target)
        parts.port  # noqa: B018 - raises ValueError for a port out of range or not a number
    except ValueError:
        return None
    if target in seen:
        return None
    seen.add(target)
    publisher = None
    m = _ANCHOR_PUBLISHER.search(anchor)
    if m:
        publisher = clean_publisher(canonical_publisher(m.group(1)))
    elif _SOURCE_CONTEXT.search(before) and anchor and len(anchor) <= 60 and not _SOURCE_ANCHOR.match(anchor):
        publisher = clean_publisher(canonical_publisher(anchor))  # the anchor may be the headline, not a name
    context = f"{before} {anchor}".strip()[-200:]
    if parts.path in ("", "/") and not parts.query:
        # a link to a site's home page credits a publisher, not an article
        return Evidence(CREDIT, publisher=publisher or site, text=context)
    return Evidence(LINK, url=target, publisher=publisher, text=context)


def _text_before(a: object) -> str:
    """The text right before the anchor in its block ("Source: ", "Originally published at "), at most 80 characters."""
    prev = a.getprevious()  # type: ignore[attr-defined]
    if prev is None:
        parent = a.getparent()  # type: ignore[attr-defined]
        text = (parent.text or "") if parent is not None else ""
    else:
        text = (prev.text_content() if isinstance(prev.tag, str) else "") + (prev.tail or "")
    return " ".join(text.split())[-80:]


def credits(text: str) -> list[Evidence]:
    """Publishers named in credit lines of the article text, and in the datelines and bylines at its start and end."""
    found: list[Evidence] = []
    seen: set[str] = set()

    def add(name: str | None, line: str) -> None:
        name = clean_publisher(name)
        key = publisher_key(name) if name else ""
        if len(key) < 2 or key in seen or key in {"the", "our", "this", "his", "her", "their"}:
            return
        seen.add(key)
        found.append(Evidence(CREDIT, publisher=name, text=" ".join(line.split())[:200]))

    for token, line, _ in _wire_lines(text):
        add(_agency_name(token), line)
    for needles, pattern in _CREDIT_PATTERNS:
        if not any(needle in text for needle in needles):
            continue
        for m in pattern.finditer(text):
            if pattern is _FIRST_PUBLISHED and not _FIRST_CONTEXT.search(text, max(0, m.start() - 60), m.start()):
                continue
            add(canonical_publisher(m.group(1)), m.group(0))
    return found


def canonical_elsewhere(page_url: str, canonical: str | None) -> list[Evidence]:
    """The page's canonical link when it names another site."""
    if canonical and canonical.startswith(("http://", "https://")) and not same_publisher(site_of(canonical), site_of(page_url)):
        return [Evidence(CANONICAL, url=canonical, text=f"canonical: {canonical}"[:200])]
    return []
