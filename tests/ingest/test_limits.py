"""Limits: from the configuration, with safe defaults, and a clear reason when one is hit."""

from __future__ import annotations

import pytest

from dossier.config import load_settings
from dossier.ingest.errors import TooLarge, TooManyPages, TooManyPixels
from dossier.ingest.limits import Limits


def test_defaults_are_safe() -> None:
    limits = Limits.from_config({})
    assert limits == Limits()
    assert limits.max_bytes == 200 * 1024 * 1024
    assert limits.max_pages == 500
    assert limits.max_pixels_per_page == 40_000_000
    assert limits.ocr_seconds_per_page == 120


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOSSIER_MAX_FILE_MB", "10")
    monkeypatch.setenv("DOSSIER_MAX_PAGES", "20")
    monkeypatch.setenv("DOSSIER_MAX_PIXELS", "1000000")
    monkeypatch.setenv("DOSSIER_OCR_TIMEOUT", "7.5")
    monkeypatch.setenv("DOSSIER_OCR_LANGUAGES", "eng")
    monkeypatch.setenv("DOSSIER_OCR_PROCESSES", "3")
    settings = load_settings()
    assert Limits.from_config(settings) == Limits(max_bytes=10 * 1024 * 1024, max_pages=20,
                                                  max_pixels_per_page=1_000_000,
                                                  ocr_seconds_per_page=7.5)
    assert settings["OCR_LANGUAGES"] == "eng"
    assert settings["OCR_PROCESSES"] == 3


def test_languages_and_processes_default_to_dutch_english_and_the_cores(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DOSSIER_OCR_LANGUAGES", raising=False)
    monkeypatch.delenv("DOSSIER_OCR_PROCESSES", raising=False)
    monkeypatch.setattr("os.cpu_count", lambda: 6)
    settings = load_settings()
    assert settings["OCR_LANGUAGES"] == "nld+eng"
    assert settings["OCR_PROCESSES"] == 6


def test_limits_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_pages"):
        Limits(max_pages=0)


def test_size_limit() -> None:
    limits = Limits(max_bytes=1024 * 1024)
    limits.check_size(1024 * 1024)
    with pytest.raises(TooLarge) as raised:
        limits.check_size(3 * 1024 * 1024 + 1)
    assert raised.value.details == {"size_mb": 3.0, "limit_mb": 1.0}


def test_page_limit() -> None:
    Limits(max_pages=3).check_pages(3)
    with pytest.raises(TooManyPages) as raised:
        Limits(max_pages=3).check_pages(4)
    assert raised.value.message == "The file has 4 pages; the limit is 3."


def test_pixel_limit_names_the_page() -> None:
    limits = Limits(max_pixels_per_page=2_000_000)
    limits.check_pixels(1, 1000, 2000)
    with pytest.raises(TooManyPixels) as raised:
        limits.check_pixels(7, 2480, 3508)
    assert raised.value.message == "Page 7 has 8.7 million pixels; the limit is 2.0 million."
