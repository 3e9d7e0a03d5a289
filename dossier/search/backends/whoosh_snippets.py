"""Snippets for the Whoosh backend: the query's words and phrases marked in a document's
text, with some context around the best passages, analysed as the index analyses them.

Words are marked wherever they occur (in any of their forms), phrases only where their
words stand in a row. The result is plain text with marker characters; the core escapes
it and turns the markers into <mark>.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from whoosh.analysis import Token
from whoosh.highlight import (
    BasicFragmentScorer,
    ContextFragmenter,
    Formatter,
    Fragment,
    get_text,
    top_fragments,
)

from dossier.search.backends.whoosh_analysis import WORD, fold, stem, words
from dossier.search.query import ParsedQuery
from dossier.search.snippets import MARK_END, MARK_START, strip_marks

FRAGMENTS = 2  # passages per snippet, about 15 words each
FRAGMENT_CHARS = 110
CONTEXT_CHARS = 40
SCAN_CHARS = 100_000  # where in a long text the search for matches stops
ELLIPSIS = "…"
SEPARATOR = f" {ELLIPSIS} "
WORD_EDGE = 20  # characters a passage may grow to start and end on whole words
LANGUAGES = ("nl", "en")


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


class _MarkFormatter(Formatter):
    between = SEPARATOR

    def format_token(self, text: str, token: Token, replace: bool = False) -> str:
        return f"{MARK_START}{get_text(text, token, replace)}{MARK_END}"


def _tokens(text: str, wanted: Highlight) -> list[Token]:
    tokens: list[Token] = []
    forms: list[frozenset[str]] = []
    for match in WORD.finditer(text, 0, SCAN_CHARS):
        folded = fold(match.group())
        form = _forms(folded)
        token = Token(positions=False, chars=True)
        token.text, token.startchar, token.endchar = folded, match.start(), match.end()
        token.matched = bool(form & wanted.words) or bool(
            wanted.prefixes and folded.startswith(wanted.prefixes))
        tokens.append(token)
        forms.append(form)
    for phrase in wanted.phrases:
        for start in range(len(forms) - len(phrase) + 1):
            if all(forms[start + i] & part for i, part in enumerate(phrase)):
                for token in tokens[start:start + len(phrase)]:
                    token.matched = True
    return tokens


def snippet(text: str, wanted: Highlight) -> str:
    """`text` around its best matches with each match marked; "" when nothing matched."""
    if not text or not wanted:
        return ""
    text = strip_marks(text)
    fragmenter = ContextFragmenter(maxchars=FRAGMENT_CHARS, surround=CONTEXT_CHARS,
                                   charlimit=SCAN_CHARS)
    tokens: Iterator[Token] = iter(_tokens(text, wanted))
    fragments: list[Fragment] = list(fragmenter.fragment_tokens(text, tokens))
    best = top_fragments(fragments, FRAGMENTS, BasicFragmentScorer(),
                         order=lambda f: f.startchar)
    if not best:
        return ""
    for fragment in best:  # whole words: "<b>betaald</b>", not "b>betaald</b"
        fragment.startchar = _word_start(text, fragment.startchar)
        fragment.endchar = _word_end(text, fragment.endchar)
    marked = _MarkFormatter().format(best)
    if best[0].startchar > 0:
        marked = ELLIPSIS + " " + marked
    if best[-1].endchar < len(text):
        marked = marked + " " + ELLIPSIS
    return " ".join(marked.split())  # OCR line breaks and runs of spaces


def _word_start(text: str, start: int) -> int:
    space = max(text.rfind(" ", max(0, start - WORD_EDGE), start),
                text.rfind("\n", max(0, start - WORD_EDGE), start))
    return space + 1 if space >= 0 else (0 if start <= WORD_EDGE else start)


def _word_end(text: str, end: int) -> int:
    found = [i for i in (text.find(" ", end, end + WORD_EDGE),
                         text.find("\n", end, end + WORD_EDGE)) if i >= 0]
    if found:
        return min(found)
    return len(text) if len(text) - end <= WORD_EDGE else end
