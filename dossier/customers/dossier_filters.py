"""Read the dossier page's document filters from its query string, skipping bad values."""

from __future__ import annotations

import re
from collections.abc import Mapping

from flask_babel import gettext as _

from dossier.customers.validation import InvalidValue, parse_date
from dossier.documents.queries import DossierFilters

_TYPE_CODE = re.compile(r"^[a-z0-9_-]{1,40}$")
DOCUMENT_CLASSES = ("dynamic", "static")
MAX_PAGE = 100_000


def parse_dossier_filters(args: Mapping[str, str]) -> tuple[DossierFilters, list[str]]:
    """Filters from ?type=&class=&from=&to=&page=, and a message for each value ignored."""
    filters = DossierFilters()
    problems: list[str] = []
    type_code = (args.get("type") or "").strip()
    if type_code:
        if _TYPE_CODE.match(type_code):
            filters.type_code = type_code
        else:
            problems.append(_("The document type filter was not understood and is ignored."))
    document_class = (args.get("class") or "").strip()
    if document_class:
        if document_class in DOCUMENT_CLASSES:
            filters.document_class = document_class
        else:
            problems.append(_("The class filter was not understood and is ignored."))
    for name, attribute in (("from", "date_from"), ("to", "date_to")):
        raw = (args.get(name) or "").strip()
        if not raw:
            continue
        try:
            setattr(filters, attribute, parse_date(raw))
        except InvalidValue:
            problems.append(_("The date %(value)s was not understood and is ignored.",
                              value=raw[:20]))
    page = (args.get("page") or "").strip()
    if page:
        if page.isdigit() and 1 <= int(page) <= MAX_PAGE:
            filters.page = int(page)
        else:
            problems.append(_("The page number was not understood; showing the first page."))
    return filters, problems
