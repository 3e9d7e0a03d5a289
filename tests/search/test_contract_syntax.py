"""The search contract, query syntax: words, phrases, exclusions, prefixes, every filter,
and helpful errors for malformed queries; once per available backend.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from dossier import search
from dossier.auth.models import User
from dossier.documents.models import Document, PolicyRule
from dossier.documents.policy import PolicyBook
from dossier.extensions import db
from dossier.search.query import QuerySyntaxError
from tests.factories import document_type
from tests.search.corpus import Corpus, assert_finds, found, ids, searcher


@pytest.fixture
def fruit(corpus: Corpus) -> dict[str, Document]:
    docs = {
        "both": corpus.document("Notitie", "De appel en de peer liggen op tafel."),
        "apple": corpus.document("Notitie", "Alleen een appel vandaag."),
        "pear": corpus.document("Notitie", "Alleen een peer vandaag."),
        "phrase": corpus.document("Melding", "Er is een rode fiets gestolen bij het station."),
        "apart": corpus.document("Melding", "De fiets stond naast de rode deur."),
        "prefix": corpus.document("Polis", "Uw verzekering en de verzekeraar zijn akkoord."),
        "other": corpus.document("Polis", "De zekering in de meterkast is vervangen."),
    }
    corpus.sync()
    return docs


def test_all_words_must_match(fruit: dict[str, Document], admin: User) -> None:
    assert found("appel peer", admin) == ids(fruit["both"])
    assert found("appel", admin) == ids(fruit["both"], fruit["apple"])


def test_exact_phrase_versus_the_same_words_apart(fruit: dict[str, Document],
                                                  admin: User) -> None:
    assert found('"rode fiets"', admin) == ids(fruit["phrase"])
    assert found("rode fiets", admin) == ids(fruit["phrase"], fruit["apart"])
    assert found('"fiets rode"', admin) == set()


def test_exclusion(fruit: dict[str, Document], admin: User) -> None:
    assert found("appel -peer", admin) == ids(fruit["apple"])
    assert found('fiets -"rode fiets"', admin) == ids(fruit["apart"])


def test_prefix_finds_body_text(fruit: dict[str, Document], admin: User) -> None:
    assert found("verzeker*", admin) == ids(fruit["prefix"])
    assert found("zeker*", admin) == ids(fruit["other"])


def test_prefix_finds_titles_key_points_and_customer_names(corpus: Corpus,
                                                           admin: User) -> None:
    customer = corpus.customer("Terpstra", "Geert")
    titled = corpus.document("Tuinmeubelen catalogus")
    pointed = corpus.document("Klacht", type_code="complaint", scopes=["care"],
                              key_points={"status": "open", "subject": "Tuinhek scheef"})
    named = corpus.document("Brief", customers=[customer])
    corpus.sync()

    assert found("tuinm*", admin) == ids(titled)
    assert found("tuin*", admin) == ids(titled, pointed)
    assert found("terps*", admin) == ids(named)


def _policy_expectation(docs: dict[str, Document], actor: User, wanted: str) -> set[int]:
    """Documents of `wanted` class for one of the actor's scopes, by the policy itself."""
    book, today = PolicyBook.load(), date.today()
    return {document.id for document in docs.values()
            for scope in set(document.scopes) & actor.scopes
            if book.classify(document, scope, today).document_class == wanted}


CLASSES_BY_ROLE: dict[tuple[str, ...], tuple[set[str], set[str]]] = {  # (static, dynamic)
    ("sales",): ({"current_contract", "expired_contract", "letter", "order"}, {"quote"}),
    ("care",): ({"expired_contract", "quote", "closed_call"},
                {"current_contract", "open_call"}),
    ("loyalty",): (set(), {"purchase", "letter"}),
    ("admin",): ({"current_contract", "expired_contract", "quote", "closed_call", "letter",
                  "order"}, {"current_contract", "quote", "open_call", "purchase", "letter"}),
}


def test_class_filter_follows_the_policy_for_the_searchers_scopes(
        classed: dict[str, Document]) -> None:
    for roles, (static, dynamic) in CLASSES_BY_ROLE.items():
        actor = searcher(*roles)
        expected_static = {classed[name].id for name in static}
        expected_dynamic = {classed[name].id for name in dynamic}
        assert _policy_expectation(classed, actor, "static") == expected_static
        assert _policy_expectation(classed, actor, "dynamic") == expected_dynamic
        assert_finds(actor, {
            "dossierstuk class:static": expected_static,
            "class:static": expected_static,
            "dossierstuk class:dynamic": expected_dynamic,
            "dossierstuk klasse:dynamisch": expected_dynamic,
            "dossierstuk class:static class:dynamic": expected_static | expected_dynamic,
        })


def test_a_policy_change_applies_without_reindexing(classed: dict[str, Document],
                                                    sales: User) -> None:
    assert found("dossierstuk class:dynamic", sales) == ids(classed["quote"])
    rule = db.session.scalar(select(PolicyRule).where(
        PolicyRule.scope == "sales",
        PolicyRule.document_type_id == document_type("contract").id))
    assert rule is not None
    rule.document_class = "dynamic"
    db.session.commit()

    assert found("dossierstuk class:dynamic", sales) == ids(
        classed["quote"], classed["current_contract"], classed["expired_contract"])


