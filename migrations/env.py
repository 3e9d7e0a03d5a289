"""Alembic environment: migrates the app's database; render_as_batch for SQLite."""

from __future__ import annotations

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

from dossier.schema import include_object

config = context.config
if config.config_file_name is not None and not logging.getLogger().handlers:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

def _engine():  # type: ignore[no-untyped-def]
    return current_app.extensions["migrate"].db.engine


def _metadata():  # type: ignore[no-untyped-def]
    return current_app.extensions["migrate"].db.metadata


def _options() -> dict:  # type: ignore[type-arg]
    options = dict(current_app.extensions["migrate"].configure_args)
    options.setdefault("render_as_batch", True)
    options.setdefault("compare_type", True)
    options["include_object"] = include_object
    return options


def run_migrations_offline() -> None:
    url = _engine().url.render_as_string(hide_password=False).replace("%", "%%")
    context.configure(url=url, target_metadata=_metadata(), literal_binds=True, **_options())
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    def process_revision_directives(context_, revision, directives):  # type: ignore[no-untyped-def]
        if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
            directives[:] = []
            logger.info("No changes in schema detected.")

    options = _options()
    options.setdefault("process_revision_directives", process_revision_directives)
    with _engine().connect() as connection:
        context.configure(connection=connection, target_metadata=_metadata(), **options)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
