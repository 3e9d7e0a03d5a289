"""A location's path as HTML (site > room > ... > box), each step a link for archive staff.

Made once per location and page: a long history names the same few boxes and shelves
hundreds of times, and building every step's link anew each time was most of the
history page's time.
"""

from __future__ import annotations

from flask import g, url_for
from markupsafe import Markup, escape

from dossier.archive import queries
from dossier.archive.models import Location

SEPARATOR = Markup(' <span class="path-sep" aria-hidden="true">\u203a</span>'
                   '<span class="visually-hidden">,</span> ')
EMPTY = Markup('<span class="muted">—</span>')


def place_html(location: Location | None, links: bool = True) -> Markup:
    if location is None:
        return EMPTY
    cache: dict[tuple[int, bool], Markup] = g.setdefault("archive_place_html", {})
    key = (location.id, links)
    if key not in cache:
        cache[key] = SEPARATOR.join(_step(place, links) for place in queries.path(location))
    return cache[key]


def _step(place: Location, links: bool) -> Markup:
    if not links:
        return escape(place.name)
    href = url_for("archive.location", location_id=place.id)
    return Markup('<a href="{}">{}</a>').format(href, place.name)
