"""The duplicate finder: which pairs of customers may be one, how likely, and why.

Comparing every pair of 20,000 customers is 200 million comparisons, so pairs are only
compared within blocks that share something: an address (postcode + house number), an
e-mail address, a phone number, or a name key (a sound-alike of the last name with the
first initial; for organisations of the first word of the name). Each pair is then
scored from its evidence, and the reasons that made the score are kept with it, so the
list explains itself ("same e-mail address; last name 92% similar").
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from itertools import combinations
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import select

from dossier.customers.models import Customer, CustomerKind
from dossier.extensions import db

THRESHOLD = 50  # scores below this are not shown: a shared name or address alone is not enough
# A value shared by more customers than this (info@ addresses, a care home's address)
# says nothing about any two of them, and comparing all its pairs would cost n².
MAX_BLOCK = 200
# Evidence and its weight; a score is their sum, limited to 0..99.
WEIGHTS = {
    "same_email": 40, "same_phone": 30, "same_address": 25, "same_birth_date": 20,
    "different_birth_date": -40, "first_name_matches": 15, "initials_match": 8,
    "first_name_differs": -25, "name_differs": -20,
}
SIMILAR_NAME = 80  # percent: below this the names differ
SIMILAR_FIRST_NAME = 85
LEGAL_FORMS = re.compile(r"\b(b\.?v|n\.?v|v\.?o\.?f|c\.?v|u\.?a|holding)\b\.?")
_NOT_LETTERS = re.compile(r"[^a-z ]+")


@dataclass(frozen=True)
class Person:
    """What the finder compares of one customer, normalised once."""

    id: int
    organisation: bool
    name: str  # folded: "jansen" (infix and last name) or the organisation's name
    first_name: str
    initial: str
    email: str
    phone: str
    address: str
    born: date | None


@dataclass(frozen=True)
class Candidate:
    first_id: int
    second_id: int
    score: int
    reasons: list[dict[str, Any]]


def fold(text: str) -> str:
    """Lower case ASCII letters and single spaces: "Müller-Lüdenscheidt" -> "muller
    ludenscheidt"."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join(_NOT_LETTERS.sub(" ", plain.lower()).split())


def sound_key(name: str) -> str:
    """A rough Dutch sound-alike: Jansen/Janssen, Meijer/Meyer, Bakker/Backer, Smit/Smits
    and Pieterse/Pietersen get one key. Only used to choose whom to compare."""
    key = fold(name).replace(" ", "")
    for old, new in (("ij", "y"), ("y", "i"), ("ck", "k"), ("c", "k"), ("ph", "f"),
                     ("z", "s"), ("dt", "t"), ("gh", "g")):
        key = key.replace(old, new)
    key = re.sub(r"(.)\1+", r"\1", key)
    key = key.removesuffix("en") if len(key) > 4 else key
    key = key.rstrip("es") if len(key) > 3 else key
    return key.removesuffix("d") + "t" if key.endswith("d") else key


def phone_key(phone: str) -> str:
    """Digits only, with +31 / 0031 written as the national 0: "+31 6 1234 5678" -> "0612345678"."""
    digits = "".join(char for char in phone if char.isdigit())
    for prefix in ("0031", "31"):
        if digits.startswith(prefix) and len(digits) - len(prefix) == 9:
            digits = "0" + digits[len(prefix):]
    return digits if len(digits) >= 9 else ""


def person_of(row: Any) -> Person:
    organisation = row.kind == CustomerKind.ORGANISATION.value
    name = (LEGAL_FORMS.sub(" ", fold(row.organisation_name)) if organisation
            else fold(f"{row.infix} {row.last_name}"))
    first = fold(row.first_name or "")
    initials = fold(row.initials or "")
    address = (f"{row.postcode.replace(' ', '').upper()} {row.house_number}"
               f"{fold(row.house_number_addition or '')}"
               if row.postcode and row.house_number else "")
    return Person(
        id=row.id, organisation=organisation, name=" ".join(name.split()), first_name=first,
        initial=(first or initials)[:1], email=(row.email or "").strip().lower(),
        phone=phone_key(row.phone or ""), address=address, born=row.date_of_birth,
    )


def load_people() -> list[Person]:
    """Every customer, with only the columns the finder compares."""
    columns = (Customer.id, Customer.kind, Customer.first_name, Customer.initials,
               Customer.infix, Customer.last_name, Customer.organisation_name,
               Customer.postcode, Customer.house_number, Customer.house_number_addition,
               Customer.email, Customer.phone, Customer.date_of_birth)
    return [person_of(row) for row in db.session.execute(select(*columns))]


