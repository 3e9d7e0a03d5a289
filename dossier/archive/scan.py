"""The scan station as a state machine: one scanned code in, one feedback out.

`scan(raw, mode, state, actor)` is the whole interface. The station page, the CLI and
an offline batch all call it; the state (mode, destination or borrower, batch, last
read) travels between calls as a small value the caller keeps, e.g. in the session.
Codes are normalised, their check character verified, repeated reads of one code
within a second ignored; then the mode decides (scan_modes). Every refusal changes
nothing; the caller commits after each scan.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from flask_babel import gettext as _

from dossier import barcodes
from dossier.archive import errors, queries, scan_modes
from dossier.archive.recording import require_clerk
from dossier.archive.scan_state import (
    REPEAT_WINDOW,
    Level,
    ScanMode,
    ScanResult,
    ScanState,
    Sound,
    start,
)
from dossier.auth.models import utcnow

__all__ = ["Level", "ScanMode", "ScanResult", "ScanState", "Sound", "scan", "start"]


def scan(raw: str, mode: ScanMode | str, state: ScanState | None, actor: Any, *,
         now: datetime | None = None) -> ScanResult:
    """Act on one scanned code in `mode`. A state of another mode (or None) starts afresh."""
    mode = ScanMode(mode)
    now = now or utcnow()
    if state is None or state.mode != mode:
        state = start(mode)
    code = barcodes.normalise(raw)
    if (state.last_code == code and state.last_at is not None
            and timedelta(0) <= now - state.last_at < REPEAT_WINDOW):
        return ScanResult(Level.OK, _("The same code was read twice; the second read is "
                                      "ignored."), "repeat_read",
                          replace(state, last_at=now), ignored=True)
    state = replace(state, last_code=code, last_at=now)
    try:
        require_clerk(actor)
        return scan_modes.act(_lookup(raw), state, actor)
    except errors.ArchiveError as error:
        return ScanResult(Level.ERROR, error.message, error.reason, state)


def _lookup(raw: str) -> Any:
    """The item, location or person a code names; refused with the reason otherwise."""
    try:
        value = barcodes.parse(raw)
    except barcodes.WrongCheckCharacter:
        raise errors.WrongCheckCharacter(_("Check digit wrong, scan again.")) from None
    except barcodes.BarcodeError as error:
        raise errors.UnreadableCode(str(error)) from None
    found: Any = None
    if isinstance(value, barcodes.ItemCode):
        found = queries.find_item(value.number)
    elif isinstance(value, barcodes.LocationCode):
        found = queries.find_location(value.number)
    elif isinstance(value, barcodes.BadgeCode):
        found = queries.find_person(value.user_id)
    else:
        raise errors.UnreadableCode(_("%(code)s is a %(kind)s, not an archive label.",
                                      code=value.code, kind=barcodes.KIND_LABELS[value.kind]))
    if found is None:
        raise errors.UnknownBarcode(_("Unknown barcode %(code)s: nothing in Dossier has it.",
                                      code=value.code))
    return found
