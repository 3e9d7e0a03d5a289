"""Whoosh backend text analysis: folding, Dutch and English stems, the one-pass field
format agreeing with the analyzer, compact positions, and the grouping posting pool."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from dossier.search.backends.whoosh import WhooshBackend
from dossier.search.backends.whoosh_analysis import (
    DUTCH,
    ENGLISH,
    FoldingAnalyzer,
    body_languages,
    fold,
)
from dossier.search.backends.whoosh_fields import (
    ArrayPositions,
    decode_positions,
    encode_positions,
)
from dossier.search.backends.whoosh_pool import GroupingPool
from tests.search.whoosh_support import document, found

TRICKY = ("Café CONTRACTEN, klachten! İstanbul straße naïef 12.5 e-mail "
          "running runs de de de offertes ÆRØ fiets_pomp 2025-03-01")


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[WhooshBackend]:
    backend = WhooshBackend(tmp_path / "index")
    backend.clear()
    yield backend
    backend.close()


def test_folding_keeps_offsets() -> None:
    assert fold("Café Über NAÏEF") == "cafe uber naief"
    assert len(fold(TRICKY)) == len(TRICKY.lower())


@pytest.mark.parametrize("languages", [(), (DUTCH,), (ENGLISH,), (DUTCH, ENGLISH)])
def test_the_field_format_indexes_what_the_analyzer_says(languages: tuple[str, ...]) -> None:
    analyzer = FoldingAnalyzer(languages)
    expected: dict[str, list[int]] = {}
    for token in analyzer(TRICKY, positions=True):
        expected.setdefault(token.text, []).append(token.pos)
    indexed = {term: decode_positions(value)
               for term, count, _weight, value in ArrayPositions(languages).word_values(
                   TRICKY, analyzer)}
    assert indexed == expected


def test_positions_survive_encoding() -> None:
    rng = random.Random(3)
    for _ in range(200):
        positions = sorted(rng.sample(range(200_000), rng.randint(1, 40)))
        assert decode_positions(encode_positions(positions)) == positions
    assert decode_positions(encode_positions([0])) == [0]


def test_body_language_guess() -> None:
    dutch = "Wij hebben uw klacht over de levering van het pakket ontvangen en zijn er mee bezig."
    english = "We have received your complaint about the delivery of the parcel and we are on it."
    assert body_languages(dutch, "nld+eng") == (DUTCH,)
    assert body_languages(english, "nld+eng") == (ENGLISH,)
    assert body_languages(f"{dutch} {english} {english}", "") == (DUTCH, ENGLISH)
    assert body_languages(english, "nld") == (DUTCH,)  # a file that says so is believed
    assert body_languages("12345 67890", "") == (DUTCH,)


@pytest.mark.parametrize(("query", "text", "languages"), [
    ("contracten", "Het contract is getekend.", "nld"),
    ("contract", "Alle contracten zijn getekend.", "nld"),
    ("klachten", "Een klacht over de monteur.", "nld"),
    ("complaints", "We received one complaint about the engineer.", "nld+eng"),
    ("complaint", "Your complaints are handled by the team.", "eng"),
    ("cafe", "Een afspraak in het café.", "nld"),
    ("CAFÉ", "een afspraak in het cafe", "nld"),
])
def test_stems_and_folding_find_other_forms(backend: WhooshBackend, query: str, text: str,
                                            languages: str) -> None:
    backend.index_documents([document(1, body=text, language=languages),
                             document(2, body="Niets van dat alles.")])
    assert found(backend, query) == {1}


def test_titles_and_key_points_are_stemmed_in_both_languages(backend: WhooshBackend) -> None:
    backend.index_documents([document(1, title="Offertes zonnepanelen"),
                             document(2, key_points="running repairs")])
    assert found(backend, "offerte") == {1}
    assert found(backend, "repair") == {2}


def test_the_pool_returns_postings_sorted_also_after_spilling() -> None:
    rng = random.Random(7)
    postings = [(rng.choice(("body", "title")), rng.choice((b"a", b"b", b"kl", b"z")),
                 docnum, 1.0, bytes([docnum % 256]))
                for docnum in range(3000) for _ in range(rng.randint(0, 3))]
    postings.append(("body", b"a", 5, 2.0, b"x"))  # a document out of order
    expected = sorted(postings, key=lambda p: (p[0], p[1], p[2]))
    one_by_one, per_field = GroupingPool(limitmb=0.02), GroupingPool(limitmb=0.02)
    for posting in postings:  # both spill to disk every few hundred postings
        one_by_one.add(posting)
        field, text, docnum, weight, value = posting
        per_field.add_field(field, docnum, [(text, 1, weight, value)], scorable=True)
    for pool in (one_by_one, per_field):
        try:
            assert list(pool.iter_postings()) == expected
        finally:
            pool.cleanup()
        assert pool.fieldnames == {"body", "title"}
