"""Dossier: one customer dossier for CRM data, scanned documents and paper originals."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from flask import Flask
from sqlalchemy.engine import make_url

from dossier.config import PROJECT_ROOT, load_settings
from dossier.extensions import (
    babel,
    configure_huey,
    configure_sqlite,
    csrf,
    db,
    limiter,
    login_manager,
    migrate,
)


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """The only app factory. Reads settings, binds extensions; never writes files or data."""
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        instance_path=str(PROJECT_ROOT / "instance"),
    )
    app.config.from_mapping(load_settings())
    if config:
        app.config.from_mapping(config)
    if not app.config.get("SECRET_KEY"):
        # `flask dossier init` writes the key file; until then a throwaway key lets the
        # CLI run. Sessions signed with it do not survive a restart.
        app.config["SECRET_KEY"] = secrets.token_hex(32)
        app.config["SECRET_KEY_EPHEMERAL"] = True
    _init_extensions(app)
    _register_blueprints(app)
    from dossier.web.presentation import init_presentation

    init_presentation(app)
    from dossier.cli import register_cli

    register_cli(app)
    return app


def _init_extensions(app: Flask) -> None:
    db.init_app(app)
    with app.app_context():
        if make_url(app.config["SQLALCHEMY_DATABASE_URI"]).get_backend_name() == "sqlite":
            configure_sqlite(db.engine)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    from dossier.auth.session import init_login
    from dossier.web.locale import select_locale, select_timezone

    init_login(app, login_manager)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    configure_huey(app)
    _import_models()


def _import_models() -> None:
    """Make every model known to the metadata (migrations and drift checks need all)."""
    import dossier.api.models
    import dossier.archive.desk_models
    import dossier.archive.models
    import dossier.auth.models
    import dossier.compliance.models
    import dossier.customers.derived_listener  # recomputes derived values on every flush
    import dossier.customers.derived_models
    import dossier.customers.interaction_models
    import dossier.customers.merge_models
    import dossier.customers.models
    import dossier.customers.segment_models
    import dossier.documents.models
    import dossier.ingest.models
    import dossier.mailings.models
    import dossier.search.outbox  # noqa: F401


def _register_blueprints(app: Flask) -> None:
    from dossier.api.token_views import bp as api_tokens_bp
    from dossier.api.views import bp as api_bp
    from dossier.archive.views import bp as archive_bp
    from dossier.auth.admin_views import bp as users_bp
    from dossier.auth.views import bp as auth_bp
    from dossier.customers.field_views import bp as fields_bp
    from dossier.customers.views import bp as customers_bp
    from dossier.documents.admin_views import bp as doc_admin_bp
    from dossier.documents.views import bp as documents_bp
    from dossier.ingest.sheet_views import bp as sheets_bp
    from dossier.ingest.views import bp as ingest_bp
    from dossier.mailings.views import bp as mailings_bp
    from dossier.search.api import bp as search_api_bp
    from dossier.search.views import bp as search_bp
    from dossier.web.views import bp as web_bp

    for blueprint in (web_bp, auth_bp, users_bp, customers_bp, fields_bp, documents_bp,
                      doc_admin_bp, sheets_bp, ingest_bp, mailings_bp, search_bp,
                      search_api_bp, archive_bp):
        app.register_blueprint(blueprint)
    _register_archive_desk(app)
    _register_derived_and_segments(app)
    for blueprint in (api_bp, api_tokens_bp):
        app.register_blueprint(blueprint)
    _register_contact_history(app)
    _register_merge_and_import(app)


def _register_merge_and_import(app: Flask) -> None:
    """Admin pages: duplicate candidates and the merge screen, the customer import."""
    from dossier.customers.imports_views import bp as import_bp
    from dossier.customers.merge_views import bp as merge_bp

    for blueprint in (merge_bp, import_bp):
        app.register_blueprint(blueprint)


def _register_contact_history(app: Flask) -> None:
    """A customer's interactions and complaints (their timeline is on the dossier page)."""
    from dossier.customers.complaints_views import bp as complaints_bp
    from dossier.customers.interactions_views import bp as interactions_bp

    for blueprint in (interactions_bp, complaints_bp):
        app.register_blueprint(blueprint)


def _register_archive_desk(app: Flask) -> None:
    """The archive desk's own screens: requests, destruction, scanner uploads, digitising."""
    from dossier.archive.destruction_views import bp as destruction_bp
    from dossier.archive.digitise_views import bp as digitise_bp
    from dossier.archive.request_views import bp as requests_bp
    from dossier.archive.upload_views import bp as upload_bp

    for blueprint in (requests_bp, destruction_bp, upload_bp, digitise_bp):
        app.register_blueprint(blueprint)


def _register_derived_and_segments(app: Flask) -> None:
    """Derived fields (admin) and segments (saved customer filters)."""
    from dossier.customers.derived_views import bp as derived_bp
    from dossier.customers.segment_views import bp as segments_bp

    for blueprint in (derived_bp, segments_bp):
        app.register_blueprint(blueprint)
