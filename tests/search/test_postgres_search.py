"""PostgreSQL search behaviour: RUM and GIN ranking, stop words, typed tsquery syntax,
snippet windows, customers, and the per-transaction settings.

PostgreSQL only. Every test that ranks runs twice: on the RUM index the migration made,
and on a GIN index put in its place inside the test's transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import text

from dossier import search
from dossier.auth.models import User
from dossier.documents.models import Document
from dossier.extensions import db
from dossier.search.backends import get_backend, postgres_search, reset_backend
from dossier.search.backends.postgres import PostgresBackend
from dossier.search.backends.postgres_schema import create_tsv_index, drop_tsv_index
from dossier.search.backends.postgres_snippets import stems, window
from dossier.search.query import parse
from dossier.search.snippets import MARK_END, MARK_START
from tests.factories import UserFactory
from tests.search.conftest import use_backend
from tests.search.corpus import Corpus, found, found_customers, hit_ids, ids, searcher
from tests.support.databases import using_postgres

pytestmark = pytest.mark.skipif(not using_postgres(), reason="PostgreSQL search tables")


@pytest.fixture(params=["rum", "gin"])
def ranking(request: pytest.FixtureRequest, app: Flask, monkeypatch: pytest.MonkeyPatch,
            tmp_path: Path) -> Iterator[str]:
    """The backend on a RUM index, or on a GIN one (a server without the extension).

    With RUM, every relevance order comes from the index here (as for many matches).
    """
    use_backend(app, monkeypatch, "postgres", tmp_path / "unused")
    monkeypatch.setattr(postgres_search, "RANK_IN_TABLE_MAX", 0)
    if request.param == "gin":
        drop_tsv_index(db.session)
        create_tsv_index(db.session, "gin")
    backend = get_backend(app)
    assert isinstance(backend, PostgresBackend)
    backend.clear()
    assert backend.ranking() == request.param  # read from the index itself
    yield request.param
    reset_backend(app)


@pytest.fixture
def corpus(ranking: str) -> Corpus:
    return Corpus(UserFactory(roles=("admin",)))


@pytest.fixture
def admin(app: Flask) -> User:
    return UserFactory(roles=("admin",))


@pytest.fixture
def letters(corpus: Corpus) -> dict[str, Document]:
    filler = " ".join(["brief", "over", "diverse", "zaken"] * 20)
    docs = {
        "strong": corpus.document("Klacht over de levering", "De levering was te laat; "
                                  "de levering kwam kapot aan.", on=date(2025, 1, 5)),
        "weak": corpus.document("Brief", f"{filler} levering {filler}", on=date(2025, 6, 1)),
        "phrase": corpus.document("Brief", "Bevestiging van de afspraak met de monteur.",
                                  on=date(2025, 3, 1)),
        "apart": corpus.document("Brief", "De afspraak staat; een bevestiging volgt.",
                                 on=date(2025, 4, 1)),
        "care": corpus.document("Brief", "levering zonder scope sales", scopes=["care"]),
        "english": corpus.document("Letter", "The invoices were delivered late.",
                                   languages="eng", on=date(2025, 2, 1)),
    }
    corpus.sync()
    return docs


def test_relevance_then_date_order_and_scores(letters: dict[str, Document],
                                              admin: User) -> None:
    by_relevance = search.search("levering", admin)
    assert hit_ids(by_relevance)[0] == letters["strong"].id
    scores = [hit.score for hit in by_relevance.hits]
    assert scores == sorted(scores, reverse=True) and scores[-1] > 0
    by_date = search.search("levering", admin, order="date")
    assert hit_ids(by_date) == [letters["weak"].id, letters["care"].id, letters["strong"].id]


def test_the_scope_filter_is_part_of_the_query(letters: dict[str, Document],
                                                            admin: User) -> None:
    sales = searcher("sales")
    assert letters["care"].id not in found("levering", sales)
    assert found("levering", sales) == ids(letters["strong"], letters["weak"])
    assert found("levering scope:care", sales) == set()
    assert found("levering scope:care", admin) == ids(letters["care"])


def test_stop_words_are_left_out_and_phrases_keep_their_gaps(letters: dict[str, Document],
                                                             admin: User) -> None:
    assert found("de levering", admin) == found("levering", admin)
    assert found('"bevestiging van de afspraak"', admin) == ids(letters["phrase"])
    assert found("bevestiging afspraak", admin) == ids(letters["phrase"], letters["apart"])
    results = search.search("de het een", admin)  # nothing left to look for
    assert results.total == 0 and results.hits == []


def test_stop_words_count_as_name_words_only_when_the_query_is_a_name(
        corpus: Corpus, admin: User) -> None:
    meer = corpus.customer("Meer", "Pieter", infix="van der")
    named = corpus.document("Brief", "Over de levering.", customers=[meer])
    other = corpus.document("Brief", "Over de levering van meer panelen.")
    corpus.sync()

    assert found("van der Meer", admin) == ids(named)  # every word is a name's word
    assert found('"Van der Meer"', admin) == ids(named)
    assert found("levering van de", admin) == ids(named, other)  # "levering" is not
    assert found("meer levering", admin) == ids(named, other)


def test_english_word_forms_and_prefixes(letters: dict[str, Document], admin: User) -> None:
    assert found("invoice", admin) == ids(letters["english"])
    assert found("deliver", admin) == ids(letters["english"])
    assert found("bevest*", admin) == ids(letters["phrase"], letters["apart"])
    assert found("lever* -kapot", admin) == ids(letters["weak"], letters["care"])


@pytest.mark.parametrize("typed", ["levering & kapot", "!levering", "levering :*", "'levering'",
                                   "lev\\ering", "(levering", "levering<->kapot", "a | b",
                                   "levering :A", "\\", "' OR 1=1 --", "lev_*", "__*"])
def test_typed_tsquery_syntax_is_only_text(letters: dict[str, Document], admin: User,
                                           typed: str) -> None:
    results = search.search(typed, admin)
    assert results.total == len(results.hits)


def test_generic_plans_and_jit_are_kept_off_the_search(letters: dict[str, Document],
                                                       admin: User) -> None:
    for _attempt in range(7):  # psycopg prepares a statement from its fifth run on
        assert search.search("levering", admin).total == 3
    settings = db.session.execute(text(
        "SELECT current_setting('plan_cache_mode'), current_setting('jit'), "
        "current_setting('enable_seqscan')")).one()
    assert tuple(settings) == ("force_custom_plan", "off", "on")


def test_snippets_come_from_a_window_around_the_best_place(corpus: Corpus,
                                                           admin: User) -> None:
    far = " ".join(f"woord{n}" for n in range(3000))
    corpus.document("Lang", f"{far} hier staat de offerte voor het dak {far}")
    corpus.document("Engels", "Two invoices were sent.", languages="eng")
    corpus.sync()

    [hit] = search.search("offerte dak", admin).hits
    assert "<mark>offerte</mark> voor het <mark>dak</mark>" in str(hit.snippet)
    [english] = search.search("invoice", admin).hits
    assert "<mark>invoices</mark>" in str(english.snippet)


def test_window_picks_the_place_with_most_of_the_words() -> None:
    text_ = ("klacht " + "x " * 900 + "over de levering en de klacht samen " + "y " * 900)
    cut = window(text_, stems("( 'klacht' ) & ( 'lever' )"))
    assert "levering en de klacht" in cut and len(cut) < 2000
    assert window("kort", ["klacht"]) == "kort"
    assert stems("( 'o''brien' ) & ( 'bak':* )") == ["o'brien", "bak"]


def test_snippet_marks_never_come_from_the_text(corpus: Corpus, admin: User) -> None:
    document = corpus.document("Brief", f"{MARK_START}nep{MARK_END} <b>offerte</b>")
    corpus.sync()

    backend = get_backend()
    marked = backend.snippets(parse("offerte"), {document.id: f"{MARK_START}nep{MARK_END} "
                                                              "<b>offerte</b>"})
    assert marked[document.id] == f"nep <b>{MARK_START}offerte{MARK_END}</b>"
    assert backend.snippets(parse("fiets"), {document.id: "geen treffer"}) == {document.id: ""}


@pytest.mark.parametrize(("typed", "who"), [
    ("1234 AB 12", "bakker"), ("1234ab 12", "bakker"), ("+31 6 12345678", "bakker"),
    ("bakk*", "bakker"), ("p.bakker@example.nl", "bakker"), ("Bakekr", "bakker"),
    ("klant:300123", "bakker"), ("Ergens Visser", "visser"), ("Els", "visser"),
])
def test_customers_by_postcode_phone_prefix_and_typos(corpus: Corpus, admin: User,
                                                      typed: str, who: str) -> None:
    made = {
        "bakker": corpus.customer("Bakker", "Peter", number="300123", postcode="1234 AB",
                                  house_number="12", email="p.bakker@example.nl",
                                  phone="06-12345678"),
        "visser": corpus.customer("Visser", "Els", postcode="1234 AB", house_number="14",
                                  city="Ergens"),
        "mulder": corpus.customer("Mulder", "Kees", postcode="5678 CD", house_number="12",
                                  city="Elders"),
    }
    corpus.sync()

    assert found_customers(typed, admin) == [made[who].id]


def test_short_names_need_their_own_spelling(corpus: Corpus, admin: User) -> None:
    bos = corpus.customer("Bos", "Eva")
    corpus.customer("Vos", "Eva")
    corpus.sync()

    assert found_customers("Bos", admin) == [bos.id]


def test_few_matches_are_ranked_in_the_table_many_in_the_index(
        letters: dict[str, Document], admin: User, ranking: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from_index = search.search("levering laat", admin)
    one_word = search.search("levering", admin)
    monkeypatch.setattr(postgres_search, "RANK_IN_TABLE_MAX", 1_000)
    in_table = search.search("levering laat", admin)

    assert hit_ids(in_table) == hit_ids(from_index) == [letters["strong"].id]
    if ranking == "rum":  # the index's distance scores differ from ts_rank's
        assert [h.score for h in in_table.hits] != [h.score for h in from_index.hits]
    # One word (or prefix) is ordered by the index at any number of matches.
    again = search.search("levering", admin)
    assert hit_ids(again)[0] == letters["strong"].id
    assert [h.score for h in again.hits] == [h.score for h in one_word.hits]


def test_a_long_prefix_also_stands_for_its_stems(corpus: Corpus, admin: User) -> None:
    plural = corpus.document("Polis", "Alle verzekeringen zijn verlengd.")
    corpus.document("Polis", "De zekeringen zijn vervangen.")
    corpus.sync()

    assert found("verzekering*", admin) == ids(plural)
    assert found("verz*", admin) == ids(plural)
