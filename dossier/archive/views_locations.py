"""The location tree: see it with what each place holds, make, change and move places."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from dossier.archive import locations, overview, queries
from dossier.archive.errors import ArchiveError
from dossier.archive.forms import (
    LocationEditForm,
    LocationForm,
    LocationMoveForm,
    location_choices,
)
from dossier.archive.models import RANK, Location, LocationKind
from dossier.archive.views import bp
from dossier.auth.permissions import Action, Feature, can
from dossier.auth.views import signed_in_user
from dossier.extensions import db

ITEMS_LISTED = 200


def _require_edit() -> None:
    if not can(current_user, Action.EDIT, Feature.ARCHIVE):
        abort(403)


@bp.route("/locations")
def locations_tree() -> str:
    retired = request.args.get("retired") == "1"
    tree = overview.location_tree(include_retired=retired)
    return render_template("archive/locations.html", rows=overview.walk(tree),
                           retired=retired)


@bp.route("/locations/<int:location_id>")
def location(location_id: int) -> str:
    place = db.get_or_404(Location, location_id)
    inside = overview.location_tree(include_retired=True)
    node = next((n for n, _depth in overview.walk(inside) if n.location.id == place.id), None)
    items = queries.items_at(place)
    return render_template(
        "archive/location.html", location=place, node=node, path=queries.path(place),
        children=node.children if node else [], items=items[:ITEMS_LISTED],
        items_total=len(items), moves=queries.location_history(place),
        states={item.id: queries.state_of(item) for item in items[:ITEMS_LISTED]},
        codes="\n".join(_contents_codes(place, items)))


def _contents_codes(place: Location, items: list) -> list[str]:
    """The location's own code, its boxes' and the codes of the items in it and them."""
    codes = [place.barcode]
    for box in queries.boxes_in(place):
        codes.append(box.barcode)
        codes.extend(item.barcode for item in queries.items_at(box))
    codes.extend(item.barcode for item in items)
    return codes


@bp.route("/locations/new", methods=["GET", "POST"])
def location_new() -> str | Response | tuple[str, int]:
    _require_edit()
    parent_id = request.args.get("parent", type=int)
    form = LocationForm(parent=parent_id, kind=_kind_below(parent_id))
    form.parent.choices = location_choices(overview.location_tree(), blank="—",
                                           exclude_boxes=True)
    if not form.validate_on_submit():
        return _render(form, None, form.is_submitted())
    parent = queries.find_location(form.parent.data) if form.parent.data else None
    try:
        created = locations.create_location(signed_in_user(), form.kind.data or "",
                                            form.name.data or "", parent, form.capacity.data)
    except ArchiveError as error:
        form.name.errors = [*form.name.errors, error.message]
        return _render(form, None, True)
    db.session.commit()
    flash(_("%(place)s has been added.", place=queries.path_label(created)), "success")
    return redirect(url_for("archive.location", location_id=created.id))


def _kind_below(parent_id: int | None) -> str:
    """The kind a new location in `parent` most likely has: the next level down."""
    parent = queries.find_location(parent_id) if parent_id else None
    if parent is None:
        return LocationKind.SITE.value
    rank = RANK[LocationKind(parent.kind)] + 1
    below = [kind for kind, value in RANK.items() if value == rank]
    return below[0].value if below else LocationKind.BOX.value


@bp.route("/locations/<int:location_id>/edit", methods=["GET", "POST"])
def location_edit(location_id: int) -> str | Response | tuple[str, int]:
    _require_edit()
    place = db.get_or_404(Location, location_id)
    form = LocationEditForm(obj=place)
    if not form.validate_on_submit():
        return _render(form, place, form.is_submitted())
    try:
        locations.update_location(signed_in_user(), place, name=form.name.data or "",
                                  capacity=form.capacity.data, active=bool(form.active.data))
    except ArchiveError as error:
        db.session.rollback()
        flash(error.message, "error")
        return _render(form, place, True)
    db.session.commit()
    flash(_("%(place)s has been saved.", place=queries.path_label(place)), "success")
    return redirect(url_for("archive.location", location_id=place.id))


@bp.route("/locations/<int:location_id>/move", methods=["GET", "POST"])
def location_move(location_id: int) -> str | Response | tuple[str, int]:
    _require_edit()
    place = db.get_or_404(Location, location_id)
    form = LocationMoveForm(to=place.parent_id)
    form.to.choices = [choice for choice in location_choices(overview.location_tree(),
                                                             exclude_boxes=True)
                       if choice.value != str(place.id)]
    if not form.validate_on_submit():
        return _render_move(form, place, form.is_submitted())
    to = queries.find_location(form.to.data) if form.to.data else None
    if to is None or queries.is_within(to, place):
        form.to.errors = [_("Choose a place outside %(place)s.", place=place.name)]
        return _render_move(form, place, True)
    try:
        outcome = locations.move_location(signed_in_user(), place, to)
    except ArchiveError as error:
        db.session.rollback()
        form.to.errors = [error.message]
        return _render_move(form, place, True)
    db.session.commit()
    if outcome.changed:
        flash(_("%(name)s moved to %(place)s.", name=place.name,
                place=queries.path_label(to)), "success")
    else:
        flash(_("%(name)s is already in %(place)s.", name=place.name,
                place=queries.path_label(to)), "info")
    return redirect(url_for("archive.location", location_id=place.id))


def _render(form: LocationForm | LocationEditForm, place: Location | None,
            submitted: bool) -> tuple[str, int]:
    html = render_template("archive/location_form.html", form=form, location=place)
    return html, 422 if submitted else 200


def _render_move(form: LocationMoveForm, place: Location, submitted: bool) -> tuple[str, int]:
    html = render_template("archive/location_move.html", form=form, location=place)
    return html, 422 if submitted else 200
