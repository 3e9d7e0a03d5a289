"""Text of one page image with Tesseract: words, mean confidence and a searchable PDF page.

One Tesseract run gives all three (TSV and PDF renderers of the same pass, a few percent
more than plain text). Turned pages, without a second pass where possible:
- a page turned a quarter clockwise Tesseract reads by itself, as vertical lines; the
  TSV shows it, and the PDF page gets a /Rotate so it shows upright;
- a page upside down or turned a quarter counter-clockwise reads below 50 % confidence
  (an upright page 85-95 %). Only then does orientation detection (OSD, a separate run
  costing about a third of a page) say how to turn it, and it is read again, turned.
"""

from __future__ import annotations

import itertools
import os
import re
import tempfile
import time
from dataclasses import dataclass, replace
from io import BytesIO
from pathlib import Path

from PIL import Image
from pypdf import PdfReader, PdfWriter
from pytesseract import pytesseract as tesseract

from dossier.ingest.errors import OcrFailed, OcrInterrupted, OcrTimeout, OcrUnavailable

SUSPECT_CONFIDENCE = 60.0  # below this mean word confidence, check the orientation
MIN_ORIENTATION_CONFIDENCE = 2.0  # Tesseract's OSD confidence needed to turn a page
MIN_DPI, MAX_DPI = 70, 2400  # what Tesseract accepts
A4_WIDTH_INCHES = 8.27
MAX_PAGE_INCHES = 17.0  # wider than A3 means the stated resolution is wrong
MIN_WORD_FOR_DIRECTION = 3  # letters; shorter words are as tall as they are wide
_ROTATE = re.compile(r"^Rotate:\s*(\d+)", re.MULTILINE)
_ORIENTATION_CONFIDENCE = re.compile(r"^Orientation confidence:\s*([\d.]+)", re.MULTILINE)
_UNAVAILABLE = ("Failed loading language", "Could not initialize tesseract",
                "Error opening data file")


@dataclass(frozen=True)
class PageText:
    """What was read from one page.

    `confidence` is Tesseract's mean word confidence (0-100), None for a text-layer page
    or a page without words. `rotated_by` is how far the page was turned clockwise
    (0, 90, 180 or 270) before it could be read. `pdf` is Tesseract's one-page PDF of the
    upright image with the text invisible on top; b"" where no OCR ran.
    """

    text: str
    confidence: float | None = None
    rotated_by: int = 0
    pdf: bytes = b""


def ocr_page(image: Image.Image, languages: str, timeout: float,
             jpeg: bytes | None = None) -> PageText:
    """Read `image` (mode "1", "L" or "RGB") in `languages` (e.g. "nld+eng").

    `jpeg`, when given, is the exact JPEG encoding of `image` (a scanner's): Tesseract
    reads it and the searchable PDF carries it unchanged. `timeout` bounds the whole
    page, orientation check included. Raises OcrUnavailable (no Tesseract or no
    language data), OcrTimeout or OcrFailed; OcrInterrupted when Tesseract is killed.
    """
    _single_threaded()
    deadline = time.monotonic() + timeout
    dpi = effective_dpi(image)
    with tempfile.TemporaryDirectory(prefix="dossier-ocr-") as work:
        source = _save(image, Path(work) / "page", jpeg)
        first = _recognise(source, dpi, languages, deadline, timeout)
        if first.confidence is not None and first.confidence >= SUSPECT_CONFIDENCE:
            return first
        try:
            turned = _read_turned(image, source, dpi, languages, deadline, timeout)
        except OcrTimeout:
            return first  # the time is spent either way; a doubtful reading beats none
    if turned is None or (turned.confidence or 0) <= (first.confidence or 0):
        return first
    return turned


def _read_turned(image: Image.Image, source: Path, dpi: int, languages: str,
                 deadline: float, timeout: float) -> PageText | None:
    """The page read again after turning it as OSD says; None when OSD sees no need."""
    rotation = _detect_rotation(source, dpi, deadline, timeout)
    if rotation == 0:
        return None
    # PIL turns counter-clockwise; OSD says how far to turn clockwise.
    turned_source = _save(image.rotate(-rotation, expand=True), source.with_name("turned"))
    return replace(_recognise(turned_source, dpi, languages, deadline, timeout),
                   rotated_by=rotation)


def effective_dpi(image: Image.Image) -> int:
    """The image's resolution, or a guess (an A4-wide page) when it is missing or absurd.

    Tesseract sizes the PDF page from it; a phone photo saying 72 dpi would otherwise
    become a page a metre wide.
    """
    stated = image.info.get("dpi")
    dpi = float(stated[0]) if stated else 0.0
    if MIN_DPI <= dpi <= MAX_DPI and image.width / dpi <= MAX_PAGE_INCHES:
        return round(dpi)
    return min(MAX_DPI, max(MIN_DPI, round(image.width / A4_WIDTH_INCHES)))


def _single_threaded() -> None:
    # One thread per Tesseract: its OpenMP threads are several times slower per page
    # here (see the OCR notes). pytesseract passes os.environ to Tesseract.
    if os.environ.get("OMP_THREAD_LIMIT") != "1":
        os.environ["OMP_THREAD_LIMIT"] = "1"


