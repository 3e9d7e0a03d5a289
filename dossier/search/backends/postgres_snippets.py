"""Snippets on PostgreSQL: ts_headline with the control-character marks, never HTML.

ts_headline parses the whole text it gets (about 0.25 ms per kilobyte), so it gets a
window of the text: around the place where most of the query's word stems occur (stems
are, nearly always, the start of the words they come from). The window is read with
the Dutch configuration first; when that marks nothing (an English word form only the
English stemmer joins), with the English one. ts_headline drops whatever its parser
takes for an HTML tag; OCR text is shown as it was read, so angle brackets travel as
private-use characters and come back afterwards.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from sqlalchemy import text
from sqlalchemy.orm import Session

from dossier.search.snippets import MARK_END, MARK_START, strip_marks

# About 30 words around the best cover of the matches (a short text whole).
HEADLINE_OPTIONS = f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=36, MinWords=30"
WINDOW_BEFORE, WINDOW_AFTER = 200, 450  # characters of text around the best place
FALLBACK_CHARS = 20_000  # read from the start when no stem is found in the text
MAX_OCCURRENCES = 200
_LEXEME = re.compile(r"'((?:[^']|'')+)'")
_HIDDEN = {"<": "\ue000", ">": "\ue001"}

_HEADLINES = text("""
SELECT t.id, CASE WHEN strpos(nl.headline, :mark) > 0 THEN nl.headline
                  ELSE ts_headline('dossier_en', t.body, CAST(:query AS tsquery), :options)
             END AS headline
FROM unnest(CAST(:ids AS integer[]), CAST(:texts AS text[])) AS t(id, body)
CROSS JOIN LATERAL (SELECT ts_headline('dossier_nl', t.body, CAST(:query AS tsquery),
                                       :options) AS headline) nl
WHERE t.body <> ''
""")


def _fold_table() -> dict[int, str]:
    """Upper case and accented letters to plain lower case, one character for one."""
    table: dict[int, str] = {}
    for code in range(0x41, 0x250):
        char = chr(code)
        plain = unicodedata.normalize("NFKD", char.lower())[:1]
        if plain != char and len(char.lower()) == 1 and plain.isalpha():
            table[code] = plain
    return table


_FOLD = _fold_table()


def _folded(source: str) -> str:
    """Lower case without accents, one character for one (offsets stay valid).

    str.translate looks every character up (0.1 ms for a letter); only the few distinct
    characters outside ASCII need a replacement, each in one pass."""
    lowered = source.lower()
    if lowered.isascii():
        return lowered
    if len(lowered) != len(source):  # "İ" lowers to two characters
        return source.translate(_FOLD)
    for char in {c for c in set(lowered) if ord(c) in _FOLD}:
        lowered = lowered.replace(char, _FOLD[ord(char)])
    return lowered


def _hide_tags(source: str) -> str:
    for plain, hidden in _HIDDEN.items():
        source = source.replace(hidden, "").replace(plain, hidden)
    return source


def stems(tsquery: str) -> list[str]:
    """The lexemes a tsquery text asks for (its negated parts never reach here)."""
    return sorted({m.replace("''", "'") for m in _LEXEME.findall(tsquery)}, key=len,
                  reverse=True)


def _best(found: list[tuple[int, str]]) -> int:
    """The first place (of `found`, in text order) followed within half a window by the
    most different keys: one pass, keys counted in and out of a sliding span."""
    span = WINDOW_AFTER // 2
    inside: Counter[str] = Counter()
    best, most, ahead = found[0][0], 0, 0
    for start, key in found:
        while ahead < len(found) and found[ahead][0] < start + span:
            inside[found[ahead][1]] += 1
            ahead += 1
        if len(inside) > most:
            best, most = start, len(inside)
        inside[key] -= 1
        if not inside[key]:
            del inside[key]
    return best


def window(source: str, keys: list[str]) -> str:
    """The part of `source` where most different `keys` start words, with some context."""
    if len(source) <= WINDOW_BEFORE + WINDOW_AFTER or not keys:
        return source
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(k) for k in keys) + ")")
    found = []
    for match in pattern.finditer(_folded(source)):
        found.append((match.start(), match.group(1)))
        if len(found) >= MAX_OCCURRENCES or len(keys) == 1:  # one key: its first place
            break
    if not found:
        return source[:FALLBACK_CHARS]
    place = _best(found)
    begin, end = max(0, place - WINDOW_BEFORE), place + WINDOW_AFTER
    if begin:  # start and end on a word boundary, not halfway a word
        begin = source.find(" ", begin) + 1 or begin
    cut = source.rfind(" ", begin, end)
    return source[begin:cut if end < len(source) and cut > begin else end]


def snippets(session: Session, tsquery: str | None, texts: dict[int, str]) -> dict[int, str]:
    """{id: marked text} for texts where the query marks something, else ""."""
    found = dict.fromkeys(texts, "")
    if not tsquery or not texts:
        return found
    keys = stems(tsquery)
    ids = list(texts)
    bodies = [_hide_tags(window(strip_marks(texts[i]), keys)) for i in ids]
    rows = session.execute(_HEADLINES, {"ids": ids, "texts": bodies, "query": tsquery,
                                        "options": HEADLINE_OPTIONS, "mark": MARK_START})
    for row in rows:
        if MARK_START in row.headline:
            found[row.id] = " ".join(row.headline.split()).replace(
                _HIDDEN["<"], "<").replace(_HIDDEN[">"], ">")
    return found
