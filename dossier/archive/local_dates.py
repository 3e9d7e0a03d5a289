"""Dates of a long list written exactly as the `local_date` filter writes them, with the
locale, time zone and patterns looked up once per page instead of once per line (a
history of 400 movements spent most of its time finding them again for every row)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, tzinfo

from babel import Locale
from babel.dates import DateTimePattern, get_date_format, get_time_format, parse_pattern
from flask_babel import get_babel, get_locale, get_timezone

# Time fields that depend on the hour and minute alone (no seconds, no zone names).
_CLOCK_FIELDS = frozenset("hHkKmaB")


def _pattern(kind: str, style: str, locale: Locale) -> DateTimePattern:
    """The pattern Flask-Babel would use: the app's override, else the locale's."""
    configured = get_babel().instance.date_formats[f"{kind}.{style}"]
    if configured is not None:
        return parse_pattern(configured)
    lookup = get_date_format if kind == "date" else get_time_format
    return parse_pattern(str(lookup(style, locale=locale)))  # type: ignore[arg-type]


def _clock_only(pattern: DateTimePattern) -> bool:
    # `format` is the pattern as a %-string ("%(HH)s:%(mm)s"); Babel annotates it wrongly.
    fields = re.findall(r"%\((\w+)\)s", str(pattern.format))
    return bool(fields) and all(name[0] in _CLOCK_FIELDS for name in fields)


class PageDates:
    """`local_date(value)` (medium style) for many values of one page; a day's date and
    a minute's time are each formatted once."""

    def __init__(self) -> None:
        locale = get_locale()
        assert locale is not None
        self.locale: Locale = locale
        self.zone: tzinfo = get_timezone()
        self.date_pattern = _pattern("date", "medium", locale)
        self.time_pattern = _pattern("time", "short", locale)
        self.clock_only = _clock_only(self.time_pattern)
        self.joined = str(locale.datetime_formats["medium"])
        self._dates: dict[date, str] = {}
        self._times: dict[tuple[int, int], str] = {}

    def __call__(self, value: date | datetime | None) -> str:
        if value is None:
            return ""
        if not isinstance(value, datetime):
            return self._date(value)
        local = self._local(value)
        return self.joined.format(self._time(local, value), self._date(local.date()))

    def _date(self, day: date) -> str:
        text = self._dates.get(day)
        if text is None:
            text = self._dates[day] = str(self.date_pattern.apply(day, self.locale))
        return text

    def _time(self, local: datetime, value: datetime) -> str:
        if not self.clock_only:
            return str(self.time_pattern.apply(local.timetz(), self.locale,
                                               reference_date=value.date()))
        key = (local.hour, local.minute)
        text = self._times.get(key)
        if text is None:
            text = self._times[key] = str(self.time_pattern.apply(local.timetz(), self.locale))
        return text

    def _local(self, value: datetime) -> datetime:
        aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        local = aware.astimezone(self.zone)
        normalize = getattr(self.zone, "normalize", None)
        return normalize(local) if normalize is not None else local
