"""Reads of documents: the dossier's document section, single documents for an actor."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

# NOTE: interface agreed between the customers and documents packages; the documents
# package owns the implementation.


@dataclass
class DossierFilters:
    type_code: str | None = None
    document_class: str | None = None  # "dynamic" | "static"
    date_from: date | None = None
    date_to: date | None = None
    page: int = 1


@dataclass
class DossierDocuments:
    """What the dossier page shows of a customer's documents for one viewer."""

    filters: DossierFilters
    groups: list[Any] = field(default_factory=list)  # one group per visible scope
    total: int = 0
    page: int = 1
    pages: int = 0


def dossier_documents(actor: Any, customer: Any, filters: DossierFilters) -> DossierDocuments:
    return DossierDocuments(filters=filters)
