"""The scan station's pick mode, and what the other modes say about waiting requests.

pick: item...   taken off the shelf for the first request in line (in transit to the
                requester); handing it over is a check-out to the requester.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask_babel import gettext as _

from dossier.archive import request_queries, requests
from dossier.archive.errors import WrongStep
from dossier.archive.models import Location, PhysicalItem
from dossier.archive.scan_state import Level, ScanResult, ScanState


def pick_item(item: PhysicalItem, state: ScanState, actor: Any) -> ScanResult:
    picked = requests.pick(actor, item, batch_id=state.batch_id)
    name = picked.request.requester.display_name
    if not picked.changed:
        return ScanResult(Level.OK, _("%(code)s is already picked for %(name)s.",
                                      code=item.barcode, name=name),
                          "already_picked", state, item_id=item.id)
    movement = picked.outcome.movement
    return ScanResult(
        Level.OK, _("%(code)s picked for %(name)s: check it out to them when you hand it "
                    "over.", code=item.barcode, name=name),
        "picked", replace(state, done=state.done + 1), changed=True, item_id=item.id,
        movement_ids=(movement.id,) if movement is not None else ())


def pick_location(location: Location, state: ScanState, actor: Any) -> ScanResult:
    raise WrongStep(_("When picking, scan the originals on the pick list."))


def waiting_request_note(item: PhysicalItem) -> str | None:
    """What to tell the clerk who just put `item` back while someone waits for it."""
    waiting = request_queries.waiting_for(item)
    if waiting is None:
        return None
    return _("%(name)s asked for %(code)s: put it with the originals to pick.",
             name=waiting.requester.display_name, code=item.barcode)
