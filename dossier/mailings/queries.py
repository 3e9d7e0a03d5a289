"""Reads for mailings: who a customer filter picks as recipients, mailings, their answers."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, func, select

from dossier.auth.permissions import writable_scopes
from dossier.customers.models import Customer
from dossier.customers.queries import KINDS, STATUSES, customer_list
from dossier.customers.segment_models import Segment
from dossier.customers.segments import segment_customer_ids
from dossier.extensions import db
from dossier.mailings.models import Mailing, MailingRecipient, RecipientStatus

MAX_RECIPIENTS = 5000  # one letters PDF; larger mailings are split by postcode or city
SAMPLE_SIZE = 10
SORT_COLUMNS: dict[str, Any] = {
    "number": MailingRecipient.sequence,
    "name": Customer.sort_name,
    "postcode": Customer.postcode,
    "status": MailingRecipient.status,
    "answer": MailingRecipient.answer,
    "responded": MailingRecipient.responded_at,
}
DEFAULT_SORT = "number"
# Recipient list filters: everyone, still waiting, answered, or responded with no answer read.
RECIPIENT_VIEWS = ("sent", "responded", "unknown")
_POSTCODE_PREFIX = re.compile(r"^[0-9A-Z ]{1,8}$")
_DUTCH_POSTCODE = re.compile(r"^([0-9]{4}) ?([A-Z]{1,2})$")


@dataclass(frozen=True)
class RecipientFilter:
    """The customers a mailing goes to: the customer list's search and filters, narrowed by
    postcode prefix and city. Only customers with a postal address get a letter."""

    search: str = ""
    kind: str = ""
    status: str = ""
    postcode: str = ""  # a prefix: "1", "1234" or "1234 AB"
    city: str = ""
    segment_id: int | None = None  # only customers of this segment (issue 8)
    segment: str = ""  # its name, kept with the mailing

    @classmethod
    def from_input(cls, search: str = "", kind: str = "", status: str = "",
                   postcode: str = "", city: str = "",
                   segment: Segment | None = None) -> RecipientFilter:
        return cls(search=" ".join(search.split())[:200],
                   kind=kind if kind in KINDS else "", status=status if status in STATUSES else "",
                   postcode=normalise_postcode(postcode), city=" ".join(city.split())[:80],
                   segment_id=segment.id if segment is not None else None,
                   segment=segment.name if segment is not None else "")

    def as_dict(self) -> dict[str, str]:
        """The filters in use, to keep with the mailing (a segment by its name)."""
        return {key: value for key, value in asdict(self).items()
                if value and key != "segment_id"}


def normalise_postcode(prefix: str) -> str:
    """"1234ab" -> "1234 AB" (as postcodes are stored); anything else upper case, trimmed."""
    text = " ".join(prefix.upper().split())
    dutch = _DUTCH_POSTCODE.match(text)
    return f"{dutch.group(1)} {dutch.group(2)}" if dutch else text


def valid_postcode_prefix(prefix: str) -> bool:
    return not prefix or bool(_POSTCODE_PREFIX.match(prefix))


def _has_postal_address() -> ColumnElement[bool]:
    return and_(Customer.street != "", Customer.postcode != "", Customer.city != "")


def matching_customers(filters: RecipientFilter) -> Select[Any]:
    """Customers the filter picks, address or not, in customer number order."""
    query = customer_list(filters.search, filters.kind, filters.status, "number")
    if filters.postcode:
        escaped = filters.postcode.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(Customer.postcode.like(escaped + "%", escape="\\"))
    if filters.city:
        query = query.where(func.lower(Customer.city) == filters.city.lower())
    if filters.segment_id is not None:
        segment = db.session.get(Segment, filters.segment_id)
        query = query.where(Customer.id.in_(segment_customer_ids(segment)) if segment
                            else false())
    return query


def recipient_customers(filters: RecipientFilter) -> Select[Any]:
    """The customers who get a letter: those the filter picks that have a postal address."""
    return matching_customers(filters).where(_has_postal_address())


@dataclass(frozen=True)
class Preview:
    """What a filter would give: how many letters, how many left out, and a first few."""

    recipients: int
    without_address: int
    sample: list[Customer]

    @property
    def too_many(self) -> bool:
        return self.recipients > MAX_RECIPIENTS


def preview(filters: RecipientFilter) -> Preview:
    matching = _count(matching_customers(filters))
    recipients = _count(recipient_customers(filters))
    sample: list[Customer] = list(db.session.scalars(
        recipient_customers(filters).limit(SAMPLE_SIZE)))
    return Preview(recipients, matching - recipients, sample)


def _count(query: Select[Any]) -> int:
    return int(db.session.scalar(select(func.count()).select_from(
        query.order_by(None).subquery())) or 0)


def visible_mailings(actor: Any) -> Select[Mailing]:
    """Mailings in the scopes `actor` may write documents in, newest first."""
    return (select(Mailing).where(Mailing.scope.in_(sorted(writable_scopes(actor))))
            .order_by(Mailing.created_at.desc(), Mailing.id.desc()))


@dataclass(frozen=True)
class Tally:
    """How a mailing stands: letters sent, responses, and the count of each answer."""

    recipients: int
    responded: int
    answers: dict[str | None, int]  # None: responded, answer not known

    @property
    def waiting(self) -> int:
        return self.recipients - self.responded


def tally(mailing_ids: list[int]) -> dict[int, Tally]:
    """The tally of each mailing in `mailing_ids` (mailings without letters: all zero)."""
    rows = db.session.execute(
        select(MailingRecipient.mailing_id, MailingRecipient.status, MailingRecipient.answer,
               func.count())
        .where(MailingRecipient.mailing_id.in_(mailing_ids))
        .group_by(MailingRecipient.mailing_id, MailingRecipient.status,
                  MailingRecipient.answer))
    totals: Counter[int] = Counter()
    answers: dict[int, Counter[str | None]] = {mailing_id: Counter() for mailing_id in mailing_ids}
    for mailing_id, status, answer, count in rows:
        totals[mailing_id] += count
        if status == RecipientStatus.RESPONDED.value:
            answers[mailing_id][answer] += count
    return {mailing_id: Tally(totals[mailing_id], sum(answers[mailing_id].values()),
                              dict(answers[mailing_id])) for mailing_id in mailing_ids}


def normalise_sort(sort: str | None) -> str:
    if sort and sort.removeprefix("-") in SORT_COLUMNS:
        return sort
    return DEFAULT_SORT


def recipient_list(mailing: Mailing, sort: str = DEFAULT_SORT,
                   view: str = "") -> Select[MailingRecipient]:
    """The mailing's recipients with their customers, sorted and narrowed to `view`."""
    query = (select(MailingRecipient).join(MailingRecipient.customer)
             .where(MailingRecipient.mailing_id == mailing.id))
    if view == "sent":
        query = query.where(MailingRecipient.status == RecipientStatus.SENT.value)
    elif view == "responded":
        query = query.where(MailingRecipient.status == RecipientStatus.RESPONDED.value)
    elif view == "unknown":
        query = query.where(MailingRecipient.status == RecipientStatus.RESPONDED.value,
                            MailingRecipient.answer.is_(None))
    sort = normalise_sort(sort)
    column = SORT_COLUMNS[sort.removeprefix("-")]
    ordered = column.desc() if sort.startswith("-") else column.asc()
    return query.order_by(ordered, MailingRecipient.sequence)


def letters_of(mailing: Mailing) -> Select[MailingRecipient]:
    """Every recipient of the mailing, in letter number order, for printing."""
    return (select(MailingRecipient).where(MailingRecipient.mailing_id == mailing.id)
            .order_by(MailingRecipient.sequence))


def recipient_count(mailing: Mailing) -> int:
    return int(db.session.scalar(select(func.count()).where(
        MailingRecipient.mailing_id == mailing.id)) or 0)


def recipient_in(mailing: Mailing, recipient_id: int) -> MailingRecipient | None:
    recipient = db.session.get(MailingRecipient, recipient_id)
    return recipient if recipient is not None and recipient.mailing_id == mailing.id else None
