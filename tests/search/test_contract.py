"""The search contract every backend fulfils: what is found, and the results' order, pages,
facets, snippets and audit. The query syntax is in test_contract_syntax.py.

Each test runs once per available backend (see conftest.search_backend) through the
public `dossier.search.search`.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from markupsafe import Markup
from sqlalchemy import select

from dossier import search
from dossier.auth.models import User
from dossier.compliance.models import AuditEvent
from dossier.documents.models import Document
from dossier.extensions import db
from tests.search.corpus import (
    Corpus,
    found,
    found_customers,
    hit_ids,
    ids,
    nonzero,
    searcher,
)

# --- what is found ------------------------------------------------------------------

def test_documents_are_found_by_body_text_title_and_key_points(corpus: Corpus,
                                                               admin: User) -> None:
    scanned = corpus.document("Brief", "Uw aanvraag voor een zonnescherm is ontvangen.")
    titled = corpus.document("Jaaroverzicht tuinmeubelen")
    paper = corpus.document(
        "Huurcontract", type_code="contract", paper=True,
        key_points={"start_date": "2024-01-01", "end_date": "2020-12-31",
                    "value": "12500.00", "signed_by": "Hendrika Zwanenburg"},
        notes="Origineel ligt in de brandkast")
    corpus.document("Ruis", "Niets bijzonders in deze brief.")
    corpus.sync()

    assert found("zonnescherm", admin) == ids(scanned)
    assert found("tuinmeubelen", admin) == ids(titled)
    assert found("Zwanenburg", admin) == ids(paper)  # a static paper-only document
    assert found("brandkast", admin) == ids(paper)  # its notes
    assert found("Hendrika", admin) == ids(paper)


def test_documents_are_found_by_customer_name_and_number(corpus: Corpus, admin: User) -> None:
    verhoeven = corpus.customer("Verhoeven", "Bartholomeus", number="300777")
    other = corpus.customer("Smit", "Anna", number="300888")
    mine = corpus.document("Brief", "Over de levering.", customers=[verhoeven])
    theirs = corpus.document("Brief", "Over de levering.", customers=[other])
    both = corpus.document("Brief", "Over de levering.", customers=[verhoeven, other])
    corpus.sync()

    assert found("Verhoeven", admin) == ids(mine, both)
    assert found("Bartholomeus Verhoeven", admin) == ids(mine, both)
    assert found("300888", admin) == ids(theirs, both)
    assert found("klant:300777", admin) == ids(mine, both)
    assert found("levering klant:300888", admin) == ids(theirs, both)
    results = search.search("Verhoeven", admin)
    assert [c.id for c in results.customers] == [verhoeven.id]
    links = {hit.document.id: {c.id for c in hit.customers} for hit in results.hits}
    assert links == {mine.id: {verhoeven.id}, both.id: {verhoeven.id, other.id}}


def test_surnames_that_are_dutch_stop_words_are_found(corpus: Corpus, admin: User) -> None:
    # "meer", "van", "der" are stop words of Dutch stemming; as a name they count.
    meer = corpus.customer("Meer", "Pieter", infix="van der", number="300901")
    other = corpus.customer("Smit", "Anna", number="300902")
    theirs = corpus.document("Brief", "Over de levering van meer panelen.", customers=[meer])
    corpus.document("Brief", "Over de levering.", customers=[other])
    corpus.sync()

    assert found("Meer", admin) == ids(theirs)
    assert found("van der Meer", admin) == ids(theirs)
    assert found("Pieter van der Meer", admin) == ids(theirs)
    assert found('"van der meer"', admin) == ids(theirs)
    assert [c.id for c in search.search("Meer", admin).customers] == [meer.id]


def test_type_filter_and_date_range(corpus: Corpus, admin: User) -> None:
    complaint = corpus.document("Klacht", "levering te laat", type_code="complaint",
                                scopes=["care"], on=date(2025, 2, 10),
                                key_points={"status": "open", "subject": "levering"})
    letter = corpus.document("Brief", "levering te laat", on=date(2025, 8, 1))
    old_letter = corpus.document("Brief", "levering te laat", on=date(2024, 8, 1))
    corpus.sync()

    assert found("levering type:complaint", admin) == ids(complaint)
    assert found("levering type:correspondence", admin) == ids(letter, old_letter)
    assert found("levering datum:2025", admin) == ids(complaint, letter)
    assert found("levering datum:2025-08..", admin) == ids(letter)


def test_customers_are_found_by_name_number_address_email_and_phone(
        corpus: Corpus, admin: User) -> None:
    bakker = corpus.customer("Bakker", "Peter", number="300123", postcode="1234 AB",
                             house_number="12", email="p.bakker@example.nl",
                             phone="06-12345678")
    corpus.customer("Visser", "Els", postcode="1234 AB", house_number="14",
                    phone="06-87654321")
    corpus.customer("Mulder", "Kees", postcode="5678 CD", house_number="12")
    corpus.sync()

    queries = ["Peter Bakker", "bakker", "300123", "1234AB 12", "1234ab 12",
               "p.bakker@example.nl", "0612345678", "06-12345678"]
    wrong = {q: found_customers(q, admin) for q in queries}
    assert {q: got for q, got in wrong.items() if got != [bakker.id]} == {}


def test_customer_names_are_typo_tolerant(corpus: Corpus, admin: User) -> None:
    janssen = corpus.customer("Janssen", "Marieke")
    pieterse = corpus.customer("Pieterse", "Marieke")
    corpus.customer("Bakker", "Kees")
    corpus.customer("Hendriks", "Anna")
    corpus.sync()

    cases = {"Jansen": [janssen.id], "janssen": [janssen.id], "Pietersen": [pieterse.id],
             "Pieterse": [pieterse.id]}
    got = {typed: found_customers(typed, admin) for typed in cases}
    assert got == cases


def test_an_exact_customer_name_ranks_above_a_near_one(corpus: Corpus, admin: User) -> None:
    near = corpus.customer("Janssen", "Piet")
    exact = corpus.customer("Jansen", "Piet")
    corpus.sync()

    assert found_customers("Jansen", admin) == [exact.id, near.id]


# --- results ------------------------------------------------------------------------


def test_relevance_and_date_order(corpus: Corpus, admin: User) -> None:
    filler = " ".join(["de", "het", "een", "brief", "over", "diverse", "zaken"] * 12)
    strong = corpus.document("Levering vertraagd",
                             "De levering is vertraagd; de levering volgt later.",
                             on=date(2025, 1, 10))
    weak = corpus.document("Brief", f"{filler} levering {filler}", on=date(2025, 5, 10))
    middle = corpus.document("Brief", f"levering {filler}", on=date(2025, 3, 10))
    corpus.sync()

    by_relevance = search.search("levering", admin, order="relevance")
    assert hit_ids(by_relevance)[0] == strong.id
    scores = [hit.score for hit in by_relevance.hits]
    assert scores == sorted(scores, reverse=True)
    by_date = search.search("levering", admin, order="date")
    assert hit_ids(by_date) == [weak.id, middle.id, strong.id]
    assert by_date.order == "date"


def test_a_query_of_filters_only_lists_by_date(corpus: Corpus, admin: User) -> None:
    days = [date(2025, 2, 1), date(2025, 9, 1), date(2024, 5, 1), date(2025, 4, 1)]
    docs = [corpus.document("Brief", "tekst", on=day) for day in days]
    corpus.document("Klacht", "tekst", type_code="complaint", scopes=["care"],
                    key_points={"status": "open", "subject": "x"})
    corpus.sync()

    results = search.search("type:correspondence", admin)
    assert hit_ids(results) == [docs[1].id, docs[3].id, docs[0].id, docs[2].id]


@pytest.mark.parametrize("order", ["relevance", "date"])
def test_pages_do_not_overlap_and_cover_the_total(corpus: Corpus, admin: User,
                                                  order: str) -> None:
    made = {corpus.document("Rapport", "maandrapport").id for _ in range(23)}
    corpus.document("Ander", "iets anders")
    corpus.sync()

    seen: list[int] = []
    for page in (1, 2, 3):
        results = search.search("maandrapport", admin, page=page, per_page=10, order=order)
        assert (results.total, results.pages, results.page) == (23, 3, page)
        assert len(results.hits) == (10 if page < 3 else 3)
        seen += hit_ids(results)
    assert len(seen) == len(set(seen)) == 23
    assert set(seen) == made


def test_filter_only_pages_cover_the_total(corpus: Corpus, admin: User) -> None:
    made = {corpus.document("Rapport", "x", on=date(2025, 1, 1 + n % 3)).id for n in range(7)}
    corpus.sync()

    pages = [hit_ids(search.search("datum:2025", admin, page=p, per_page=3))
             for p in (1, 2, 3)]
    assert [len(p) for p in pages] == [3, 3, 1]
    flat = [i for p in pages for i in p]
    assert len(set(flat)) == 7 and set(flat) == made


def test_facets_equal_the_counts_of_filtering(classed: dict[str, Document],
                                              stored: dict[str, Document],
                                              admin: User) -> None:
    for actor in (admin, searcher("care", "loyalty")):
        for text in ("dossierstuk", "archiefstuk storage:paper storage:hybrid"):
            results = search.search(text, actor)
            facets = nonzero(results.facets)
            assert set(facets) <= {"type", "class", "scope", "storage"}
            assert sum(facets.get("type", {}).values()) == results.total
            assert sum(facets.get("storage", {}).values()) == results.total
            assert set(facets.get("scope", {})) <= actor.scopes
            for group, counts in facets.items():  # a facet click narrows to its value
                for value, count in counts.items():
                    narrowed = search.search(text, actor, filters={group: [value]})
                    assert narrowed.total == count, (actor.roles, text, group, value)


def test_facet_counts_are_exact(classed: dict[str, Document], sales: User) -> None:
    results = search.search("dossierstuk", sales)
    assert results.total == 5
    assert nonzero(results.facets) == {
        "type": {"contract": 2, "quote": 1, "correspondence": 1, "order": 1},
        "class": {"static": 4, "dynamic": 1},
        "scope": {"sales": 5},
        "storage": {"digital": 5},
    }


def test_filters_argument_narrows_like_the_query(classed: dict[str, Document],
                                                 admin: User) -> None:
    narrowed = search.search("dossierstuk", admin, filters={"type": ["contract", "order"]})
    assert set(hit_ids(narrowed)) == ids(classed["current_contract"],
                                         classed["expired_contract"], classed["order"])
    assert narrowed.total == 3


def test_snippets_mark_the_match_and_escape_hostile_text(corpus: Corpus,
                                                         admin: User) -> None:
    hostile = corpus.document(
        "Brief", "Geachte heer, <script>alert(1)</script> uw offerte & korting van "
                 "10% is verstuurd. \x02nep\x03 <b>vet</b>")
    corpus.sync()

    results = search.search("offerte", admin)
    assert hit_ids(results) == [hostile.id]
    snippet = results.hits[0].snippet
    assert isinstance(snippet, Markup)
    html = str(snippet)
    assert re.search(r"<mark>offerte</mark>", html, re.IGNORECASE), html
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and "&amp;" in html
    assert "<mark>nep</mark>" not in html
    assert set(re.findall(r"</?[a-z]+", html)) == {"<mark", "</mark"}


def test_snippets_mark_stemmed_and_phrase_matches(corpus: Corpus, admin: User) -> None:
    corpus.document("Brief", "Er kwam een klacht binnen over de rode fiets van de buren.")
    corpus.sync()

    stemmed = str(search.search("klachten", admin).hits[0].snippet)
    assert re.search(r"<mark>klacht</mark>", stemmed, re.IGNORECASE), stemmed
    phrase = str(search.search('"rode fiets"', admin).hits[0].snippet)
    marked = " ".join(re.findall(r"<mark>(.*?)</mark>", phrase)).lower()
    assert "rode" in marked and "fiets" in marked, phrase


def test_every_search_is_audited(corpus: Corpus, sales: User) -> None:
    corpus.document("Brief", "zonnepaneel")
    corpus.sync()

    results = search.search("zonnepaneel", sales)
    assert results.notice is None  # a healthy, complete index says nothing
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "search")
                               .order_by(AuditEvent.id.desc())).first()
    assert event is not None and event.actor_id == sales.id
    assert event.details.get("query") == "zonnepaneel"
    assert event.details.get("total") == 1
