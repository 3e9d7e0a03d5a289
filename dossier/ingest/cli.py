"""`flask dossier ingest PATH...`: feed files to the pipeline now and say what came of each.

Each file is copied into the inbox's work area (the file given stays where it is),
recorded as a job and processed in this process with its own OCR pool, exactly as the
worker would. Prints per file the document id(s) made or the reason it failed; exits 1
if any file failed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from dossier.extensions import db
from dossier.ingest import pipeline
from dossier.ingest.models import IngestJob, JobSource, JobState
from dossier.ingest.ocr_pool import OcrPool
from dossier.ingest.services import ingest_file
from dossier.ingest.tasks import queue_jobs
from dossier.ingest.worker import lease_keeper


def _files(paths: Iterable[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(child for child in path.iterdir()
                              if child.is_file() and not child.name.startswith("."))
        else:
            yield path


@click.command("ingest")
@click.argument("paths", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=True, path_type=Path))
@with_appcontext
def ingest_command(paths: tuple[Path, ...]) -> None:
    """Ingest files (or every file in a folder) as if scanned into the inbox."""
    failures = 0
    with OcrPool.from_config(current_app.config) as pool:
        for path in _files(paths):
            job = _ingest_one(path, pool)
            failures += job.state == JobState.FAILED
            click.echo(f"{path}: {describe(job)}", err=job.state == JobState.FAILED)
    if failures:
        raise click.exceptions.Exit(1)


def _ingest_one(path: Path, pool: OcrPool) -> IngestJob:
    job = ingest_file(path, source=JobSource.CLI)
    db.session.commit()
    if job.state != JobState.QUEUED:  # a duplicate: set it aside, nothing to process
        queue_jobs([job])
        return job
    pipeline.run_job(job.id, pool, lease_keeper)
    db.session.refresh(job)
    return job


def describe(job: IngestJob) -> str:
    """One line for a person: what came of the file."""
    documents = ", ".join(str(number) for number in job.document_ids)
    if job.state == JobState.DONE and not job.document_ids and job.details.get("replies"):
        return f"reply coupons recorded: {job.details['replies']}"
    if job.state == JobState.DONE:
        return f"document {documents}" if len(job.document_ids) == 1 else f"documents {documents}"
    if job.state == JobState.TRIAGE:
        waiting = len(job.pending_triage)
        made = f"; documents {documents}" if documents else ""
        return f"in triage ({waiting} part(s) to assign, ingest job {job.id}){made}"
    if job.state == JobState.DUPLICATE:
        return f"duplicate: {job.message}"
    if job.state == JobState.FAILED:
        return f"failed ({job.reason}): {job.message}"
    return f"{job.state} (ingest job {job.id})"
