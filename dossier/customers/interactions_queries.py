"""Reads of a customer's contact history: the interactions an actor may see, the
documents they may link, who may handle them, and how each channel is used."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select

from dossier.auth.models import User, UserRole
from dossier.auth.permissions import (
    SCOPE_ROLES,
    Action,
    can,
    visible_document_clause,
    visible_interaction_clause,
)
from dossier.auth.roles import Role
from dossier.customers.interaction_models import Interaction, InteractionChannel
from dossier.documents.models import Document, document_customer
from dossier.extensions import db

CHANNELS: tuple[str, ...] = tuple(channel.value for channel in InteractionChannel)


def visible_interactions_query(actor: Any, customer: Any, *, channel: str | None = None,
                               scope: str | None = None,
                               direction: str | None = None) -> Select[tuple[Interaction]]:
    """The customer's interactions the actor may see, newest first, as a query to page."""
    stmt = select(Interaction).where(Interaction.customer_id == customer.id,
                                     visible_interaction_clause(actor))
    if channel:
        stmt = stmt.where(Interaction.channel == channel)
    if scope:
        stmt = stmt.where(Interaction.scope == scope)
    if direction:
        stmt = stmt.where(Interaction.direction == direction)
    return stmt.order_by(Interaction.occurred_at.desc(), Interaction.id.desc())


def visible_interactions(actor: Any, customer: Any, *, channel: str | None = None,
                         scope: str | None = None, direction: str | None = None,
                         limit: int | None = None, offset: int = 0) -> list[Interaction]:
    """The customer's interactions the actor may see, newest first."""
    stmt = visible_interactions_query(actor, customer, channel=channel, scope=scope,
                                      direction=direction)
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(db.session.scalars(stmt.offset(offset)))


def interaction_of(customer_id: int, interaction_id: int) -> Interaction | None:
    """The interaction with this id, if it belongs to this customer."""
    interaction = db.session.get(Interaction, interaction_id)
    if interaction is None or interaction.customer_id != customer_id:
        return None
    return interaction


def linkable_documents(actor: Any, customer: Any) -> list[Document]:
    """The customer's documents the actor may see (and so link), newest first."""
    mine = select(document_customer.c.document_id).where(
        document_customer.c.customer_id == customer.id)
    stmt = (select(Document).where(Document.id.in_(mine), visible_document_clause(actor))
            .order_by(Document.document_date.desc(), Document.id.desc()))
    return list(db.session.scalars(stmt))


def visible_linked_documents(actor: Any, interaction: Interaction) -> list[Document]:
    """The interaction's documents the actor may see; the others are not even counted."""
    return [document for document in interaction.documents
            if can(actor, Action.VIEW, document)]


def possible_handlers() -> list[User]:
    """Active users who work in a scope (scope roles and admins), by name."""
    roles = sorted(SCOPE_ROLES | {Role.ADMIN.value})
    holders = select(UserRole.user_id).where(UserRole.role.in_(roles))
    stmt = select(User).where(User.active.is_(True), User.id.in_(holders))
    return sorted(db.session.scalars(stmt), key=lambda user: user.display_name.lower())


@dataclass
class ChannelCount:
    channel: str
    inbound: int = 0
    outbound: int = 0
    last_at: datetime | None = None

    @property
    def total(self) -> int:
        return self.inbound + self.outbound


@dataclass
class ChannelUsage:
    """How often each channel was used with a customer, in the interactions one actor sees."""

    channels: list[ChannelCount] = field(default_factory=list)  # used ones, most used first
    last_channel: str | None = None
    last_direction: str | None = None
    last_at: datetime | None = None

    @property
    def total(self) -> int:
        return sum(row.total for row in self.channels)


def channel_usage(actor: Any, customer: Any) -> ChannelUsage:
    """Per channel the number of inbound and outbound contacts, and the latest contact."""
    where = (Interaction.customer_id == customer.id, visible_interaction_clause(actor))
    stmt = (select(Interaction.channel, Interaction.direction, func.count(),
                   func.max(Interaction.occurred_at))
            .where(*where).group_by(Interaction.channel, Interaction.direction))
    rows: dict[str, ChannelCount] = {}
    for channel, direction, count, last_at in db.session.execute(stmt):
        row = rows.setdefault(channel, ChannelCount(channel))
        if direction == "inbound":
            row.inbound = count
        else:
            row.outbound = count
        row.last_at = max(filter(None, (row.last_at, last_at)), default=None)
    usage = ChannelUsage(sorted(rows.values(), key=lambda row: (-row.total, _rank(row.channel))))
    latest = db.session.execute(
        select(Interaction.channel, Interaction.direction, Interaction.occurred_at)
        .where(*where).order_by(Interaction.occurred_at.desc(), Interaction.id.desc())
        .limit(1)).first()
    if latest is not None:
        usage.last_channel, usage.last_direction, usage.last_at = latest
    return usage


def _rank(channel: str) -> int:
    return CHANNELS.index(channel) if channel in CHANNELS else len(CHANNELS)
