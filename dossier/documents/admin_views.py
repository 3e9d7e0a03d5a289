"""Admin pages for document types and the scope policy rules."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from dossier.auth.permissions import Action, Feature, can
from dossier.auth.views import signed_in_user
from dossier.documents import admin_services
from dossier.documents.forms import DocumentTypeForm, PolicyRuleForm
from dossier.documents.key_points import schema_to_lines
from dossier.documents.models import DocumentType, PolicyRule
from dossier.documents.queries import all_types
from dossier.extensions import db

bp = Blueprint("doc_admin", __name__, url_prefix="/admin")


def _require(feature: Feature) -> None:
    if not can(current_user, Action.VIEW, feature):
        abort(403)


@bp.route("/document-types")
@login_required
def types() -> str:
    _require(Feature.MANAGE_TYPES)
    return render_template("documents/admin/types.html", types=all_types(),
                           locale=str(get_locale() or "nl"))


@bp.route("/document-types/new", methods=["GET", "POST"])
@login_required
def type_new() -> str | Response | tuple[str, int]:
    _require(Feature.MANAGE_TYPES)
    form = DocumentTypeForm()
    if not form.validate_on_submit():
        return _type_form(form, None)
    try:
        created = admin_services.create_type(signed_in_user(), _type_input(form))
    except admin_services.AdminInvalid as error:
        _show_errors(form, error)
        return _type_form(form, None)
    db.session.commit()
    flash(_("Document type %(name)s has been created.", name=created.name_en), "success")
    return redirect(url_for("doc_admin.types"))


@bp.route("/document-types/<int:type_id>/edit", methods=["GET", "POST"])
@login_required
def type_edit(type_id: int) -> str | Response | tuple[str, int]:
    _require(Feature.MANAGE_TYPES)
    document_type = db.get_or_404(DocumentType, type_id)
    form = DocumentTypeForm(data={
        "code": document_type.code, "name_nl": document_type.name_nl,
        "name_en": document_type.name_en, "scopes": list(document_type.scopes or []),
        "retention_months": document_type.retention_months,
        "retention_basis": document_type.retention_basis, "active": document_type.active,
        "key_point_schema": schema_to_lines(document_type.key_point_schema)})
    form.code.data = document_type.code  # fixed once created: cover sheets print it
    if not form.validate_on_submit():
        return _type_form(form, document_type)
    try:
        admin_services.update_type(signed_in_user(), document_type, _type_input(form))
    except admin_services.AdminInvalid as error:
        _show_errors(form, error)
        return _type_form(form, document_type)
    db.session.commit()
    flash(_("Document type %(name)s has been saved.", name=document_type.name_en), "success")
    return redirect(url_for("doc_admin.types"))


@bp.route("/policy/new", methods=["GET", "POST"])
@login_required
def rule_new() -> str | Response | tuple[str, int]:
    _require(Feature.MANAGE_POLICY)
    form = _rule_form(PolicyRuleForm(data=_proposed_rule() if request.method == "GET" else None))
    if not form.validate_on_submit():
        return _render_rule(form, None)
    try:
        rule = admin_services.create_rule(signed_in_user(), _rule_input(form))
    except admin_services.AdminInvalid as error:
        _show_errors(form, error)
        return _render_rule(form, None)
    db.session.commit()
    flash(_("Rule #%(id)s has been added.", id=rule.id), "success")
    return redirect(url_for("documents.policy", _anchor=f"scope-{rule.scope}"))


@bp.route("/policy/<int:rule_id>/edit", methods=["GET", "POST"])
@login_required
def rule_edit(rule_id: int) -> str | Response | tuple[str, int]:
    _require(Feature.MANAGE_POLICY)
    rule = db.get_or_404(PolicyRule, rule_id)
    form = _rule_form(PolicyRuleForm(obj=rule))
    if not form.validate_on_submit():
        return _render_rule(form, rule)
    try:
        admin_services.update_rule(signed_in_user(), rule, _rule_input(form))
    except admin_services.AdminInvalid as error:
        _show_errors(form, error)
        return _render_rule(form, rule)
    db.session.commit()
    flash(_("Rule #%(id)s has been saved.", id=rule.id), "success")
    return redirect(url_for("documents.policy", _anchor=f"scope-{rule.scope}"))


@bp.route("/policy/<int:rule_id>/delete", methods=["POST"])
@login_required
def rule_delete(rule_id: int) -> Response:
    _require(Feature.MANAGE_POLICY)
    rule = db.get_or_404(PolicyRule, rule_id)
    scope = rule.scope
    admin_services.delete_rule(signed_in_user(), rule)
    db.session.commit()
    flash(_("Rule #%(id)s has been deleted.", id=rule_id), "success")
    return redirect(url_for("documents.policy", _anchor=f"scope-{scope}"))


def _status(form: FlaskForm) -> int:
    return 422 if form.is_submitted() else 200


def _show_errors(form: FlaskForm, error: admin_services.AdminInvalid) -> None:
    for name, message in error.errors.items():
        if name in form:
            form[name].errors = [*form[name].errors, message]
        else:
            flash(message, "error")


def _type_input(form: DocumentTypeForm) -> admin_services.TypeInput:
    return admin_services.TypeInput(
        code=form.code.data or "", name_nl=form.name_nl.data or "",
        name_en=form.name_en.data or "", scopes=list(form.scopes.data or []),
        retention_months=form.retention_months.data or 0,
        retention_basis=form.retention_basis.data or "",
        schema_text=form.key_point_schema.data or "", active=bool(form.active.data))


def _type_form(form: DocumentTypeForm, document_type: DocumentType | None) -> tuple[str, int]:
    return render_template("documents/admin/type_form.html", form=form,
                           document_type=document_type), _status(form)


def _proposed_rule() -> dict[str, object]:
    """A new rule filled in from the link that proposed it (the digitisation advisor)."""
    names = ("scope", "condition", "document_class", "reason")
    proposed: dict[str, object] = {name: request.args[name][:300] for name in names
                                   if request.args.get(name)}
    type_id = request.args.get("document_type_id", type=int)
    if type_id:
        proposed["document_type_id"] = type_id
    return proposed


def _rule_form(form: PolicyRuleForm) -> PolicyRuleForm:
    locale = str(get_locale() or "nl")
    form.document_type_id.choices = [SelectChoice(str(t.id), t.name(locale))
                                     for t in all_types()]
    return form


def _rule_input(form: PolicyRuleForm) -> admin_services.RuleInput:
    return admin_services.RuleInput(
        scope=form.scope.data or "", document_type_id=int(form.document_type_id.data or 0),
        condition=form.condition.data or "", document_class=form.document_class.data or "",
        reason=form.reason.data or "")


def _render_rule(form: PolicyRuleForm, rule: PolicyRule | None) -> tuple[str, int]:
    return render_template("documents/admin/rule_form.html", form=form,
                           rule=rule), _status(form)
