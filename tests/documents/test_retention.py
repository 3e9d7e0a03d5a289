"""Retention dates: month arithmetic and the date they are counted from."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask

from dossier.documents.retention import add_months, retention_until
from tests.factories import document_type


@pytest.mark.parametrize(("start", "months", "expected"), [
    (date(2025, 1, 31), 1, date(2025, 2, 28)),
    (date(2024, 1, 31), 1, date(2024, 2, 29)),
    (date(2024, 2, 29), 12, date(2025, 2, 28)),
    (date(2025, 3, 31), 1, date(2025, 4, 30)),
    (date(2025, 5, 15), 84, date(2032, 5, 15)),
    (date(2025, 11, 30), 3, date(2026, 2, 28)),
    (date(2025, 12, 1), 1, date(2026, 1, 1)),
])
def test_add_months_clamps_to_month_end(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


def test_counted_from_the_document_date_by_default(app: Flask) -> None:
    quote = document_type("quote")  # 24 months
    assert retention_until(quote, date(2023, 1, 31), {}) == date(2025, 1, 31)


def test_counted_from_end_date_or_closing_date(app: Flask) -> None:
    contract = document_type("contract")  # 84 months
    points = {"start_date": "2020-01-01", "end_date": "2024-01-31"}
    assert retention_until(contract, date(2019, 12, 1), points) == date(2031, 1, 31)
    call = document_type("service_call")  # 24 months
    assert retention_until(call, date(2024, 1, 1), {"closed_on": "2024-03-31"}) == date(
        2026, 3, 31)


def test_a_broken_end_date_falls_back_to_the_document_date(app: Flask) -> None:
    contract = document_type("contract")
    assert retention_until(contract, date(2020, 2, 29), {"end_date": "soon"}) == date(
        2027, 2, 28)
