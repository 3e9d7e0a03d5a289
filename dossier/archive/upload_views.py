"""Uploading a portable scanner's file: the form, and the report line by line."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms import RadioField, SelectChoice

from dossier.archive.batch_upload import UploadReport, apply_file
from dossier.archive.errors import ArchiveError
from dossier.archive.views import TABS
from dossier.auth.permissions import Action, Feature, can
from dossier.auth.views import signed_in_user
from dossier.extensions import db

bp = Blueprint("archive_upload", __name__, url_prefix="/archive/upload")


class ScannerFileForm(FlaskForm):
    file = FileField(_l("Scanner file"), validators=[FileRequired(_l("Choose the file."))],
                     description=_l("Lines of time,code: a location's code, then the codes "
                                    "of the originals and boxes found there."))
    mode = RadioField(_l("The originals were"), default="move", choices=[
        SelectChoice("move", _l("moved to the location scanned before them")),
        SelectChoice("census", _l("seen there in a census (stock-take)"))])


@bp.before_request
@login_required
def _archive_staff_only() -> None:
    action = Action.VIEW if request.method == "GET" else Action.EDIT
    if not can(current_user, action, Feature.ARCHIVE):
        abort(403)


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(error: RequestEntityTooLarge) -> tuple[str, int]:
    return _page(ScannerFileForm(formdata=None), None, _l(
        "The file is too large for one upload; split it in parts.")), 413


@bp.route("", methods=["GET", "POST"])
def upload() -> str | tuple[str, int]:
    form = ScannerFileForm()
    if not form.validate_on_submit():
        return _page(form, None, None), 422 if form.is_submitted() else 200
    config = current_app.config
    data = form.file.data.read(config["ARCHIVE_UPLOAD_MAX_BYTES"] + 1)
    try:
        report = apply_file(signed_in_user(), data, mode=form.mode.data,
                            max_bytes=config["ARCHIVE_UPLOAD_MAX_BYTES"],
                            max_lines=config["ARCHIVE_UPLOAD_MAX_LINES"],
                            checkpoint=db.session.commit)
    except ArchiveError as error:
        db.session.rollback()
        return _page(form, None, error.message), 422
    db.session.commit()
    return _page(ScannerFileForm(formdata=None), report, None)


def _page(form: ScannerFileForm, report: UploadReport | None, problem: object) -> str:
    return render_template("archive/upload/index.html", form=form, report=report, problem=problem,
                           archive_tabs=TABS,
                           max_kb=current_app.config["ARCHIVE_UPLOAD_MAX_BYTES"] // 1024,
                           max_lines=current_app.config["ARCHIVE_UPLOAD_MAX_LINES"])
