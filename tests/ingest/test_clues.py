"""Clues in a scan's text: numbers, e-mail addresses, addresses and names, with their page."""

from __future__ import annotations

from dossier.ingest.clues import MAX_CLUES, Address, find_clues


def test_numbers_and_the_ones_labelled_as_customer_numbers():
    clues = find_clues("Klantnummer: 100234\nFactuur 2025-0042, bedrag 1.234,56\fK-1001")
    assert {"100234", "2025-0042", "K-1001"} <= set(clues.numbers)
    assert clues.labelled_numbers == {"100234"}
    assert clues.numbers["K-1001"] == 2
    assert "56" not in clues.numbers and "1.234" not in clues.numbers


def test_email_addresses_as_printed():
    clues = find_clues("Mail naar Jan.Jansen@Example.nl. Of info@bedrijf.co.uk")
    assert set(clues.emails) == {"Jan.Jansen@Example.nl", "info@bedrijf.co.uk"}


def test_postcodes_with_house_numbers_before_or_after():
    clues = find_clues("Dorpsstraat 12a\n9711 LM Groningen\n\nPostcode: 1234AB 7\f2500 AA")
    assert clues.addresses == {Address("9711 LM", 12): 1, Address("1234 AB", 7): 1}
    assert clues.postcodes == {"9711 LM": 1, "1234 AB": 1, "2500 AA": 2}


def test_lower_case_and_forbidden_postcode_letters_are_not_postcodes():
    clues = find_clues("in 2025 en 2026 was het 1234 SS")
    assert clues.postcodes == {}


def test_names_capitalised_as_stored_with_salutations_and_initials():
    clues = find_clues("Geachte heer De Vries,\nDEAR MRS SMITH\nJ.P. Jansen")
    assert {"Vries", "Smith", "Jansen"} <= set(clues.words)
    assert not {"De", "Geachte", "Heer", "Mrs"} & set(clues.words)  # infix, salutations
    assert set(clues.after_salutation) == {"Vries", "Smith"}
    assert "J.P." in clues.initials


def test_phrases_for_organisation_names():
    clues = find_clues("Bakkerij De Vries B.V., Amsterdam")
    assert "bakkerij de vries b.v." in clues.phrases
    assert "bakkerij de vries b.v" in clues.phrases


def test_hostile_text_is_capped():
    text = " ".join(f"Naam{_letters(n)} {n:08d} x{n}@example.nl" for n in range(5000))
    clues = find_clues(text)
    assert len(clues.numbers) == MAX_CLUES and len(clues.emails) == MAX_CLUES
    assert len(clues.words) == MAX_CLUES


def _letters(number: int) -> str:
    return "".join(chr(ord("a") + int(digit)) for digit in f"{number:04d}")


def test_empty_text_has_no_clues():
    assert find_clues("").empty
    assert find_clues("").pages == []
