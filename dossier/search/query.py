"""The one-box query language: words, "phrases", -exclusions, prefix*, and field filters."""

from __future__ import annotations

import calendar
import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _

from dossier.auth.roles import ALL_SCOPES

MIN_PREFIX = 2  # "a*" would match most of the index and help nobody
# Word characters stay; punctuation around a word ("contract," or "(offerte)") goes.
_EDGE_PUNCTUATION = "\"'.,;:!?()[]{}<>«»“”\u2018\u2019"
_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_YEAR = re.compile(r"^(\d{4})$")
_DUTCH_DAY = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$")
_FIELD_NAME = re.compile(r"^[a-zA-Z]+$")


class QuerySyntaxError(ValueError):
    """A query the parser cannot read; `message` says what to change."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class DateRange:
    start: date | None  # inclusive
    end: date | None  # inclusive

    def contains(self, day: date) -> bool:
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class ParsedQuery:
    terms: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    customers: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()
    scopes: tuple[str, ...] = ()
    storages: tuple[str, ...] = ()
    dates: DateRange | None = None

    @property
    def has_text(self) -> bool:
        return bool(self.terms or self.phrases or self.prefixes)

    @property
    def has_filters(self) -> bool:
        return bool(self.types or self.customers or self.classes or self.scopes
                    or self.storages or self.dates)

    @property
    def is_empty(self) -> bool:
        return not (self.has_text or self.excluded or self.has_filters)

    def with_filters(self, **filters: Any) -> ParsedQuery:
        """This query with the given filters replaced (a facet click narrows to its value).

        Keys are the query-language names or their aliases (`type`, `klant`, `date`, ...)
        or the attribute names (`types`, `dates`); values are strings or lists of
        strings, checked like typed filters; empty values leave the filter as it is.
        """
        changes: dict[str, Any] = {}
        for name, raw in filters.items():
            attribute = _ATTRIBUTE_OF.get(name.lower()) or _field(name).attribute
            values = [raw] if isinstance(raw, str | DateRange) else list(raw or ())
            values = [v for v in values if isinstance(v, DateRange) or str(v).strip()]
            if not values:
                continue
            if attribute == "dates":
                changes["dates"] = _one_date_range(values)
            else:
                spec = _FIELDS_BY_ATTRIBUTE[attribute]
                changes[attribute] = _unique(spec.normalise(v) for s in values
                                             for v in _split_values(str(s), spec.name))
        return dataclasses.replace(self, **changes)


def parse(text: str) -> ParsedQuery:
    """Read a query typed in the search box; raises QuerySyntaxError with a hint."""
    return _Parser(text or "").parse()


# --- field filters ------------------------------------------------------------------


@dataclass(frozen=True)
class _FieldSpec:
    name: str  # the canonical name shown in messages
    attribute: str
    normalise: Any  # Callable[[str], str]


def _type_code(value: str) -> str:
    return value.lower()


def _customer_number(value: str) -> str:
    return value.upper()


def _choice(field: str, choices: dict[str, str]) -> Any:
    def normalise(value: str) -> str:
        found = choices.get(value.lower())
        if found is None:
            allowed = ", ".join(sorted(set(choices.values())))
            raise QuerySyntaxError(_('"%(value)s" is not a value for %(field)s: use one of '
                                     '%(allowed)s.', value=value, field=f"{field}:",
                                     allowed=allowed))
        return found
    return normalise


_CLASSES = {"static": "static", "statisch": "static", "dynamic": "dynamic",
            "dynamisch": "dynamic"}
_STORAGES = {"digital": "digital", "digitaal": "digital", "paper": "paper",
             "papier": "paper", "hybrid": "hybrid", "hybride": "hybrid",
             "none": "none", "geen": "none"}  # neither a file nor a paper original
_SCOPES = {scope: scope for scope in ALL_SCOPES}

_FIELDS: dict[str, _FieldSpec] = {}
for _names, _attribute, _normalise in (
    (("type", "soort"), "types", _type_code),
    (("klant", "customer"), "customers", _customer_number),
    (("class", "klasse"), "classes", _choice("class", _CLASSES)),
    (("scope",), "scopes", _choice("scope", _SCOPES)),
    (("storage", "opslag"), "storages", _choice("storage", _STORAGES)),
    (("datum", "date"), "dates", str),
):
    for _alias in _names:
        _FIELDS[_alias] = _FieldSpec(_names[0], _attribute, _normalise)
_FIELDS_BY_ATTRIBUTE = {spec.attribute: spec for spec in _FIELDS.values()}
_ATTRIBUTE_OF = {spec.attribute: spec.attribute for spec in _FIELDS.values()}
KNOWN_FIELDS: tuple[str, ...] = tuple(_FIELDS)


def _field(name: str) -> _FieldSpec:
    spec = _FIELDS.get(name.lower())
    if spec is None:
        raise QuerySyntaxError(_("Unknown filter %(field)s: use one of %(known)s.",
                                 field=f"{name}:", known=", ".join(f"{n}:" for n in _FIELDS)))
    return spec


def _split_values(raw: str, field: str) -> list[str]:
    values = [value.strip() for value in raw.split(",") if value.strip()]
    if not values:
        raise QuerySyntaxError(_("%(field)s needs a value, for example %(example)s.",
                                 field=f"{field}:", example=_EXAMPLES.get(field, "")))
    return values


_EXAMPLES = {"type": "type:contract", "klant": "klant:100123", "class": "class:static",
             "scope": "scope:care", "storage": "storage:paper",
             "datum": "datum:2025-01..2025-06"}


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


# --- dates --------------------------------------------------------------------------


def _period(text: str) -> tuple[date, date]:
    """The first and last day of "2025", "2025-03", "2025-03-01" or "1-3-2025"."""
    try:
        if match := _YEAR.match(text):
            year = int(match[1])
            return date(year, 1, 1), date(year, 12, 31)
        if match := _MONTH.match(text):
            year, month = int(match[1]), int(match[2])
            last = calendar.monthrange(year, month)[1] if 1 <= month <= 12 else 0
            return date(year, month, 1), date(year, month, last)
        if match := _DAY.match(text):
            day = date(int(match[1]), int(match[2]), int(match[3]))
            return day, day
        if match := _DUTCH_DAY.match(text):
            day = date(int(match[3]), int(match[2]), int(match[1]))
            return day, day
    except ValueError:
        pass  # a month 13 or a 31 February: reported below with the accepted forms
    raise QuerySyntaxError(_('"%(value)s" is not a date: write 2025, 2025-03 or 2025-03-01.',
                             value=text))


def parse_date_range(text: str) -> DateRange:
    """2025-01..2025-06, 2025, 2025-03-01, or a range with one open end (2025-01..)."""
    raw = text.strip()
    if ".." not in raw:
        first, last = _period(raw)
        return DateRange(first, last)
    left, _sep, right = (part.strip() for part in raw.partition(".."))
    if not left and not right:
        raise QuerySyntaxError(_("A date range needs a start or an end, for example "
                                 "datum:2025-01..2025-06."))
    start: date | None = _period(left)[0] if left else None
    end: date | None = _period(right)[1] if right else None
    if start and end and start > end:
        raise QuerySyntaxError(_("The date range %(range)s is empty: it starts after it ends.",
                                 range=raw))
    return DateRange(start, end)


def _one_date_range(values: list[Any]) -> DateRange:
    if len(values) > 1:
        raise QuerySyntaxError(_("Use one date filter; a range such as "
                                 "datum:2025-01..2025-06 covers several months."))
    value = values[0]
    return value if isinstance(value, DateRange) else parse_date_range(str(value))


# --- the parser ---------------------------------------------------------------------


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text.replace("\u00a0", " ")
        self.position = 0
        self.found: dict[str, list[str]] = {spec.attribute: [] for spec in _FIELDS.values()}
        for attribute in ("terms", "phrases", "excluded", "prefixes"):
            self.found[attribute] = []

    def parse(self) -> ParsedQuery:
        while self._skip_space():
            self._item()
        dates = self.found.pop("dates")
        values = {name: _unique(found) for name, found in self.found.items()}
        return ParsedQuery(**values, dates=_one_date_range(dates) if dates else None)

    def _skip_space(self) -> bool:
        while self.position < len(self.text) and self.text[self.position].isspace():
            self.position += 1
        return self.position < len(self.text)

    def _peek(self) -> str:
        return self.text[self.position] if self.position < len(self.text) else ""

    def _item(self) -> None:
        excluded = self._peek() == "-"
        if excluded:
            self.position += 1
            if not self._peek() or self._peek().isspace():
                return  # a lone "-" means nothing
        if self._peek() == '"':
            phrase = self._phrase()
            if phrase:
                self.found["excluded" if excluded else "phrases"].append(phrase)
            return
        token = self._token()
        name, colon, value = token.partition(":")
        if colon and _FIELD_NAME.match(name) and not value.startswith("/"):
            if excluded:
                raise QuerySyntaxError(_("A filter cannot be excluded: leave out the - before "
                                         "%(field)s.", field=f"{name}:"))
            self._filter(_field(name), value)
        else:
            self._word(token, excluded)

    def _token(self) -> str:
        start = self.position
        while self.position < len(self.text) and not self.text[self.position].isspace():
            if self.text[self.position] == '"' and self.text[start:self.position].endswith(":"):
                return self.text[start:self.position] + self._phrase()  # klant:"100 123"
            self.position += 1
        return self.text[start:self.position]

    def _phrase(self) -> str:
        opening = self.position
        closing = self.text.find('"', opening + 1)
        if closing < 0:
            raise QuerySyntaxError(_('A quote is not closed: add the closing " after '
                                     '%(start)s.', start=self.text[opening:opening + 30]))
        self.position = closing + 1
        return " ".join(self.text[opening + 1:closing].lower().split())

    def _filter(self, spec: _FieldSpec, value: str) -> None:
        if not value and self._skip_space() and self._peek() != "-":
            # "type: contract": a stray space after the colon
            value = self._phrase() if self._peek() == '"' else self._token()
        for part in ([value.strip()] if spec.attribute == "dates" and value.strip()
                     else _split_values(value, spec.name)):
            self.found[spec.attribute].append(spec.normalise(part))

    def _word(self, token: str, excluded: bool) -> None:
        word = token.strip(_EDGE_PUNCTUATION).lower()
        if not word.strip("*"):
            return
        if "*" in word.rstrip("*"):
            raise QuerySyntaxError(_("A * can only end a word, as in %(example)s.",
                                     example="contr*"))
        if word.endswith("*"):
            stem = word.rstrip("*")
            if excluded:
                raise QuerySyntaxError(_("Excluding by prefix is not possible: exclude a "
                                         "whole word, as in -%(word)s.", word=stem))
            if len(stem) < MIN_PREFIX:
                raise QuerySyntaxError(_("Type at least %(count)d letters before the *.",
                                         count=MIN_PREFIX))
            self.found["prefixes"].append(stem)
            return
        self.found["excluded" if excluded else "terms"].append(word)