def test_scope_filter(classed: dict[str, Document], admin: User) -> None:
    assert found("dossierstuk scope:loyalty", admin) == ids(classed["purchase"],
                                                            classed["letter"])
    assert found("scope:sales scope:loyalty", admin) == ids(
        classed["current_contract"], classed["expired_contract"], classed["quote"],
        classed["purchase"], classed["letter"], classed["order"])
    both = searcher("sales", "care")
    assert found("dossierstuk scope:care", both) == ids(
        classed["current_contract"], classed["expired_contract"], classed["quote"],
        classed["open_call"], classed["closed_call"])


def test_type_filter_values_are_ored(classed: dict[str, Document], admin: User) -> None:
    assert found("type:contract", admin) == ids(classed["current_contract"],
                                                classed["expired_contract"])
    assert found("dossierstuk type:contract type:order", admin) == ids(
        classed["current_contract"], classed["expired_contract"], classed["order"])
    assert found("soort:order", admin) == ids(classed["order"])


def _named(docs: dict[str, Document], cases: dict[str, set[str]]) -> dict[str, set[int]]:
    return {query: {docs[name].id for name in names} for query, names in cases.items()}


def test_storage_filter(stored: dict[str, Document], admin: User) -> None:
    assert_finds(admin, _named(stored, {
        "archiefstuk storage:paper": {"paper"},
        "archiefstuk opslag:papier": {"paper"},
        "archiefstuk storage:digital": {"digital"},
        "archiefstuk storage:hybrid": {"hybrid"},
        "archiefstuk storage:paper storage:hybrid": {"paper", "hybrid"},
        "storage:paper": {"paper"},
        "archiefstuk": {"digital", "paper", "hybrid"},
    }))


def test_date_ranges(corpus: Corpus, admin: User) -> None:
    days = {"dec": date(2024, 12, 31), "jan": date(2025, 1, 1), "mar": date(2025, 3, 15),
            "jun": date(2025, 6, 30), "jul": date(2025, 7, 1)}
    dated = {name: corpus.document("Kwartaalstaat", "kwartaalstaat", on=day)
             for name, day in days.items()}
    corpus.sync()

    assert_finds(admin, _named(dated, {
        "kwartaalstaat datum:2025-01..2025-06": {"jan", "mar", "jun"},
        "kwartaalstaat date:2025-01..2025-06": {"jan", "mar", "jun"},
        "kwartaalstaat datum:2025-01..": {"jan", "mar", "jun", "jul"},
        "kwartaalstaat datum:..2025-06": {"dec", "jan", "mar", "jun"},
        "kwartaalstaat datum:2025": {"jan", "mar", "jun", "jul"},
        "kwartaalstaat datum:2024": {"dec"},
        "kwartaalstaat datum:2025-03-15": {"mar"},
        "kwartaalstaat datum:15-3-2025": {"mar"},
        "kwartaalstaat datum:2025-03-14..2025-06-30": {"mar", "jun"},
        "datum:2025-06..2025-07": {"jun", "jul"},
        "kwartaalstaat datum:2026..": set(),
    }))


def test_filters_and_words_combine(corpus: Corpus, admin: User) -> None:
    jansen = corpus.customer("Jansen", "Piet", number="300501")
    other = corpus.customer("Bos", "Eva", number="300502")
    complaint = {"status": "open", "subject": "levering"}
    wanted = corpus.document("Klacht", "levering kapot", type_code="complaint",
                             scopes=["care"], customers=[jansen], on=date(2025, 4, 1),
                             key_points=complaint)
    corpus.document("Klacht", "levering kapot", type_code="complaint", scopes=["care"],
                    customers=[other], on=date(2025, 4, 1), key_points=complaint)
    corpus.document("Klacht", "levering kapot", type_code="complaint", scopes=["care"],
                    customers=[jansen], on=date(2024, 4, 1), key_points=complaint)
    corpus.document("Brief", "levering kapot", customers=[jansen], on=date(2025, 4, 1))
    corpus.document("Klacht", "levering heel", type_code="complaint", scopes=["care"],
                    customers=[jansen], on=date(2025, 4, 1), key_points=complaint)
    corpus.sync()

    query = "levering -heel type:complaint klant:300501 datum:2025-01..2025-06 scope:care"
    assert found(query, admin) == ids(wanted)


MALFORMED = ['"rode fiets', "class:bogus", "scope:bogus", "storage:bogus", "datum:2025-13",
             "datum:gisteren", "datum:2025-06..2025-01", "type:bestaatniet", "type:",
             "verz*ker", "-type:contract"]


def test_malformed_queries_raise_a_helpful_error(corpus: Corpus, admin: User) -> None:
    corpus.document("Brief", "rode fiets")
    corpus.sync()

    for query in MALFORMED:
        with pytest.raises(QuerySyntaxError) as caught:
            search.search(query, admin)
        message = caught.value.message
        assert message and str(caught.value) == message, query
        assert "Traceback" not in message and "Error" not in message, (query, message)


def test_the_message_names_what_to_fix(search_backend: str, admin: User) -> None:
    for query, culprit in [("class:bogus", "bogus"), ("type:bestaatniet", "bestaatniet"),
                           ("datum:2025-13", "2025-13")]:
        with pytest.raises(QuerySyntaxError) as caught:
            search.search(query, admin)
        assert culprit in caught.value.message, (query, caught.value.message)


def test_storage_none_finds_documents_without_file_or_paper(corpus: Corpus,
                                                           admin: User) -> None:
    bare = corpus.document("Registratiekaart", notes="losse registratiekaart")
    corpus.document("Registratiekaart", "registratiekaart gescand")
    corpus.sync()

    assert found("registratiekaart storage:none", admin) == {bare.id}
    assert found("registratiekaart opslag:geen", admin) == {bare.id}
