"""Customer search on the Whoosh customers index: names with typo tolerance, numbers,
postcode and house number, e-mail, phone and city.

Every typed word must match one of the fields; a Dutch postcode typed in two parts
("1234 ab") and a phone number typed in groups ("06 1234 5678") are put together first.
"""

from __future__ import annotations

import re

from whoosh.query import And, FuzzyTerm, Or, Phrase, Prefix, Query, Term
from whoosh.searching import Searcher

from dossier.search.backends.whoosh_analysis import fold, words
from dossier.search.backends.whoosh_schema import phone_digits, postcode
from dossier.search.query import ParsedQuery

NAME_BOOST = 3.0
NUMBER_BOOST = 5.0
EXACT_BOOST = 4.0  # postcode, address, e-mail, phone
CITY_BOOST = 1.0
FUZZY_MIN_LENGTH = 4
LONG_NAME = 8  # from this length two typos are allowed
MIN_PHONE_DIGITS = 6
_HOUSE = re.compile(r"^\d+[a-z]?$")
_POSTCODE_DIGITS = re.compile(r"^\d{4}$")
_POSTCODE_LETTERS = re.compile(r"^[a-z]{2}$")
_PHONE_PART = re.compile(r"^[+\d][\d\-().]*$")


def customer_query(parsed: ParsedQuery) -> Query | None:
    items = _word_items(list(parsed.terms))
    items += [item for phrase in parsed.phrases if (item := _phrase_item(phrase)) is not None]
    items += [item for prefix in parsed.prefixes if (item := _prefix_item(prefix)) is not None]
    if parsed.customers:
        items.append(Or([Term("number", number.lower(), boost=NUMBER_BOOST)
                         for number in parsed.customers]))
    if not items:
        return None
    return items[0] if len(items) == 1 else And(items)


def search(searcher: Searcher, parsed: ParsedQuery, limit: int) -> list[tuple[int, float]]:
    query = customer_query(parsed)
    if query is None or limit <= 0:
        return []
    results = searcher.search(query, limit=limit)
    return [(int(hit["id"]), float(hit.score or 0.0)) for hit in results]


def _word_items(terms: list[str]) -> list[Query]:
    items: list[Query] = []
    index = 0
    while index < len(terms):
        consumed, item = _postcode_item(terms, index) or _phone_item(terms, index) or (
            1, _word_item(terms[index]))
        if item is not None:
            items.append(item)
        index += consumed
    return items


def _postcode_item(terms: list[str], index: int) -> tuple[int, Query] | None:
    """"1234ab" or "1234 ab", with the house number after it when there is one."""
    code, used = postcode(terms[index]), 1
    if not code and index + 1 < len(terms) and _POSTCODE_DIGITS.match(terms[index]) \
            and _POSTCODE_LETTERS.match(terms[index + 1]):
        code, used = postcode(terms[index] + terms[index + 1]), 2
    if not code:
        return None
    following = index + used
    if following < len(terms) and _HOUSE.match(terms[following].replace("-", "")):
        house = terms[following].replace("-", "")
        return used + 1, Term("address", f"{code} {house}", boost=EXACT_BOOST)
    return used, Term("postcode", code, boost=EXACT_BOOST)


def _phone_item(terms: list[str], index: int) -> tuple[int, Query] | None:
    """A phone number, also when typed in groups: the longest run of number-like words."""
    end = index
    while end < len(terms) and _PHONE_PART.match(terms[end]):
        end += 1
    for stop in range(end, index, -1):
        digits = phone_digits("".join(terms[index:stop]))
        if len(digits) >= MIN_PHONE_DIGITS and (stop - index > 1 or not terms[index].isdigit()
                                                or digits.startswith("0")):
            return stop - index, Or([Term("phone", digits, boost=EXACT_BOOST),
                                     Term("number", "".join(terms[index:stop]),
                                          boost=NUMBER_BOOST)])
    return None


def _word_item(word: str) -> Query | None:
    parts = words(word)
    alternatives: list[Query] = [Term("number", word, boost=NUMBER_BOOST)]
    if "@" in word:
        alternatives.append(Term("email", word.strip(), boost=EXACT_BOOST))
    digits = phone_digits(word)
    if len(digits) >= MIN_PHONE_DIGITS and digits == word.replace("-", ""):
        alternatives.append(Term("phone", digits, boost=EXACT_BOOST))
    if len(parts) == 1:
        name = parts[0]
        alternatives += [Term("name", name, boost=NAME_BOOST), Term("city", name, boost=CITY_BOOST)]
        if len(name) >= FUZZY_MIN_LENGTH and not name.isdigit():
            alternatives.append(FuzzyTerm("name", name, maxdist=2 if len(name) >= LONG_NAME
                                          else 1, prefixlength=1, boost=NAME_BOOST / 2))
    elif len(parts) > 1:
        alternatives += [Phrase("name", parts, boost=NAME_BOOST),
                         Phrase("city", parts, boost=CITY_BOOST)]
    elif "@" not in word:
        return None
    return Or(alternatives)


def _phrase_item(phrase: str) -> Query | None:
    code = postcode(phrase)
    if code:
        return Term("postcode", code, boost=EXACT_BOOST)
    parts = words(phrase)
    if not parts:
        return None
    if len(parts) == 1:
        return _word_item(phrase)
    return Or([Phrase("name", parts, boost=NAME_BOOST), Phrase("city", parts, boost=CITY_BOOST)])


def _prefix_item(prefix: str) -> Query | None:
    parts = words(prefix)
    alternatives: list[Query] = [Prefix("number", prefix.lower(), boost=NUMBER_BOOST),
                                 Prefix("email", prefix.lower(), boost=EXACT_BOOST)]
    if parts:
        alternatives += [Prefix("name", parts[-1], boost=NAME_BOOST),
                         Prefix("city", parts[-1], boost=CITY_BOOST)]
    compact = fold(prefix).replace(" ", "")
    if compact[:4].isdigit():
        alternatives.append(Prefix("postcode", compact, boost=EXACT_BOOST))
    return Or(alternatives)
