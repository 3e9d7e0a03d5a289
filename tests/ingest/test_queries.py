"""What the web app tells a person about a job."""

from __future__ import annotations

from flask import Flask
from flask_babel import force_locale

from dossier.ingest.models import IngestJob
from dossier.ingest.queries import job_message


def test_a_known_reason_is_told_in_the_readers_language(app: Flask):
    job = IngestJob(reason="too_many_pages", message="Het bestand heeft 900 pagina's",
                    details={"pages": 900, "limit": 500})
    with force_locale("en"):
        assert job_message(job) == "The file has 900 pages; the limit is 500."
    with force_locale("nl"):
        assert "900" in job_message(job) and "500" in job_message(job)
        assert job_message(job) != "The file has 900 pages; the limit is 500."


def test_the_pipelines_own_reasons_are_known_too(app: Flask):
    with force_locale("en"):
        assert job_message(IngestJob(reason="only_sheets", message="x", details={})) == (
            "The scan holds only cover or separator sheets, no document pages.")


def test_other_reasons_keep_the_stored_message(app: Flask):
    for reason in ("worker_lost", "duplicate", None):
        assert job_message(IngestJob(reason=reason, message="as stored", details={})) == (
            "as stored")