def _save(image: Image.Image, base: Path, jpeg: bytes | None = None) -> Path:
    """Write the JPEG as it is, or the image uncompressed (PBM/PGM/PPM): milliseconds,
    where PNG takes 100."""
    if jpeg is not None:
        path = base.with_suffix(".jpg")
        path.write_bytes(jpeg)
        return path
    if image.mode not in ("1", "L", "RGB"):
        image = image.convert("RGB")
    path = base.with_suffix(".pnm")
    image.save(path, "PPM")
    return path


def _recognise(source: Path, dpi: int, languages: str, deadline: float,
               timeout: float) -> PageText:
    base = source.with_suffix("")
    config = f"-c user_defined_dpi={dpi} -c tessedit_create_tsv=1"
    _run(source, base, "pdf", languages, config, deadline, timeout)
    reading = read_tsv(base.with_suffix(".tsv").read_text(encoding="utf-8"))
    pdf = base.with_suffix(".pdf").read_bytes()
    if reading.sideways:
        pdf = turn_pdf_page(pdf, reading.sideways)
    return PageText(text=reading.text, confidence=reading.confidence,
                    rotated_by=reading.sideways, pdf=pdf)


def turn_pdf_page(pdf: bytes, degrees: int) -> bytes:
    """The one-page PDF shown turned clockwise (its /Rotate), text layer and all."""
    writer = PdfWriter(clone_from=PdfReader(BytesIO(pdf)))
    writer.pages[0].rotate(degrees)
    output = BytesIO()
    writer.write(output)
    return output.getvalue()


def _detect_rotation(source: Path, dpi: int, deadline: float, timeout: float) -> int:
    """Degrees to turn the page clockwise, 0 when OSD is unsure or finds too little text."""
    base = source.with_name("osd")
    try:
        _run(source, base, "osd", "osd", f"--psm 0 -c user_defined_dpi={dpi}", deadline,
             timeout)
    except (OcrFailed, OcrUnavailable):
        return 0  # "Too few characters" to judge, or no OSD data installed
    report = base.with_suffix(".osd").read_text(encoding="utf-8")
    rotate = _ROTATE.search(report)
    confidence = _ORIENTATION_CONFIDENCE.search(report)
    if rotate is None or confidence is None:
        return 0
    if float(confidence.group(1)) < MIN_ORIENTATION_CONFIDENCE:
        return 0
    return int(rotate.group(1)) % 360


def _run(source: Path, base: Path, extension: str, languages: str, config: str,
         deadline: float, timeout: float) -> None:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise OcrTimeout(seconds=timeout)
    try:
        tesseract.run_tesseract(str(source), str(base), extension, languages, config,
                                timeout=remaining)
    except tesseract.TesseractNotFoundError:
        raise OcrUnavailable(languages=languages) from None
    except tesseract.TesseractError as error:
        if isinstance(error.status, int) and error.status < 0:  # killed by a signal
            raise OcrInterrupted(f"Tesseract stopped by signal {-error.status}") from None
        message = str(error.message)
        if any(sign in message for sign in _UNAVAILABLE):
            raise OcrUnavailable(languages=languages) from None
        raise OcrFailed(error=message[:300]) from None
    except RuntimeError as error:
        if "timeout" in str(error):
            raise OcrTimeout(seconds=timeout) from None
        raise


@dataclass(frozen=True)
class Reading:
    """Tesseract's TSV in short: the text, mean word confidence, and a sideways page.

    `sideways` is 90 or 270 when Tesseract read the page's lines vertically (it does so
    on its own for some turned pages): the clockwise turn that makes the page upright.
    """

    text: str
    confidence: float | None
    sideways: int = 0


def read_tsv(tsv: str) -> Reading:
    """Text (lines; paragraphs apart by a blank line) and confidence from Tesseract's TSV."""
    words = [fields for fields in (row.split("\t", 11) for row in tsv.splitlines()[1:])
             if len(fields) == 12 and fields[0] == "5" and fields[11].strip()]
    paragraphs: list[list[list[str]]] = []
    last_paragraph = last_line = None
    for fields in words:
        paragraph, line = (fields[2], fields[3]), (fields[2], fields[3], fields[4])
        if paragraph != last_paragraph:
            paragraphs.append([])
        if line != last_line:
            paragraphs[-1].append([])
        paragraphs[-1][-1].append(fields[11].strip())
        last_paragraph, last_line = paragraph, line
    confidences = [float(fields[10]) for fields in words if float(fields[10]) >= 0]
    return Reading(
        text="\n\n".join("\n".join(" ".join(line) for line in lines) for lines in paragraphs),
        confidence=round(sum(confidences) / len(confidences), 1) if confidences else None,
        sideways=_sideways(words),
    )


def _sideways(words: list[list[str]]) -> int:
    """90 or 270 when most longer words stand upright (a vertical line), else 0."""
    boxes = [(int(f[6]), int(f[7]), int(f[8]), int(f[9]), (f[2], f[3], f[4]))
             for f in words if len(f[11].strip()) >= MIN_WORD_FOR_DIRECTION]
    tall = [box for box in boxes if box[3] > box[2]]
    if not boxes or len(tall) * 2 <= len(boxes):
        return 0
    # Within a line, words running down the image mean it was turned clockwise.
    downward = sum(
        (after[1] > before[1]) - (after[1] < before[1])
        for before, after in itertools.pairwise(tall) if before[4] == after[4]
    )
    return 270 if downward >= 0 else 90
