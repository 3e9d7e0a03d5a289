"""`flask dossier worker`: how many jobs it runs at once unless told otherwise."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskCliRunner

from dossier.extensions import huey
from dossier.ingest import tasks


class _Consumer:
    """Stands in for Huey's consumer: records how it was made and returns at once."""

    made: dict[str, Any] = {}

    def __init__(self, **options: Any) -> None:
        _Consumer.made = options
        self.workers = options["workers"]

    def run(self) -> None:
        return None


@pytest.fixture
def consumer(monkeypatch: pytest.MonkeyPatch) -> type[_Consumer]:
    monkeypatch.setattr(huey, "create_consumer", _Consumer)
    monkeypatch.setattr(tasks, "_worker_app", None)  # the command sets it; put it back
    monkeypatch.setattr("os.cpu_count", lambda: 3)
    return _Consumer


def test_the_worker_runs_as_many_jobs_at_once_as_there_are_cores(
        runner: FlaskCliRunner, consumer: type[_Consumer]) -> None:
    result = runner.invoke(args=["dossier", "worker", "--no-watch"])
    assert result.exit_code == 0, result.output
    assert consumer.made["workers"] == 3 and consumer.made["periodic"] is True
    assert "Worker started with 3 threads." in result.output


def test_workers_and_periodic_tasks_can_be_set(runner: FlaskCliRunner,
                                               consumer: type[_Consumer]) -> None:
    result = runner.invoke(args=["dossier", "worker", "-w", "5", "-n", "--no-watch"])
    assert result.exit_code == 0, result.output
    assert consumer.made["workers"] == 5 and consumer.made["periodic"] is False
