"""Snippets for the Whoosh backend: the query's words and phrases marked in a document's
text, with some context around the best passages, matched as the index analyses words.

Words are marked wherever they occur in any of their forms (a word of the text counts
when its Dutch or English stem, or the word itself, is one of the query word's forms),
phrases only where their words stand in a row, prefixes at the start of words. Only
words sharing their first letters with something asked for are stemmed, found by one
regular expression over the folded text: a snippet of a 400-word letter costs well
under a millisecond. The result is plain text with marker characters; the core escapes
it and turns the markers into <mark>.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from dossier.search.backends.whoosh_analysis import WORD, fold, stem, words
from dossier.search.query import ParsedQuery
from dossier.search.snippets import MARK_END, MARK_START, strip_marks

FRAGMENTS = 2  # passages per snippet
FRAGMENT_CHARS = 90  # at most this far from a passage's first match to its last
CONTEXT_CHARS = 45  # text shown before the first and after the last match
SCAN_CHARS = 200_000  # where in a long text the search for matches stops
ELLIPSIS = "…"
SEPARATOR = f" {ELLIPSIS} "
LANGUAGES = ("nl", "en")
_LEAD = 3  # a word and its stem share at least their first three letters
_SPACE = re.compile(r"\s")


@dataclass(frozen=True)
class Highlight:
    """What to mark: single words (any form), phrases (forms per word), prefixes."""

    words: frozenset[str]
    phrases: tuple[tuple[frozenset[str], ...], ...]
    prefixes: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.words or self.phrases or self.prefixes)


def _forms(word: str) -> frozenset[str]:
    return frozenset({word, *(stem(word, language) for language in LANGUAGES)})


def highlight_for(query: ParsedQuery) -> Highlight:
    single: set[str] = set()
    phrases: list[tuple[frozenset[str], ...]] = []
    for text in (*query.terms, *query.phrases):
        parts = words(text)
        if len(parts) == 1:
            single.update(_forms(parts[0]))
        elif parts:
            phrases.append(tuple(_forms(part) for part in parts))
    prefixes = tuple(part for text in query.prefixes for part in words(text)[-1:])
    return Highlight(frozenset(single), tuple(phrases), prefixes)


@lru_cache(maxsize=256)
def _candidates(wanted: Highlight) -> re.Pattern[str]:
    """Words of the folded text that may match: those starting like a wanted form."""
    leads = {form[:_LEAD] for form in wanted.words}
    leads.update(form[:_LEAD] for phrase in wanted.phrases for forms in phrase
                 for form in forms)
    leads.update(prefix[:_LEAD] for prefix in wanted.prefixes)
    pattern = "|".join(sorted((re.escape(lead) for lead in leads if lead), key=len,
                              reverse=True))
    return re.compile(rf"(?<!\w)(?:{pattern})\w*")


def _matches_word(word: str, forms: frozenset[str]) -> bool:
    return word in forms or any(stem(word, language) in forms for language in LANGUAGES)


def _spans(folded: str, wanted: Highlight) -> list[tuple[int, int, str]]:
    """(start, end, word) of every match in the folded text, in order."""
    found: dict[int, tuple[int, int, str]] = {}
    for match in _candidates(wanted).finditer(folded, 0, SCAN_CHARS):
        word = match.group()
        if _matches_word(word, wanted.words) or word.startswith(wanted.prefixes or ("\0",)):
            found[match.start()] = (match.start(), match.end(), word)
        for phrase in wanted.phrases:
            if _matches_word(word, phrase[0]):
                rest = _following(folded, match.end(), phrase[1:])
                if rest is not None:
                    found[match.start()] = (match.start(), match.end(), word)
                    found.update((span[0], span) for span in rest)
    return [found[start] for start in sorted(found)]


def _following(folded: str, end: int, phrase: tuple[frozenset[str], ...]
               ) -> list[tuple[int, int, str]] | None:
    spans = []
    for forms in phrase:
        match = WORD.search(folded, end)
        if match is None or not _matches_word(match.group(), forms):
            return None
        spans.append((match.start(), match.end(), match.group()))
        end = match.end()
    return spans


def _passages(spans: list[tuple[int, int, str]]) -> list[list[tuple[int, int, str]]]:
    """Matches grouped into passages, the best FRAGMENTS of them in text order."""
    groups: list[list[tuple[int, int, str]]] = []
    for span in spans:
        if groups and span[1] - groups[-1][0][0] <= FRAGMENT_CHARS:
            groups[-1].append(span)
        else:
            groups.append([span])
    ranked = sorted(range(len(groups)), key=lambda i: (
        -len({word for _s, _e, word in groups[i]}), -len(groups[i]), i))
    return [groups[i] for i in sorted(ranked[:FRAGMENTS])]


def _word_start(text: str, start: int) -> int:
    space = max(text.rfind(" ", 0, start), text.rfind("\n", 0, start))
    return space + 1 if start - space <= CONTEXT_CHARS else start


def _word_end(text: str, end: int) -> int:
    found = _SPACE.search(text, end)
    return len(text) if found is None else found.start()


def snippet(text: str, wanted: Highlight) -> str:
    """`text` around its best matches with each match marked; "" when nothing matched."""
    if not text or not wanted:
        return ""
    text = strip_marks(text)
    folded = fold(text.replace("\u0130", "I"))  # "İ" is the one letter lower() lengthens
    if len(folded) != len(text):
        folded = "".join(fold(char)[:1] or char for char in text)
    spans = _spans(folded, wanted)
    if not spans:
        return ""
    parts: list[str] = []
    last_end = 0
    for passage in _passages(spans):
        start = _word_start(text, max(0, passage[0][0] - CONTEXT_CHARS))
        end = _word_end(text, min(len(text), passage[-1][1] + CONTEXT_CHARS))
        joined = bool(parts) and start <= last_end  # overlaps the passage before
        position = last_end if joined else start
        marked: list[str] = []
        for span_start, span_end, _word in passage:
            marked += [text[position:span_start], MARK_START, text[span_start:span_end],
                       MARK_END]
            position = span_end
        marked.append(text[position:end])
        if joined:
            parts[-1] += "".join(marked)
        else:
            parts.append(("" if start == 0 or parts else ELLIPSIS + " ") + "".join(marked))
        last_end = end
    result = SEPARATOR.join(parts) + ("" if last_end >= len(text) else " " + ELLIPSIS)
    return " ".join(result.split())  # OCR line breaks and runs of spaces
