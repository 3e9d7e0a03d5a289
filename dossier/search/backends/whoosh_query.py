"""ParsedQuery -> Whoosh queries: the text part per word over the document fields, and
the filters (type, customer, storage, date, scope).

Each word becomes one "item": an Or over the fields it may match in, with both its Dutch
and English stem where the field is stemmed. Items are ANDed (every word must match).
Typo tolerance only reaches customer names: over OCR'd text it would expand every word
to dozens of misreadings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from whoosh.query import And, FuzzyTerm, Or, Phrase, Prefix, Query, Term, TermRange

from dossier.search.backends.whoosh_analysis import DUTCH, ENGLISH, stem, words
from dossier.search.backends.whoosh_schema import BODY_FIELDS
from dossier.search.query import DateRange, ParsedQuery

BOTH = (DUTCH, ENGLISH)
# Field weights: a word in the title or a customer's name or number says more about a
# document than the same word somewhere in ten pages of scanned text.
TITLE_BOOST = 3.0
NAMES_BOOST = 3.0
NUMBER_BOOST = 4.0
KEY_POINTS_BOOST = 2.0
BODY_BOOST = 1.0
FUZZY_BOOST = 1.0  # constant score per match: below any exact name match
PREFIX_BOOST = 1.0
FUZZY_MIN_LENGTH = 4  # "de" or "van" would match half the names with one typo
MIN_STEMMED_PREFIX = 4


@dataclass(frozen=True)
class DocumentText:
    """The text part of a document query: items that must all match, and items that
    must not."""

    required: tuple[Query, ...]
    excluded: tuple[Query, ...]


def document_text(parsed: ParsedQuery) -> DocumentText:
    required: list[Query] = []
    for word in parsed.terms:
        item = _word_item(word, fuzzy=True)
        if item is not None:
            required.append(item)
    for phrase in parsed.phrases:
        item = _phrase_item(words(phrase)) if len(words(phrase)) > 1 else _word_item(phrase)
        if item is not None:
            required.append(item)
    for prefix in parsed.prefixes:
        item = _prefix_item(prefix)
        if item is not None:
            required.append(item)
    excluded = [item for text in parsed.excluded
                if (item := _word_item(text) if len(words(text)) <= 1
                    else _phrase_item(words(text))) is not None]
    return DocumentText(tuple(required), tuple(excluded))


def _forms(word: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(stem(word, language) for language in BOTH))


def _word_item(raw: str, fuzzy: bool = False) -> Query | None:
    """One typed word over every field. A word that analysis splits ("e-mail", "1.000")
    is a phrase of its parts, or a customer number as typed ("100-123")."""
    parts = words(raw)
    number = Term("customer", raw.lower(), boost=NUMBER_BOOST)
    if not parts:
        return None
    if len(parts) > 1:
        return Or([number, _phrase_item(parts)])
    word = parts[0]
    alternatives: list[Query] = [Term("title", form, boost=TITLE_BOOST) for form in _forms(word)]
    alternatives += [Term("key_points", form, boost=KEY_POINTS_BOOST) for form in _forms(word)]
    alternatives.append(Term("names", word, boost=NAMES_BOOST))
    alternatives.append(number)
    alternatives += [Term(BODY_FIELDS[language], stem(word, language), boost=BODY_BOOST)
                     for language in BOTH]
    if fuzzy and len(word) >= FUZZY_MIN_LENGTH and not word.isdigit():
        alternatives.append(FuzzyTerm("names", word, boost=FUZZY_BOOST, maxdist=1,
                                      prefixlength=1, constantscore=True))
    return Or(alternatives)


def _phrase_item(parts: list[str]) -> Query:
    alternatives: list[Query] = []
    for field, boost in (("title", TITLE_BOOST), ("key_points", KEY_POINTS_BOOST)):
        for language in BOTH:
            alternatives.append(Phrase(field, [stem(p, language) for p in parts], boost=boost))
    alternatives.append(Phrase("names", parts, boost=NAMES_BOOST))
    for language in BOTH:
        alternatives.append(Phrase(BODY_FIELDS[language], [stem(p, language) for p in parts],
                                   boost=BODY_BOOST))
    return Or(_unique(alternatives))


def _prefix_item(raw: str) -> Query | None:
    """word*: terms starting with the word in every field. Stemmed fields also try the
    word's stem ("verzekering*" -> "verzeker", as the index holds "verzekeringen"), when
    that stem is long enough not to drag in unrelated words ("zonne" -> "zon")."""
    parts = words(raw)
    if not parts:
        return None
    prefix = parts[-1]  # "e-mai*": the last part is the one being completed
    alternatives: list[Query] = [
        Prefix("names", prefix, boost=PREFIX_BOOST * NAMES_BOOST),
        Prefix("customer", raw.lower(), boost=PREFIX_BOOST * NUMBER_BOOST),
    ]
    stemmed = {field: (boost, languages) for field, boost, languages in (
        ("title", TITLE_BOOST, BOTH), ("key_points", KEY_POINTS_BOOST, BOTH),
        (BODY_FIELDS[DUTCH], BODY_BOOST, (DUTCH,)),
        (BODY_FIELDS[ENGLISH], BODY_BOOST, (ENGLISH,)))}
    for field, (boost, languages) in stemmed.items():
        for start in _prefix_forms(prefix, languages):
            alternatives.append(Prefix(field, start, boost=PREFIX_BOOST * boost))
    item: Query = Or(alternatives)
    if len(parts) > 1:
        item = And([_phrase_item(parts[:-1]), item])
    return item


def _prefix_forms(prefix: str, languages: tuple[str, ...]) -> tuple[str, ...]:
    forms = [prefix]
    for language in languages:
        stemmed = stem(prefix, language)
        if len(stemmed) >= MIN_STEMMED_PREFIX and stemmed not in forms:
            forms.append(stemmed)
    return tuple(forms)


def _unique(queries: list[Query]) -> list[Query]:
    unique: list[Query] = []
    for query in queries:
        if query not in unique:
            unique.append(query)
    return unique


# --- filters ------------------------------------------------------------------------


def any_of(field: str, values: tuple[str, ...]) -> Query | None:
    terms = [Term(field, value) for value in dict.fromkeys(values)]
    if not terms:
        return None
    return terms[0] if len(terms) == 1 else Or(terms)


def date_filter(dates: DateRange | None) -> Query | None:
    if dates is None or (dates.start is None and dates.end is None):
        return None
    return TermRange("date", _iso(dates.start), _iso(dates.end), startexcl=False,
                     endexcl=False, constantscore=True)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def filter_queries(parsed: ParsedQuery) -> list[Query]:
    """The typed filters except class: (policy, see whoosh_policy) and scope: (visibility)."""
    found = [any_of("type", tuple(code.lower() for code in parsed.types)),
             any_of("customer", tuple(number.lower() for number in parsed.customers)),
             any_of("storage", parsed.storages), date_filter(parsed.dates)]
    return [query for query in found if query is not None]
