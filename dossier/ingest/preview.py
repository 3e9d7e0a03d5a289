"""Page images of a part in triage, rendered on request from its file in the store.

Small (screen resolution, PNG) and never cached by the browser: the page holds personal
data that nobody filed yet, and each request is audited by the view.
"""

from __future__ import annotations

import io
from collections.abc import Generator
from contextlib import closing
from itertools import islice
from pathlib import Path
from typing import cast

from flask import current_app
from PIL import Image

from dossier.documents.file_store import current_store
from dossier.ingest.errors import CorruptFile
from dossier.ingest.limits import Limits
from dossier.ingest.models import TriageItem
from dossier.ingest.pages import rasterise, render_pdf_pages
from dossier.ingest.sniff import FileKind, sniff

PREVIEW_DPI = 100
MAX_SIZE = (1100, 1600)  # pixels: wide enough to read a letter on screen


class PreviewMissing(LookupError):
    """The part's file is not in the store (a broken installation, told to an admin)."""


def page_total(item: TriageItem) -> int:
    return item.last_page - item.first_page + 1


def stored_path(item: TriageItem) -> Path:
    path = current_store().path_for(item.file_sha256)
    if not path.is_file():
        raise PreviewMissing(item.file_sha256)
    return path


def page_png(item: TriageItem, page: int) -> bytes:
    """Page `page` (1-based, within the part) as a PNG; raises IngestError if unreadable."""
    path = stored_path(item)
    image = _page_image(path, sniff(path), page, Limits.from_config(current_app.config))
    image.thumbnail(MAX_SIZE)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def _page_image(path: Path, kind: FileKind, page: int, limits: Limits) -> Image.Image:
    if kind is FileKind.PDF:
        rendered = list(render_pdf_pages(path, [page], limits, PREVIEW_DPI))
        if rendered:
            return rendered[0][1]
        raise CorruptFile()
    # rasterise() is a generator: closing it closes the image file at once.
    frames = cast(Generator[Image.Image, None, None], rasterise(path, kind, limits))
    with closing(frames):
        for image in islice(frames, page - 1, page):
            return image
    raise CorruptFile()
