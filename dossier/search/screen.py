"""What the search page shows around the hits: facet groups, active filter chips, class per hit.

Facets are shown exactly as the search returned them (counted inside the scope-filtered
query), so nothing here can reveal a value the searcher may not see.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from dossier.documents.key_points import summary
from dossier.documents.policy import Classification, PolicyBook
from dossier.documents.queries import all_types
from dossier.search.page_args import FACET_CHOICES, FACETS, SearchArgs
from dossier.search.results import DocumentHit

FACET_TITLES = {"type": _l("Type"), "class": _l("Class"), "scope": _l("Scope"),
                "storage": _l("Storage")}
FIXED_LABELS: dict[str, dict[str, Any]] = {
    "class": {"dynamic": _l("dynamic"), "static": _l("static")},
    "scope": {"sales": _l("Sales"), "care": _l("Care"), "loyalty": _l("Loyalty")},
    "storage": {"digital": _l("digital"), "paper": _l("paper"), "hybrid": _l("hybrid"),
                "none": _l("no file or paper")},
}


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    active: bool
    url: str | None  # None: a value that cannot be chosen as a filter


@dataclass(frozen=True)
class FacetGroup:
    name: str
    title: str
    values: list[FacetValue]


@dataclass(frozen=True)
class Chip:
    """An active facet filter, with the link that removes it."""

    facet: str
    label: str
    url: str


class FacetLabels:
    """Names for facet values in the user's language (type codes need the database)."""

    def __init__(self) -> None:
        locale = str(get_locale() or "nl")
        self.types = {t.code: t.name(locale) for t in all_types()}

    def label(self, facet: str, value: str) -> str:
        if facet == "type":
            return self.types.get(value, value)
        return str(FIXED_LABELS.get(facet, {}).get(value, value))


def facet_groups(facets: Mapping[str, Mapping[str, int]], args: SearchArgs,
                 labels: FacetLabels) -> list[FacetGroup]:
    """One group per facet with counts, biggest first; each value links to its toggle."""
    groups = []
    for name in FACETS:
        counts = facets.get(name) or {}
        values = [_value(name, value, count, args, labels)
                  for value, count in counts.items() if count > 0 or args.is_active(name, value)]
        values.sort(key=lambda v: (-v.count, v.label.lower()))
        if values:
            groups.append(FacetGroup(name, str(FACET_TITLES[name]), values))
    return groups


def _value(facet: str, value: str, count: int, args: SearchArgs,
           labels: FacetLabels) -> FacetValue:
    choices = FACET_CHOICES[facet]
    choosable = choices is None or value in choices
    return FacetValue(value, labels.label(facet, value), count, args.is_active(facet, value),
                      args.toggle_url(facet, value) if choosable else None)


def chips(args: SearchArgs, labels: FacetLabels) -> list[Chip]:
    return [Chip(facet, f"{FACET_TITLES[facet]}: {labels.label(facet, value)}",
                 args.toggle_url(facet, value))
            for facet in FACETS for value in args.filters.get(facet, ())]


def classes_per_hit(hits: Iterable[DocumentHit], scopes: Iterable[str]
                    ) -> dict[int, list[Classification]]:
    """Each hit's class in the searcher's own scopes (a document can differ per scope)."""
    book = PolicyBook.load()
    mine = set(scopes)
    return {hit.document.id: [book.classify(hit.document, scope)
                              for scope in hit.document.scopes if scope in mine]
            for hit in hits}


def summaries_without_snippet(hits: Iterable[DocumentHit]) -> dict[int, str]:
    """Key points of hits whose text gave no snippet (a static document found by its key
    points, or by its type or customer), so every hit says something about itself."""
    return {hit.document.id: summary(hit.document.document_type, hit.document.key_points or {})
            for hit in hits if not hit.snippet}
