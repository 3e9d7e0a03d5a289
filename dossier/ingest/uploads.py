"""Files sent through the web upload: each checked on its own, then a job or a clear refusal.

What can be judged from the first bytes and the size (empty, not a document, too large)
is refused at once, so the uploader sees it beside the file instead of a failed job
later. Everything else is the pipeline's to judge, as for a scanned file.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any

from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.datastructures import FileStorage

from dossier.ingest.errors import IngestError
from dossier.ingest.inbox import safe_name
from dossier.ingest.limits import Limits
from dossier.ingest.models import IngestJob, JobState
from dossier.ingest.queries import job_message
from dossier.ingest.services import ingest_upload
from dossier.ingest.sniff import PDF_HEADER_WINDOW, sniff_bytes


@dataclass(frozen=True)
class UploadOutcome:
    """One file of an upload: the job it became, or why it was refused."""

    name: str
    job: IngestJob | None = None
    refusal: str = ""

    @property
    def status(self) -> str:
        """"refused", or the job's state (queued, processing, done, triage, failed, duplicate)."""
        return self.job.state if self.job is not None else "refused"

    @property
    def message(self) -> str:
        if self.job is None:
            return self.refusal
        return describe_job(self.job)

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "status": self.status, "message": self.message,
                "job": self.job.id if self.job is not None else None}


def chosen_files(files: Iterable[FileStorage]) -> list[FileStorage]:
    """The files actually chosen: a form sent with none still holds one nameless empty part."""
    return [file for file in files if file.filename]


def receive_uploads(files: Iterable[FileStorage], actor: Any,
                    limits: Limits) -> list[UploadOutcome]:
    """A job per acceptable file (or the duplicate record); the caller commits, then
    queues the jobs (tasks.queue_jobs)."""
    outcomes = []
    for file in files:
        name = safe_name(file.filename or "")
        try:
            check_upload(file.stream, limits)
        except IngestError as error:
            outcomes.append(UploadOutcome(name, refusal=error.message))
            continue
        outcomes.append(UploadOutcome(name, job=ingest_upload(file, actor)))
    return outcomes


def check_upload(stream: IO[bytes], limits: Limits) -> None:
    """Raise EmptyFile, UnsupportedType or TooLarge; leave the stream at its start."""
    head = stream.read(PDF_HEADER_WINDOW)
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(0)
    sniff_bytes(head)
    limits.check_size(size)


def describe_job(job: IngestJob) -> str:
    """What came of a job so far, in a sentence for the person who sent the file."""
    if job.state in (JobState.QUEUED, JobState.PROCESSING):
        return _("Received as job %(job)s; it is read in the background.", job=job.id)
    if job.state == JobState.DUPLICATE:
        return _("Already received as job %(job)s: nothing new was made.",
                 job=job.duplicate_of_id or "?")
    if job.state == JobState.DONE:
        numbers = ", ".join(str(number) for number in job.document_ids)
        return ngettext("Filed as document %(numbers)s.", "Filed as documents %(numbers)s.",
                        len(job.document_ids), numbers=numbers)
    if job.state == JobState.TRIAGE:
        return ngettext("Read; %(num)s part waits in triage for a customer.",
                        "Read; %(num)s parts wait in triage for a customer.",
                        len(job.pending_triage))
    return _("Failed: %(reason)s", reason=job_message(job))
