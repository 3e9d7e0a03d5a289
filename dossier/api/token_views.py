"""The pages where users manage their own API tokens, and administrators everyone's."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import DateField, StringField
from wtforms.validators import DataRequired, Length, Optional

from dossier.api import tokens
from dossier.api.models import ApiToken
from dossier.auth.models import utcnow
from dossier.auth.permissions import Action, Feature, can
from dossier.auth.views import signed_in_user
from dossier.extensions import db

bp = Blueprint("api_tokens", __name__, url_prefix="/account/api-tokens")


class TokenForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=tokens.MAX_NAME)],
                       description=_l("What uses the token, e.g. \"webshop import\"."))
    expires_on = DateField(_l("Valid until"), validators=[Optional()],
                           description=_l("Optional: the last day the token works."))


@bp.route("/", methods=["GET", "POST"])
@login_required
def index() -> Response:
    form = TokenForm()
    secret = None
    status = 200
    if form.is_submitted():
        status = 422
        if form.validate():
            try:
                _token, secret = tokens.issue_token(signed_in_user(), form.name.data or "",
                                                    form.expires_on.data)
            except tokens.TokenInvalid as error:
                for name, message in error.errors.items():
                    form[name].errors = [*form[name].errors, message]
            else:
                db.session.commit()
                status, form = 201, TokenForm(formdata=None)
    response = make_response(render_template(
        "api/tokens.html", form=form, secret=secret, tokens=tokens.tokens_of(signed_in_user()),
        now=utcnow(), may_see_all=can(current_user, Action.VIEW, Feature.MANAGE_USERS)), status)
    response.headers["Cache-Control"] = "private, no-store"  # it may hold a new secret
    return response


@bp.route("/all")
@login_required
def all_tokens() -> str:
    if not can(current_user, Action.VIEW, Feature.MANAGE_USERS):
        abort(403)
    return render_template("api/all_tokens.html", tokens=tokens.all_tokens(), now=utcnow())


@bp.route("/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke(token_id: int) -> Response:
    token = db.get_or_404(ApiToken, token_id)
    actor = signed_in_user()
    if not tokens.may_revoke(actor, token):
        abort(403)
    if tokens.revoke_token(actor, token):
        db.session.commit()
        flash(_("Token %(name)s has been revoked: it no longer works.", name=token.name),
              "success")
    if token.user_id != actor.id and request.args.get("back") == "all":
        return redirect(url_for("api_tokens.all_tokens"))
    return redirect(url_for("api_tokens.index"))

