"""The edits syndicators make to an article they copy, applied to a real body (see README.md).

Each edit takes (body, title, another article's title) and returns the copy's
(body, title), or (None, None) when the body has nothing to edit (no number,
no name, too few paragraphs, no curly quotes). Deterministic: the same body
gets the same copy.
"""

from __future__ import annotations

import re
from typing import Callable

Edit = Callable[[str, "str | None", "str | None"], "tuple[str | None, str | None]"]

CREDIT = "This article was originally published by our partner site and is republished here with permission."
INTRO = "Editor's note: the following report was first published this morning and has been updated."
NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*(?![\w])")
# A capitalised word inside a sentence (not after . ! ? or at a line start), not a function word.
NAME = re.compile(r"(?<=[a-z,] )([A-Z][a-z]{2,})\b")
COMMON = {"The", "This", "That", "But", "And", "For", "With", "When", "While", "After", "His", "Her", "Their",
          "They", "She", "There", "What", "Its", "Our", "Mr", "Mrs", "Ms", "According"}


def paragraphs(body: str) -> list[str]:
    return [p for p in body.split("\n") if p.strip()]


def _bump(number: str) -> str:
    """Another figure of the same shape: 12 -> 13, 3.5 -> 4.5, 1,200 -> 2,200."""
    digits = [c for c in number if c.isdigit()]
    first = next(i for i, c in enumerate(number) if c.isdigit())
    digit = int(number[first])
    bumped = str((digit + 1) % 10 if len(digits) > 1 else digit + 1)
    return number[:first] + bumped + number[first + 1 :]


def change_numbers(body: str, how_many: int) -> str | None:
    """``how_many`` different figures of the body changed, each in one place (those nearest the middle)."""
    found = list(NUMBER.finditer(body))
    if len({m.group() for m in found}) < how_many:
        return None
    middle = len(body) // 2
    found.sort(key=lambda m: abs(m.start() - middle))
    chosen, seen = [], set()
    for m in found:
        if m.group() not in seen:
            chosen.append(m)
            seen.add(m.group())
        if len(chosen) == how_many:
            break
    for m in sorted(chosen, key=lambda m: -m.start()):
        body = body[: m.start()] + _bump(m.group()) + body[m.end() :]
    return body


def bump_count(title: str | None) -> str | None:
    """The title with its first figure that is not a year changed ("toll rises to 12" -> "to 22"), or None."""
    for m in NUMBER.finditer(title or ""):
        if not re.fullmatch(r"(?:19|20)\d\d", m.group()):
            return title[: m.start()] + _bump(m.group()) + title[m.end() :]
    return None


def main_name(body: str) -> str | None:
    """The name written most often inside sentences: the worst one to change."""
    counts: dict[str, int] = {}
    for m in NAME.finditer(body):
        if m.group(1) not in COMMON:
            counts[m.group(1)] = counts.get(m.group(1), 0) + 1
    return max(counts, key=lambda n: (counts[n], n)) if counts else None


