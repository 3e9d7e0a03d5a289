"""The history page's dates, formatted once per page, read exactly as `local_date`."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from babel.dates import parse_pattern
from flask import Flask
from flask_babel import force_locale

from dossier.archive.local_dates import PageDates, _clock_only
from dossier.web.presentation import local_date


@pytest.mark.parametrize("locale", ["nl", "en"])
def test_page_dates_read_as_local_date(app: Flask, locale: str) -> None:
    start = datetime(2019, 1, 1, 0, 0, 0)
    # Every 7 h 13 min 17 s for six years: both sides of each daylight saving change.
    moments = [start + timedelta(seconds=26_000 * step) for step in range(7_300)]
    moments.append(datetime(2021, 3, 28, 1, 30, tzinfo=UTC))  # an aware one too
    days = [date(2024, 2, 29), date(2019, 12, 31)]
    with app.test_request_context("/"), force_locale(locale):
        dates = PageDates()
        for value in [*moments, *days, None]:
            assert dates(value) == local_date(value)
        assert dates(moments[0]) == dates(moments[0])  # the second time from the cache


def test_only_clock_patterns_are_cached_by_minute(app: Flask) -> None:
    with app.test_request_context("/"), force_locale("en"):
        dates = PageDates()
        assert dates.clock_only  # "h:mm a"
        dates.time_pattern = parse_pattern("HH:mm:ss")
        dates.clock_only = _clock_only(dates.time_pattern)
        assert not dates.clock_only
        first, second = datetime(2024, 5, 1, 10, 0, 1), datetime(2024, 5, 1, 10, 0, 2)
        assert dates(first) != dates(second)  # seconds shown: not taken from the cache
