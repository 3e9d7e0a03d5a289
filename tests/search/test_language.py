"""Language: Dutch and English word forms, case and accents, on every backend."""

from __future__ import annotations

import pytest

from dossier.auth.models import User
from dossier.documents.models import Document
from tests.search.corpus import Corpus, assert_finds, found, ids


@pytest.fixture
def words(corpus: Corpus) -> dict[str, Document]:
    docs = {
        "contract": corpus.document("Brief", "Het contract is gisteren getekend."),
        "contracten": corpus.document("Brief", "Alle contracten zijn verlengd."),
        "klacht": corpus.document("Brief", "Er is een klacht ingediend over de monteur."),
        "klachten": corpus.document("Brief", "Wij ontvingen twee klachten over de bezorging."),
        "complaint": corpus.document("Letter", "We received a complaint about the engineer.",
                                     languages="eng"),
        "complaints": corpus.document("Letter", "Several complaints reached our desk.",
                                      languages="eng"),
        "cafe_accent": corpus.document("Brief", "Afspraak in het café om tien uur."),
        "cafe_plain": corpus.document("Brief", "Afspraak in het cafe bij het station."),
        "reunie": corpus.document("Brief", "Uitnodiging voor de reünie van oud-klanten."),
        "upper": corpus.document("VERZEKERINGSPOLIS", "DE PREMIE WORDT VERHOOGD."),
        "other": corpus.document("Brief", "Een contact over de levering van de kast."),
    }
    corpus.sync()
    return docs


def _cases(words: dict[str, Document], cases: dict[str, set[str]]) -> dict[str, set[int]]:
    return {query: {words[name].id for name in names} for query, names in cases.items()}


def test_word_forms_find_each_other(words: dict[str, Document], admin: User) -> None:
    assert_finds(admin, _cases(words, {
        "contracten": {"contract", "contracten"},
        "contract": {"contract", "contracten"},
        "klachten": {"klacht", "klachten"},
        "klacht": {"klacht", "klachten"},
        "complaints": {"complaint", "complaints"},
        "complaint": {"complaint", "complaints"},
    }))


def test_case_is_folded(words: dict[str, Document], admin: User) -> None:
    assert_finds(admin, _cases(words, {
        "KLACHT": {"klacht", "klachten"},
        "Contract": {"contract", "contracten"},
        "premie": {"upper"},
        "verzekeringspolis": {"upper"},
        "Verhoogd": {"upper"},
    }))


def test_accents_are_folded(words: dict[str, Document], admin: User) -> None:
    assert_finds(admin, _cases(words, {
        "cafe": {"cafe_accent", "cafe_plain"},
        "café": {"cafe_accent", "cafe_plain"},
        "CAFÉ": {"cafe_accent", "cafe_plain"},
        "reunie": {"reunie"},
        "reünie": {"reunie"},
        '"het café"': {"cafe_accent", "cafe_plain"},
    }))


def test_word_forms_do_not_blur_different_words(words: dict[str, Document],
                                                admin: User) -> None:
    assert found("contact", admin) == ids(words["other"])
    assert found("klachten contract", admin) == set()


def test_word_forms_work_in_titles_and_customer_names(corpus: Corpus, admin: User) -> None:
    hendriks = corpus.customer("Hendriks", "Zoë")
    titled = corpus.document("Overzicht klachten 2025")
    named = corpus.document("Brief", "tekst", customers=[hendriks])
    corpus.sync()

    assert found("klacht", admin) == ids(titled)
    assert found("zoe hendriks", admin) == ids(named)
