"""The search benchmark's corpus: seeded customers and documents, loaded fast into a database.

Documents are letters as a scanner's OCR gives them: about 380 words of Zipf-distributed
Dutch-like text (`bench.search_words`), a salutation with the customer's name and number,
domain phrases, amounts and dates, under a title and key points made the way the demo data
makes them. Some documents are paper only (static, found by their key points). Customers
are Dutch people and organisations, surnames with their spelling variants. The same seed
always gives the same corpus. Rows go in through SQLAlchemy Core `executemany` (SQLite)
or `COPY` (PostgreSQL), 2,000 documents at a time.
"""

from __future__ import annotations

import itertools
import json
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from faker.providers.person.nl_NL import Provider as DutchNames
from sqlalchemy import Table, insert, select, text

from bench.search_words import PHRASES, vocabulary
from dossier.customers.models import Customer
from dossier.demo.addresses import landline_number, mobile_number, random_address
from dossier.demo.document_content import ContentMaker
from dossier.demo.names import (
    FEMALE_FIRST_NAMES,
    LAST_NAMES,
    MALE_FIRST_NAMES,
    ORGANISATION_FORMS,
    ORGANISATION_TRADES,
)
from dossier.documents.models import DigitalFile, Document, DocumentScope, DocumentType
from dossier.documents.models import document_customer as document_customer_table
from dossier.documents.retention import retention_until
from dossier.extensions import db

SEED = 20261125
ANCHOR = date(2026, 11, 1)  # the corpus's "today": ten years of documents before it
YEARS = 10
VOCABULARY = 60_000
FIRST_NUMBER = 100001
BATCH = 2_000
# type code -> (weight, share with a paper original, share of those that are paper only)
TYPES: dict[str, tuple[int, float, float]] = {
    "quote": (180, 0.2, 0.15), "contract": (130, 0.75, 0.45), "order": (200, 0.3, 0.15),
    "invoice": (300, 0.25, 0.2), "service_call": (170, 0.05, 0.3), "sla": (60, 0.6, 0.5),
    "complaint": (80, 0.3, 0.15), "purchase": (200, 0.1, 0.3),
    "correspondence": (150, 0.4, 0.25), "reply_coupon": (80, 1.0, 0.5),
}
NOTES = ("Origineel ondertekend retour ontvangen.", "Klant belde na over dit document.",
         "Kopie meegegeven aan de monteur.", "Archiefdoos in kast B, map klantcontracten.")
FIRM = "Installatiebedrijf Van der Berg B.V."


@dataclass
class CustomerFacts:
    """What the query mix needs to know about a customer."""

    number: str
    last_name: str
    documents: int = 0


@dataclass
class LoadStats:
    customers: int = 0
    documents: int = 0
    files: int = 0
    paper_only: int = 0
    seconds: float = 0.0
    facts: list[CustomerFacts] = field(default_factory=list)


class TextMaker:
    """Zipf-distributed words; one shared cumulative table, drawn per document."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.words = vocabulary(VOCABULARY, SEED)
        self.cumulative = list(itertools.accumulate(1 / rank ** 1.0
                                                    for rank in range(1, VOCABULARY + 1)))
        self.phrase_cumulative = list(itertools.accumulate(
            1 / rank for rank in range(1, len(PHRASES) + 1)))

    def letter(self, salutation: str, number: str) -> str:
        rng = self.rng
        words = rng.choices(self.words, cum_weights=self.cumulative, k=rng.randint(290, 430))
        for _ in range(rng.choices((0, 1, 2, 3), (1, 4, 3, 2))[0]):
            phrase = rng.choices(PHRASES[1:], cum_weights=self.phrase_cumulative[:-1])[0]
            words.insert(rng.randrange(len(words)), phrase)
        sentences, start = [], 0
        while start < len(words):
            size = rng.randint(7, 16)
            sentence = " ".join(words[start:start + size])
            sentences.append(sentence[:1].upper() + sentence[1:] + self._figure() + ".")
            start += size
        middle = len(sentences) // 2 if len(words) > 380 else len(sentences)
        body = " ".join(sentences[:middle]) + ("\f" if middle < len(sentences) else "")
        body += " ".join(sentences[middle:])
        closing = "Met vriendelijke groet," if rng.random() < 0.9 else "Hoogachtend,"
        return (f"{FIRM}\nKlantnummer {number}\n{ANCHOR.year} \n{salutation},\n\n{body}\n\n"
                f"{closing}\n{FIRM}")

    def _figure(self) -> str:
        roll = self.rng.random()
        if roll < 0.06:
            euros = self.rng.randint(20, 12_000)
            return f" € {euros:,}".replace(",", ".") + f",{self.rng.randint(0, 99):02d}"
        if roll < 0.1:
            day = ANCHOR - timedelta(days=self.rng.randint(0, YEARS * 365))
            return f" {day:%d-%m-%Y}"
        return ""


def _surnames(rng: random.Random) -> list[tuple[str, str]]:
    """Demo surnames (with their variants) weighted Zipf-like, then Faker's Dutch list."""
    common = list(LAST_NAMES)
    rng.shuffle(common)
    others = [("", name) for name in DutchNames.last_names if name.isalpha()]
    return common + others


