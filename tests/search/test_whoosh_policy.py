"""class: filters and counts in the Whoosh backend give what PolicyBook gives, document by
document, for random policies and documents (the rules are applied at query time)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

from dossier.documents.policy import PolicyBook
from dossier.search.backends.base import PolicyRuleView
from dossier.search.backends.whoosh import WhooshBackend
from dossier.search.content import IndexedDocument
from dossier.search.query import parse
from tests.search.whoosh_support import TODAY, document, visibility

SCOPES = ("sales", "care", "loyalty")
TYPES = (1, 2, 3, 4)
CONDITIONS = ("always", "open", "closed", "current", "expired")
STATUSES = ("", "open", "in_progress", "closed", "resolved", "accepted")
SCOPE_SETS = [frozenset(s) for s in (("sales",), ("care",), ("loyalty",), ("sales", "care"),
                                     ("care", "loyalty"), SCOPES)]


def _end_date(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.3:
        return ""
    if kind < 0.4:
        return rng.choice(("n.v.t.", "onbekend", "31-12-2025"))  # not shaped as a date
    return (TODAY + timedelta(days=rng.randint(-3, 3) * rng.choice((1, 100)))).isoformat()


def _documents(rng: random.Random, count: int) -> list[IndexedDocument]:
    return [document(number, body="dossierstuk", type_id=rng.choice(TYPES),
                     status=rng.choice(STATUSES), end_date=_end_date(rng),
                     scopes=tuple(sorted(rng.sample(SCOPES, rng.randint(1, 3)))))
            for number in range(1, count + 1)]


def _policy(rng: random.Random) -> list[SimpleNamespace]:
    rules = []
    for scope in SCOPES:
        for type_id in TYPES:
            for condition in rng.sample(CONDITIONS, rng.randint(0, 3)):
                rules.append(SimpleNamespace(
                    id=len(rules) + 1, scope=scope, document_type_id=type_id,
                    condition=condition, document_class=rng.choice(("static", "dynamic")),
                    reason=""))
    rng.shuffle(rules)  # the backend must order them itself, as PolicyBook does
    return rules


def _expected(book: PolicyBook, doc: IndexedDocument, scopes: frozenset[str]) -> set[str]:
    points = {"status": doc.status, "end_date": doc.end_date}
    return {book.classify_values(doc.type_id, points, scope, TODAY).document_class.value
            for scope in set(doc.scopes) & scopes}


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[WhooshBackend]:
    backend = WhooshBackend(tmp_path / "index")
    backend.clear()
    yield backend
    backend.close()


@pytest.mark.parametrize("seed", range(12))
def test_class_filter_and_counts_match_policy_book(backend: WhooshBackend, seed: int) -> None:
    rng = random.Random(seed)
    docs = _documents(rng, 120)
    backend.index_documents(docs)
    rules = _policy(rng)
    book = PolicyBook(rules)  # type: ignore[arg-type]
    views = tuple(PolicyRuleView(r.scope, r.document_type_id, r.condition, r.document_class)
                  for r in rules)

    for scopes in SCOPE_SETS:
        expected = {doc.id: _expected(book, doc, scopes) for doc in docs}
        seen = visibility(scopes, views)
        for document_class in ("static", "dynamic"):
            page = backend.search_documents(parse(f"dossierstuk class:{document_class}"),
                                            seen, 1, 1000, "relevance")
            wanted = {id_ for id_, classes in expected.items() if document_class in classes}
            assert set(page.ids) == wanted, (sorted(scopes), document_class)
        counts = backend.search_documents(parse("dossierstuk"), seen, 1, 10, "date").facets
        for document_class in ("static", "dynamic"):
            wanted_count = sum(document_class in classes for classes in expected.values())
            assert counts["class"].get(document_class, 0) == wanted_count


def test_the_policy_follows_today(backend: WhooshBackend) -> None:
    backend.index_documents([document(1, body="contract", type_id=2,
                                      end_date=(TODAY + timedelta(days=1)).isoformat())])
    rules = (PolicyRuleView("care", 2, "current", "dynamic"),)
    today = visibility(frozenset({"care"}), rules)
    later = today.__class__(today.scopes, rules, today.today + timedelta(days=2))
    backend.index_documents([document(1, body="contract", type_id=2, scopes=("care",),
                                      end_date=date(2025, 6, 2).isoformat())])

    def classes(seen: object) -> dict[str, int]:
        return backend.search_documents(parse("contract"), seen, 1, 10,  # type: ignore[arg-type]
                                        "date").facets["class"]

    assert classes(today) == {"dynamic": 1}
    assert classes(later) == {"static": 1}  # expired once its end date passed
