"""The census report: what a count of one shelf or box found, and the one click that
records the originals not seen as missing."""

from __future__ import annotations

import re

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.wrappers import Response

from dossier.archive import census, queries
from dossier.archive.models import Location
from dossier.archive.views import bp
from dossier.auth.permissions import Action, Feature, can
from dossier.auth.views import signed_in_user
from dossier.extensions import db

_BATCH = re.compile(r"^[0-9a-f]{32}$")


def _census_of(source: dict[str, str]) -> census.CensusFindings:
    """The findings named by `location` and `batch` (a census's batch id)."""
    location_id = str(source.get("location", ""))
    batch_id = str(source.get("batch", ""))
    if not location_id.isdigit() or not _BATCH.match(batch_id):
        abort(404)
    location = db.get_or_404(Location, int(location_id))
    return census.findings(location, batch_id)


@bp.route("/census")
def census_report() -> str:
    found = _census_of(request.args)
    return render_template("archive/census.html", found=found,
                           path=queries.path_label(found.location),
                           states={item.id: queries.state_of(item) for item in found.missing})


@bp.route("/census/record", methods=["POST"])
def census_record() -> Response:
    if not can(current_user, Action.EDIT, Feature.ARCHIVE):
        abort(403)
    found = _census_of(request.form)
    written = census.record_missing(signed_in_user(), found)
    db.session.commit()
    if written:
        flash(ngettext("%(num)s original recorded as missing.",
                       "%(num)s originals recorded as missing.", len(written)), "success")
    else:
        flash(_("Nothing to record: every original recorded here was seen."), "info")
    return redirect(url_for("archive.census_report", location=found.location.id,
                            batch=found.batch_id), code=303)
