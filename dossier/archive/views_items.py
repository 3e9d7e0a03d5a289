"""A paper original's page (where it is, how it stands, its full history) and registering
one for a document."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from dossier.archive import items, overview, paper, queries
from dossier.archive.errors import ArchiveError
from dossier.archive.forms import ItemForm, location_choices
from dossier.archive.local_dates import PageDates
from dossier.archive.models import MOVEMENT_LABELS, PhysicalItem
from dossier.archive.timeline import timeline
from dossier.archive.views import bp
from dossier.auth.permissions import Action, Feature, can
from dossier.auth.views import signed_in_user
from dossier.documents.models import Document
from dossier.extensions import db


@bp.route("/items/<int:item_id>")
def item(item_id: int) -> str:
    """Open to archive staff and to whoever may see the item's document; reading where a
    customer's original is and has been is audited."""
    found = db.get_or_404(PhysicalItem, item_id)
    if not can(current_user, Action.VIEW, found):
        abort(403)
    try:
        items.record_history_view(signed_in_user(), found)
    except ArchiveError:
        abort(403)
    db.session.commit()
    document = found.document
    staff = can(current_user, Action.VIEW, Feature.ARCHIVE)
    return render_template(
        "archive/item.html", item=found, original=paper.describe(found),
        entries=timeline(found), staff=staff, document=document,
        row_date=PageDates(),  # the locale and its patterns found once per page
        # Translated once, not once per line of a long history.
        movement_labels={kind: str(label) for kind, label in MOVEMENT_LABELS.items()},
        document_visible=document is not None and can(current_user, Action.VIEW, document),
        customers=[customer for customer in (document.customers if document else [])
                   if can(current_user, Action.VIEW, customer)],
        today=queries.today())


@bp.route("/items/new", methods=["GET", "POST"])
def item_new() -> str | Response | tuple[str, int]:
    """Register a paper original, for the document named by ?document= (or none yet)."""
    if not can(current_user, Action.CREATE, Feature.ARCHIVE):
        abort(403)
    document = _document_arg()
    if document is not None and not paper.may_register(current_user, document):
        existing = queries.item_of_document(document.id)
        if existing is not None:
            flash(_("This document already has its paper original, %(code)s.",
                    code=existing.barcode), "info")
            return redirect(url_for("archive.item", item_id=existing.id))
        abort(409, _("This document is handled as dynamic and has no paper original: tick "
                     "“The paper original is kept” on the document first."))
    form = ItemForm(home=request.args.get("home", type=int))
    form.home.choices = location_choices(overview.location_tree(), blank="—")
    if not form.validate_on_submit():
        return _render_new(form, document, form.is_submitted())
    home = queries.find_location(form.home.data) if form.home.data else None
    try:
        created = items.create_item(signed_in_user(), document=document, home=home)
    except ArchiveError as error:
        db.session.rollback()
        form.home.errors = [error.message]
        return _render_new(form, document, True)
    db.session.commit()
    flash(_("Paper original %(code)s registered: print its label and check it in.",
            code=created.barcode), "success")
    return redirect(url_for("archive.item", item_id=created.id))


@bp.route("/items/<int:item_id>/edit", methods=["GET", "POST"])
def item_edit(item_id: int) -> str | Response | tuple[str, int]:
    if not can(current_user, Action.EDIT, Feature.ARCHIVE):
        abort(403)
    found = db.get_or_404(PhysicalItem, item_id)
    form = ItemForm(home=found.home_location_id)
    form.home.choices = location_choices(overview.location_tree(), blank="—")
    if not form.validate_on_submit():
        html = render_template("archive/item_form.html", form=form, item=found)
        return html, 422 if form.is_submitted() else 200
    home = queries.find_location(form.home.data) if form.home.data else None
    try:
        items.set_home(signed_in_user(), found, home)
    except ArchiveError as error:
        db.session.rollback()
        form.home.errors = [error.message]
        return render_template("archive/item_form.html", form=form, item=found), 422
    db.session.commit()
    flash(_("The home location of %(code)s has been saved.", code=found.barcode), "success")
    return redirect(url_for("archive.item", item_id=found.id))


def _document_arg() -> Document | None:
    document_id = request.args.get("document", type=int)
    if document_id is None:
        return None
    return db.get_or_404(Document, document_id)


def _render_new(form: ItemForm, document: Document | None, submitted: bool
                ) -> tuple[str, int]:
    visible = document is not None and can(current_user, Action.VIEW, document)
    html = render_template("archive/item_new.html", form=form, document=document,
                           document_visible=visible)
    return html, 422 if submitted else 200
