"""The scope policy: every seeded rule, the conditions, the default and the explanations."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from dossier.documents.models import Document, DocumentClass, DocumentScope, PolicyRule
from dossier.documents.policy import CONDITIONS, SQL_CONDITIONS, PolicyBook, classify
from dossier.documents.seed import POLICY_RULES
from dossier.extensions import db
from tests.factories import DocumentFactory, document_type

TODAY = date(2025, 6, 1)
POINTS_FOR = {
    "always": {},
    "open": {"status": "open"},
    "closed": {"status": "closed"},
    "current": {"end_date": "2026-01-01"},
    "expired": {"end_date": "2025-01-01"},
}


@dataclass
class Doc:
    document_type_id: int
    key_points: dict[str, Any] = field(default_factory=dict)
    scopes: list[str] = field(default_factory=list)


def _rule(scope: str, code: str, condition: str) -> PolicyRule:
    rule = db.session.scalar(select(PolicyRule).where(
        PolicyRule.scope == scope, PolicyRule.condition == condition,
        PolicyRule.document_type_id == document_type(code).id))
    assert rule is not None
    return rule


@pytest.mark.parametrize(("scope", "code", "condition", "expected", "reason"), POLICY_RULES,
                         ids=[f"{r[0]}-{r[1]}-{r[2]}" for r in POLICY_RULES])
def test_every_seeded_rule(app: Flask, scope: str, code: str, condition: str, expected: str,
                           reason: str) -> None:
    rule = _rule(scope, code, condition)
    doc = Doc(document_type(code).id, POINTS_FOR[condition])
    verdict = PolicyBook.load().classify(doc, scope, TODAY)
    assert verdict.document_class == DocumentClass(expected)
    assert verdict.rule_id == rule.id
    assert verdict.explanation == f"{expected} for {scope} because {reason}: rule #{rule.id}"


def test_explanation_reads_as_a_sentence(app: Flask) -> None:
    contract = document_type("contract")
    rule = _rule("sales", "contract", "always")
    verdict = classify(Doc(contract.id), "sales", TODAY)
    assert verdict.explanation == ("static for sales because contracts are rarely consulted "
                                   f"after signing and never change: rule #{rule.id}")


def test_conditions_decide_between_rules(app: Flask) -> None:
    book = PolicyBook.load()
    call, sla = document_type("service_call"), document_type("sla")
    assert book.classify(Doc(call.id, {"status": "open"}), "care", TODAY).is_dynamic
    assert book.classify(Doc(call.id, {"status": "in_progress"}), "care", TODAY).is_dynamic
    assert not book.classify(Doc(call.id, {"status": "closed"}), "care", TODAY).is_dynamic
    assert book.classify(Doc(sla.id, {}), "care", TODAY).is_dynamic  # no end: current
    assert book.classify(Doc(sla.id, {"end_date": "2025-06-01"}), "care", TODAY).is_dynamic
    assert not book.classify(Doc(sla.id, {"end_date": "2025-05-31"}), "care", TODAY).is_dynamic


def test_condition_functions(app: Flask) -> None:
    assert CONDITIONS["always"][1]({}, TODAY)
    assert CONDITIONS["open"][1]({"status": "OPEN"}, TODAY)
    assert not CONDITIONS["open"][1]({}, TODAY)
    assert CONDITIONS["closed"][1]({"status": "resolved"}, TODAY)
    assert CONDITIONS["current"][1]({"end_date": "not a date"}, TODAY)
    assert CONDITIONS["expired"][1]({"end_date": "2000-01-01"}, TODAY)


def test_no_rule_means_static_with_the_default_explanation(app: Flask) -> None:
    book = PolicyBook.load()
    call = document_type("service_call")
    # a service call without a status matches neither the open nor the closed rule
    verdict = book.classify(Doc(call.id, {}), "care", TODAY)
    assert verdict.document_class == DocumentClass.STATIC
    assert verdict.rule_id is None
    assert "(default)" in verdict.explanation and "care" in verdict.explanation
    assert book.classify(Doc(document_type("order").id), "care", TODAY).rule_id is None


def test_a_condition_rule_beats_an_always_rule(app: Flask) -> None:
    quote = document_type("quote")
    db.session.add(PolicyRule(scope="care", document_type_id=quote.id, condition="open",
                              document_class="dynamic", reason="open quotes matter"))
    db.session.flush()
    book = PolicyBook.load()
    assert book.classify(Doc(quote.id, {"status": "open"}), "care", TODAY).is_dynamic
    assert not book.classify(Doc(quote.id, {"status": "accepted"}), "care", TODAY).is_dynamic


def test_any_dynamic_scope_makes_the_document_handled_as_dynamic(app: Flask) -> None:
    book = PolicyBook.load()
    contract = DocumentFactory(type_code="contract", scopes=["sales", "care"],
                               key_points={"end_date": "2999-01-01"})
    assert not book.classify(contract, "sales").is_dynamic
    assert book.classify(contract, "care").is_dynamic
    assert book.handled_as_dynamic(contract)
    expired = DocumentFactory(type_code="contract", scopes=["sales", "care"],
                              key_points={"end_date": "2000-01-01"})
    assert not book.handled_as_dynamic(expired)
    sales_only = DocumentFactory(type_code="contract", scopes=["sales"],
                                 key_points={"end_date": "2999-01-01"})
    assert not book.handled_as_dynamic(sales_only)
    assert set(book.classes(contract, ["sales", "care"])) == {"sales", "care"}


AGREEMENT_POINTS: list[dict[str, Any]] = [
    {}, {"status": "open"}, {"status": "OPEN"}, {"status": "In_Progress"},
    {"status": "closed"}, {"status": "resolved"}, {"status": "accepted"}, {"status": None},
    {"status": 3}, {"end_date": "2999-01-01"}, {"end_date": TODAY.isoformat()},
    {"end_date": "2025-05-31"}, {"end_date": ""}, {"end_date": None},
    {"end_date": "not a date"}, {"status": "open", "end_date": "2000-01-01"},
]


def test_the_database_classifies_like_the_book(app: Flask) -> None:
    """class_expression (the dossier page's counts and pages) agrees with classify."""
    book = PolicyBook.load()
    documents = {}
    for code in {rule[1] for rule in POLICY_RULES} | {"order", "correspondence"}:
        for points in AGREEMENT_POINTS:
            document = DocumentFactory(type_code=code, key_points=points,
                                       scopes=["sales", "care", "loyalty"])
            documents[document.id] = document
    expression = book.class_expression(DocumentScope.scope, Document.document_type_id,
                                       Document.key_points, TODAY)
    rows = db.session.execute(
        select(Document.id, DocumentScope.scope, expression)
        .join(DocumentScope, DocumentScope.document_id == Document.id)
        .where(Document.id.in_(documents))).all()
    assert len(rows) == 3 * len(documents)
    for document_id, scope, in_sql in rows:
        expected = book.classify(documents[document_id], scope, TODAY).document_class
        assert in_sql == expected.value, (documents[document_id].key_points, scope)


def test_every_condition_has_its_sql_twin() -> None:
    assert set(SQL_CONDITIONS) == set(CONDITIONS)
