"""Ingest errors: stable reason codes, messages with their details, in the reader's language."""

from __future__ import annotations

import pickle

import pytest
from flask import Flask
from flask_babel import force_locale

from dossier.ingest import errors
from dossier.ingest.errors import IngestError, OcrFailed, TooManyPages, TooManyPixels

KINDS = [errors.EmptyFile, errors.CorruptFile, errors.EncryptedFile, errors.UnsupportedType,
         errors.TooLarge, errors.TooManyPages, errors.TooManyPixels, errors.OcrUnavailable,
         errors.OcrFailed, errors.OcrTimeout]


def test_every_kind_has_its_own_stable_reason() -> None:
    assert [kind.reason for kind in KINDS] == [
        "empty", "corrupt", "encrypted", "unsupported_type", "too_large", "too_many_pages",
        "too_many_pixels", "ocr_unavailable", "ocr_failed", "ocr_timeout"]
    assert all(issubclass(kind, IngestError) for kind in KINDS)


def test_message_fills_in_the_details() -> None:
    error = TooManyPages(pages=612, limit=500)
    assert error.message == "The file has 612 pages; the limit is 500."
    assert str(error) == "too_many_pages: The file has 612 pages; the limit is 500."
    assert error.details == {"pages": 612, "limit": 500}


def test_a_missing_detail_reads_as_a_question_mark() -> None:
    assert TooManyPixels(page=2).message == (
        "Page 2 has ? million pixels; the limit is ? million.")


def test_on_page_adds_the_page_number() -> None:
    error = OcrFailed(error="segmentation fault").on_page(3)
    assert isinstance(error, OcrFailed)
    assert error.message == "Text recognition failed on page 3: segmentation fault"


def test_errors_survive_pickling_with_their_details() -> None:
    copy = pickle.loads(pickle.dumps(TooManyPages(pages=9, limit=5)))
    assert isinstance(copy, TooManyPages)
    assert copy.details == {"pages": 9, "limit": 5}


@pytest.mark.parametrize("kind", KINDS)
def test_every_message_is_in_dutch(app: Flask, kind: type[IngestError]) -> None:
    error = kind(pages=3, limit=2, page=1, size_mb="1.0", limit_mb="0.5", megapixels="50.0",
                 languages="nld+eng", error="x", seconds="60")
    with force_locale("nl"):
        dutch = error.message
    with force_locale("en"):
        english = error.message
    assert dutch != english
    assert "%(" not in dutch and "?" not in dutch


def test_numbers_follow_the_readers_locale(app: Flask) -> None:
    error = errors.TooLarge(size_mb=1250.5, limit_mb=200.0)
    with force_locale("nl"):
        assert error.message == "Het bestand is 1.250,5 MB; de grens is 200 MB."
    with force_locale("en"):
        assert error.message == "The file is 1,250.5 MB; the limit is 200 MB."
