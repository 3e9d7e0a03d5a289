"""Retention dates: how long a document is kept, counted from the moment it stops mattering."""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

from dossier.documents.models import DocumentType

# Key points that say when a document stopped being in force, most telling first.
END_KEYS = ("end_date", "closed_on")


def add_months(start: date, months: int) -> date:
    """`start` plus `months` calendar months; a day past the month's end becomes its last day.

    31 January + 1 month is 28 (or 29) February.
    """
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def retention_start(document_date: date, key_points: dict[str, Any] | None) -> date:
    """The end or closing date from the key points when present, else the document date."""
    for key in END_KEYS:
        raw = (key_points or {}).get(key)
        if raw:
            try:
                return date.fromisoformat(str(raw))
            except ValueError:
                continue
    return document_date


def retention_until(document_type: DocumentType, document_date: date,
                    key_points: dict[str, Any] | None) -> date:
    """The date until which the document must be kept under its type's retention period."""
    start = retention_start(document_date, key_points)
    return add_months(start, document_type.retention_months or 0)
