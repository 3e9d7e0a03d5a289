"""Which customers a scan in triage is probably about, best first, each saying why.

The clues found in the text (clues.py) are looked up with a handful of indexed queries
(customer number, e-mail address, postcode + house number, last name, organisation
name), each bounded by a LIMIT; nothing reads the customer table whole. A customer earns
points per kind of evidence (the best reason of each kind counts once), so a customer
whose number, address and name are all on the letter ranks above a namesake.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum

from flask_babel import gettext as _
from sqlalchemy import Select, and_, or_, select

from dossier.customers.models import Customer, CustomerKind
from dossier.extensions import db
from dossier.ingest.clues import Address, Clues, find_clues

DEFAULT_LIMIT = 5
ROWS_PER_QUERY = 50
# A last name after "Geachte mevrouw" is only worth suggesting when few customers have it.
MAX_NAMESAKES = 5


class Evidence(StrEnum):
    LABELLED_NUMBER = "labelled_number"  # "klantnummer 100234"
    NUMBER = "number"
    EMAIL = "email"
    ADDRESS = "address"  # postcode and house number
    POSTCODE = "postcode"
    ORGANISATION = "organisation"
    FULL_NAME = "full_name"  # first name or initials with the last name
    LAST_NAME = "last_name"


WEIGHTS = {
    Evidence.LABELLED_NUMBER: 100, Evidence.NUMBER: 60, Evidence.EMAIL: 90,
    Evidence.ADDRESS: 80, Evidence.POSTCODE: 20, Evidence.ORGANISATION: 60,
    Evidence.FULL_NAME: 50, Evidence.LAST_NAME: 20,
}
# Evidence of one family counts once: a labelled number is not also an unlabelled one.
FAMILIES = {
    Evidence.LABELLED_NUMBER: "number", Evidence.NUMBER: "number", Evidence.EMAIL: "email",
    Evidence.ADDRESS: "address", Evidence.POSTCODE: "address",
    Evidence.ORGANISATION: "name", Evidence.FULL_NAME: "name", Evidence.LAST_NAME: "name",
}
STRONG, LIKELY = 80, 40


@dataclass(frozen=True)
class Reason:
    evidence: Evidence
    value: str  # as the reader recognises it: "1234 AB 12", "J.P. Jansen"
    page: int

    @property
    def weight(self) -> int:
        return WEIGHTS[self.evidence]

    @property
    def message(self) -> str:
        values = {"value": self.value, "page": self.page}
        if self.evidence in (Evidence.LABELLED_NUMBER, Evidence.NUMBER):
            return _("customer number %(value)s found on page %(page)s", **values)
        if self.evidence == Evidence.EMAIL:
            return _("e-mail address %(value)s found on page %(page)s", **values)
        if self.evidence in (Evidence.ADDRESS, Evidence.POSTCODE):
            return _("postcode %(value)s found on page %(page)s", **values)
        if self.evidence == Evidence.ORGANISATION:
            return _("organisation name %(value)s found on page %(page)s", **values)
        return _("name %(value)s found on page %(page)s", **values)


@dataclass
class Suggestion:
    customer: Customer
    reasons: dict[str, Reason] = field(default_factory=dict)  # best reason per family

    @property
    def score(self) -> int:
        return sum(reason.weight for reason in self.reasons.values())

    @property
    def strength(self) -> str:
        """"strong", "likely" or "possible", for the badge beside the suggestion."""
        if self.score >= STRONG:
            return "strong"
        return "likely" if self.score >= LIKELY else "possible"

    @property
    def ordered_reasons(self) -> list[Reason]:
        return sorted(self.reasons.values(), key=lambda reason: -reason.weight)

    def add(self, reason: Reason) -> None:
        family = FAMILIES[reason.evidence]
        known = self.reasons.get(family)
        if known is None or reason.weight > known.weight:
            self.reasons[family] = reason


def suggest_customers(text: str, limit: int = DEFAULT_LIMIT) -> list[Suggestion]:
    """The customers `text` (pages separated by form feeds) most likely concerns."""
    clues = find_clues(text)
    if clues.empty:
        return []
    found: dict[int, Suggestion] = {}
    for customer, reason in _evidence(clues):
        found.setdefault(customer.id, Suggestion(customer)).add(reason)
    for suggestion in found.values():
        _supporting(suggestion, clues)
    ranked = sorted(found.values(), key=lambda s: (-s.score, s.customer.number))
    return ranked[:limit]


def _evidence(clues: Clues) -> Iterator[tuple[Customer, Reason]]:
    yield from _by_number(clues)
    yield from _by_email(clues)
    yield from _by_address(clues)
    yield from _by_postcode_and_name(clues)
    yield from _by_full_name(clues)
    yield from _by_organisation(clues)
    yield from _by_salutation(clues)


def _rows(query: Select[tuple[Customer]], limit: int = ROWS_PER_QUERY) -> list[Customer]:
    return list(db.session.scalars(query.order_by(Customer.id).limit(limit)))


def _by_number(clues: Clues) -> Iterator[tuple[Customer, Reason]]:
    if not clues.numbers:
        return
    by_upper = {token.upper(): token for token in clues.numbers}
    variants = set(clues.numbers) | set(by_upper)
    for customer in _rows(select(Customer).where(Customer.number.in_(variants))):
        token = by_upper.get(customer.number.upper())
        if token is None:
            continue
        labelled = token in clues.labelled_numbers
        evidence = Evidence.LABELLED_NUMBER if labelled else Evidence.NUMBER
        yield customer, Reason(evidence, customer.number, clues.numbers[token])


def _email_variants(email: str) -> set[str]:
    """The ways a printed address may be stored: domains are stored in lower case, the
    part before @ as typed (usually all lower case, or "Piet.Bakker"). Exact variants keep
    the lookup on the e-mail index."""
    local, _at, domain = email.rpartition("@")
    domain = domain.lower()
    capitalised = ".".join(part.capitalize() for part in local.split("."))
    return {f"{variant}@{domain}" for variant in (local, local.lower(), capitalised)}


def _by_email(clues: Clues) -> Iterator[tuple[Customer, Reason]]:
    if not clues.emails:
        return
    pages = {email.lower(): page for email, page in clues.emails.items()}
    variants = set().union(*(_email_variants(email) for email in clues.emails))
    for customer in _rows(select(Customer).where(Customer.email.in_(variants))):
        page = pages.get(customer.email.lower())
        if page is not None:
            yield customer, Reason(Evidence.EMAIL, customer.email, page)


def _by_address(clues: Clues) -> Iterator[tuple[Customer, Reason]]:
    if not clues.addresses:
        return
    wanted = or_(*(and_(Customer.postcode == address.postcode,
                        Customer.house_number == address.house_number)
                   for address in clues.addresses))
    for customer in _rows(select(Customer).where(wanted)):
        address = Address(customer.postcode, customer.house_number or 0)
        if address in clues.addresses:
            yield customer, Reason(Evidence.ADDRESS, str(address), clues.addresses[address])


def _by_postcode_and_name(clues: Clues) -> Iterator[tuple[Customer, Reason]]:
    if not clues.postcodes or not clues.words:
        return
    query = select(Customer).where(Customer.postcode.in_(clues.postcodes),
                                   Customer.last_name.in_(clues.words))
    for customer in _rows(query):
        yield customer, Reason(Evidence.POSTCODE, customer.postcode,
                               clues.postcodes.get(customer.postcode, 1))
        yield customer, Reason(Evidence.LAST_NAME, customer.last_name,
                               clues.words.get(customer.last_name, 1))


def _by_full_name(clues: Clues) -> Iterator[tuple[Customer, Reason]]:
    """Customers whose last name and first name (or initials) both occur; then checked
    that they stand together in the text ("Jan de Vries", "J.P. Jansen")."""
    if not clues.words:
        return
    initials = set().union(*(_initials_variants(found) for found in clues.initials))
    given = or_(Customer.first_name.in_(clues.words), Customer.initials.in_(initials))
    query = select(Customer).where(Customer.last_name.in_(clues.words), given)
    for customer in _rows(query, ROWS_PER_QUERY * 2):
        found = _name_in_pages(customer, clues.pages)
        if found is not None:
            yield customer, Reason(Evidence.FULL_NAME, *found)


def _initials_variants(initials: str) -> set[str]:
    """"J.P." as customers may have it stored: "J.P.", "J. P.", "JP", "J.P"."""
    letters = [char for char in initials if char.isalpha()]
    return {initials, ". ".join(letters) + ".", "".join(letters), ".".join(letters)}


def _by_organisation(clues: Clues) -> Iterator[tuple[Customer, Reason]]:
    if not clues.phrases:
        return
    query = select(Customer).where(Customer.kind == CustomerKind.ORGANISATION.value,
                                   Customer.sort_name.in_(clues.phrases))
    for customer in _rows(query):
        yield customer, Reason(Evidence.ORGANISATION, customer.organisation_name,
                               clues.phrases.get(customer.sort_name, 1))


def _by_salutation(clues: Clues) -> Iterator[tuple[Customer, Reason]]:
    if not clues.after_salutation:
        return
    query = select(Customer).where(Customer.last_name.in_(clues.after_salutation))
    namesakes = _rows(query, MAX_NAMESAKES + 1)
    if len(namesakes) > MAX_NAMESAKES:
        return  # a common name alone says little
    for customer in namesakes:
        yield customer, Reason(Evidence.LAST_NAME, customer.last_name,
                               clues.after_salutation.get(customer.last_name, 1))


def _supporting(suggestion: Suggestion, clues: Clues) -> None:
    """Weaker evidence for customers found otherwise: their postcode or last name occurs."""
    customer = suggestion.customer
    if customer.postcode in clues.postcodes:
        suggestion.add(Reason(Evidence.POSTCODE, customer.postcode,
                              clues.postcodes.get(customer.postcode, 1)))
    if customer.last_name in clues.words:
        suggestion.add(Reason(Evidence.LAST_NAME, customer.last_name,
                              clues.words.get(customer.last_name, 1)))


def _name_in_pages(customer: Customer, pages: Iterable[str]) -> tuple[str, int] | None:
    """The name as printed and its page, when given name and last name stand together."""
    pattern = _name_pattern(customer)
    if pattern is None:
        return None
    for page, text in enumerate(pages, start=1):
        match = pattern.search(text)
        if match:
            return " ".join(match.group(0).split()), page
    return None


def _name_pattern(customer: Customer) -> re.Pattern[str] | None:
    if not customer.last_name:
        return None
    given = []
    if customer.first_name:
        given.append(re.escape(customer.first_name))
    letters = [char for char in customer.initials if char.isalpha()]
    if letters:
        given.append(r"\.?\s?".join(re.escape(letter) for letter in letters) + r"\.?")
    if not given:
        return None
    infix = rf"(?:{re.escape(customer.infix)}\s+)?" if customer.infix else ""
    return re.compile(rf"(?<!\w)(?:{'|'.join(given)})\s+{infix}{re.escape(customer.last_name)}"
                      r"(?!\w)", re.IGNORECASE)
