"""From a claimed file to documents: the ingest steps, each able to stop with a clear reason.

lease -> check the file (present, size) -> sniff -> limits -> text layer or OCR (pages in
the OCR pool) -> barcodes -> split into parts -> store the original and each part's PDF
-> record documents or triage items (and the replies on reply coupon pages, which make
no document), proving the lease is still held -> commit -> remove the work file. Any
IngestError fails the job: its file goes to failed/ with the reason; a Tesseract killed
by a signal (Ctrl-C) fails nothing: the job is run again, as after a crash.
Nothing is removed from the work area before the result is committed.
"""

from __future__ import annotations

import io
import logging
import tempfile
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Protocol

from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL import Image
from pypdf import PdfReader, PdfWriter

from dossier.barcodes import BarcodeValue, MailingCode
from dossier.documents.file_store import FileStore, current_store
from dossier.extensions import db
from dossier.ingest import jobs
from dossier.ingest.barcode_reader import FoundBarcode, read_barcodes
from dossier.ingest.errors import IngestError, OcrInterrupted
from dossier.ingest.extract import Extraction, extract
from dossier.ingest.filing import PartFile, ScanResult, record_failure, record_result
from dossier.ingest.inbox import Inbox, settle
from dossier.ingest.jobs import Ticket
from dossier.ingest.limits import Limits
from dossier.ingest.models import IngestJob, Stage
from dossier.ingest.ocr_pool import OcrPool
from dossier.ingest.routing import Part, reply_pages, split_batch
from dossier.ingest.scan_codes import barcode_log, dossier_codes
from dossier.mailings.coupon import CouponMarks, CouponPage, read_coupons

log = logging.getLogger(__name__)
PDF = "application/pdf"
WORKDIR_PREFIX = ".extract-"


class FileMissing(IngestError):
    reason = "missing"
    template = _l("The file was no longer in the work folder.")


class FileChanged(IngestError):
    reason = "changed"
    template = _l("The file changed while it was being processed; drop it in again.")


class InternalError(IngestError):
    reason = "internal_error"
    template = _l("An unexpected error stopped the processing: %(error)s")


class OnlySheets(IngestError):
    reason = "only_sheets"
    template = _l("The scan holds only cover or separator sheets, no document pages.")


class Progress(Protocol):
    """Where a running job reports its stage and page (jobs.LeaseKeeper in a worker)."""

    def report(self, stage: Stage | str, page: int | None = None,
               total: int | None = None) -> None: ...

    def check(self) -> None: ...


ProgressFactory = Callable[[Ticket], AbstractContextManager[Progress]]


def run_job(job_id: int, pool: OcrPool, progress_for: ProgressFactory,
            worker_id: str | None = None) -> IngestJob | None:
    """Process one job to its end (done, triage or failed); None if another worker has it.

    Commits the result, then removes or sets aside the work file and commits again.
    """
    config = current_app.config
    ticket = jobs.lease(job_id, worker_id or jobs.worker_identity(),
                        int(config["INGEST_LEASE_SECONDS"]))
    if ticket is None:
        return None
    inbox = Inbox(Path(config["INBOX"]))
    # The lease keeper stops before the result is recorded: its writes would otherwise
    # wait on the lock that recording holds until the commit.
    try:
        with progress_for(ticket) as progress:
            outcome = _read(ticket, inbox, pool, progress)
        job = _record(ticket, inbox, outcome)
    except jobs.LeaseLost:
        log.warning("ingest job %s was taken over by another worker", job_id)
        return None
    except OcrInterrupted as error:  # left as a killed worker leaves it, for the sweep
        db.session.rollback()
        log.warning("ingest job %s stopped (%s); it will run again", job_id, error)
        return None
    db.session.commit()
    if settle(job):
        db.session.commit()
    return job


def _read(ticket: Ticket, inbox: Inbox, pool: OcrPool,
          progress: Progress) -> ScanResult | IngestError:
    """The scan's parts, or the reason it cannot be read (an unexpected error included)."""
    try:
        result = read_scan(ticket, inbox, pool, progress)
    except IngestError as error:
        log.info("ingest job %s failed: %s", ticket.id, error)
        return error
    except OcrInterrupted:
        raise
    except Exception as error:  # a bug or a broken dependency: set the file aside, say so
        log.exception("ingest job %s failed unexpectedly", ticket.id)
        return InternalError(error=f"{type(error).__name__}: {error}"[:500])
    progress.check()
    return result


def _record(ticket: Ticket, inbox: Inbox, outcome: ScanResult | IngestError) -> IngestJob:
    if isinstance(outcome, ScanResult):
        try:
            return record_result(ticket, outcome)
        except jobs.LeaseLost:
            raise
        except Exception as error:  # e.g. a customer deleted meanwhile; keep the file
            db.session.rollback()
            log.exception("ingest job %s: recording the result failed", ticket.id)
            outcome = InternalError(error=f"{type(error).__name__}: {error}"[:500])
    return record_failure(ticket, inbox, outcome.reason, outcome.message, outcome.details)