def change_name(body: str) -> str | None:
    """The main name replaced by another in one place (the occurrence nearest the middle)."""
    name = main_name(body)
    if name is None:
        return None
    places = [m for m in NAME.finditer(body) if m.group(1) == name]
    m = min(places, key=lambda m: abs(m.start() - len(body) // 2))
    return body[: m.start()] + ("Johnson" if name != "Johnson" else "Peterson") + body[m.end() :]


def rename_everywhere(body: str) -> str | None:
    """The main name replaced everywhere (a corrected spelling): one substitution, many places."""
    name = main_name(body)
    if name is None:
        return None
    at = next((i for i in range(1, len(name) - 1) if name[i] != name[i + 1]), None)
    if at is None:
        return None
    respelt = name[:at] + name[at + 1] + name[at] + name[at + 2 :]  # two letters swapped: "Apple" -> "Aplpe"
    return re.sub(rf"\b{name}\b", respelt, body)


# A house style applied throughout: British spelling and the copying site's preferred words.
HOUSE_STYLE = {"said": "says", "percent": "per cent", "program": "programme", "center": "centre",
               "color": "colour", "toward": "towards", "while": "whilst", "among": "amongst", "nearly": "almost",
               "organization": "organisation", "about": "around", "also": "additionally", "but": "however",
               "people": "persons", "because": "as", "many": "numerous", "get": "obtain", "show": "demonstrate"}


def house_style(body: str) -> str | None:
    """Every word of ``HOUSE_STYLE`` replaced throughout: many short substitutions, no figure, no name."""
    out, n = re.subn(r"\b(" + "|".join(HOUSE_STYLE) + r")\b", lambda m: HOUSE_STYLE[m.group(1)], body)
    return out if n >= 4 else None


def straighten(text: str) -> str:
    return (text.replace("\u2018", "'").replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
            .replace("\u2014", "--").replace("\u2013", "-"))


def truncate_half(body: str) -> str | None:
    paras = paragraphs(body)
    if len(paras) >= 4:
        return "\n".join(paras[: len(paras) // 2]) + "\nRead the full article on the original site."
    words = body.split(" ")
    return " ".join(words[: len(words) // 2]) + "...\nRead the full article on the original site."


def drop_paragraph(body: str) -> str | None:
    paras = paragraphs(body)
    if len(paras) < 3:
        return None
    del paras[len(paras) // 2]
    return "\n".join(paras)


def advertisement(body: str) -> str:
    paras = paragraphs(body)
    out = []
    for n, p in enumerate(paras):
        out.append(p)
        if n % 3 == 2 and n + 1 < len(paras):
            out.append("Advertisement")
    return "\n".join(out)


def syndicated(body: str) -> str:
    """What a partner site runs: straight quotes, "Advertisement" lines, the first 60% of the text, a credit line."""
    paras = paragraphs(advertisement(straighten(body)))
    keep = max(1, (len(paras) * 3) // 5)
    return "\n".join(paras[:keep]) + "\n" + CREDIT


def _same_title(edit: Callable[[str], str | None]) -> Edit:
    def apply(body: str, title: str | None, other: str | None) -> tuple[str | None, str | None]:
        copy = edit(body)
        return (copy, title) if copy is not None and copy != body else (None, None)

    return apply


EDITS: dict[str, Edit] = {
    "verbatim_credit": _same_title(lambda b: b + "\n" + CREDIT),
    "truncate_half": _same_title(truncate_half),
    "drop_paragraph": _same_title(drop_paragraph),
    "change_number": _same_title(lambda b: change_numbers(b, 1)),
    "change_two_numbers": _same_title(lambda b: change_numbers(b, 2)),
    "update_figures": _same_title(lambda b: change_numbers(b, len(set(NUMBER.findall(b))) or 1)),
    "update_figures_headline": lambda b, t, o: (
        (change_numbers(b, len(set(NUMBER.findall(b)))), bump_count(t))
        if bump_count(t) and NUMBER.search(b) else (None, None)
    ),
    "change_name": _same_title(change_name),
    "change_name_number": _same_title(lambda b: change_numbers(change_name(b) or b, 1) if main_name(b) else None),
    "rename_everywhere": _same_title(rename_everywhere),
    "house_style": _same_title(house_style),
    "house_style_rename": _same_title(lambda b: house_style(rename_everywhere(b) or "") if main_name(b) else None),
    "add_intro": _same_title(lambda b: INTRO + "\n" + b),
    "intro_in_lead": _same_title(lambda b: INTRO + " " + b),
    "advertisement": _same_title(advertisement),
    "straight_quotes": lambda b, t, o: (
        (straighten(b), straighten(t) if t else t) if straighten(b) != b else (None, None)
    ),
    "new_headline": lambda b, t, o: (b, o),
    "syndicated": lambda b, t, o: (syndicated(b), o),
}
