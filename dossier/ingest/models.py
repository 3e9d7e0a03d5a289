"""Ingest state in the database: one job per received file, and its parts awaiting triage."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dossier.auth.models import utcnow
from dossier.extensions import db


class JobState(StrEnum):
    QUEUED = "queued"
    PROCESSING = "processing"
    DONE = "done"  # every part became a document
    FAILED = "failed"  # the file is in failed/ with a reason; retry possible
    TRIAGE = "triage"  # stored and read, but at least one part waits for a person
    DUPLICATE = "duplicate"  # same content as an earlier job; nothing new made


class JobSource(StrEnum):
    INBOX = "inbox"
    UPLOAD = "upload"
    CLI = "cli"


class Stage(StrEnum):
    """Where a job is in the pipeline, for the progress shown in the UI."""

    QUEUED = "queued"
    READING = "reading"  # hashing, sniffing, limits
    TEXT = "text"  # text layer or OCR, page n of m
    BARCODES = "barcodes"
    STORING = "storing"
    FINISHED = "finished"


# Jobs whose content another job already owns are recorded as duplicates; every other
# job holds its SHA-256 uniquely, so one file never makes two documents.
_NOT_DUPLICATE = text("state != 'duplicate'")


class IngestJob(db.Model):  # type: ignore[name-defined]
    __tablename__ = "ingest_job"
    __table_args__ = (
        Index("uq_ingest_job_sha256", "sha256", unique=True,
              sqlite_where=_NOT_DUPLICATE, postgresql_where=_NOT_DUPLICATE),
        Index("ix_ingest_job_state_lease", "state", "lease_expires_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    original_name: Mapped[str] = mapped_column(String(255))
    source: Mapped[str] = mapped_column(String(10), default=JobSource.INBOX.value)
    state: Mapped[str] = mapped_column(String(12), default=JobState.QUEUED.value)
    attempts: Mapped[int] = mapped_column(default=0)
    lease_expires_at: Mapped[datetime | None]
    worker_id: Mapped[str | None] = mapped_column(String(120))
    stage: Mapped[str] = mapped_column(String(12), default=Stage.QUEUED.value)
    page: Mapped[int | None]  # progress: page n ...
    page_total: Mapped[int | None]  # ... of m
    reason: Mapped[str | None] = mapped_column(String(40))  # stable code, e.g. "encrypted"
    message: Mapped[str] = mapped_column(Text, default="")  # in the default language
    # The values in the message (pages, limits), so the UI can say it in the reader's language.
    details: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    # Where the file is while nobody has finished with it (work folder, upload spool),
    # and where it went on failure or as a duplicate.
    work_path: Mapped[str | None] = mapped_column(String(1000))
    failed_path: Mapped[str | None] = mapped_column(String(1000))
    size_bytes: Mapped[int] = mapped_column(default=0)
    mime_type: Mapped[str | None] = mapped_column(String(100))
    method: Mapped[str | None] = mapped_column(String(12))  # "text_layer" or "ocr"
    page_count: Mapped[int | None]
    original_stored: Mapped[bool] = mapped_column(default=False)  # in the file store by sha256
    searchable_sha256: Mapped[str | None] = mapped_column(String(64))
    barcodes: Mapped[list[dict[str, object]]] = mapped_column(JSON, default=list)
    document_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    duplicate_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("ingest_job.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    finished_at: Mapped[datetime | None]

    duplicate_of: Mapped[IngestJob | None] = relationship(remote_side=[id])
    triage_items: Mapped[list[TriageItem]] = relationship(
        back_populates="job", cascade="all, delete-orphan", order_by="TriageItem.position")

    @property
    def is_active(self) -> bool:
        return self.state in (JobState.QUEUED, JobState.PROCESSING)

    @property
    def pending_triage(self) -> list[TriageItem]:
        return [item for item in self.triage_items if item.document_id is None]

    def __repr__(self) -> str:
        return f"<IngestJob {self.id} {self.state} {self.original_name!r}>"


class TriageItem(db.Model):  # type: ignore[name-defined]
    """Pages of a scan that no barcode routed: stored and read, waiting for a person.

    A scan without any routing barcode is one item; separator sheets without a cover
    sheet make one item per part. Assigning an item makes its document.
    """

    __tablename__ = "triage_item"
    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("ingest_job.id", ondelete="CASCADE"),
                                        index=True)
    position: Mapped[int] = mapped_column(default=1)  # part number within the scan
    first_page: Mapped[int]  # 1-based, in the original file
    last_page: Mapped[int]
    file_sha256: Mapped[str] = mapped_column(String(64))  # the part's file in the store
    mime_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int]
    text: Mapped[str] = mapped_column(Text, default="")  # pages separated by form feeds
    ocr_confidence: Mapped[float | None]
    languages: Mapped[str] = mapped_column(String(40), default="")
    # Why no barcode routed it, when a cover sheet was there but could not be followed.
    note: Mapped[str] = mapped_column(String(300), default="")
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("document.id", ondelete="SET NULL"), index=True)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    assigned_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    job: Mapped[IngestJob] = relationship(back_populates="triage_items")

    @property
    def page_texts(self) -> list[str]:
        return self.text.split("\f") if self.text else []

    def __repr__(self) -> str:
        return f"<TriageItem {self.id} job={self.job_id} pages={self.first_page}-{self.last_page}>"
