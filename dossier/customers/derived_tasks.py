"""Huey task of derived fields: every night, recompute the fields that change with the
calendar alone ("months since", "the last 12 months"); the rest follow their inputs."""

from __future__ import annotations

import logging

from huey import crontab

from dossier.customers.derived_compute import recompute_all
from dossier.customers.derived_queries import derived_field_list
from dossier.extensions import huey
from dossier.ingest.tasks import task_app

log = logging.getLogger(__name__)


def recompute_relative_fields() -> int:
    """Recompute the active fields relative to today, committing each; values stored."""
    keys = {field.key for field in derived_field_list()
            if field.active and field.relative_to_today}
    if not keys:
        return 0
    return recompute_all(keys=keys, commit_each=True)


@huey.periodic_task(crontab(hour="2", minute="30"))
def recompute_derived_nightly() -> None:
    from dossier.extensions import db

    with task_app().app_context():
        stored = recompute_relative_fields()
        db.session.commit()
        log.info("derived fields relative to today recomputed: %s values", stored)
