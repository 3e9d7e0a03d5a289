"""How much one file may ask of the server: bytes, pages, pixels per page, OCR time per page."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dossier.ingest.errors import TooLarge, TooManyPages, TooManyPixels

MEGABYTE = 1024 * 1024
DEFAULT_MAX_BYTES = 200 * MEGABYTE
DEFAULT_MAX_PAGES = 500
DEFAULT_MAX_PIXELS = 40_000_000  # an A4 page scanned at 600 dpi is 35 million
DEFAULT_OCR_SECONDS = 120.0


@dataclass(frozen=True)
class Limits:
    max_bytes: int = DEFAULT_MAX_BYTES
    max_pages: int = DEFAULT_MAX_PAGES
    max_pixels_per_page: int = DEFAULT_MAX_PIXELS
    ocr_seconds_per_page: float = DEFAULT_OCR_SECONDS

    def __post_init__(self) -> None:
        for name in ("max_bytes", "max_pages", "max_pixels_per_page", "ocr_seconds_per_page"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive")

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Limits:
        """The limits in the app's config (see dossier/config.py); defaults where unset."""
        return cls(
            max_bytes=int(config.get("INGEST_MAX_BYTES", DEFAULT_MAX_BYTES)),
            max_pages=int(config.get("INGEST_MAX_PAGES", DEFAULT_MAX_PAGES)),
            max_pixels_per_page=int(config.get("INGEST_MAX_PIXELS", DEFAULT_MAX_PIXELS)),
            ocr_seconds_per_page=float(config.get("OCR_TIMEOUT", DEFAULT_OCR_SECONDS)),
        )

    def check_size(self, size: int) -> None:
        if size > self.max_bytes:
            raise TooLarge(size_mb=_megabytes(size), limit_mb=_megabytes(self.max_bytes))

    def check_pages(self, pages: int) -> None:
        if pages > self.max_pages:
            raise TooManyPages(pages=pages, limit=self.max_pages)

    def check_pixels(self, page: int, width: int, height: int) -> None:
        """`page` is 1-based; raises TooManyPixels before anything is decoded or rendered."""
        if width * height > self.max_pixels_per_page:
            raise TooManyPixels(page=page, megapixels=_millions(width * height),
                                limit=_millions(self.max_pixels_per_page))


def _megabytes(size: int) -> float:
    return round(size / MEGABYTE, 1)


def _millions(pixels: int) -> float:
    return round(pixels / 1_000_000, 1)
