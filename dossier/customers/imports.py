"""Importing customers from CSV or Excel: upload, column mapping, dry run, and an apply that
writes every row or none (one transaction). Every step is audited; the uploaded file is
kept only until the import is applied or discarded, or for a day when it is left."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import get_timezone
from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import defer

from dossier.auth.models import utcnow
from dossier.auth.permissions import Action, Feature, can
from dossier.compliance.audit import AuditAction, record
from dossier.customers import queries
from dossier.customers.imports_mapping import check_mapping, guess_mapping
from dossier.customers.imports_plan import ImportPlan, RowAction, plan_import
from dossier.customers.imports_reading import ImportFileInvalid, Sheet, file_format, read_table
from dossier.customers.imports_writes import (
    audit_each,
    create_customers,
    queue_search,
    update_customers,
)
from dossier.customers.key_fields import KEY_FIELDS
from dossier.customers.merge_models import CustomerImport, ImportStatus
from dossier.customers.merge_screen import field_label
from dossier.extensions import db

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
KEEP_UNFINISHED = timedelta(hours=24)
FLUSH_EVERY = 1000


class ImportRefused(Exception):
    """The import cannot go on; the message is safe to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def max_bytes() -> int:
    return int(current_app.config.get("IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def _check_actor(actor: Any) -> None:
    if not can(actor, Action.VIEW, Feature.IMPORT_CUSTOMERS):
        raise ImportRefused(_("Only an administrator may import customers."))


def upload(actor: Any, file_name: str, data: bytes) -> CustomerImport:
    """Check and keep an uploaded file, with a first guess of its column mapping.
    Raises ImportFileInvalid for a file that is not a readable customer list."""
    _check_actor(actor)
    if len(data) > max_bytes():
        raise ImportFileInvalid(_("The file is larger than %(mb)s MB; split it into smaller "
                                  "files.", mb=max_bytes() // (1024 * 1024)))
    kind = file_format(file_name, data)
    sheet = read_table(data, kind)
    forget_stale_uploads()
    upload_row = CustomerImport(created_by_id=getattr(actor, "id", None),
                                file_name=(file_name or "upload")[-200:], file_format=kind,
                                content=data,
                                mapping=guess_mapping(sheet.headers, queries.active_fields()))
    db.session.add(upload_row)
    db.session.flush()
    record(actor, AuditAction.CREATE, upload_row, details={
        "file_name": upload_row.file_name, "bytes": len(data), "rows": len(sheet.rows)})
    db.session.flush()
    return upload_row


def forget_stale_uploads(now: datetime | None = None) -> int:
    """Drop the files of imports left unfinished for a day (they hold personal data)."""
    cutoff = (now or utcnow()) - KEEP_UNFINISHED
    result = db.session.execute(
        update(CustomerImport)
        .where(CustomerImport.status == ImportStatus.UPLOADED.value,
               CustomerImport.created_at < cutoff)
        .values(content=None, status=ImportStatus.DISCARDED.value, finished_at=utcnow()))
    return int(getattr(result, "rowcount", 0) or 0)


def sheet_of(upload_row: CustomerImport) -> Sheet:
    if not upload_row.is_open or upload_row.content is None:
        raise ImportRefused(_("This import is finished; its file is no longer kept."))
    return read_table(upload_row.content, upload_row.file_format)


def set_mapping(actor: Any, upload_row: CustomerImport, mapping: Mapping[str, str]) -> None:
    _check_actor(actor)
    sheet = sheet_of(upload_row)
    clean, problems = check_mapping(mapping, sheet.headers, queries.active_fields())
    if problems:
        raise ImportRefused(" ".join(problems))
    upload_row.mapping = clean
    record(actor, AuditAction.UPDATE, upload_row, details={"mapping": clean})
    db.session.flush()


def dry_run(actor: Any, upload_row: CustomerImport) -> ImportPlan:
    """What the apply would do; reads only."""
    _check_actor(actor)
    sheet = sheet_of(upload_row)
    return plan_import(sheet, upload_row.mapping, queries.active_fields(), _labels(), _today())


def apply(actor: Any, upload_row: CustomerImport, expected: Mapping[str, int],
          skip_rejected: bool = False) -> ImportPlan:
    """Write the plan, all of it or nothing. `expected` are the dry run's counts the user
    confirmed: if the data changed since, the user must look again."""
    plan = dry_run(actor, upload_row)
    counts = plan.counts
    if any(counts[key] != int(expected.get(key, -1)) for key in counts):
        raise ImportRefused(_("The customers changed since the dry run; check the new dry "
                              "run and confirm again."))
    if counts[RowAction.REJECT.value] and not skip_rejected:
        raise ImportRefused(_("%(n)s rows are rejected. Correct the file and upload it again, "
                              "or choose to leave those rows out.",
                              n=counts[RowAction.REJECT.value]))
    if not counts[RowAction.CREATE.value] and not counts[RowAction.UPDATE.value]:
        raise ImportRefused(_("There is nothing to import."))
    creates = [row for row in plan.rows if row.action == RowAction.CREATE]
    updates = [row for row in plan.rows if row.action == RowAction.UPDATE]
    created = create_customers(creates)
    update_customers(updates)
    db.session.expire_all()  # customers changed by bulk statements: loaded objects are stale
    audit_each(actor, AuditAction.CREATE, creates, created, upload_row.id)
    audit_each(actor, AuditAction.UPDATE, updates,
               {row.line: row.customer_id for row in updates if row.customer_id}, upload_row.id)
    queue_search(created.values(), updates)
    _finish(actor, upload_row, counts, len(created), len(updates))
    return plan


def _finish(actor: Any, upload_row: CustomerImport, counts: Mapping[str, int],
            created: int, updated: int) -> None:
    upload_row.status = ImportStatus.APPLIED.value
    upload_row.content = None
    upload_row.summary = dict(counts)
    upload_row.finished_at = utcnow()
    record(actor, AuditAction.UPDATE, upload_row, details={
        "applied": dict(counts), "created": created, "updated": updated})
    db.session.flush()


def discard(actor: Any, upload_row: CustomerImport) -> None:
    _check_actor(actor)
    upload_row.status = ImportStatus.DISCARDED.value
    upload_row.content = None
    upload_row.finished_at = utcnow()
    record(actor, AuditAction.DELETE, upload_row, details={"file_name": upload_row.file_name})
    db.session.flush()


def open_imports() -> list[CustomerImport]:
    query = (select(CustomerImport).where(CustomerImport.status == ImportStatus.UPLOADED.value)
             .options(defer(CustomerImport.content))
             .order_by(CustomerImport.created_at.desc()).limit(20))
    return list(db.session.scalars(query))


def _labels() -> dict[str, str]:
    return {name: str(field_label(name)) for name in KEY_FIELDS}


def _today() -> date:
    return datetime.now(UTC).astimezone(get_timezone()).date()
