"""Searching the Whoosh backend: phrases, order, relevance, pages, repeated searches."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from dossier.search.backends.whoosh import WhooshBackend
from tests.search.whoosh_support import document, found, ranked


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[WhooshBackend]:
    backend = WhooshBackend(tmp_path / "index")
    backend.clear()
    yield backend
    backend.close()


def test_order_by_date_and_pages(backend: WhooshBackend) -> None:
    backend.index_documents([document(n, body="maand", document_date=date(2024, n, 1))
                             for n in range(1, 13)])
    assert ranked(backend, "maand", order="date", per_page=3) == [12, 11, 10]
    assert ranked(backend, "maand", order="date", page=2, per_page=3) == [9, 8, 7]
    assert ranked(backend, "", per_page=2) == [12, 11]  # no text: newest first
    assert ranked(backend, "maand", page=5, per_page=3) == []


def test_relevance_prefers_the_title_and_more_occurrences(backend: WhooshBackend) -> None:
    backend.index_documents([
        document(1, title="Brief", body="de ketel en nog veel meer tekst over andere zaken"),
        document(2, title="Ketel vervangen", body="de ketel"),
        document(3, title="Brief", body="ketel ketel ketel"),
    ])
    assert ranked(backend, "ketel")[0] == 2
    assert ranked(backend, "ketel")[1:] == [3, 1]


def test_phrases_of_several_and_repeated_words(backend: WhooshBackend) -> None:
    backend.index_documents([
        document(1, body="de fiets van de buurman staat hier"),
        document(2, body="de buurman van de fiets"),
        document(3, body="fiets van buurman de"),
        document(4, title="Fiets van de buurman"),
    ])
    assert found(backend, '"fiets van de buurman"') == {1, 4}
    assert found(backend, '"van de"') == {1, 2, 4}
    assert found(backend, '"de fiets van de"') == {1}
    assert found(backend, '"buurman de"') == {3}
    assert found(backend, '"van de" -"fiets van"') == {2}


def test_repeated_searches_and_pages_agree_and_follow_writes(backend: WhooshBackend) -> None:
    backend.index_documents([document(n, body="gelijk " * (1 + n % 3)) for n in range(1, 31)])
    first = ranked(backend, "gelijk", per_page=30)
    pages = [ranked(backend, "gelijk", page=p, per_page=7) for p in range(1, 6)]
    assert [id_ for part in pages for id_ in part] == first  # ties ordered the same way
    assert ranked(backend, "gelijk", per_page=30) == first  # again, from the cache
    backend.remove_documents([first[0]])
    assert ranked(backend, "gelijk", per_page=30) == first[1:]
