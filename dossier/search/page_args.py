"""What the search page was asked for (box, facet filters, page, order) and links to its variations.

Facet filters travel as repeated URL parameters (`?q=offerte&type=quote&type=contract`),
so the page works without script and a link can be shared; every link built here keeps
the query and the other filters and starts again at page 1 unless it is a page link.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import url_for
from werkzeug.datastructures import MultiDict

from dossier.auth.roles import ALL_SCOPES

MAX_QUERY_LENGTH = 500
MAX_VALUES_PER_FACET = 20
FACETS = ("type", "class", "scope", "storage")
ORDERS = ("relevance", "date")
# Values a facet parameter may hold; a type is any code-like word (the core checks it).
FACET_CHOICES: dict[str, tuple[str, ...] | None] = {
    "type": None,
    "class": ("dynamic", "static"),
    "scope": ALL_SCOPES,
    "storage": ("digital", "paper", "hybrid"),
}
MAX_TYPE_CODE = 40


def _clean_values(facet: str, raw: list[str]) -> tuple[str, ...]:
    choices = FACET_CHOICES[facet]
    values = []
    for value in raw:
        value = value.strip().lower()
        if not value or len(value) > MAX_TYPE_CODE:
            continue
        if choices is not None and value not in choices:
            continue
        if choices is None and not value.replace("_", "").replace("-", "").isalnum():
            continue
        values.append(value)
    return tuple(dict.fromkeys(values))[:MAX_VALUES_PER_FACET]


def positive_int(raw: str | None, default: int) -> int | None:
    """`raw` as an int >= 1; `default` when absent; None when present but not one."""
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        return None
    return value if value >= 1 else None


@dataclass(frozen=True)
class SearchArgs:
    text: str = ""
    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    page: int = 1
    order: str = "relevance"

    @classmethod
    def from_args(cls, args: MultiDict[str, str]) -> SearchArgs:
        """Lenient, for the page: a bad page or order falls back to the default."""
        order = args.get("order", "")
        return cls(text=args.get("q", "").strip()[:MAX_QUERY_LENGTH],
                   filters=filters_from(args), page=positive_int(args.get("page"), 1) or 1,
                   order=order if order in ORDERS else "relevance")

    @property
    def is_empty(self) -> bool:
        """Nothing asked yet: the page shows its tips instead of searching."""
        return not self.text and not self.filters

    def is_active(self, facet: str, value: str) -> bool:
        return value in self.filters.get(facet, ())

    def url(self, **changes: Any) -> str:
        """The search page for these args with `changes` (fields of SearchArgs) applied."""
        args = dataclasses.replace(self, **changes)
        params: dict[str, Any] = {"q": args.text} if args.text else {}
        params |= {facet: list(values) for facet, values in args.filters.items() if values}
        if args.order != "relevance":
            params["order"] = args.order
        if args.page > 1:
            params["page"] = args.page
        return url_for("search.index", **params)

    def page_url(self, page: int) -> str:
        return self.url(page=page)

    def order_url(self, order: str) -> str:
        return self.url(order=order, page=1)

    def toggle_url(self, facet: str, value: str) -> str:
        """Adds `value` to the facet's filter, or takes it out when it is there."""
        current = self.filters.get(facet, ())
        values = (tuple(v for v in current if v != value) if value in current
                  else (*current, value))
        return self.url(filters=self._with(facet, values), page=1)

    def without_filters_url(self) -> str:
        return self.url(filters={}, page=1)

    def _with(self, facet: str, values: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
        filters = dict(self.filters)
        if values:
            filters[facet] = values
        else:
            filters.pop(facet, None)
        return {name: filters[name] for name in FACETS if name in filters}


def filters_from(args: MultiDict[str, str]) -> dict[str, tuple[str, ...]]:
    """The facet filters in the URL, with values no facet can hold left out."""
    found = {facet: _clean_values(facet, args.getlist(facet)) for facet in FACETS}
    return {facet: values for facet, values in found.items() if values}

