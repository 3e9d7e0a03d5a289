"""Admin pages to manage users and their roles."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from dossier.auth import services
from dossier.auth.forms import EditUserForm, NewUserForm, show_error
from dossier.auth.models import User
from dossier.auth.permissions import Action, Feature, can
from dossier.auth.queries import normalise_sort, user_list
from dossier.auth.views import signed_in_user
from dossier.extensions import db

bp = Blueprint("users", __name__, url_prefix="/admin/users")


@bp.before_request
@login_required
def _admins_only() -> None:
    if not can(current_user, Action.VIEW, Feature.MANAGE_USERS):
        abort(403)


@bp.route("/")
def index() -> str:
    search = request.args.get("q", "")
    sort = normalise_sort(request.args.get("sort"))
    page = db.paginate(
        user_list(search, sort),
        page=request.args.get("page", 1, type=int),
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
        count=True,
    )
    return render_template("auth/users/index.html", page=page, search=search, sort=sort)


@bp.route("/new", methods=["GET", "POST"])
def new() -> str | Response | tuple[str, int]:
    form = NewUserForm()
    if not form.validate_on_submit():
        return _render_form(form, None, 422 if form.is_submitted() else 200)
    try:
        user = services.create_user(
            signed_in_user(), form.username.data or "", form.password.data or "",
            form.roles.data or [], full_name=(form.full_name.data or "").strip(),
            email=(form.email.data or "").strip() or None,
        )
    except services.UserError as error:
        show_error(form, error)
        return _render_form(form, None, 422)
    db.session.commit()
    flash(_("User %(name)s has been created.", name=user.username), "success")
    return redirect(url_for("users.index"))


@bp.route("/<int:user_id>/edit", methods=["GET", "POST"])
def edit(user_id: int) -> str | Response | tuple[str, int]:
    user = db.get_or_404(User, user_id)
    form = EditUserForm(obj=user, roles=sorted(user.roles))
    if not form.validate_on_submit():
        return _render_form(form, user, 422 if form.is_submitted() else 200)
    try:
        services.update_user(
            signed_in_user(), user, full_name=form.full_name.data or "",
            email=(form.email.data or "").strip() or None, roles=form.roles.data or [],
            active=bool(form.active.data), password=form.password.data or None,
        )
    except services.UserError as error:
        show_error(form, error)
        return _render_form(form, user, 422)
    db.session.commit()
    flash(_("User %(name)s has been saved.", name=user.username), "success")
    return redirect(url_for("users.index"))


@bp.route("/<int:user_id>/toggle", methods=["POST"])
def toggle_active(user_id: int) -> Response:
    user = db.get_or_404(User, user_id)
    try:
        services.set_active(signed_in_user(), user, not user.active)
    except services.UserError as error:
        flash(error.message, "error")
        return redirect(url_for("users.edit", user_id=user.id))
    db.session.commit()
    if user.active:
        flash(_("User %(name)s can log in again.", name=user.username), "success")
    else:
        flash(_("User %(name)s has been disabled.", name=user.username), "success")
    return redirect(url_for("users.index"))


def _render_form(form: NewUserForm | EditUserForm, user: User | None,
                 status: int) -> tuple[str, int]:
    return render_template("auth/users/form.html", form=form, user=user), status
