"""The physical archive in the web app: the dashboard and finding a code.

Locations, items, labels, the scan station and census reports hang on the same
blueprint (views_*.py). Archive staff (Feature.ARCHIVE: clerks, admins) use all of it;
an item's own page is also open to whoever may see its document.
"""

from __future__ import annotations

from typing import NamedTuple

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from dossier import barcodes
from dossier.archive import overview, paper, queries
from dossier.archive.models import KIND_LABELS, MOVEMENT_LABELS, STATUS_LABELS, Status
from dossier.archive.place_html import place_html
from dossier.auth.permissions import Action, Feature, can

bp = Blueprint("archive", __name__, url_prefix="/archive")
# Pages that decide access for the object they show (an item: its document's readers).
OPEN_TO_DOCUMENT_READERS = frozenset({"archive.item"})
OUT_LISTED = 15


class Tab(NamedTuple):
    endpoint: str
    label: object
    section: tuple[str, ...]  # endpoint prefixes that mark the tab active


# The archive screens' own navigation; other archive screens add their tab here.
TABS = [
    Tab("archive.dashboard", _l("Overview"), ("archive.dashboard",)),
    Tab("archive.scan_station", _l("Scan station"), ("archive.scan", "archive.census")),
    Tab("archive.locations_tree", _l("Locations"), ("archive.location",)),
    Tab("archive.labels", _l("Labels"), ("archive.labels",)),
    Tab("requests.index", _l("Requests"), ("requests.index", "requests.overdue")),
    Tab("destruction.index", _l("Destruction"), ("destruction.",)),
    Tab("archive_upload.upload", _l("Scanner upload"), ("archive_upload.",)),
    Tab("digitise.advisor_list", _l("Digitisation"), ("digitise.",)),
]


@bp.before_request
@login_required
def _archive_staff_only() -> None:
    if request.endpoint in OPEN_TO_DOCUMENT_READERS:
        return
    if not can(current_user, Action.VIEW, Feature.ARCHIVE):
        abort(403)


@bp.context_processor
def _labels() -> dict[str, object]:
    return {"kind_labels": KIND_LABELS, "status_labels": STATUS_LABELS,
            "movement_labels": MOVEMENT_LABELS, "status_tones": paper.STATUS_TONES,
            "path_label": queries.path_label, "location_path": queries.path,
            "place_html": place_html,
            "archive_tabs": TABS, "today": queries.today(),
            "may_change_archive": can(current_user, Action.EDIT, Feature.ARCHIVE)}


@bp.app_template_global()
def paper_original_of(document: object) -> paper.PaperOriginal | None:
    """For the document screens: the document's original, where it is and how it stands."""
    return paper.paper_original_of(document)  # type: ignore[arg-type]


@bp.app_template_global()
def may_register_original(document: object) -> bool:
    return paper.may_register(current_user, document)  # type: ignore[arg-type]


@bp.route("")
def dashboard() -> str:
    today = queries.today()
    tree = overview.location_tree()
    past_retention, on_hold = overview.past_retention_count(today)
    return render_template(
        "archive/dashboard.html", counts=overview.status_counts(),
        overdue=overview.overdue_count(today), out=overview.items_out(OUT_LISTED),
        sites=tree, fullest=overview.fullest(tree), today=today,
        past_retention=past_retention, on_hold=on_hold, Status=Status)


@bp.route("/find")
def find() -> Response:
    """Open the page of the item or location a code (typed or scanned) names."""
    raw = request.args.get("code", "")
    try:
        value = barcodes.parse(raw)
    except barcodes.WrongCheckCharacter:
        flash(_("Check digit wrong, scan again."), "error")
        return redirect(url_for("archive.dashboard"))
    except barcodes.BarcodeError as error:
        flash(str(error), "error")
        return redirect(url_for("archive.dashboard"))
    if isinstance(value, barcodes.ItemCode) and queries.find_item(value.number):
        return redirect(url_for("archive.item", item_id=value.number))
    if isinstance(value, barcodes.LocationCode) and queries.find_location(value.number):
        return redirect(url_for("archive.location", location_id=value.number))
    flash(_("Unknown barcode %(code)s: nothing in the archive has it.", code=value.code),
          "error")
    return redirect(url_for("archive.dashboard"))


from dossier.archive import (  # noqa: E402,F401  (their routes join this blueprint)
    views_census,
    views_items,
    views_labels,
    views_locations,
    views_scan,
)
