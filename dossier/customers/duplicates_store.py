"""Keeping the finder's results: refresh the candidate list, dismiss a pair, read the list."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, delete, func, insert, select

from dossier.auth.models import utcnow
from dossier.compliance.audit import AuditAction, record
from dossier.customers.duplicates import find_candidates
from dossier.customers.merge_models import DuplicateCandidate, DuplicateDismissal
from dossier.extensions import db

INSERT_BATCH = 1000


@dataclass(frozen=True)
class Refreshed:
    candidates: int
    seconds: float


def ordered(one_id: int, other_id: int) -> tuple[int, int]:
    return (one_id, other_id) if one_id < other_id else (other_id, one_id)


def dismissed_pairs() -> set[tuple[int, int]]:
    rows = db.session.execute(select(DuplicateDismissal.first_id, DuplicateDismissal.second_id))
    return {(first, second) for first, second in rows}


def refresh_candidates(actor: Any) -> Refreshed:
    """Run the finder over every customer and replace the stored candidate list."""
    started = time.perf_counter()
    found = find_candidates(dismissed=dismissed_pairs())
    db.session.execute(delete(DuplicateCandidate))
    now = utcnow()
    rows = [{"first_id": c.first_id, "second_id": c.second_id, "score": c.score,
             "reasons": c.reasons, "found_at": now} for c in found]
    for start in range(0, len(rows), INSERT_BATCH):
        db.session.execute(insert(DuplicateCandidate), rows[start:start + INSERT_BATCH])
    seconds = time.perf_counter() - started
    record(actor, AuditAction.SEARCH, object_type="DuplicateCandidate",
           details={"candidates": len(rows), "seconds": round(seconds, 1)})
    db.session.flush()
    return Refreshed(len(rows), seconds)


def dismiss(actor: Any, candidate: DuplicateCandidate) -> None:
    """Remember that these two are not one; the pair leaves the list for good."""
    first_id, second_id = ordered(candidate.first_id, candidate.second_id)
    exists = db.session.get(DuplicateDismissal, (first_id, second_id))
    if exists is None:
        db.session.add(DuplicateDismissal(first_id=first_id, second_id=second_id,
                                          dismissed_by_id=getattr(actor, "id", None)))
    for customer_id in (first_id, second_id):
        record(actor, AuditAction.UPDATE, object_type="DuplicateDismissal",
               object_id=f"{first_id}-{second_id}", customer_id=customer_id,
               details={"not_a_duplicate_of": second_id if customer_id == first_id
                        else first_id})
    db.session.delete(candidate)
    db.session.flush()


def candidate_list(min_score: int = 0) -> Select[tuple[DuplicateCandidate]]:
    """Candidates (with both customers joined in), most likely first."""
    return (select(DuplicateCandidate).where(DuplicateCandidate.score >= min_score)
            .order_by(DuplicateCandidate.score.desc(), DuplicateCandidate.id))


def last_run() -> datetime | None:
    found: datetime | None = db.session.scalar(select(func.max(DuplicateCandidate.found_at)))
    return found


def candidate_for(one_id: int, other_id: int) -> DuplicateCandidate | None:
    first_id, second_id = ordered(one_id, other_id)
    return db.session.scalar(select(DuplicateCandidate).where(
        DuplicateCandidate.first_id == first_id, DuplicateCandidate.second_id == second_id))
