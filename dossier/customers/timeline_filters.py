"""The dossier timeline's filters: what they are and how the query string gives them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import gettext as _

from dossier.auth.roles import ALL_SCOPES
from dossier.customers.interactions_queries import CHANNELS

INTERACTION, COMPLAINT, DOCUMENT, ARCHIVE = "interaction", "complaint", "document", "archive"
KINDS: tuple[str, ...] = (INTERACTION, COMPLAINT, DOCUMENT, ARCHIVE)
MAX_PAGE = 100_000
# Prefixed: the dossier page's document section has filters of its own.
ARGS = {"channel": "tl_channel", "scope": "tl_scope", "kind": "tl_kind", "page": "tl_page"}


@dataclass
class TimelineFilters:
    channel: str | None = None  # only contacts on this channel (and complaints raised in them)
    scope: str | None = None
    kind: str | None = None  # one of KINDS
    page: int = 1

    def as_args(self) -> dict[str, str]:
        """The filters as query arguments, for links that keep them (page excluded)."""
        args = {ARGS["channel"]: self.channel, ARGS["scope"]: self.scope,
                ARGS["kind"]: self.kind}
        return {key: value for key, value in args.items() if value}

    @property
    def active(self) -> bool:
        return bool(self.as_args())

    def wants(self, kind: str) -> bool:
        """Does this kind of entry pass the kind and channel filters? Only interactions
        and complaints (through the interaction they were raised in) have a channel."""
        if self.kind and self.kind != kind:
            return False
        return not (self.channel and kind in (DOCUMENT, ARCHIVE))


def parse_timeline_filters(args: Mapping[str, str]) -> tuple[TimelineFilters, list[str]]:
    """Filters from ?tl_channel=&tl_scope=&tl_kind=&tl_page=, and a message for each value
    ignored."""
    filters = TimelineFilters()
    problems: list[str] = []
    for name, options in (("channel", CHANNELS), ("scope", ALL_SCOPES), ("kind", KINDS)):
        value = (args.get(ARGS[name]) or "").strip()
        if not value:
            continue
        if value in options:
            setattr(filters, name, value)
        else:
            problems.append(_("The timeline filter %(value)s was not understood and is "
                              "ignored.", value=value[:20]))
    page = (args.get(ARGS["page"]) or "").strip()
    if page:
        if page.isdigit() and 1 <= int(page) <= MAX_PAGE:
            filters.page = int(page)
        else:
            problems.append(_("The page number was not understood; showing the first page."))
    return filters, problems
