"""The duplicate finder: normalisation, blocking, scores that explain themselves, dismissal."""

from __future__ import annotations

from datetime import date

from flask import Flask
from sqlalchemy import select

from dossier.customers.duplicates import (
    MAX_BLOCK,
    THRESHOLD,
    Person,
    candidate_pairs,
    find_candidates,
    fold,
    phone_key,
    sound_key,
)
from dossier.customers.duplicates_store import (
    candidate_for,
    candidate_list,
    dismiss,
    refresh_candidates,
)
from dossier.customers.merge_models import DuplicateCandidate, DuplicateDismissal
from dossier.extensions import db
from tests.factories import CustomerFactory, UserFactory


def _pair_codes(one_id: int, other_id: int) -> tuple[int, set[str]]:
    found = {(c.first_id, c.second_id): c for c in find_candidates()}
    candidate = found[(min(one_id, other_id), max(one_id, other_id))]
    return candidate.score, {reason["code"] for reason in candidate.reasons}


def test_sound_key_joins_dutch_spelling_variants() -> None:
    for one, other in (("Jansen", "Janssen"), ("Meijer", "Meyer"), ("Bakker", "Backer"),
                       ("Smit", "Smits"), ("Pieterse", "Pietersen"), ("de Bruijn", "de Bruin"),
                       ("van den Berg", "van den Bergh")):
        assert sound_key(one) == sound_key(other), (one, other)
    assert sound_key("Jansen") != sound_key("Visser")


def test_phone_and_name_normalisation() -> None:
    assert phone_key("+31 6 1234 5678") == phone_key("06-12345678") == "0612345678"
    assert phone_key("0031 20 123 4567") == "0201234567"
    assert phone_key("123") == ""
    assert fold("  Müller-Lüdenscheidt ") == "muller ludenscheidt"


def test_same_address_and_similar_name_is_a_candidate_with_reasons(app: Flask) -> None:
    pieter = CustomerFactory(first_name="Pieter", initials="P.", last_name="Jansen",
                             postcode="1234 AB", house_number=7, email="p.jansen@example.nl")
    twin = CustomerFactory(first_name="", initials="P.", last_name="Janssen",
                           postcode="1234 AB", house_number=7, email="")
    score, codes = _pair_codes(pieter.id, twin.id)
    assert codes == {"same_address", "last_name_similar", "initials_match"}
    assert score >= THRESHOLD


def test_partners_at_one_address_are_not_candidates(app: Flask) -> None:
    one = CustomerFactory(first_name="Piet", last_name="Visser", postcode="2345 BC",
                          house_number=3)
    other = CustomerFactory(first_name="Marieke", last_name="Visser", postcode="2345 BC",
                            house_number=3)
    pairs = {(c.first_id, c.second_id) for c in find_candidates()}
    assert (min(one.id, other.id), max(one.id, other.id)) not in pairs


def test_email_and_phone_match_across_addresses(app: Flask) -> None:
    one = CustomerFactory(first_name="Anna", last_name="de Vries", email="anna@example.nl",
                          phone="06 1234 5678", postcode="1000 AA", house_number=1)
    other = CustomerFactory(first_name="Anna", last_name="de Vries", email="ANNA@example.nl",
                            phone="+31612345678", postcode="9999 ZZ", house_number=80)
    score, codes = _pair_codes(one.id, other.id)
    assert {"same_email", "same_phone", "first_name_matches"} <= codes
    assert score == 99


def test_same_name_and_birth_date_elsewhere_is_found_through_the_name_block(app: Flask) -> None:
    born = date(1970, 5, 4)
    one = CustomerFactory(first_name="Johannes", last_name="Meijer", date_of_birth=born,
                          postcode="1000 AA", house_number=1, email="")
    other = CustomerFactory(first_name="Johannes", last_name="Meyer", date_of_birth=born,
                            postcode="8000 BB", house_number=2, email="")
    score, codes = _pair_codes(one.id, other.id)
    assert "same_birth_date" in codes
    assert score >= THRESHOLD


def test_a_different_birth_date_rules_a_pair_out(app: Flask) -> None:
    one = CustomerFactory(first_name="Kees", last_name="Smit", date_of_birth=date(1950, 1, 1),
                          postcode="3000 AA", house_number=5)
    other = CustomerFactory(first_name="Kees", last_name="Smit", date_of_birth=date(1980, 1, 1),
                            postcode="3000 AA", house_number=5)
    pairs = {(c.first_id, c.second_id) for c in find_candidates()}
    assert (min(one.id, other.id), max(one.id, other.id)) not in pairs


def test_huge_blocks_are_not_compared() -> None:
    crowd = [Person(id=i, organisation=False, name=f"name{i}", first_name="", initial="",
                    email="info@example.nl", phone="", address="", born=None)
             for i in range(MAX_BLOCK + 1)]
    assert not candidate_pairs(crowd)


def test_refresh_stores_candidates_and_dismissal_is_remembered(app: Flask) -> None:
    admin = UserFactory(roles=("admin",))
    one = CustomerFactory(first_name="Sanne", last_name="Bakker", email="sanne@example.nl")
    other = CustomerFactory(first_name="Sanne", last_name="Backer", email="sanne@example.nl")
    refreshed = refresh_candidates(admin)
    assert refreshed.candidates >= 1
    candidate = candidate_for(other.id, one.id)
    assert candidate is not None
    rows = db.session.scalars(candidate_list()).all()
    assert any(row.id == candidate.id for row in rows)
    dismiss(admin, candidate)
    assert db.session.get(DuplicateDismissal, (min(one.id, other.id), max(one.id, other.id)))
    refresh_candidates(admin)
    assert candidate_for(one.id, other.id) is None
    assert db.session.scalar(select(DuplicateCandidate).where(
        DuplicateCandidate.first_id == min(one.id, other.id))) is None
