"""No search result, count, facet, snippet or customer link outside the searcher's scopes.

Every scope has its own words in a small corpus; each role (and mixes of roles) searches
along every code path: words, phrases, prefixes, filters only, class filters, date
order, later pages; then the backend is asked directly with a Visibility.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

import pytest
from flask import Flask
from sqlalchemy import select

from dossier import search
from dossier.auth.models import User
from dossier.auth.permissions import can
from dossier.auth.roles import ALL_ROLES, ALL_SCOPES
from dossier.customers.models import Customer
from dossier.documents.models import Document, PolicyRule
from dossier.documents.policy import CONDITION_ORDER, PolicyBook
from dossier.search.backends import get_backend
from dossier.search.backends.base import PolicyRuleView, Visibility
from dossier.search.query import parse
from tests.search.corpus import Corpus, hit_ids, nonzero, searcher

# What each role may read; a role added to roles.py must be added here (see the test).
ROLE_SCOPES: dict[str, frozenset[str]] = {
    "sales": frozenset({"sales"}),
    "care": frozenset({"care"}),
    "loyalty": frozenset({"loyalty"}),
    "clerk": frozenset(),  # clerks handle paper and customers, never document contents
    "compliance": frozenset(ALL_SCOPES),
    "admin": frozenset(ALL_SCOPES),
}
ROLE_MIXES: list[tuple[str, ...]] = [
    *[(role,) for role in ALL_ROLES],
    ("sales", "care"), ("care", "loyalty"), ("clerk", "sales"), (),
]
SCOPE_SETS = [frozenset(), *[frozenset({s}) for s in ALL_SCOPES],
              frozenset({"sales", "care"}), frozenset(ALL_SCOPES)]
# (scopes, type, key points, the word only this document has); all hold "kaasmarkt".
CORPUS_SPEC: list[tuple[tuple[str, ...], str, dict[str, str], str]] = [
    (("sales",), "order", {"order_number": "A-17"}, "zeilboot"),
    (("care",), "service_call", {"status": "open", "product": "ketel"}, "vuurtoren"),
    (("loyalty",), "purchase", {"product": "fiets"}, "windmolen"),
    (("sales", "care"), "contract", {"start_date": "2024-01-01", "end_date": "2099-12-31",
                                     "signed_by": "B. Bos"}, "tulpenveld"),
    (("care", "loyalty"), "complaint", {"status": "closed", "subject": "x"}, "dijkgraaf"),
    (("sales", "care", "loyalty"), "correspondence", {"direction": "incoming"}, "molenaar"),
]
# Each code path once: words, prefix, phrase, exclusion, filters only, class filters.
QUERIES = ["kaasmarkt", "kaasm*", '"vuurtoren kaasmarkt"', "vuurtoren", "tulpenveld",
           "kaasmarkt -molenaar", "datum:2025", "kaasmarkt class:static",
           "rapport class:dynamic", "type:service_call"]
# scope:X for a searcher without X may list nothing or X's documents they can see anyway.
SCOPE_QUERIES = [f"kaasmarkt scope:{scope}" for scope in ALL_SCOPES]
SURNAMES = ["Aalbers", "Brouwer", "Claassen", "Dekker", "Evers", "Fokkema"]


@dataclass
class LeakCorpus:
    documents: list[Document]
    owners: list[Customer]  # owners[i] is the only customer of documents[i]

    def word_of(self, document: Document) -> str:
        return CORPUS_SPEC[self.documents.index(document)][3]

    def matching(self, query: str, scopes: frozenset[str]) -> list[Document]:
        """What a searcher with `scopes` must get for `query` (by the corpus design)."""
        parsed = parse(query)
        book = PolicyBook.load()
        chosen = []
        for document in _visible(self.documents, scopes):
            words = {"kaasmarkt", "rapport", self.word_of(document)}
            seen_in = set(document.scopes) & scopes
            classes = {book.classify(document, s).document_class.value for s in seen_in}
            if ((parsed.terms and not set(parsed.terms) <= words)
                    or any(p != f"{self.word_of(document)} kaasmarkt" for p in parsed.phrases)
                    or set(parsed.excluded) & words
                    or (parsed.types and document.document_type.code not in parsed.types)
                    or (parsed.scopes and not set(parsed.scopes) & set(document.scopes))
                    or (parsed.classes and not set(parsed.classes) & classes)):
                continue
            chosen.append(document)
        return chosen


@pytest.fixture
def leak_corpus(corpus: Corpus) -> LeakCorpus:
    owners = [corpus.customer(surname, "Klant", number=str(310001 + n))
              for n, surname in enumerate(SURNAMES)]
    documents = [
        corpus.document(f"Kaasmarkt {n}", f"{word} kaasmarkt rapport", type_code=type_code,
                        scopes=scopes, customers=[owners[n]], key_points=points,
                        on=date(2025, 1 + n, 1))
        for n, (scopes, type_code, points, word) in enumerate(CORPUS_SPEC)]
    corpus.sync()
    return LeakCorpus(documents, owners)


def expected_scopes(roles: tuple[str, ...]) -> frozenset[str]:
    return frozenset().union(*(ROLE_SCOPES[role] for role in roles))


def test_every_role_has_an_expectation() -> None:
    assert set(ROLE_SCOPES) == set(ALL_ROLES), "a new role: say which scopes it reads"


def _visible(documents: list[Document], scopes: frozenset[str]) -> list[Document]:
    return [d for d in documents if set(d.scopes) & scopes]


def _expected_facets(documents: list[Document], scopes: frozenset[str]
                     ) -> dict[str, dict[str, int]]:
    book = PolicyBook.load()
    classes: Counter[str] = Counter()
    for document in documents:
        classes.update({book.classify(document, s).document_class.value
                        for s in set(document.scopes) & scopes})
    facets = {
        "type": dict(Counter(d.document_type.code for d in documents)),
        "class": dict(classes),
        "scope": dict(Counter(s for d in documents for s in d.scopes if s in scopes)),
        "storage": dict(Counter(d.storage.value for d in documents)),
    }
    return nonzero(facets)


def _label(roles: tuple[str, ...], query: str) -> str:
    return f"{'+'.join(roles) or 'no roles'} searching {query!r}"


@pytest.mark.parametrize("roles", ROLE_MIXES, ids=lambda r: "+".join(r) or "no-roles")
def test_search_shows_nothing_outside_the_searchers_scopes(
        leak_corpus: LeakCorpus, roles: tuple[str, ...]) -> None:
    actor = searcher(*roles)
    scopes = expected_scopes(roles)
    visible = _visible(leak_corpus.documents, scopes)
    # The permission module agrees: the search may show exactly what `can` allows.
    assert [d for d in leak_corpus.documents if can(actor, "view", d)] == visible
    _check_queries(leak_corpus, actor, roles)
    _check_scope_filters(leak_corpus, actor, roles)
    _check_pages_and_date_order(leak_corpus, actor, roles)
    _check_customer_links(leak_corpus, actor, roles)


def _check_queries(leak_corpus: LeakCorpus, actor: User, roles: tuple[str, ...]) -> None:
    """Hits, total, facets, snippets and customers for every code path."""
    scopes = expected_scopes(roles)
    visible = _visible(leak_corpus.documents, scopes)
    hidden_words = [leak_corpus.word_of(d) for d in leak_corpus.documents if d not in visible]
    for query in QUERIES:
        wanted = leak_corpus.matching(query, scopes)
        results = search.search(query, actor, per_page=50)
        label = _label(roles, query)
        assert set(hit_ids(results)) == {d.id for d in wanted}, label
        assert results.total == len(wanted), label
        assert nonzero(results.facets) == _expected_facets(wanted, scopes), label
        for hit in results.hits:
            owner = leak_corpus.owners[leak_corpus.documents.index(hit.document)]
            assert [c.id for c in hit.customers] == [owner.id], label
            assert not any(word in str(hit.snippet) for word in hidden_words), label
        assert results.customers == [], label


def _check_scope_filters(leak_corpus: LeakCorpus, actor: User,
                         roles: tuple[str, ...]) -> None:
    scopes = expected_scopes(roles)
    for query in SCOPE_QUERIES:
        wanted = {d.id for d in leak_corpus.matching(query, scopes)}
        results = search.search(query, actor, per_page=50)
        label = _label(roles, query)
        got = set(hit_ids(results))
        if set(parse(query).scopes) <= scopes:
            assert got == wanted, label
        else:
            assert got <= wanted, label
        assert results.total == len(got), label
        assert set(nonzero(results.facets).get("scope", {})) <= scopes, label


def _check_pages_and_date_order(leak_corpus: LeakCorpus, actor: User,
                                roles: tuple[str, ...]) -> None:
    scopes = expected_scopes(roles)
    for order, query in (("relevance", "kaasmarkt"), ("date", "datum:2025"),
                         ("relevance", "rapport kaasm*"), ("date", "kaasmarkt class:static")):
        wanted = leak_corpus.matching(query, scopes)
        pages = -(-len(wanted) // 2)
        seen: list[int] = []
        for page in range(1, max(pages, 1) + 1):
            results = search.search(query, actor, page=page, per_page=2, order=order)
            label = f"{_label(roles, query)} {order} page {page}"
            assert (results.total, results.pages) == (len(wanted), pages), label
            seen += hit_ids(results)
        if order == "date":  # newest first, and never a hidden document in between
            wanted.sort(key=lambda d: d.document_date, reverse=True)
            assert seen == [d.id for d in wanted], _label(roles, query)
        assert sorted(seen) == sorted(d.id for d in wanted), _label(roles, query)


def _check_customer_links(leak_corpus: LeakCorpus, actor: User,
                          roles: tuple[str, ...]) -> None:
    """Searching for a customer shows the customer, never their out-of-scope documents."""
    scopes = expected_scopes(roles)
    for document, owner in zip(leak_corpus.documents, leak_corpus.owners, strict=True):
        shown = [document.id] if set(document.scopes) & scopes else []
        results = search.search(owner.last_name, actor)
        label = _label(roles, owner.last_name)
        assert (hit_ids(results), results.total) == (shown, len(shown)), label
        assert sum(nonzero(results.facets).get("type", {}).values()) == len(shown), label
    every = " ".join(f"klant:{owner.number}" for owner in leak_corpus.owners)
    results = search.search(every, actor, per_page=50)
    visible = _visible(leak_corpus.documents, scopes)
    assert (set(hit_ids(results)), results.total) == ({d.id for d in visible}, len(visible))
    assert nonzero(results.facets) == _expected_facets(visible, scopes)


def test_care_only_words_are_invisible_to_sales(leak_corpus: LeakCorpus) -> None:
    sales = searcher("sales")
    results = search.search("vuurtoren", sales)
    assert (results.hits, results.total) == ([], 0)
    assert "care" not in nonzero(results.facets).get("scope", {})
    assert nonzero(results.facets) == {}
    shared = search.search("kaasmarkt", sales, per_page=50)
    assert set(nonzero(shared.facets)["scope"]) == {"sales"}
    assert "service_call" not in nonzero(shared.facets)["type"]


def test_a_document_in_two_scopes_is_visible_to_both(leak_corpus: LeakCorpus) -> None:
    both = leak_corpus.documents[3]  # sales + care
    for role in ("sales", "care"):
        assert hit_ids(search.search("tulpenveld", searcher(role))) == [both.id]
    assert hit_ids(search.search("tulpenveld", searcher("loyalty"))) == []


def _rules(scopes: frozenset[str]) -> tuple[PolicyRuleView, ...]:
    from dossier.extensions import db

    rows = db.session.scalars(select(PolicyRule).where(PolicyRule.scope.in_(scopes))).all()
    rows = sorted(rows, key=lambda r: (r.scope, r.document_type_id,
                                       CONDITION_ORDER.get(r.condition, 99)))
    return tuple(PolicyRuleView(r.scope, r.document_type_id, r.condition, r.document_class)
                 for r in rows)


def test_the_backend_applies_visibility_inside_its_query(app: Flask,
                                                         leak_corpus: LeakCorpus) -> None:
    backend = get_backend(app)
    for scopes in SCOPE_SETS:
        visibility = Visibility(scopes=scopes, rules=_rules(scopes), today=date.today())
        for query in QUERIES + SCOPE_QUERIES:
            allowed = {d.id for d in leak_corpus.matching(query, scopes)}
            label = f"{sorted(scopes)} {query!r}"
            first = backend.search_documents(parse(query), visibility, page=1, per_page=50,
                                             order="relevance")
            assert set(first.ids) <= allowed, label
            assert first.total == len(first.ids), label
            assert set(first.scores) <= set(first.ids), label
            assert set(nonzero(first.facets).get("scope", {})) <= scopes, label
            if set(parse(query).scopes) <= scopes:
                assert set(first.ids) == allowed, label
                wanted = [d for d in leak_corpus.documents if d.id in allowed]
                assert nonzero(first.facets) == _expected_facets(wanted, scopes), label
            second = backend.search_documents(parse(query), visibility, page=2, per_page=1,
                                              order="date")
            assert second.total == first.total, label
            assert set(second.ids) <= set(first.ids), label
            assert len(second.ids) == (1 if first.total > 1 else 0), label
