"""Text analysis for the Whoosh backend: case and accent folding, Dutch and English stems.

One pass per text (a regular expression for words, a translation table for accents,
cached stems) instead of Whoosh's chain of filters: indexing 100,000 documents spends
most of its time here. The analyzers are pickled into the index's table of contents,
so their classes and attributes must stay importable under these names.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from typing import Any

from whoosh.analysis import Analyzer, Token
from whoosh.lang.snowball.dutch import DutchStemmer
from whoosh.lang.snowball.english import EnglishStemmer

DUTCH, ENGLISH = "nl", "en"
WORD = re.compile(r"\w+")
_DIGIT = re.compile(r"\d")
_CACHE_LIMIT = 300_000  # distinct words per language before the stem cache starts over


def _fold_table() -> dict[int, str]:
    """Accented letters to their base letter, one character for one so offsets hold."""
    table: dict[int, str] = {}
    for code in range(0xC0, 0x250):
        char = chr(code)
        base = unicodedata.normalize("NFKD", char)[:1]
        if base != char and base.isascii() and base.isalpha():
            table[code] = base
    return table


_FOLD = _fold_table()


def fold(text: str) -> str:
    """Lower case without accents: "Café" -> "cafe"."""
    return text.lower().translate(_FOLD)


class _Stems:
    """A stemmer with a cache: Zipf-distributed text repeats the same words all the time."""

    def __init__(self, stemmer: Any) -> None:
        self._stem = stemmer.stem
        self._cache: dict[str, str] = {}

    def __call__(self, word: str) -> str:
        stem = self._cache.get(word)
        if stem is None:
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            stem = word if _DIGIT.search(word) else self._stem(word)
            self._cache[word] = stem
        return stem

    def many(self, words: list[str]) -> list[str]:
        stems = list(map(self._cache.get, words))
        if None in stems:
            for index, found in enumerate(stems):
                if found is None:
                    stems[index] = self(words[index])
        return stems  # type: ignore[return-value]


_STEMMERS = {DUTCH: _Stems(DutchStemmer()), ENGLISH: _Stems(EnglishStemmer())}


def stem(word: str, language: str) -> str:
    """The stem of an already folded word."""
    return _STEMMERS[language](word)


def stemmer(language: str) -> Callable[[list[str]], list[str]]:
    """Stems for a list of folded words, in order."""
    return _STEMMERS[language].many


def word_forms(word: str, languages: tuple[str, ...]) -> tuple[str, ...]:
    """The distinct index terms one folded word becomes under these languages."""
    return tuple(dict.fromkeys(stem(word, language) for language in languages))


def words(text: str) -> list[str]:
    """The folded words of `text`, as the analyzers split them."""
    return WORD.findall(fold(text))


class FoldingAnalyzer(Analyzer):
    """Words, folded, stemmed in `languages` (none, one, or both at the same position)."""

    def __init__(self, languages: tuple[str, ...] = ()) -> None:
        self.languages = tuple(languages)

    def __repr__(self) -> str:
        return f"FoldingAnalyzer({self.languages!r})"

    def __call__(self, value: str, positions: bool = False, chars: bool = False,
                 keeporiginal: bool = False, removestops: bool = True, start_pos: int = 0,
                 start_char: int = 0, tokenize: bool = True, mode: str = "",
                 **kwargs: Any) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        stemmers = [_STEMMERS[language] for language in self.languages]
        if not tokenize:
            yield from self._whole(token, value, stemmers, start_pos, start_char)
            return
        for index, match in enumerate(WORD.finditer(value)):
            original = match.group()
            folded = original.lower().translate(_FOLD)
            if keeporiginal:
                token.original = original
            if positions:
                token.pos = start_pos + index
            if chars:
                token.startchar = start_char + match.start()
                token.endchar = start_char + match.end()
            if not stemmers:
                token.text = folded
                yield token
                continue
            first = stemmers[0](folded)
            token.text = first
            yield token
            for stemmer in stemmers[1:]:
                other = stemmer(folded)
                if other != first:
                    token.text = other
                    yield token

    @staticmethod
    def _whole(token: Token, value: str, stemmers: list[_Stems], start_pos: int,
               start_char: int) -> Iterator[Token]:
        folded = fold(value)
        token.pos = start_pos
        token.startchar, token.endchar = start_char, start_char + len(value)
        token.original = value
        for text in dict.fromkeys(s(folded) for s in stemmers) if stemmers else [folded]:
            token.text = text
            yield token


# Small words that say which language a text is in; "is" and "in" count for both.
_DUTCH_MARKERS = frozenset((
    "de", "het", "een", "en", "van", "ik", "je", "dat", "niet", "is", "op", "voor", "met",
    "zijn", "wij", "u", "uw", "te", "naar", "bij", "ook", "door", "om", "aan", "er", "maar",
    "als", "dit", "die", "wordt", "worden",
))
_ENGLISH_MARKERS = frozenset((
    "the", "and", "of", "to", "a", "in", "is", "that", "for", "it", "with", "as", "on", "are",
    "this", "be", "by", "your", "you", "we", "our", "not", "from", "at", "have", "has", "will",
    "which",
))
_SAMPLE_CHARS = 6000
MIXED_SHARE = 5  # fewer than one in five marker words of the other language: one language


def body_languages(text: str, declared: str = "") -> tuple[str, ...]:
    """The stemming languages for a document's text: what the file declares when it names
    one language, else a guess from its small words (OCR declares "nld+eng" for all).

    Both when the text is clearly mixed; Dutch when there is nothing to go by.
    """
    named = {part for part in declared.split("+") if part}
    if named == {"eng"}:
        return (ENGLISH,)
    if named == {"nld"}:
        return (DUTCH,)
    dutch = english = 0
    for word in fold(text[:_SAMPLE_CHARS]).split():
        dutch += word in _DUTCH_MARKERS
        english += word in _ENGLISH_MARKERS
    if english > MIXED_SHARE * dutch:
        return (ENGLISH,)
    if dutch > MIXED_SHARE * english or not english:
        return (DUTCH,)
    return (DUTCH, ENGLISH)


PLAIN = FoldingAnalyzer()
STEMMED_DUTCH = FoldingAnalyzer((DUTCH,))
STEMMED_ENGLISH = FoldingAnalyzer((ENGLISH,))
STEMMED_BOTH = FoldingAnalyzer((DUTCH, ENGLISH))
