"""`flask dossier ingest PATH...`: per file the document id(s) or the reason; exit 1 on failure."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from dossier.barcodes import make_cover
from dossier.extensions import db
from dossier.ingest.models import IngestJob, JobState
from tests.factories import CustomerFactory
from tests.ingest.pipeline_scans import DUTCH, code_page, save_pdf, save_png, text_page

pytestmark = pytest.mark.committed


def _ingest(app: Flask, *paths: Path):
    return app.test_cli_runner().invoke(args=["dossier", "ingest", *map(str, paths)])


def _routed_scan(app: Flask, path: Path) -> Path:
    with app.app_context():
        customer = CustomerFactory()
        db.session.commit()
        cover = code_page(make_cover(customer.id, "quote", "sales"))
        db.session.remove()
    return save_pdf([cover, text_page(DUTCH)], path)


def test_prints_the_document_of_each_file_and_leaves_the_files_alone(committed_app: Flask,
                                                                     tmp_path: Path):
    routed = _routed_scan(committed_app, tmp_path / "offerte.pdf")
    unrouted = save_png(text_page(DUTCH), tmp_path / "brief.png")
    result = _ingest(committed_app, routed, unrouted)
    assert result.exit_code == 0, result.output
    with committed_app.app_context():
        jobs = {job.original_name: job for job in db.session.scalars(select(IngestJob))}
        document_id = jobs["offerte.pdf"].document_ids[0]
        triage_id = jobs["brief.png"].id
        db.session.remove()
    assert f"{routed}: document {document_id}" in result.output
    assert f"{unrouted}: in triage (1 part(s) to assign, ingest job {triage_id})" in (
        result.output)
    assert routed.exists() and unrouted.exists()  # copies were ingested


def test_a_duplicate_is_reported_and_is_no_failure(committed_app: Flask, tmp_path: Path):
    routed = _routed_scan(committed_app, tmp_path / "offerte.pdf")
    assert _ingest(committed_app, routed).exit_code == 0
    result = _ingest(committed_app, routed)
    assert result.exit_code == 0
    assert f"{routed}: duplicate: " in result.output and "document" in result.output


def test_a_failed_file_gives_its_reason_and_exit_code_1(committed_app: Flask,
                                                        tmp_path: Path):
    folder = tmp_path / "stapel"
    folder.mkdir()
    save_png(text_page(DUTCH), folder / "a-brief.png")
    (folder / "b-kapot.pdf").write_bytes(b"%PDF-1.4\n1 0 obj <<")
    (folder / ".verborgen").write_bytes(b"ignored")
    result = _ingest(committed_app, folder)
    assert result.exit_code == 1
    assert f"{folder / 'a-brief.png'}: in triage" in result.output
    assert f"{folder / 'b-kapot.pdf'}: failed (corrupt): " in result.output
    with committed_app.app_context():
        states = sorted(job.state for job in db.session.scalars(select(IngestJob)))
        db.session.remove()
    assert states == [JobState.FAILED, JobState.TRIAGE]


def test_a_missing_path_is_refused(committed_app: Flask, tmp_path: Path):
    result = _ingest(committed_app, tmp_path / "nergens.pdf")
    assert result.exit_code == 2 and "does not exist" in result.output