def read_scan(ticket: Ticket, inbox: Inbox, pool: OcrPool, progress: Progress) -> ScanResult:
    """Everything that can be done without the database: read, split and store the file."""
    config = current_app.config
    if not ticket.path.is_file():
        raise FileMissing()
    limits = Limits.from_config(config)
    languages = str(config["OCR_LANGUAGES"])
    found: dict[int, list[FoundBarcode]] = {}
    coupons: dict[int, list[CouponMarks]] = {}  # marks are read while the image is at hand

    def read_codes(number: int, image: Image.Image) -> None:
        found[number] = read_barcodes(image)
        coupons[number] = read_coupons(image, found[number])

    progress.report(Stage.TEXT)
    with tempfile.TemporaryDirectory(prefix=WORKDIR_PREFIX, dir=inbox.work) as workdir:
        extraction = extract(
            ticket.path, limits, languages, pool, workdir=Path(workdir),
            progress=lambda page, total: progress.report(Stage.TEXT, page, total),
            on_page_image=read_codes)
        progress.check()
        progress.report(Stage.BARCODES)
        # `read_codes` has seen every page image extract() had: each OCR'd page, and
        # the pages of a text-layer PDF that show an image (no others can carry a sheet).
        pages = [found.get(number, []) for number in range(1, len(extraction.pages) + 1)]
        page_codes = [dossier_codes(page) for page in pages]
        replies = reply_pages(page_codes)
        parts = split_batch(page_codes, skip=set(replies))
        if not parts and not replies:
            raise OnlySheets()
        progress.report(Stage.STORING)
        return _store(ticket, extraction, parts, pages, languages,
                      _coupon_pages(extraction, replies, page_codes, coupons, languages))


def _coupon_pages(extraction: Extraction, replies: list[int],
                  page_codes: Sequence[Sequence[BarcodeValue]],
                  coupons: dict[int, list[CouponMarks]], languages: str) -> list[CouponPage]:
    """One entry per reply coupon, with the marks read from its page image (none known:
    the answer is left for a person)."""
    found = []
    for index in replies:
        page = extraction.pages[index]
        for code in page_codes[index]:
            if isinstance(code, MailingCode):
                marks = next((read for read in coupons.get(index + 1, []) if read.code == code),
                             CouponMarks(code, ()))
                found.append(CouponPage(index + 1, marks, page.text, page.confidence,
                                        languages if extraction.method == "ocr" else ""))
    return found


def _store(ticket: Ticket, extraction: Extraction, parts: list[Part],
           found: Sequence[Sequence[FoundBarcode]], languages: str,
           replies: list[CouponPage]) -> ScanResult:
    """The original, the searchable PDF (scans) and each part's PDF into the file store."""
    store = current_store()
    with ticket.path.open("rb") as original:
        stored = store.store(original)
    if stored.sha256 != ticket.sha256:
        raise FileChanged()
    if extraction.searchable_pdf is not None:
        source, searchable = extraction.searchable_pdf, _put_file(store, extraction.searchable_pdf)
        mime_type, used_languages = PDF, languages
    else:
        source, searchable = ticket.path, None
        mime_type, used_languages = extraction.kind.mime_type, ""
    whole_file = searchable or (stored.sha256, stored.size)
    files = []
    for part in parts:
        whole = part.pages == list(range(len(extraction.pages)))
        sha256, size = whole_file if whole else _put(store, _pdf_pages(source, part.pages))
        files.append(_part_file(extraction, part, sha256, size,
                                mime_type if whole else PDF, used_languages))
    return ScanResult(mime_type=extraction.kind.mime_type, method=extraction.method,
                      page_count=len(extraction.pages), parts=files,
                      searchable_sha256=searchable[0] if searchable else None,
                      barcodes=barcode_log(found), replies=replies)


def _part_file(extraction: Extraction, part: Part, sha256: str, size: int, mime_type: str,
               languages: str) -> PartFile:
    pages = [extraction.pages[i] for i in part.pages]
    confidences = [page.confidence for page in pages if page.confidence is not None]
    return PartFile(
        first_page=part.first_page, last_page=part.last_page, route=part.route,
        sha256=sha256, size=size, mime_type=mime_type,
        text="\f".join(page.text for page in pages),
        ocr_confidence=round(sum(confidences) / len(confidences), 1) if confidences else None,
        languages=languages)


def _put(store: FileStore, data: bytes) -> tuple[str, int]:
    stored = store.store(io.BytesIO(data))
    return stored.sha256, stored.size


def _put_file(store: FileStore, path: Path) -> tuple[str, int]:
    with path.open("rb") as stream:
        stored = store.store(stream)
    return stored.sha256, stored.size


def _pdf_pages(path: Path, pages: Sequence[int]) -> bytes:
    """The given pages (0-based) of a PDF as a PDF of their own."""
    reader, writer = PdfReader(path), PdfWriter()
    for index in pages:
        writer.add_page(reader.pages[index])
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
