"""Label sheets: choose codes and a sheet layout, get a PDF to print on sticky labels."""

from __future__ import annotations

import io
import re

from flask import render_template, request, send_file
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from dossier import barcodes
from dossier.archive import queries
from dossier.archive.forms import MAX_LABELS, LabelSheetForm
from dossier.archive.labels import LAYOUTS, Label, label_sheet_pdf, sheets_needed
from dossier.archive.views import bp
from dossier.auth.models import User
from dossier.extensions import db

_SEPARATORS = re.compile(r"[\s,;]+")


@bp.route("/labels")
def labels() -> str | Response | tuple[str, int]:
    """The form (codes may come filled in from another page); once a layout is chosen,
    the PDF. Printing changes nothing, so this is a GET."""
    form = LabelSheetForm(request.args)
    if "layout" not in request.args:
        return render_template("archive/labels.html", form=form, count=None)
    if not form.validate():
        return render_template("archive/labels.html", form=form, count=None), 422
    found, errors = labels_for(form.codes.data or "")
    if errors or len(found) > MAX_LABELS:
        form.codes.errors = errors or [_("At most %(max)s labels at a time.", max=MAX_LABELS)]
        return render_template("archive/labels.html", form=form, count=None), 422
    layout = LAYOUTS[form.layout.data or ""]
    skip = form.skip.data or 0
    pdf = label_sheet_pdf(found, layout, skip=skip, title=_("Dossier labels"))
    response = send_file(io.BytesIO(pdf), mimetype="application/pdf", as_attachment=False,
                         download_name=f"labels-{layout.key}-{len(found)}.pdf", max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Label-Sheets"] = str(sheets_needed(len(found), layout, skip))
    return response


def labels_for(text: str) -> tuple[list[Label], list[str]]:
    """A label per code (in the order given, each once), and what was wrong with others."""
    found: list[Label] = []
    errors: list[str] = []
    seen: set[str] = set()
    for raw in _SEPARATORS.split(text):
        if not raw.strip():
            continue
        try:
            value = barcodes.parse(raw)
        except barcodes.BarcodeError as error:
            errors.append(str(error))
            continue
        if value.code in seen:
            continue
        seen.add(value.code)
        label = _label(value)
        if label is None:
            errors.append(_("Unknown barcode %(code)s: nothing in the archive has it.",
                            code=value.code))
        else:
            found.append(label)
    return found, errors[:20]


def _label(value: barcodes.BarcodeValue) -> Label | None:
    if isinstance(value, barcodes.ItemCode):
        item = queries.find_item(value.number)
        return Label(value.code, _("Paper original")) if item else None
    if isinstance(value, barcodes.LocationCode):
        place = queries.find_location(value.number)
        if place is None:
            return None
        return Label(value.code, queries.path_label(place), keep_end=True)
    if isinstance(value, barcodes.BadgeCode):
        person = db.session.get(User, value.user_id)
        return Label(value.code, person.display_name) if person else None
    return None
