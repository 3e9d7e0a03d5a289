"""The one-box query language: what each form means, and helpful messages for malformed input."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask

from dossier.search.query import (
    DateRange,
    ParsedQuery,
    QuerySyntaxError,
    parse,
    parse_date_range,
)


@pytest.fixture(autouse=True)
def _english(app: Flask) -> None:
    """Messages are translated; the test app speaks English."""


def test_words_are_lowercased_and_all_required() -> None:
    assert parse("Offerte  JANSSEN").terms == ("offerte", "janssen")


def test_punctuation_around_words_is_dropped() -> None:
    assert parse("(offerte), contract.").terms == ("offerte", "contract")


def test_a_repeated_word_counts_once() -> None:
    assert parse("offerte offerte Offerte").terms == ("offerte",)


def test_phrases_keep_their_words_together() -> None:
    query = parse('"Nieuwe  Offerte" jansen')
    assert query.phrases == ("nieuwe offerte",)
    assert query.terms == ("jansen",)


def test_an_empty_phrase_means_nothing() -> None:
    assert parse('"" offerte') == ParsedQuery(terms=("offerte",))


def test_exclusions_of_words_and_phrases() -> None:
    query = parse('offerte -klacht -"oude prijs"')
    assert query.terms == ("offerte",)
    assert query.excluded == ("klacht", "oude prijs")


def test_a_hyphen_inside_a_word_is_no_exclusion() -> None:
    assert parse("e-mail").terms == ("e-mail",)
    assert parse("e-mail").excluded == ()


def test_a_lone_hyphen_is_ignored() -> None:
    assert parse("offerte - contract").terms == ("offerte", "contract")


def test_prefixes() -> None:
    query = parse("contr* Jans*")
    assert query.prefixes == ("contr", "jans")
    assert query.terms == ()


@pytest.mark.parametrize("text, hint", [
    ("c*", "at least 2 letters"),
    ("co*ract", "only end a word"),
    ("-contr*", "exclude a whole word"),
])
def test_malformed_prefixes(text: str, hint: str) -> None:
    with pytest.raises(QuerySyntaxError, match=hint):
        parse(text)


def test_a_lone_star_is_ignored() -> None:
    assert parse("* offerte").terms == ("offerte",)


def test_filters_and_their_dutch_names() -> None:
    query = parse("type:Offerte soort:contract klant:100123 customer:100124 "
                  "class:statisch klasse:dynamic scope:care storage:papier opslag:hybrid")
    assert query.types == ("offerte", "contract")
    assert query.customers == ("100123", "100124")
    assert query.classes == ("static", "dynamic")
    assert query.scopes == ("care",)
    assert query.storages == ("paper", "hybrid")
    assert not query.has_text and query.has_filters and not query.is_empty


def test_field_names_are_case_insensitive() -> None:
    assert parse("TYPE:offerte Klant:100123").types == ("offerte",)


def test_several_values_by_comma() -> None:
    assert parse("type:offerte,contract").types == ("offerte", "contract")


def test_stray_space_after_the_colon() -> None:
    assert parse("type: offerte  jansen").types == ("offerte",)
    assert parse("type: offerte  jansen").terms == ("jansen",)


def test_quoted_filter_value() -> None:
    assert parse('klant:"100123"').customers == ("100123",)
    assert parse('klant: "100123"').customers == ("100123",)


def test_urls_and_times_are_words_not_filters() -> None:
    assert parse("10:30").terms == ("10:30",)
    assert parse("https://example.nl").terms == ("https://example.nl",)


@pytest.mark.parametrize("text, hint", [
    ("foo:bar", "Unknown filter foo:"),
    ("type:", "type: needs a value"),
    ("offerte type:   ", "type: needs a value"),
    ("class:grijs", "use one of dynamic, static"),
    ("scope:finance", "use one of care, loyalty, sales"),
    ("storage:cloud", "use one of digital, hybrid, none, paper"),
    ("-type:offerte", "cannot be excluded"),
    ('offerte "nieuwe prijs', "quote is not closed"),
    ('"', "quote is not closed"),
])
def test_malformed_filters_and_quotes(text: str, hint: str) -> None:
    with pytest.raises(QuerySyntaxError, match=hint) as caught:
        parse(text)
    assert str(caught.value) == caught.value.message


def test_the_unknown_filter_message_lists_the_known_ones() -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse("kleur:rood")
    assert "type:" in caught.value.message and "datum:" in caught.value.message


@pytest.mark.parametrize("text, start, end", [
    ("2025", date(2025, 1, 1), date(2025, 12, 31)),
    ("2025-02", date(2025, 2, 1), date(2025, 2, 28)),
    ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
    ("2025-03-01", date(2025, 3, 1), date(2025, 3, 1)),
    ("1-3-2025", date(2025, 3, 1), date(2025, 3, 1)),
    ("2025-01..2025-06", date(2025, 1, 1), date(2025, 6, 30)),
    ("2024..2025-03-15", date(2024, 1, 1), date(2025, 3, 15)),
    ("2025-01..", date(2025, 1, 1), None),
    ("..2025-06", None, date(2025, 6, 30)),
    (" 2025-01 .. 2025-06 ", date(2025, 1, 1), date(2025, 6, 30)),
    ("2025-03..2025-03", date(2025, 3, 1), date(2025, 3, 31)),
])
def test_date_ranges(text: str, start: date | None, end: date | None) -> None:
    assert parse_date_range(text) == DateRange(start, end)


def test_date_filter_in_a_query() -> None:
    query = parse("offerte datum:2025-01..2025-06")
    assert query.dates == DateRange(date(2025, 1, 1), date(2025, 6, 30))
    assert parse("date:2025").dates == DateRange(date(2025, 1, 1), date(2025, 12, 31))
    assert query.dates is not None and query.dates.contains(date(2025, 6, 30))
    assert not query.dates.contains(date(2025, 7, 1))


@pytest.mark.parametrize("text, hint", [
    ("datum:2025-13", "is not a date"),
    ("datum:2025-02-30", "is not a date"),
    ("datum:gisteren", "is not a date"),
    ("datum:25", "is not a date"),
    ("datum:..", "needs a start or an end"),
    ("datum:2025-06..2025-01", "is empty"),
    ("datum:2025 datum:2024", "one date filter"),
    ("datum:", "datum: needs a value"),
])
def test_malformed_dates(text: str, hint: str) -> None:
    with pytest.raises(QuerySyntaxError, match=hint):
        parse(text)


def test_empty_and_blank_queries() -> None:
    assert parse("").is_empty
    assert parse("   \t\n ").is_empty
    assert parse("\u00a0").is_empty


def test_only_exclusions_is_not_empty_but_has_no_text() -> None:
    query = parse("-klacht")
    assert not query.is_empty and not query.has_text


def test_everything_together() -> None:
    query = parse('  jansen "de offerte" -klacht contr*  type:offerte  klant:100123 '
                  "class:static scope:sales storage:digital datum:2025 ")
    assert query == ParsedQuery(
        terms=("jansen",), phrases=("de offerte",), excluded=("klacht",), prefixes=("contr",),
        types=("offerte",), customers=("100123",), classes=("static",), scopes=("sales",),
        storages=("digital",), dates=DateRange(date(2025, 1, 1), date(2025, 12, 31)))


def test_with_filters_replaces_the_named_filters() -> None:
    query = parse("offerte type:offerte type:contract scope:care")
    narrowed = query.with_filters(type=["contract"], klasse="statisch", date="2025-03")
    assert narrowed.types == ("contract",)
    assert narrowed.classes == ("static",)
    assert narrowed.scopes == ("care",)  # not named: kept
    assert narrowed.terms == ("offerte",)
    assert narrowed.dates == DateRange(date(2025, 3, 1), date(2025, 3, 31))


def test_with_filters_takes_attribute_names_and_ignores_empty_values() -> None:
    query = parse("offerte scope:care")
    assert query.with_filters(scopes=("sales",), types=[], storage=[""]) == parse(
        "offerte scope:sales")


@pytest.mark.parametrize("filters, hint", [
    ({"kleur": ["rood"]}, "Unknown filter"),
    ({"class": ["grijs"]}, "use one of"),
    ({"date": ["2025-13"]}, "is not a date"),
])
def test_with_filters_checks_values_like_the_box(filters: dict[str, list[str]],
                                                  hint: str) -> None:
    with pytest.raises(QuerySyntaxError, match=hint):
        parse("offerte").with_filters(**filters)


def test_messages_are_translated(app: Flask) -> None:
    with app.test_request_context(headers={"Accept-Language": "nl"}):
        from flask_babel import force_locale

        with force_locale("nl"), pytest.raises(QuerySyntaxError) as caught:
            parse('"offerte')
    assert "aanhalingsteken" in caught.value.message.lower()
