"""Reads about ingest jobs for the web app: what to tell a person about a job."""

from __future__ import annotations

from dossier.ingest import pipeline  # noqa: F401  (its IngestError reasons count too)
from dossier.ingest.errors import IngestError
from dossier.ingest.models import IngestJob


def _reasons(kind: type[IngestError]) -> dict[str, type[IngestError]]:
    found = {kind.reason: kind}
    for subclass in kind.__subclasses__():
        found.update(_reasons(subclass))
    return found


def job_message(job: IngestJob) -> str:
    """Why a job failed, in the reader's language when the reason is a known one.

    `job.message` was written in the default language when the job failed; the reason
    code and its details say the same in whatever language the request speaks.
    """
    if job.reason:
        kind = _reasons(IngestError).get(job.reason)
        if kind is not None:
            return kind(**(job.details or {})).message
    return job.message
