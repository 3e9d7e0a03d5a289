"""The scan station page: one input that keeps the focus; each scan is a POST.

Without JavaScript a scan is a plain form post answered with a redirect to the page,
which shows the feedback. With JavaScript (static/js/archive.js) the same endpoint is
asked for JSON, the page never reloads, and scans typed while one is on its way wait
in a queue, so a fast scanner loses nothing. The ScanState lives in the session.
"""

from __future__ import annotations

from typing import Any

from flask import abort, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from dossier import barcodes
from dossier.archive import queries, scan_session
from dossier.archive.forms import BorrowerForm
from dossier.archive.scan import ScanMode, ScanState, scan
from dossier.archive.views import bp
from dossier.auth.models import User
from dossier.auth.permissions import Action, Feature, can
from dossier.auth.views import signed_in_user
from dossier.extensions import db

MAX_INPUT = 200  # a scanner sends a code; anything longer is someone leaning on a key


def _require_edit() -> None:
    if not can(current_user, Action.EDIT, Feature.ARCHIVE):
        abort(403)


@bp.route("/scan", methods=["GET", "POST"])
def scan_station() -> str | Response | tuple[str, int]:
    if request.method == "GET":
        return _render_station(_borrower_form(formdata=None))
    _require_edit()
    state = scan_session.current_state()
    result = scan(request.form.get("code", "")[:MAX_INPUT], state.mode, state,
                  signed_in_user())
    # Described before the commit, while the places and people the scan read are still
    # loaded (a commit expires them, and reading them again costs round trips).
    described = _state_json(result.state) if _wants_json() else None
    db.session.commit()
    entry = scan_session.remember(result)
    if described is None:
        return redirect(url_for("archive.scan_station"), code=303)
    return jsonify(entry | {"ignored": result.ignored, "changed": result.changed,
                            "state": described})


@bp.route("/scan/mode", methods=["POST"])
def scan_mode() -> Response:
    _require_edit()
    try:
        mode = ScanMode(request.form.get("mode", ""))
    except ValueError:
        abort(400, _("Choose one of the scan station's modes."))
    scan_session.switch_mode(mode)
    return redirect(url_for("archive.scan_station"), code=303)


@bp.route("/scan/borrower", methods=["POST"])
def scan_borrower() -> str | Response | tuple[str, int]:
    """Check out to a person chosen from the list (no badge at hand), and/or until when."""
    _require_edit()
    form = _borrower_form()
    if not form.validate_on_submit() or not (form.person.data or form.due_on.data):
        if not form.errors:
            form.person.errors = [_("Choose a borrower or a due date.")]
        return _render_station(form), 422
    if form.due_on.data is not None and form.due_on.data < queries.today():
        form.due_on.errors = [_("The due date has already passed.")]
        return _render_station(form), 422
    state = scan_session.current_state()
    if state.mode != ScanMode.CHECK_OUT:
        state = scan_session.switch_mode(ScanMode.CHECK_OUT)
    if form.due_on.data is not None:
        state = scan_session.set_due_date(form.due_on.data)
    if form.person.data:
        person = db.session.get(User, form.person.data)
        if person is None:
            abort(404)
        result = scan(barcodes.make_badge(person.id), ScanMode.CHECK_OUT, state,
                      signed_in_user())
        db.session.commit()
        scan_session.remember(result)
    return redirect(url_for("archive.scan_station"), code=303)


def _borrower_form(formdata: Any = ...) -> BorrowerForm:
    form = BorrowerForm() if formdata is ... else BorrowerForm(formdata=formdata)
    people = db.session.scalars(select(User).where(User.active.is_(True))
                                .order_by(User.full_name, User.username))
    form.person.choices = [SelectChoice("", "—"), *[
        SelectChoice(str(person.id), person.display_name) for person in people]]
    return form


def _render_station(borrower_form: BorrowerForm) -> str:
    state = scan_session.current_state()
    view = scan_session.describe(state)
    return render_template(
        "archive/scan.html", view=view, feedback=scan_session.take_feedback(),
        recent=scan_session.recent(), modes=scan_session.MODE_LABELS,
        mode_help=scan_session.MODE_HELP[state.mode], borrower_form=borrower_form,
        census_url=_census_url(state), ScanMode=ScanMode, max_input=MAX_INPUT)


def _state_json(state: ScanState) -> dict[str, Any]:
    return scan_session.describe(state).as_json() | {"census_url": _census_url(state)}


def _census_url(state: ScanState) -> str | None:
    if state.mode != ScanMode.CENSUS or not state.target_id:
        return None
    return url_for("archive.census_report", location=state.target_id, batch=state.batch_id)


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"
