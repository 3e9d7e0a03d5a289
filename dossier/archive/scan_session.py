"""The scan station's memory in the signed-in user's session: the ScanState, the last few
scans, and the feedback of the latest one until the page has shown it.

The session is a signed cookie, so only small plain values go in: the state's own
dict and, per scan, its code, level and message (shortened).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from flask import current_app, session
from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from dossier.archive import queries
from dossier.archive.scan_modes import DEFAULT_LOAN_DAYS
from dossier.archive.scan_state import ScanMode, ScanResult, ScanState, start
from dossier.auth.models import utcnow

SESSION_KEY = "archive_scan"
RECENT = 10
MESSAGE_LENGTH = 200
MODE_LABELS = {
    ScanMode.CHECK_IN: _l("Check in"),
    ScanMode.CHECK_OUT: _l("Check out"),
    ScanMode.MOVE: _l("Move"),
    ScanMode.BOX: _l("Put into box"),
    ScanMode.CENSUS: _l("Census"),
    ScanMode.PICK: _l("Pick"),
}
MODE_HELP = {
    ScanMode.CHECK_IN: _l("Scan originals to put them back at their home location, or scan "
                          "a location first to check them in there."),
    ScanMode.CHECK_OUT: _l("Scan the borrower's badge (or choose the borrower below), then "
                           "the originals."),
    ScanMode.MOVE: _l("Scan where things go, then the originals or boxes: a box moves with "
                      "everything in it."),
    ScanMode.BOX: _l("Scan the box, then the originals that go into it."),
    ScanMode.CENSUS: _l("Scan the shelf or box you count, then everything you see on it. "
                        "The report lists what is missing, misplaced or unexpected."),
    ScanMode.PICK: _l("Scan the originals on the pick list as you take them off the shelf."),
}


@dataclass(frozen=True)
class StationView:
    """The state in words, for the page and for the JSON answer."""

    mode: ScanMode
    target: str | None
    target_id: int | None
    borrower: str | None
    due_on: date | None  # of check-outs: the one chosen, else the loan period's end
    done: int
    batch_id: str

    def as_json(self) -> dict[str, Any]:
        return {"mode": self.mode.value, "mode_label": str(MODE_LABELS[self.mode]),
                "target": self.target, "borrower": self.borrower,
                "due_on": format_date(self.due_on) if self.due_on else None,
                "done": self.done}


def _stored() -> dict[str, Any]:
    value = session.get(SESSION_KEY)
    return dict(value) if isinstance(value, dict) else {}


def _store(**changes: Any) -> None:
    session[SESSION_KEY] = _stored() | changes


def current_state() -> ScanState:
    state = ScanState.from_dict(_stored().get("state"))
    return state if state is not None else start(ScanMode.CHECK_IN)


def switch_mode(mode: ScanMode) -> ScanState:
    """A new mode starts afresh (a new batch, no destination or borrower)."""
    state = start(mode)
    _store(state=state.to_dict(), feedback=None)
    return state


def set_due_date(due_on: date) -> ScanState:
    state = replace(current_state(), due_on=due_on)
    _store(state=state.to_dict())
    return state


def remember(result: ScanResult) -> dict[str, Any]:
    """Keep the state the scan left; list the scan unless it was an ignored repeat."""
    entry = entry_of(result)
    stored = _stored()
    recent = [item for item in stored.get("recent") or [] if isinstance(item, dict)]
    changes: dict[str, Any] = {"state": result.state.to_dict()}
    if not result.ignored:
        changes["recent"] = [entry, *recent][:RECENT]
        changes["feedback"] = entry
    _store(**changes)
    return entry


def entry_of(result: ScanResult) -> dict[str, Any]:
    return {"code": result.code[:40], "level": result.level.value, "colour": result.colour,
            "sound": result.sound.value, "reason": result.reason,
            "message": result.message[:MESSAGE_LENGTH], "at": utcnow().isoformat()}


def recent() -> list[dict[str, Any]]:
    return [item for item in _stored().get("recent") or [] if isinstance(item, dict)]


def take_feedback() -> dict[str, Any] | None:
    """The latest scan's feedback, once: a reload of the page does not repeat it."""
    feedback = _stored().get("feedback")
    if feedback is not None:
        _store(feedback=None)
    return feedback if isinstance(feedback, dict) else None


def describe(state: ScanState) -> StationView:
    target = queries.find_location(state.target_id) if state.target_id else None
    person = queries.find_person(state.person_id) if state.person_id else None
    return StationView(mode=state.mode, target=queries.path_label(target) if target else None,
                       target_id=target.id if target else None,
                       borrower=person.display_name if person else None,
                       due_on=due_date(state), done=state.done, batch_id=state.batch_id)


def due_date(state: ScanState) -> date | None:
    """When check-outs in this state are due back (as scan_modes decides it)."""
    if state.mode != ScanMode.CHECK_OUT:
        return None
    days = current_app.config.get("ARCHIVE_LOAN_DAYS", DEFAULT_LOAN_DAYS)
    return state.due_on or queries.today() + timedelta(days=days)
