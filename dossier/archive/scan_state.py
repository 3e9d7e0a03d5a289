"""What the scan station remembers between scans, and the feedback of one scan."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from dossier.archive.recording import new_batch_id

REPEAT_WINDOW = timedelta(seconds=1)


class ScanMode(StrEnum):
    CHECK_IN = "checkin"
    CHECK_OUT = "checkout"
    MOVE = "move"
    BOX = "box"
    CENSUS = "census"
    PICK = "pick"  # for retrieval requests (pick_mode)


class Level(StrEnum):
    OK = "ok"
    WARNING = "warning"
    ERROR = "error"


class Sound(StrEnum):
    OK = "ok"
    WARNING = "warning"
    ERROR = "error"
    NONE = "none"


COLOURS = {Level.OK: "green", Level.WARNING: "amber", Level.ERROR: "red"}


@dataclass(frozen=True)
class ScanState:
    """What the station remembers between scans. `target_id`: the location scanned as
    destination (move, box, census, check-in elsewhere than home); `person_id`: the
    borrower (check-out); `batch_id` changes with each new destination or borrower."""

    mode: ScanMode
    batch_id: str
    target_id: int | None = None
    person_id: int | None = None
    due_on: date | None = None  # check-out; None: today + ARCHIVE_LOAN_DAYS
    last_code: str | None = None
    last_at: datetime | None = None  # UTC
    done: int = 0  # changes made in this batch

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON values, e.g. for the session."""
        return {"mode": self.mode.value, "batch_id": self.batch_id,
                "target_id": self.target_id, "person_id": self.person_id,
                "due_on": self.due_on.isoformat() if self.due_on else None,
                "last_code": self.last_code,
                "last_at": self.last_at.isoformat() if self.last_at else None,
                "done": self.done}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> ScanState | None:
        """The state `to_dict` gave, or None for anything else (start afresh then)."""
        if not isinstance(data, Mapping):
            return None
        try:
            return cls(mode=ScanMode(data["mode"]), batch_id=str(data["batch_id"])[:32],
                       target_id=_optional(int, data.get("target_id")),
                       person_id=_optional(int, data.get("person_id")),
                       due_on=_optional(date.fromisoformat, data.get("due_on")),
                       last_code=_optional(str, data.get("last_code")),
                       last_at=_optional(_naive_utc, data.get("last_at")),
                       done=int(data.get("done") or 0))
        except (KeyError, TypeError, ValueError):
            return None

    def next_batch(self, **changes: Any) -> ScanState:
        return replace(self, batch_id=new_batch_id(), done=0, **changes)


def _optional(convert: Any, value: Any) -> Any:
    return None if value is None else convert(value)


def _naive_utc(text: str) -> datetime:
    """Times are kept naive in UTC, as `utcnow()` gives them; others are refused."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is not None:
        raise ValueError("the time of the last read must be naive UTC")
    return moment


@dataclass(frozen=True)
class ScanResult:
    """The feedback of one scan. `reason` is a stable code ("checked_in",
    "already_in", "wrong_check_character", ...); `message` is for the clerk."""

    level: Level
    message: str
    reason: str
    state: ScanState
    changed: bool = False
    ignored: bool = False  # a repeated read: show nothing new, play nothing
    item_id: int | None = None
    location_id: int | None = None
    movement_ids: tuple[int, ...] = ()

    @property
    def code(self) -> str:
        return self.state.last_code or ""

    @property
    def sound(self) -> Sound:
        return Sound.NONE if self.ignored else Sound(self.level.value)

    @property
    def colour(self) -> str:
        return COLOURS[self.level]


def start(mode: ScanMode | str, *, due_on: date | None = None) -> ScanState:
    return ScanState(mode=ScanMode(mode), batch_id=new_batch_id(), due_on=due_on)
