"""Customer search in the Whoosh backend: typo-tolerant names, numbers, address, contact."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dossier.search.backends.whoosh import WhooshBackend
from dossier.search.query import parse
from tests.search.whoosh_support import customer


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[WhooshBackend]:
    backend = WhooshBackend(tmp_path / "index")
    backend.clear()
    backend.index_customers([
        customer(1, "Jan Janssen", number="100001", postcode="1234 AB", house_number="12",
                 email="jan.janssen@example.nl", phone="06-12345678", city="Zwolle"),
        customer(2, "Marie Jansen", number="100002", postcode="1234AB", house_number="14",
                 city="Amsterdam"),
        customer(3, "Kees Pieterse", number="K-2001", postcode="9876 ZX", house_number="3a",
                 phone="+31 20 123 4567", city="Den Haag"),
        customer(4, "Café De Gouden Leeuw", number="100004", city="Utrecht"),
        customer(5, "Anna van den Berg", number="100005", city="Zwolle"),
    ])
    yield backend
    backend.close()


def ids(backend: WhooshBackend, text: str) -> list[int]:
    return [id_ for id_, _score in backend.search_customers(parse(text), 10)]


def test_names_with_a_typo_are_found_exact_ones_first(backend: WhooshBackend) -> None:
    assert ids(backend, "Jansen") == [2, 1]
    assert ids(backend, "Janssen") == [1, 2]
    assert ids(backend, "Pietersen") == [3]
    assert ids(backend, "pieterse") == [3]
    assert ids(backend, "jan janssen") == [1]


def test_numbers_exactly_or_by_prefix(backend: WhooshBackend) -> None:
    assert ids(backend, "100002") == [2]
    assert ids(backend, "k-2001") == [3]
    assert set(ids(backend, "10000*")) == {1, 2, 4, 5}
    assert ids(backend, "klant:100005") == [5]
    assert ids(backend, "van klant:100005") == [5]


def test_postcode_with_and_without_house_number(backend: WhooshBackend) -> None:
    assert set(ids(backend, "1234 ab")) == {1, 2}
    assert set(ids(backend, "1234AB")) == {1, 2}
    assert ids(backend, "1234AB 14") == [2]
    assert ids(backend, "1234 ab 12") == [1]
    assert ids(backend, "9876zx 3a") == [3]


def test_email_phone_and_city(backend: WhooshBackend) -> None:
    assert ids(backend, "jan.janssen@example.nl") == [1]
    assert ids(backend, "0612345678") == [1]
    assert ids(backend, "06-12345678") == [1]
    assert ids(backend, "06 1234 5678") == [1]
    assert ids(backend, "020-1234567") == [3]
    assert ids(backend, "+31 20 1234567") == [3]
    assert set(ids(backend, "Zwolle")) == {1, 5}
    assert ids(backend, '"den haag"') == [3]
    assert ids(backend, "cafe leeuw") == [4]


def test_every_word_must_match_and_removal(backend: WhooshBackend) -> None:
    assert ids(backend, "Jansen Amsterdam") == [2]
    assert ids(backend, "Janssen Utrecht") == []
    assert ids(backend, "") == []
    assert ids(backend, "type:contract") == []  # filters other than klant: are ignored
    backend.remove_customers([2])
    assert ids(backend, "Jansen") == [1]
