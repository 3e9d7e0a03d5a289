"""A scan station for tests: keeps the state between scans and a clock that moves on."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from dossier.archive.scan import ScanMode, ScanResult, ScanState, scan
from dossier.auth.models import utcnow


class Station:
    """`Station(clerk, "move").scan(code)`; each scan comes two seconds after the last
    unless `after` says otherwise, so repeated codes count as new reads."""

    def __init__(self, actor: Any, mode: ScanMode | str) -> None:
        self.actor = actor
        self.mode = ScanMode(mode)
        self.state: ScanState | None = None
        self.clock: datetime = utcnow()
        self.results: list[ScanResult] = []

    def scan(self, code: str, after: timedelta = timedelta(seconds=2)) -> ScanResult:
        self.clock += after
        result = scan(code, self.mode, self.state, self.actor, now=self.clock)
        self.state = result.state
        self.results.append(result)
        return result

    def switch(self, mode: ScanMode | str) -> Station:
        self.mode = ScanMode(mode)
        return self
