"""Huey tasks of search: drain the outbox soon after a commit, every minute as a safety net,
and rebuild an index the backend reports missing or damaged.

Tasks are nudges only: the outbox rows are the state, so a lost task loses nothing.
"""

from __future__ import annotations

import logging

from huey import crontab

from dossier.extensions import huey
from dossier.ingest.tasks import task_app

log = logging.getLogger(__name__)


def nudge_drain() -> None:
    """After a commit that queued outbox rows: ask the worker to drain.

    Runs inside SQLAlchemy's after_commit, where no SQL may be emitted, so it only puts
    a message on the queue. With the immediate (memory) queue of the tests it does
    nothing: a task run here would use the committing session; tests call drain().
    """
    if huey.immediate:
        return
    try:
        drain_search_outbox()
    except Exception:  # the queue is down: the periodic drain catches up
        log.warning("could not queue a search drain; the periodic drain will", exc_info=True)


def request_rebuild() -> None:
    """Rebuild in the worker; with the immediate queue (tests) at once, in this thread."""
    rebuild_search_index()


@huey.task()
def drain_search_outbox() -> None:
    from dossier.search.indexer import drain_outbox

    with task_app().app_context():
        drain_outbox()


@huey.periodic_task(crontab(minute="*"))
def drain_search_outbox_periodically() -> None:
    from dossier.search.indexer import drain_outbox

    with task_app().app_context():
        drain_outbox()


@huey.task()
def rebuild_search_index() -> None:
    from dossier.search.indexer import check_health, rebuild_index

    with task_app().app_context():
        problem = check_health()
        if problem is None:
            return  # an earlier request already had it rebuilt
        log.warning("search index unusable (%s): rebuilding", problem)
        rebuild_index(wait=False)
