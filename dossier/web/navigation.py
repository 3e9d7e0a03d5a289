"""The navigation bar: each role sees the entries its work needs."""

from __future__ import annotations

from typing import Any, NamedTuple

from flask_babel import lazy_gettext as _l

from dossier.auth.permissions import Action, Feature, can


class NavItem(NamedTuple):
    endpoint: str
    label: Any
    feature: Feature


NAV_ITEMS = (
    NavItem("customers.index", _l("Customers"), Feature.CUSTOMERS),
    NavItem("documents.policy", _l("Scope policy"), Feature.VIEW_POLICY),
    NavItem("doc_admin.types", _l("Document types"), Feature.MANAGE_TYPES),
    NavItem("fields.index", _l("Custom fields"), Feature.MANAGE_FIELDS),
    NavItem("users.index", _l("Users"), Feature.MANAGE_USERS),
)


def navigation_for(user: Any) -> list[NavItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    return [item for item in NAV_ITEMS if can(user, Action.VIEW, item.feature)]
