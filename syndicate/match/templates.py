"""Template pairs: two articles written from one frame with different fill, not copies.

Robo-written news (stock blurbs, earnings notes, lottery results, weather,
game recaps) shares most of its text between stories: the frame. What
differs are the slots: company names, tickers, teams, cities, figures, dates.
Two such stories can pass verification as one article although neither is a
copy of the other. A real copy that was edited (a corrected figure, a name
changed in one place, truncated, a dropped paragraph, an added intro,
"Advertisement" lines, straight quotes, a new headline) stays a copy.

``is_template_pair`` is asked only about pairs already verified as similar,
so it can afford an alignment. The two token lists (case-folded, as
``syndicate.text.tokens`` cuts them: punctuation and quote style do not
count) are aligned by a patience diff, and what differs is read:

- *regions*: differing blocks parted by fewer than ``MIN_CONTEXT`` equal
  tokens are one region, so a template's variant sentence ("This is above 1,
  so ..." / "With a beta of 0.94, which is quite close to 1, ...") is one
  long passage, not many slots;
- a *slot* is a region that replaces (both sides non-empty) at most
  ``MAX_SLOT`` tokens a side, or only fillers (a list of lottery numbers);
  insertions and deletions (an intro, a dropped paragraph, a cut end,
  "Advertisement") and long replaced passages are not slots;
- a token is a *filler* when it is a figure (carries a digit), a month,
  weekday or unit word ("million", "percent"), or a name: capitalised, not
  a function word, and at a sentence start only when the text also
  capitalises it inside a sentence or writes it with more capitals ("NYSE").

The pair is a template pair when the texts differ in a frame of slots::

    slots >= MIN_SLOTS (4)                       many places differ,
    distinct >= MIN_DISTINCT (3)                 in several different fill values
                                                 (distinct filler-for-filler
                                                 substitutions, one repeated name
                                                 correction counts once),
    spread >= MIN_SPREAD (3)                     all through the text (tenths of
                                                 the shared text holding a slot),
    filler_share >= MIN_FILLER_SHARE (0.6)       mostly in names and figures,

and the fill differs, not only a figure here and there::

    a name fills at least two slots of one text and appears nowhere in the
    other (another company, ticker, team, state, city),
    or: both titles are given, differ only in fillers, one of them a date or
    period ("... on Saturday, May 4" / "... Wednesday, May 8", "Fiscal Q3" /
    "Fiscal Q2"), and at least MIN_NUMERIC (6) distinct figure substitutions
    differ in the slots (another draw or quarter of the same lottery or
    company).

A copy with one or two changed figures or names has at most two distinct
substitutions; an updated copy with every figure changed keeps its names, and
its headline, if it changes, changes a count, not a date; a copy whose one
name was respelt everywhere has one distinct substitution.

Cost: the alignment anchors on tokens that occur once on each side, then
recurses into the gaps (difflib only for small gaps without such a token):
about a millisecond for two 800-word texts, where ``difflib.SequenceMatcher``
over the whole token lists takes 2 to 10. Figures are in
``tests/data/templates/README.md``.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache

from ..text import _TOKEN_RE  # one definition of what a token is

# A replaced region of at most this many tokens on each side is a slot
# ("Advanced Micro Devices" for "Apple", "1 234 567" for "98 100").
MAX_SLOT = 6
# Blocks parted by fewer equal tokens than this are one changed region.
MIN_CONTEXT = 3
# Slots, and distinct filler-for-filler substitutions, a frame has at least: a
# copy with one or two corrected figures or names has fewer.
MIN_SLOTS = 4
MIN_DISTINCT = 3
# Tenths of the shared text (from its first to its last aligned token) that
# must hold a slot: template slots run through the text, an edited passage
# sits in one or two.
MIN_SPREAD = 3
# Share of the slot tokens (both sides) that must be fillers; the rest are a
# template's wording variants ("above"/"below", "sunny"/"mostly cloudy").
# Weather frames, whose conditions and wind directions are lower-case words,
# measure 0.64 to 0.69; other frames 0.74 and up.
MIN_FILLER_SHARE = 0.6
# Distinct all-figure substitutions that, under headlines differing only in a
# date or period, make another fill of one company's or lottery's frame.
MIN_NUMERIC = 6
# Gaps without a unique common token up to this many tokens a side are aligned
# by difflib; larger ones count as one replaced passage.
_DIFFLIB_GAP = 60
# Gaps up to this many tokens a side (after the common ends are set aside) are
# one block, not aligned further: a slot's inside does not matter, and most
# gaps of a template pair are this small (several times faster than aligning each).
_TINY_GAP = 4

_MONTHS = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
)
_WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun"
_UNITS = "million billion trillion thousand bn mn percent pct cent"
_DATE_OR_UNIT = frozenset(f"{_MONTHS} {_WEEKDAYS} {_UNITS}".split()) - {"may", "mar", "sat", "sun", "wed"}
# "May", "Mar", "Sat", "Sun", "Wed" are words too; capitalised they count as names anyway.
_FUNCTION_WORDS = frozenset(
    """a an the and or but nor of in on at to for with by from as into onto upon about over under after before
    since until than then so if when while where which who whom whose what why how that this these those
    is are was were be been being am has have had do does did will would shall should can could may might must
    it its he she they we you i his her their our your my me him them us there here not no yes also all any
    each every some many more most such both either neither other another one only just even still yet
    according said says""".split()
)
# Where a sentence (or a line, a list item, a heading) ends: the next token is a sentence start.
# (Not the period of "Co.", "Inc.", "Mr.", "U.S." or an initial.)
_ABBREVIATIONS = ("Co", "Inc", "Corp", "Ltd", "Plc", "Mr", "Mrs", "Ms", "Dr", "St", "Jr", "Sr", "vs", "No")
_SENTENCE_END = re.compile(
    r"[.!?]+"
    + "".join(rf"(?<!\b{a}\.)" for a in _ABBREVIATIONS)
    + r"(?<!\b[A-Z]\.)[\"'\u201d\u2019)\]]*\s+|[\n:;\u2022|]"
)


class _Text:
    """A text's tokens as the alignment compares them (case-folded), with what each was written as.

    Where sentences start, and which words the text writes capitalised inside
    one, is worked out only when a capitalised word must be judged (most
    pairs need it for a few tokens, a copy with a changed figure not at all).
    """

    def __init__(self, text: str) -> None:
        self.text = unicodedata.normalize("NFKC", text or "")
        self.words: list[str] = _TOKEN_RE.findall(self.text)
        self.keys = [w.casefold() for w in self.words]
        self._fillers: dict[int, bool] = {}

    @cached_property
    def starts(self) -> set[int]:
        """Indexes of the sentence-initial tokens."""
        starts: set[int] = set()
        n = 0
        for sentence in _SENTENCE_END.split(self.text):
            count = len(_TOKEN_RE.findall(sentence))
            if count:
                starts.add(n)
                n += count
        return starts

    @cached_property
    def inside(self) -> set[str]:
        """Keys written capitalised inside a sentence somewhere: a capitalised sentence start of one is a name."""
        starts = self.starts
        return {k for n, (w, k) in enumerate(zip(self.words, self.keys)) if w[0].isupper() and n not in starts}

    @cached_property
    def vocabulary(self) -> set[str]:
        return set(self.keys)

    @cached_property
    def written(self) -> set[str]:
        """The words as written: a key found here is written in lower case somewhere."""
        return set(self.words)

    def numeric(self, i: int) -> bool:
        """A figure, amount, score, date or unit word."""
        return self.keys[i] in _DATE_OR_UNIT or not self.words[i].isalpha()  # a token is letters or has a digit

    def name(self, i: int) -> bool:
        """Capitalised as a name: not a function word; at a sentence start only if also capitalised
        inside one, or written with more capitals ("NYSE", "McDonald")."""
        w, k = self.words[i], self.keys[i]
        return (
            w[0].isupper()
            and k not in _FUNCTION_WORDS
            and (i not in self.starts or k in self.inside or not w[1:].islower())
            and not self.numeric(i)
        )

    def filler(self, i: int) -> bool:
        found = self._fillers.get(i)
        if found is None:
            found = self._fillers[i] = self.numeric(i) or self.name(i)
        return found

    def proper(self, key: str) -> bool:
        """The text uses ``key`` and always capitalised: a name of this text (for title words)."""
        return key in self.vocabulary and key not in self.written and key not in _FUNCTION_WORDS


# The texts of recent pairs, read: verification meets one page in several pairs in a row.
_read = lru_cache(maxsize=32)(_Text)


def _anchors(a: list[str], alo: int, ahi: int, b: list[str], blo: int, bhi: int) -> list[tuple[int, int]]:
    """Positions (i, j) of tokens occurring once in a[alo:ahi] and once in b[blo:bhi], in a longest common order."""
    count_a = Counter(a[alo:ahi])
    count_b = Counter(b[blo:bhi])
    at_a = {}
    for i in range(alo, ahi):
        t = a[i]
        if count_a[t] == 1 and count_b.get(t) == 1:
            at_a[t] = i
    if not at_a:
        return []
    pairs = [(at_a[b[j]], j) for j in range(blo, bhi) if b[j] in at_a]  # in order of j
    # longest increasing subsequence of i (patience sorting)
    tails: list[int] = []  # i at the end of the best run of each length
    ends: list[int] = []  # index into pairs of that end
    back = [-1] * len(pairs)
    for n, (i, _) in enumerate(pairs):
        at = bisect_left(tails, i)
        back[n] = ends[at - 1] if at else -1
        if at == len(tails):
            tails.append(i)
            ends.append(n)
        else:
            tails[at] = i
            ends[at] = n
    out = []
    n = ends[-1]
    while n >= 0:
        out.append(pairs[n])
        n = back[n]
    out.reverse()
    return out


def align(a: list[str], b: list[str]) -> list[tuple[int, int, int, int]]:
    """The differing blocks (i1, i2, j1, j2) of two token lists, in order: a[i1:i2] became b[j1:j2].

    A patience diff: common prefix and suffix set aside, tokens unique on both
    sides as anchors, recursively in the gaps; small gaps without anchors are
    left to difflib, gaps of up to ``_TINY_GAP`` tokens a side are one block.
    """
    out: list[tuple[int, int, int, int]] = []
    stack = [(0, len(a), 0, len(b))]
    while stack:
        alo, ahi, blo, bhi = stack.pop()
        while alo < ahi and blo < bhi and a[alo] == b[blo]:
            alo += 1
            blo += 1
        while alo < ahi and blo < bhi and a[ahi - 1] == b[bhi - 1]:
            ahi -= 1
            bhi -= 1
        if alo == ahi or blo == bhi:
            if alo < ahi or blo < bhi:
                out.append((alo, ahi, blo, bhi))
            continue
        if ahi - alo <= _TINY_GAP and bhi - blo <= _TINY_GAP:
            if ahi - alo == bhi - blo:  # word for word: the runs that differ
                i = alo
                while i < ahi:
                    if a[i] != b[blo + i - alo]:
                        start = i
                        while i < ahi and a[i] != b[blo + i - alo]:
                            i += 1
                        out.append((start, i, blo + start - alo, blo + i - alo))
                    i += 1
            else:
                out.append((alo, ahi, blo, bhi))
            continue
        anchors = _anchors(a, alo, ahi, b, blo, bhi)
        if not anchors:
            if ahi - alo <= _DIFFLIB_GAP and bhi - blo <= _DIFFLIB_GAP:
                matcher = difflib.SequenceMatcher(None, a[alo:ahi], b[blo:bhi], autojunk=False)
                for tag, i1, i2, j1, j2 in matcher.get_opcodes():
                    if tag != "equal":
                        out.append((alo + i1, alo + i2, blo + j1, blo + j2))
            else:
                out.append((alo, ahi, blo, bhi))
            continue
        i0, j0 = alo, blo
        for i, j in anchors:
            stack.append((i0, i, j0, j))
            i0, j0 = i + 1, j + 1
        stack.append((i0, ahi, j0, bhi))
    out.sort()
    return out


@dataclass(frozen=True)
class TemplateFeatures:
    """What ``template_features`` measured on a pair, and its verdict."""

    slots: int  # replaced regions of few tokens, or of fillers only
    distinct: int  # distinct filler-for-filler substitutions (blocks, in slots or longer passages)
    filler_share: float  # share of the slots' changed tokens (both sides) that are fillers
    spread: int  # tenths of the shared text holding a slot's block
    numeric: int  # distinct all-figure substitutions in the slots
    names_a: tuple[str, ...]  # names filling at least two slots of a, absent from b
    names_b: tuple[str, ...]  # likewise of b, absent from a
    title_fill: bool  # both titles given, differing only in fillers, one a date or period
    is_template: bool

    @property
    def frame(self) -> bool:
        """The texts differ in a frame of slots (the first half of the rule)."""
        return (
            self.slots >= MIN_SLOTS
            and self.distinct >= MIN_DISTINCT
            and self.spread >= MIN_SPREAD
            and self.filler_share >= MIN_FILLER_SHARE
        )

    @property
    def fill_differs(self) -> bool:
        """The fill differs (the second half of the rule): another name, or other figures under
        headlines that differ only in their fill."""
        return bool(self.names_a or self.names_b) or (self.title_fill and self.numeric >= MIN_NUMERIC)


def _title_fill(title_a: str | None, title_b: str | None, body_a: _Text, body_b: _Text) -> bool:
    """Both titles given, and they differ only in fillers, one of them a date or period.

    "Ohio Lottery results ... on Saturday, May 4" / "... Wednesday, May 8",
    "Home Depot: Fiscal Q3 Earnings Snapshot" / "... Q2 ...": one headline
    frame for another day, draw or quarter. Not "Death toll rises to 12" /
    "... to 15", an updated story. Titles are often in Title Case, so a title
    token counts as a name only when its own body uses it as one (and never in
    lower case); figures and dates count as they are.
    """
    if not title_a or not title_b:
        return False
    ta, tb = _read(title_a), _read(title_b)
    blocks = align(ta.keys, tb.keys)
    if not blocks:
        return False
    only_fill = all(
        all(ta.numeric(i) or body_a.proper(ta.keys[i]) for i in range(i1, i2))
        and all(tb.numeric(j) or body_b.proper(tb.keys[j]) for j in range(j1, j2))
        for i1, i2, j1, j2 in blocks
    )
    return only_fill and any(_period(ta, i1, i2) or _period(tb, j1, j2) for i1, i2, j1, j2 in blocks)


_PERIOD = re.compile(r"(?:q[1-4]|h[12]|fy\d{2,4}|(?:19|20)\d\d|\d{1,2}(?:st|nd|rd|th)?)")
_CALENDAR = frozenset(f"{_MONTHS} {_WEEKDAYS}".split())


def _period(t: _Text, lo: int, hi: int) -> bool:
    """Tokens lo:hi name a date or period: a weekday or month, a quarter or year, a day next to a month."""
    for i in range(lo, hi):
        k = t.keys[i]
        if k in _CALENDAR or (_PERIOD.fullmatch(k) and (not k.isdigit() or len(k) == 4)):
            return True
        if k.isdigit() and len(k) <= 2 and any(0 <= n < len(t.keys) and t.keys[n] in _CALENDAR for n in (i - 1, i + 1)):
            return True
    return False


def regions(blocks: list[tuple[int, int, int, int]]) -> list[list[tuple[int, int, int, int]]]:
    """The differing blocks grouped where fewer than ``MIN_CONTEXT`` equal tokens part them.

    A template's variant sentence ("is above 1, so ..." / "is quite close to
    1 ...") aligns as many small blocks between common words; grouped, it is
    one long changed passage, not many slots.
    """
    out: list[list[tuple[int, int, int, int]]] = []
    for block in blocks:
        if out and block[0] - out[-1][-1][1] < MIN_CONTEXT:
            out[-1].append(block)
        else:
            out.append([block])
    return out


def template_features(
    text_a: str, text_b: str, title_a: str | None = None, title_b: str | None = None
) -> TemplateFeatures:
    """Measure a pair for ``is_template_pair`` (see the module docstring for the rule)."""
    a, b = _read(text_a or ""), _read(text_b or "")
    blocks = align(a.keys, b.keys)
    slots = []  # the blocks of each slot region
    for group in regions(blocks):
        ia = [i for i1, i2, _, _ in group for i in range(i1, i2)]
        jb = [j for _, _, j1, j2 in group for j in range(j1, j2)]
        if not ia or not jb:
            continue  # a pure insertion or deletion: an intro, a dropped paragraph, a cut end
        if (len(ia) <= MAX_SLOT and len(jb) <= MAX_SLOT) or (all(map(a.filler, ia)) and all(map(b.filler, jb))):
            slots.append((group, ia, jb))
    fill = [block for group, _, _ in slots for block in group]  # the blocks of the slots
    subs = {  # distinct substitutions of fillers by fillers, in slots or in longer changed passages
        (tuple(a.keys[i1:i2]), tuple(b.keys[j1:j2]))
        for i1, i2, j1, j2 in blocks
        if i1 < i2 and j1 < j2 and all(map(a.filler, range(i1, i2))) and all(map(b.filler, range(j1, j2)))
    }
    size = sum(len(ia) + len(jb) for _, ia, jb in slots)
    fillers = sum(sum(map(a.filler, ia)) + sum(map(b.filler, jb)) for _, ia, jb in slots)
    numeric = len(
        {
            (tuple(a.keys[i1:i2]), tuple(b.keys[j1:j2]))
            for i1, i2, j1, j2 in fill
            if i1 < i2 and j1 < j2 and all(map(a.numeric, range(i1, i2))) and all(map(b.numeric, range(j1, j2)))
        }
    )
    # the shared text in a: from its first to its last token outside a block
    first, last = 0, len(a.keys) - 1
    for i1, i2, _, _ in blocks:
        if i1 == first:
            first = i2
    for i1, i2, _, _ in reversed(blocks):
        if i2 == last + 1:
            last = i1 - 1
    spread = 0
    if fill and last >= first:
        width = last - first + 1
        spread = len({min(max((i1 - first) * 10 // width, 0), 9) for i1, _, _, _ in fill})
    features = TemplateFeatures(
        slots=len(slots),
        distinct=len(subs),
        filler_share=round(fillers / size, 4) if size else 0.0,
        spread=spread,
        numeric=numeric,
        names_a=_absent_fill_names(a, b, [ia for _, ia, _ in slots]),
        names_b=_absent_fill_names(b, a, [jb for _, _, jb in slots]),
        title_fill=_title_fill(title_a, title_b, a, b),
        is_template=False,
    )
    return replace(features, is_template=features.frame and features.fill_differs)


def _absent_fill_names(t: _Text, other: _Text, slots: list[list[int]]) -> tuple[str, ...]:
    """Names in ``t``'s slots that fill at least two slots of it and appear nowhere in ``other``."""
    in_slots: Counter = Counter()
    for changed in slots:
        in_slots.update({t.keys[i] for i in changed if t.name(i)})
    return tuple(sorted(k for k, n in in_slots.items() if n >= 2 and k not in other.vocabulary))


def is_template_pair(text_a: str, text_b: str, title_a: str | None = None, title_b: str | None = None) -> bool:
    """True when two similar articles are one template filled twice (different company, team,
    place, draw...), not one article copied; see the module docstring for the rule."""
    return template_features(text_a, text_b, title_a, title_b).is_template