def make_customers(rng: random.Random, count: int) -> list[dict[str, Any]]:
    names = _surnames(rng)
    weights = list(itertools.accumulate(1 / (rank + 5) ** 0.9 for rank in range(len(names))))
    rows, emails = [], set()
    for index in range(count):
        address = random_address(rng)
        row: dict[str, Any] = {
            "id": index + 1, "number": str(FIRST_NUMBER + index), "street": address.street,
            "house_number": address.house_number,
            "house_number_addition": address.house_number_addition,
            "postcode": address.postcode, "city": address.city, "country": "NL",
            "preferred_channel": "email", "status": "active", "created_at": _moment(rng),
            "date_of_birth": None, "initials": "", "first_name": "", "infix": "",
            "last_name": "", "organisation_name": ""}
        infix, last = rng.choices(names, cum_weights=weights)[0]
        if rng.random() < 0.15:
            trade = rng.choice(ORGANISATION_TRADES)
            form = rng.choices([f for f, _ in ORGANISATION_FORMS],
                               [w for _, w in ORGANISATION_FORMS])[0]
            name = f"{infix.capitalize()} {last} {trade} {form}".strip()
            row.update(kind="organisation", organisation_name=name, sort_name=name.lower(),
                       phone=landline_number(rng, address.area_code))
            local = f"info.{last}{trade}"
        else:
            first = rng.choice(MALE_FIRST_NAMES if rng.random() < 0.5 else FEMALE_FIRST_NAMES)
            row.update(kind="person", first_name=first, infix=infix, last_name=last,
                       initials=first[0] + ".", sort_name=f"{last} {first}".lower(),
                       date_of_birth=date(rng.randint(1940, 2004), 1, 1)
                       + timedelta(days=rng.randint(0, 364)),
                       phone=mobile_number(rng) if rng.random() < 0.7
                       else landline_number(rng, address.area_code))
            local = f"{first}.{infix}{last}"
        row["email"] = _unique_email(local.lower().replace(" ", ""), emails)
        row["updated_at"] = row["created_at"]
        rows.append(row)
    return rows


def _unique_email(local: str, taken: set[str]) -> str:
    candidate, serial = f"{local}@example.nl", 2
    while candidate in taken:
        candidate, serial = f"{local}{serial}@example.nl", serial + 1
    taken.add(candidate)
    return candidate


def _moment(rng: random.Random) -> datetime:
    day = ANCHOR - timedelta(days=rng.randint(0, YEARS * 365))
    return datetime(day.year, day.month, day.day, rng.randint(7, 17), rng.randint(0, 59))


def _salutation(customer: dict[str, Any]) -> str:
    if customer["kind"] == "organisation":
        return "Geachte heer, mevrouw"
    title = "heer" if customer["first_name"] in MALE_FIRST_NAMES else "mevrouw"
    family = f"{customer['infix'].capitalize()} {customer['last_name']}".strip()
    return f"Geachte {title} {family}"


def _display_name(customer: dict[str, Any]) -> str:
    if customer["kind"] == "organisation":
        return str(customer["organisation_name"])
    return " ".join(p for p in (customer["first_name"], customer["infix"],
                                customer["last_name"]) if p)


class DocumentMaker:
    """Documents in batches: rows for document, document_scope, document_customer, file."""

    def __init__(self, rng: random.Random, customers: list[dict[str, Any]],
                 types: dict[str, Any]) -> None:
        self.rng, self.customers, self.types = rng, customers, types
        self.text = TextMaker(rng)
        self.content = ContentMaker(rng, ANCHOR)
        # A few customers have many documents and many have a few, as in real files.
        self.customer_weights = list(itertools.accumulate(
            rng.paretovariate(1.3) for _ in customers))
        codes = [code for code in TYPES if code in types]
        self.codes, self.code_weights = codes, [TYPES[code][0] for code in codes]

    def batch(self, first_id: int, count: int) -> dict[str, list[dict[str, Any]]]:
        rows: dict[str, list[dict[str, Any]]] = {
            "document": [], "document_scope": [], "document_customer": [], "digital_file": []}
        for document_id in range(first_id, first_id + count):
            self._document(document_id, rows)
        return rows

    def _document(self, document_id: int, rows: dict[str, list[dict[str, Any]]]) -> None:
        rng = self.rng
        code = rng.choices(self.codes, self.code_weights)[0]
        document_type = self.types[code]
        _weight, paper_share, paper_only_share = TYPES[code]
        owners = self._owners()
        day = ANCHOR - timedelta(days=rng.randint(0, YEARS * 365 - 1))
        title, points = self.content.make(code, day, _display_name(owners[0]))
        paper = rng.random() < paper_share
        created = datetime(day.year, day.month, day.day, rng.randint(7, 17), rng.randint(0, 59))
        rows["document"].append({
            "id": document_id, "document_type_id": document_type.id, "title": title[:200],
            "document_date": day, "key_points": points,
            "notes": rng.choice(NOTES) if rng.random() < 0.1 else "", "paper_original": paper,
            "retention_until": retention_until(document_type, day, points),
            "legal_hold": False, "legal_hold_reason": "", "created_by_id": None,
            "created_at": created, "updated_at": created})
        for scope in _scopes(rng, list(document_type.scopes)):
            rows["document_scope"].append({"document_id": document_id, "scope": scope})
        for owner in owners:
            rows["document_customer"].append({"document_id": document_id,
                                              "customer_id": owner["id"]})
        if paper and rng.random() < paper_only_share:
            return
        letter = self.text.letter(_salutation(owners[0]), owners[0]["number"])
        rows["digital_file"].append({
            "id": document_id, "document_id": document_id, "version": 1,
            "sha256": f"{document_id:064x}", "original_name": f"scan-{document_id}.pdf",
            "mime_type": "application/pdf", "size_bytes": 40_000 + len(letter) * 30,
            "pages": letter.count("\f") + 1, "text": letter,
            "ocr_confidence": round(rng.uniform(70, 97), 1), "languages": "nld",
            "origin": "scan", "created_by_id": None, "created_at": created})

    def _owners(self) -> list[dict[str, Any]]:
        first = self.rng.choices(self.customers, cum_weights=self.customer_weights)[0]
        if self.rng.random() < 0.05:  # a household or an organisation and its contact
            second = self.rng.choice(self.customers)
            if second["id"] != first["id"]:
                return [first, second]
        return [first]


