"""Demo documents: every seeded type in each of its scopes, spread over the last six years."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from dossier.customers.models import Customer, CustomerKind
from dossier.demo.customers import DemoCustomers
from dossier.demo.document_content import ContentMaker
from dossier.documents.models import Document, DocumentType
from dossier.documents.retention import retention_until

YEARS_BACK = 6
# type code -> (how many, share with a paper original, share dated in the last 60 days)
PLAN: dict[str, tuple[int, float, float]] = {
    "quote": (180, 0.2, 0.1), "contract": (130, 0.75, 0.03), "order": (200, 0.3, 0.03),
    "invoice": (300, 0.25, 0.03), "service_call": (170, 0.05, 0.25), "sla": (60, 0.6, 0.02),
    "complaint": (80, 0.3, 0.15), "purchase": (200, 0.1, 0.03),
    "correspondence": (150, 0.4, 0.05), "reply_coupon": (80, 1.0, 0.05),
}
GROUP_SHARE = 0.3  # of documents about a customer in a household or with contacts
NOTES = (
    "Origineel ondertekend retour ontvangen.", "Klant belde na over dit document.",
    "Kopie meegegeven aan de monteur.", "Zie ook de eerdere correspondentie.",
)


def _scopes(rng: random.Random, available: list[str]) -> list[str]:
    """One scope at random, each other scope of the type now and then as well."""
    first = rng.choice(available)
    return sorted({first, *(s for s in available if s != first and rng.random() < 0.35)})


def _signer(customers: list[Customer]) -> str:
    people = [c for c in customers if c.kind == CustomerKind.PERSON.value]
    return (people or customers)[0].display_name


class _Planner:
    def __init__(self, rng: random.Random, today: date, demo: DemoCustomers) -> None:
        self.rng = rng
        self.today = today
        self.customers = demo.customers
        # A few customers have many documents and many have a few, as in real files.
        self.weights = [rng.paretovariate(1.3) for _ in demo.customers]
        self.group_of = {id(member): group for group in demo.groups for member in group}
        self.content = ContentMaker(rng, today)

    def _date(self, recent_share: float) -> date:
        span = 60 if self.rng.random() < recent_share else YEARS_BACK * 365
        return self.today - timedelta(days=self.rng.randint(0, span - 1))

    def _customers(self) -> list[Customer]:
        chosen = self.rng.choices(self.customers, self.weights)[0]
        group = self.group_of.get(id(chosen))
        if group and self.rng.random() < GROUP_SHARE:
            return sorted(group, key=lambda c: c.number)
        return [chosen]

    def dates(self, count: int, recent_share: float) -> list[date]:
        """Sorted, so order and invoice numbers run on with the date."""
        return sorted(self._date(recent_share) for _ in range(count))

    def document(self, document_type: DocumentType, day: date, paper_share: float) -> Document:
        customers = self._customers()
        title, points = self.content.make(document_type.code, day, _signer(customers))
        document = Document(
            document_type=document_type, title=title, document_date=day, key_points=points,
            notes=self.rng.choice(NOTES) if self.rng.random() < 0.1 else "",
            paper_original=self.rng.random() < paper_share,
            retention_until=retention_until(document_type, day, points),
            created_at=datetime.combine(day, time(self.rng.randint(7, 16),
                                                  self.rng.randint(0, 59))),
        )
        document.set_scopes(_scopes(self.rng, list(document_type.scopes)))
        document.customers = customers
        return document


def build_documents(rng: random.Random, today: date, types: dict[str, DocumentType],
                    demo: DemoCustomers) -> list[Document]:
    """About 1,500 documents of the seeded types; types an admin added are left out."""
    planner = _Planner(rng, today, demo)
    documents: list[Document] = []
    for code, document_type in sorted(types.items()):
        count, paper_share, recent_share = PLAN.get(code, (0, 0.0, 0.0))
        documents.extend(planner.document(document_type, day, paper_share)
                         for day in planner.dates(count, recent_share))
    documents.sort(key=lambda d: (d.document_date, d.title))
    return documents
