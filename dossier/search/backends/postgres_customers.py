"""Customers on PostgreSQL: search_customer rows and typo-tolerant lookups.

Each typed word (or prefix) must match one field: a word of the name, found word to
word with a typo or two ("Jansen" finds "Janssen": trigram similarity picks candidates
from search_name_word, the edit distance decides), the number, a postcode (with the
house number typed after it: "1234AB 12"), the email address, the phone digits, or the
city. Names and cities are compared folded (dossier_fold: lower case, no accents).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Float,
    and_,
    case,
    func,
    literal,
    literal_column,
    or_,
    select,
    text,
)
from sqlalchemy.orm import Session

from dossier.search.backends.postgres_rows import CUSTOMER_NAME_SQL
from dossier.search.backends.postgres_schema import search_customer as sc
from dossier.search.backends.postgres_schema import search_name_word as nw
from dossier.search.content import IndexedCustomer
from dossier.search.query import ParsedQuery

CANDIDATE_SIMILARITY = 0.25  # trigram similarity that makes a name word a candidate
MIN_PHONE_DIGITS = 6  # fewer digits than this are not looked for inside phone numbers
_POSTCODE = re.compile(r"^\d{4}[a-z]{2}$")
_POSTCODE_DIGITS, _POSTCODE_LETTERS = re.compile(r"^\d{4}$"), re.compile(r"^[a-z]{2}$")
_HOUSE_NUMBER = re.compile(r"^\d+[a-z0-9-]{0,6}$")
_PHONE = re.compile(r"^\+?[\d\s().-]+$")
_PHONE_START = re.compile(r"^(\+|\(?0)[\d().-]*$")  # "+31", "06-...", "(020)"
_PHONE_PART = re.compile(r"^[\d().-]+$")


def allowed_edits(word: str) -> int:
    """Typos forgiven in a name word: none in "Bos", one in "Smit", two in "Jansen"."""
    return 0 if len(word) <= 3 else 1 if len(word) <= 5 else 2


def phone_sql(raw: str) -> str:
    """Digits of a phone number without its trunk or country prefix (0, 31, 0031)."""
    digits = f"regexp_replace({raw}, '\\D', '', 'g')"
    return (f"(SELECT CASE WHEN p LIKE '0031%' THEN substr(p, 5) "  # noqa: S608 (constant)
            f"WHEN p LIKE '31%' AND length(p) = 11 THEN substr(p, 3) "
            f"WHEN p LIKE '0%' THEN substr(p, 2) ELSE p END FROM (SELECT {digits} AS p) x)")


def phone_digits(raw: str) -> str:
    """Python twin of phone_sql, for what the searcher types."""
    digits = re.sub(r"\D", "", raw)
    if digits.startswith("0031"):
        return digits[4:]
    if digits.startswith("31") and len(digits) == 11:
        return digits[2:]
    return digits[1:] if digits.startswith("0") else digits


def _row_sql(number: str, name: str, postcode: str, house: str, email: str, phone: str,
             city: str) -> str:
    return (f"upper({number}), dossier_fold({name}), "
            f"array_remove(regexp_split_to_array(dossier_fold({name}), '\\W+'), ''), "
            f"upper(regexp_replace({postcode}, '\\s', '', 'g')), "
            f"upper(regexp_replace({house}, '\\s', '', 'g')), lower({email}), "
            f"{phone_sql(phone)}, dossier_fold({city})")


_COLUMNS = ("customer_id, number, name, name_words, postcode, house_number, email, "
            "phone_digits, city")
_UPSERT = (" ON CONFLICT (customer_id) DO UPDATE SET "
           + ", ".join(f"{c} = EXCLUDED.{c}" for c in _COLUMNS.split(", ")[1:]))
INSERT_VALUES = text(
    f"INSERT INTO search_customer ({_COLUMNS}) VALUES (:id, "  # noqa: S608 (constant)
    + _row_sql(*(f"CAST(:{p} AS text)" for p in ("number", "name", "postcode", "house_number",
                                                  "email", "phone", "city")))
    + ")" + _UPSERT)
INSERT_FROM_TABLES = text(
    f"INSERT INTO search_customer ({_COLUMNS}) SELECT c.id, "  # noqa: S608 (constant)
    + _row_sql("c.number", CUSTOMER_NAME_SQL, "c.postcode",
               "concat(c.house_number::text, c.house_number_addition)", "c.email", "c.phone",
               "c.city")
    + " FROM customer c" + _UPSERT)
# Words are only ever added: a word no name has any more matches no customer.
_WORDS_OF = text("INSERT INTO search_name_word (word) SELECT DISTINCT unnest(name_words) "
                 "FROM search_customer WHERE customer_id = ANY(CAST(:ids AS integer[])) "
                 "ON CONFLICT DO NOTHING")
ALL_WORDS = text("INSERT INTO search_name_word (word) SELECT DISTINCT unnest(name_words) "
                 "FROM search_customer ON CONFLICT DO NOTHING")


def write_customers(session: Session, customers: Sequence[IndexedCustomer]) -> None:
    if not customers:
        return
    session.execute(INSERT_VALUES, [
        {"id": c.id, "number": c.number, "name": c.name, "postcode": c.postcode,
         "house_number": c.house_number, "email": c.email, "phone": c.phone,
         "city": c.city} for c in customers])
    session.execute(_WORDS_OF, {"ids": [c.id for c in customers]})


_TUNE = text("SELECT set_config('pg_trgm.similarity_threshold', :value, true), "
             "set_config('enable_seqscan', 'off', true)")
_UNTUNE = text("RESET enable_seqscan; RESET work_mem")  # also postgres_search's


@dataclass(frozen=True)
class _Item:
    value: str
    kind: str  # "word" | "prefix" | "postcode"
    house_number: str = ""


def _items(query: ParsedQuery) -> list[_Item]:
    """Typed words as customer lookups; "1234 AB 12" and "1234AB 12" become one postcode,
    "+31 6 1234 5678" one phone number. A phrase counts as its words."""
    items: list[_Item] = []
    terms = [*query.terms, *(word for phrase in query.phrases for word in phrase.split())]
    while terms:
        term = terms.pop(0)
        if _POSTCODE_DIGITS.match(term) and terms and _POSTCODE_LETTERS.match(terms[0]):
            term += terms.pop(0)
        elif _PHONE_START.match(term):
            while terms and _PHONE_PART.match(terms[0]):
                term += terms.pop(0)
        if _POSTCODE.match(term):
            house = terms.pop(0) if terms and _HOUSE_NUMBER.match(terms[0]) else ""
            items.append(_Item(term, "postcode", house))
        else:
            items.append(_Item(term, "word"))
    return items + [_Item(prefix, "prefix") for prefix in query.prefixes]


def _number(value: float) -> ColumnElement[float]:
    """A constant score (see postgres_filters.class_value: no bound parameter in case())."""
    return literal_column(repr(float(value)), Float)


def _like_prefix(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _scored(options: list[tuple[ColumnElement[bool], float]],
            name_score: ColumnElement[Any]) -> tuple[ColumnElement[bool], ColumnElement[Any]]:
    scores = [case((condition, _number(points)), else_=_number(0.0))
              for condition, points in options[1:]]
    return (or_(*(condition for condition, _points in options)),
            func.greatest(name_score, *scores))


def _name_words(item: _Item, folded: ColumnElement[str]) -> ColumnElement[Any]:
    """The indexed name words the item stands for (an uncorrelated subquery: run once)."""
    wanted: ColumnElement[bool]
    if item.kind == "prefix":
        wanted = nw.c.word.like(func.concat(func.replace(func.replace(func.replace(
            folded, "\\", "\\\\"), "%", "\\%"), "_", "\\_"), "%"))
    else:
        edits = allowed_edits(item.value)
        wanted = and_(nw.c.word.op("%")(folded),
                      func.levenshtein(nw.c.word, folded) <= edits)
    return select(func.coalesce(func.array_agg(nw.c.word), text("'{}'::text[]"))
                  ).where(wanted).scalar_subquery()


def _match(item: _Item) -> tuple[ColumnElement[bool], ColumnElement[Any]]:
    """The condition for one typed item and its score (fields 0.5-2, names up to 1)."""
    if item.kind == "postcode":
        condition = sc.c.postcode == item.value.upper()
        if item.house_number:
            condition = and_(condition, sc.c.house_number == item.house_number.upper())
        return condition, _number(2.0)
    folded = func.dossier_fold(literal(item.value))
    in_name = sc.c.name_words.overlap(_name_words(item, folded))
    name_score = select(func.max(func.similarity(text("w"), folded))).select_from(
        func.unnest(sc.c.name_words).alias("w")).scalar_subquery()
    if item.kind == "prefix":
        pattern = _like_prefix(item.value)
        return _scored([(in_name, 0.0), (sc.c.number.like(pattern.upper()), 1.5),
                        (sc.c.email.like(pattern), 1.0)], name_score)
    options = [(in_name, 0.0), (sc.c.number == item.value.upper(), 2.0),
               (sc.c.email == item.value, 1.5), (sc.c.city == folded, 0.5)]
    digits = phone_digits(item.value)
    if _PHONE.match(item.value) and len(digits) >= MIN_PHONE_DIGITS:
        options.append((sc.c.phone_digits.contains(digits), 1.5))
    return _scored(options, name_score)


def search_customers(session: Session, query: ParsedQuery,
                     limit: int) -> list[tuple[int, float]]:
    items = _items(query)
    if not items and not query.customers:
        return []
    where: list[ColumnElement[bool]] = []
    scores: list[ColumnElement[Any]] = []
    for item in items:
        condition, score = _match(item)
        where.append(condition)
        scores.append(score)
    if query.customers:
        where.append(sc.c.number.in_([number.upper() for number in query.customers]))
    total = sum(scores, _number(0.0)) if scores else literal(1.0, Float)
    # The planner cannot size "name_words && (candidate words)" before it runs and would
    # read all customers; with sequential scans off it combines the indexes instead.
    session.execute(_TUNE, {"value": str(CANDIDATE_SIMILARITY)})
    rows = session.execute(select(sc.c.customer_id, total.label("score")).where(*where)
                           .order_by(total.desc(), sc.c.name, sc.c.customer_id)
                           .limit(limit)).all()
    session.execute(_UNTUNE)
    return [(row.customer_id, float(row.score)) for row in rows]