def _scopes(rng: random.Random, available: list[str]) -> list[str]:
    """One of the type's scopes, each other one now and then as well: 1-3 scopes."""
    first = rng.choice(available)
    return sorted({first, *(s for s in available if s != first and rng.random() < 0.35)})


TABLES: dict[str, Table] = {
    "customer": Customer.__table__, "document": Document.__table__,
    "document_scope": DocumentScope.__table__, "document_customer": document_customer_table,
    "digital_file": DigitalFile.__table__,
}


def _write(name: str, rows: list[dict[str, Any]]) -> None:
    write_rows(TABLES[name], rows)


def write_rows(table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert rows into one table: COPY on PostgreSQL, executemany elsewhere."""
    if not rows:
        return
    engine = db.engine
    if engine.dialect.name != "postgresql":
        with engine.begin() as conn:
            conn.execute(insert(table), rows)
        return
    columns = list(rows[0])
    raw = engine.raw_connection()
    try:
        connection: Any = raw.driver_connection
        with connection.cursor() as cursor, cursor.copy(
                f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([json.dumps(value) if isinstance(value, dict) else value
                                for value in (row[c] for c in columns)])
        connection.commit()
    finally:
        raw.close()


def _after_load() -> None:
    engine = db.engine
    if engine.dialect.name != "postgresql":
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for table in ("customer", "document", "digital_file"):
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                              f"(SELECT max(id) FROM {table}))"))
        conn.exec_driver_sql("VACUUM ANALYZE")  # what autovacuum does after a bulk load


def load_corpus(documents: int, customers: int, seed: int = SEED) -> LoadStats:
    """Add the corpus to the app's (migrated, seeded) database; call in an app context."""
    began = time.perf_counter()
    rng = random.Random(seed)
    # Plain copies: the ORM objects would reload (and lock SQLite) after the commit.
    types = {t.code: SimpleNamespace(id=t.id, code=t.code, scopes=list(t.scopes),
                                     retention_months=t.retention_months)
             for t in db.session.scalars(select(DocumentType))}
    db.session.commit()
    customer_rows = make_customers(rng, customers)
    _write("customer", customer_rows)
    maker = DocumentMaker(rng, customer_rows, types)
    stats = LoadStats(customers=customers)
    counts: dict[int, int] = {}
    for first in range(1, documents + 1, BATCH):
        rows = maker.batch(first, min(BATCH, documents - first + 1))
        for name, table_rows in rows.items():
            _write(name, table_rows)
        for link in rows["document_customer"]:
            counts[link["customer_id"]] = counts.get(link["customer_id"], 0) + 1
        stats.documents += len(rows["document"])
        stats.files += len(rows["digital_file"])
        stats.paper_only += len(rows["document"]) - len(rows["digital_file"])
        if stats.documents % 20_000 < BATCH:
            rate = stats.documents / (time.perf_counter() - began)
            print(f"  loaded {stats.documents:,} documents ({rate:,.0f}/s)", file=sys.stderr)
    _after_load()
    stats.facts = [CustomerFacts(row["number"], row["last_name"], counts.get(row["id"], 0))
                   for row in customer_rows]
    stats.seconds = time.perf_counter() - began
    return stats


def corpus_facts() -> Iterator[CustomerFacts]:
    """The customers of an already loaded corpus, read back from the database."""
    counts = dict(db.session.execute(
        select(document_customer_table.c.customer_id, db.func.count())
        .group_by(document_customer_table.c.customer_id)).tuples().all())
    for customer_id, number, last_name in db.session.execute(
            select(Customer.id, Customer.number, Customer.last_name)
            .order_by(Customer.id)).tuples():
        yield CustomerFacts(number, last_name, counts.get(customer_id, 0))