def blocks(people: Iterable[Person]) -> Iterator[list[Person]]:
    """Groups of customers sharing an address, e-mail, phone or name key."""
    keyed: dict[tuple[str, str], list[Person]] = defaultdict(list)
    for person in people:
        if person.address:
            keyed["address", person.address].append(person)
        if person.email:
            keyed["email", person.email].append(person)
        if person.phone:
            keyed["phone", person.phone].append(person)
        if person.organisation:
            first_word = person.name.split(" ", 1)[0] if person.name else ""
            if first_word:
                keyed["organisation", sound_key(first_word)].append(person)
        elif person.name:
            keyed["name", f"{sound_key(person.name)} {person.initial}"].append(person)
    for block in keyed.values():
        if 1 < len(block) <= MAX_BLOCK:
            yield block


def candidate_pairs(people: Iterable[Person]) -> dict[tuple[int, int], tuple[Person, Person]]:
    """Each pair that shares some block, once, lower id first."""
    pairs: dict[tuple[int, int], tuple[Person, Person]] = {}
    for block in blocks(people):
        for one, other in combinations(block, 2):
            first, second = (one, other) if one.id < other.id else (other, one)
            pairs.setdefault((first.id, second.id), (first, second))
    return pairs


def score_pair(one: Person, other: Person) -> tuple[int, list[dict[str, Any]]]:
    """The likelihood (0-99) that two customers are one, and the reasons for it."""
    if one.organisation != other.organisation:
        return 0, []
    reasons: list[dict[str, Any]] = []
    if one.email and one.email == other.email:
        reasons.append({"code": "same_email"})
    if one.phone and one.phone == other.phone:
        reasons.append({"code": "same_phone"})
    if one.address and one.address == other.address:
        reasons.append({"code": "same_address"})
    reasons += _name_reasons(one, other)
    if one.born and other.born:
        reasons.append({"code": "same_birth_date" if one.born == other.born
                        else "different_birth_date"})
    score = sum(_weight(reason) for reason in reasons)
    return max(0, min(99, score)), reasons


def _name_reasons(one: Person, other: Person) -> list[dict[str, Any]]:
    # Meijer/Meyer are one name in Dutch spelling, though far apart letter by letter.
    percent = round(max(fuzz.ratio(one.name, other.name),
                        fuzz.ratio(one.name.replace("ij", "y"), other.name.replace("ij", "y"))))
    if percent < SIMILAR_NAME:
        return [{"code": "name_differs", "percent": percent}]
    code = "organisation_name_similar" if one.organisation else "last_name_similar"
    reasons: list[dict[str, Any]] = [{"code": code, "percent": percent}]
    if one.organisation:
        return reasons
    if len(one.first_name) > 1 and len(other.first_name) > 1:
        same = (fuzz.ratio(one.first_name, other.first_name) >= SIMILAR_FIRST_NAME
                or _short_form(one.first_name, other.first_name))
        reasons.append({"code": "first_name_matches" if same else "first_name_differs"})
    elif one.initial and other.initial:
        reasons.append({"code": "initials_match" if one.initial == other.initial
                        else "first_name_differs"})
    return reasons


def _short_form(one: str, other: str) -> bool:
    """A first name that starts the other: Piet and Pieter (Jan and Johannes are beyond it)."""
    shorter, longer = sorted((one, other), key=len)
    return len(shorter) >= 3 and longer.startswith(shorter)


def _weight(reason: dict[str, Any]) -> int:
    code = reason["code"]
    if code == "last_name_similar":  # 80% -> 10, 100% -> 30
        return 10 + int(reason["percent"]) - SIMILAR_NAME
    if code == "organisation_name_similar":  # 80% -> 20, 100% -> 40
        return 20 + int(reason["percent"]) - SIMILAR_NAME
    return WEIGHTS[code]


def find_candidates(people: list[Person] | None = None,
                    dismissed: set[tuple[int, int]] | None = None) -> list[Candidate]:
    """Pairs scoring at least THRESHOLD, most likely first; dismissed pairs left out."""
    people = load_people() if people is None else people
    dismissed = dismissed or set()
    found: list[Candidate] = []
    for key, (one, other) in candidate_pairs(people).items():
        if key in dismissed:
            continue
        score, reasons = score_pair(one, other)
        if score >= THRESHOLD:
            found.append(Candidate(key[0], key[1], score, reasons))
    found.sort(key=lambda candidate: (-candidate.score, candidate.first_id, candidate.second_id))
    return found
