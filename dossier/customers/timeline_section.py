"""What the dossier page shows of the contact history: the timeline with its filters, the
channel usage and the actions the viewer may take."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from dossier.archive.models import MOVEMENT_LABELS
from dossier.auth.permissions import Action, Feature, can
from dossier.auth.roles import ALL_SCOPES
from dossier.customers.forms import SCOPE_LABELS
from dossier.customers.interactions_forms import (
    CHANNEL_LABELS,
    COMPLAINT_STATUS_LABELS,
    DIRECTION_LABELS,
    TIMELINE_KIND_LABELS,
)
from dossier.customers.interactions_queries import CHANNELS, ChannelUsage, channel_usage
from dossier.customers.timeline import Timeline, customer_timeline
from dossier.customers.timeline_filters import (
    ARCHIVE,
    COMPLAINT,
    DOCUMENT,
    INTERACTION,
    KINDS,
    parse_timeline_filters,
)


@dataclass(frozen=True)
class Labels:
    channel: Mapping[str, Any] = field(default_factory=lambda: CHANNEL_LABELS)
    direction: Mapping[str, Any] = field(default_factory=lambda: DIRECTION_LABELS)
    status: Mapping[str, Any] = field(default_factory=lambda: COMPLAINT_STATUS_LABELS)
    kind: Mapping[str, Any] = field(default_factory=lambda: TIMELINE_KIND_LABELS)
    scope: Mapping[str, Any] = field(default_factory=lambda: SCOPE_LABELS)
    movement: Mapping[str, Any] = field(
        default_factory=lambda: {kind.value: label for kind, label in MOVEMENT_LABELS.items()})


@dataclass
class ContactSection:
    timeline: Timeline
    usage: ChannelUsage | None  # None: the viewer sees no contacts at all
    problems: list[str]  # filter values that were ignored, to say so
    scopes: list[str]  # the scope filter's options
    may_record: bool
    channels: tuple[str, ...] = CHANNELS  # empty: the viewer sees no contacts to filter
    kinds: tuple[str, ...] = KINDS  # the kinds the viewer may see
    labels: Labels = field(default_factory=Labels)


def contact_section(actor: Any, customer: Any, args: Mapping[str, str]) -> ContactSection:
    filters, problems = parse_timeline_filters(args)
    sees_contacts = can(actor, Action.VIEW, Feature.INTERACTIONS)
    sees_documents = can(actor, Action.VIEW, Feature.DOCUMENTS)
    kinds = tuple(kind for kind in KINDS if kind == ARCHIVE
                  or (kind == DOCUMENT and sees_documents)
                  or (kind in (INTERACTION, COMPLAINT) and sees_contacts))
    return ContactSection(
        timeline=customer_timeline(actor, customer, filters),
        usage=channel_usage(actor, customer) if sees_contacts else None,
        problems=problems,
        scopes=[scope for scope in ALL_SCOPES if scope in actor.scopes],
        may_record=can(actor, Action.CREATE, Feature.INTERACTIONS),
        channels=CHANNELS if sees_contacts else (),
        kinds=kinds,
    )
