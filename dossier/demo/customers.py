"""Demo customers: Dutch people (some sharing a household) and organisations with contacts."""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

from dossier.customers.models import Channel, Customer, CustomerKind, CustomerStatus
from dossier.demo.addresses import Address, landline_number, mobile_number, random_address
from dossier.demo.names import (
    FEMALE_FIRST_NAMES,
    FOUNDATIONS,
    LAST_NAMES,
    MALE_FIRST_NAMES,
    NEAR_DUPLICATES,
    ORGANISATION_FORMS,
    ORGANISATION_TRADES,
)

FIRST_NUMBER = 100001
HOUSEHOLDS = 30  # couples at one address: 60 people
SINGLES = 90
ORGANISATIONS = 50
EMAIL_DOMAINS = ("example.nl", "example.com")
PERSON_CHANNELS = (
    (Channel.EMAIL, 45), (Channel.PHONE, 20), (Channel.POST, 15), (Channel.APP, 10),
    (Channel.SMS, 5), (Channel.COUNTER, 5),
)
ORGANISATION_CHANNELS = ((Channel.EMAIL, 60), (Channel.PHONE, 30), (Channel.POST, 10))
NOT_IN_EMAIL = frozenset({"B.V.", "V.O.F.", "C.V.", "N.V.", "U.A.", "&", "Zonen", "Holding",
                          "Stichting", "Vereniging", "Coöperatie"})
STATUSES = ((CustomerStatus.ACTIVE, 75), (CustomerStatus.PROSPECT, 15),
            (CustomerStatus.INACTIVE, 10))


@dataclass
class DemoCustomers:
    customers: list[Customer] = field(default_factory=list)
    # Customers that belong together (partners, an organisation and its contacts): a
    # document about one of them is sometimes about all of them.
    groups: list[list[Customer]] = field(default_factory=list)


def _weighted(rng: random.Random, options: tuple[tuple[str, int], ...]) -> str:
    return str(rng.choices([value for value, _ in options], [w for _, w in options])[0])


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return "".join(char for char in plain.lower() if char.isalnum() or char in ".-")


class _Builder:
    def __init__(self, rng: random.Random, today: date, first_number: int) -> None:
        self.rng = rng
        self.first_number = first_number
        self.today = today
        self.result = DemoCustomers()
        self.emails: set[str] = set()

    def _next_number(self) -> str:
        return str(self.first_number + len(self.result.customers))

    def _email(self, local: str) -> str:
        local = _ascii(local).strip(".")
        candidate = f"{local}@{self.rng.choice(EMAIL_DOMAINS)}"
        serial = 2
        while candidate in self.emails:
            candidate = f"{local}{serial}@{candidate.split('@')[1]}"
            serial += 1
        self.emails.add(candidate)
        return candidate

    def _add(self, customer: Customer, address: Address) -> Customer:
        customer.number = self._next_number()
        customer.street = address.street
        customer.house_number = address.house_number
        customer.house_number_addition = address.house_number_addition
        customer.postcode = address.postcode
        customer.city = address.city
        customer.country = "NL"
        customer.status = _weighted(self.rng, STATUSES)
        customer.refresh_sort_name()
        self.result.customers.append(customer)
        return customer

    def person(self, address: Address, last: tuple[str, str] | None = None,
               born_near: date | None = None, not_named: str = "") -> Customer:
        rng = self.rng
        first = not_named
        while first == not_named:
            first = rng.choice(MALE_FIRST_NAMES if rng.random() < 0.5 else FEMALE_FIRST_NAMES)
        infix, last_name = last or rng.choice(LAST_NAMES)
        if born_near is not None:
            born = born_near + timedelta(days=rng.randint(-5 * 365, 5 * 365))
        else:
            born = date(rng.randint(1940, 2004), 1, 1) + timedelta(days=rng.randint(0, 364))
        initials = first[0] + "." + (rng.choice("AJMPCHW") + "." if rng.random() < 0.4 else "")
        customer = Customer(
            kind=CustomerKind.PERSON.value, first_name=first, infix=infix, last_name=last_name,
            initials=initials, date_of_birth=min(born, self.today - timedelta(days=18 * 365)),
            email=self._email(f"{first}.{infix}{last_name}".replace(" ", "")),
            phone=(mobile_number(rng) if rng.random() < 0.7
                   else landline_number(rng, address.area_code)),
            preferred_channel=_weighted(rng, PERSON_CHANNELS),
        )
        return self._add(customer, address)

    def organisation(self) -> Customer:
        rng = self.rng
        free = [n for n in FOUNDATIONS if not self._name_taken(n)]
        name = rng.choice(free) if free and rng.random() < 0.15 else self._company_name()
        address = random_address(rng)
        customer = Customer(
            kind=CustomerKind.ORGANISATION.value, organisation_name=name,
            email=self._email("info." + "-".join(w for w in name.split()
                                                 if w not in NOT_IN_EMAIL)),
            phone=landline_number(rng, address.area_code),
            preferred_channel=_weighted(rng, ORGANISATION_CHANNELS),
        )
        return self._add(customer, address)

    def _company_name(self) -> str:
        while True:
            infix, last = self.rng.choice(LAST_NAMES)
            family = f"{infix.capitalize()} {last}".strip()
            forms = ORGANISATION_FORMS
            form = self.rng.choices([f for f, _ in forms], [w for _, w in forms])[0]
            name = f"{family} {self.rng.choice(ORGANISATION_TRADES)} {form}"
            if not self._name_taken(name):
                return name

    def _name_taken(self, name: str) -> bool:
        return any(c.organisation_name == name for c in self.result.customers)


def build_customers(rng: random.Random, today: date,
                    first_number: int = FIRST_NUMBER) -> DemoCustomers:
    """About 200 customers: 75% people (30 households of two), 25% organisations."""
    builder = _Builder(rng, today, first_number)
    for _ in range(HOUSEHOLDS):
        address = random_address(rng)
        first = builder.person(address)
        partner = builder.person(address, last=(first.infix, first.last_name)
                                 if rng.random() < 0.5 else None,
                                 born_near=first.date_of_birth, not_named=first.first_name)
        builder.result.groups.append([first, partner])
    sure = [name for pair in NEAR_DUPLICATES for name in pair]
    singles = [builder.person(random_address(rng), last=sure[i] if i < len(sure) else None)
               for i in range(SINGLES)]
    for index in range(ORGANISATIONS):
        organisation = builder.organisation()
        if index < 20:  # twenty organisations have a contact person; five have two
            contacts = singles[index * 2: index * 2 + (2 if index < 5 else 1)]
            builder.result.groups.append([organisation, *contacts])
    return builder.result
