"""Customer suggestions for a scan in triage: found by what its text holds, ranked, explained."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from sqlalchemy import event

from dossier.customers.models import Customer
from dossier.extensions import db
from dossier.ingest.suggestions import Evidence, suggest_customers
from tests.factories import CustomerFactory

LETTER = """Jansen Installatietechniek
Dorpsstraat 12
9711 LM Groningen

Geachte heer Bakker,

Uw klantnummer: 100501. Wij sturen u hierbij de offerte.
"""


def _numbers(text: str) -> list[str]:
    return [suggestion.customer.number for suggestion in suggest_customers(text)]


def _reasons(text: str, customer: Customer) -> list[str]:
    [found] = [s for s in suggest_customers(text) if s.customer.id == customer.id]
    return [reason.message for reason in found.ordered_reasons]


@contextmanager
def _counted_queries() -> Iterator[list[str]]:
    statements: list[str] = []
    engine = db.session.get_bind()

    def count(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_a_labelled_customer_number_is_the_strongest_evidence(app: Flask):
    customer = CustomerFactory(number="100501", postcode="1000 AA")
    assert _numbers(LETTER)[0] == customer.number
    assert _reasons(LETTER, customer)[0] == "customer number 100501 found on page 1"
    [suggestion] = suggest_customers(LETTER)
    assert suggestion.reasons["number"].evidence == Evidence.LABELLED_NUMBER
    assert suggestion.strength == "strong"


def test_postcode_with_house_number_from_the_street_line_or_a_form(app: Flask):
    street = CustomerFactory(postcode="9711 LM", house_number=12, last_name="Smit")
    form = CustomerFactory(postcode="1234 AB", house_number=7, last_name="Visser")
    CustomerFactory(postcode="9711 LM", house_number=13, last_name="Mulder")  # a neighbour
    assert _numbers(LETTER) == [street.number]
    assert _reasons(LETTER, street) == ["postcode 9711 LM 12 found on page 1"]
    assert _reasons("Postcode en huisnummer: 1234 AB 7", form) == [
        "postcode 1234 AB 7 found on page 1"]


def test_an_email_address_whatever_its_capitals(app: Flask):
    customer = CustomerFactory(email="Piet.Bakker@example.nl")
    text = "Reply to PIET.BAKKER@EXAMPLE.NL please"
    assert _numbers(text) == [customer.number]
    assert _reasons(text, customer) == ["e-mail address Piet.Bakker@example.nl found on page 1"]


def test_full_names_with_first_name_initials_or_infix(app: Flask):
    jan = CustomerFactory(first_name="Jan", infix="de", last_name="Vries", initials="J.")
    pieter = CustomerFactory(first_name="Pieter", last_name="Jansen", initials="P.J.")
    CustomerFactory(first_name="Klaas", last_name="Jansen")  # a namesake
    text = "Aan: Jan de Vries\nCc: P. J. JANSEN"
    assert set(_numbers(text)) == {jan.number, pieter.number}
    assert _reasons(text, jan) == ["name Jan de Vries found on page 1"]
    assert _reasons(text, pieter) == ["name P. J. JANSEN found on page 1"]


def test_a_last_name_after_a_salutation_counts_only_when_rare(app: Flask):
    rare = CustomerFactory(last_name="Zwartkruis")
    for _ in range(6):
        CustomerFactory(last_name="Bakker")
    assert _numbers("Geachte mevrouw Zwartkruis,") == [rare.number]
    assert _numbers("Geachte heer Bakker,") == []


def test_an_organisation_by_its_name(app: Flask):
    firm = CustomerFactory(kind="organisation", organisation_name="Jansen Installatietechniek",
                           first_name="", last_name="")
    firm.refresh_sort_name()
    db.session.flush()
    assert firm.number in _numbers(LETTER)
    assert "organisation name Jansen Installatietechniek found on page 1" in _reasons(LETTER, firm)


def test_more_evidence_ranks_higher_and_the_page_is_named(app: Flask):
    namesake = CustomerFactory(first_name="Anna", last_name="Bakker", postcode="3000 AA",
                               house_number=1)
    addressed = CustomerFactory(first_name="Anna", last_name="Bakker", postcode="9711 LM",
                                house_number=12)
    text = "Voorblad\fAnna Bakker\nDorpsstraat 12\n9711 LM Groningen"
    ranked = suggest_customers(text)
    assert [s.customer.id for s in ranked] == [addressed.id, namesake.id]
    assert ranked[0].score > ranked[1].score
    assert _reasons(text, addressed) == ["postcode 9711 LM 12 found on page 2",
                                         "name Anna Bakker found on page 2"]


def test_postcode_and_last_name_together_without_the_house_number(app: Flask):
    customer = CustomerFactory(last_name="Hoekstra", postcode="8911 AB", house_number=40)
    text = "Familie Hoekstra\nLeeuwarden 8911 AB"
    assert _numbers(text) == [customer.number]
    assert set(_reasons(text, customer)) == {"postcode 8911 AB found on page 1",
                                             "name Hoekstra found on page 1"}


def test_nothing_found_means_no_suggestions(app: Flask):
    CustomerFactory(number="100999")
    assert suggest_customers("") == []
    assert suggest_customers("het weer is mooi vandaag") == []
    assert suggest_customers("factuur 1009990 van 2025") == []  # a longer number is not it


def test_the_number_of_queries_does_not_grow_with_the_text(app: Flask):
    CustomerFactory(number="100501")
    huge = "\f".join(LETTER + " ".join(f"Woord{n} {n:06d} {n}@example.nl" for n in range(400))
                     for _ in range(50))
    db.session.flush()
    with _counted_queries() as statements:
        suggestions = suggest_customers(huge)
    assert suggestions and suggestions[0].customer.number == "100501"
    assert len(statements) <= 7


def test_at_most_five_suggestions(app: Flask):
    customers = [CustomerFactory(postcode="2500 AA", house_number=n) for n in range(1, 9)]
    text = "\n".join(f"Laan {c.house_number}\n2500 AA Den Haag" for c in customers)
    assert len(suggest_customers(text)) == 5
