"""The navigation bar and dashboard shortcuts: each role sees the entries its work needs."""

from __future__ import annotations

from typing import Any, NamedTuple

from flask import current_app
from flask_babel import lazy_gettext as _l

from dossier.auth.permissions import Action, Feature, can


class NavItem(NamedTuple):
    endpoint: str
    label: Any
    feature: Feature
    # Endpoint prefixes that belong to this section; the longest match marks it active.
    section: tuple[str, ...] = ()


NAV_ITEMS = (
    NavItem("customers.index", _l("Customers"), Feature.CUSTOMERS, ("customers.", "documents.")),
    # Every role that finds customers searches (clerks: customers only, see search/access.py).
    NavItem("search.index", _l("Search"), Feature.CUSTOMERS, ("search.",)),
    NavItem("segments.index", _l("Segments"), Feature.CUSTOMERS, ("segments.",)),
    NavItem("ingest.jobs", _l("Scans"), Feature.INGEST, ("ingest.",)),
    NavItem("mailings.index", _l("Mailings"), Feature.MAILINGS, ("mailings.",)),
    NavItem("archive.dashboard", _l("Archive"), Feature.ARCHIVE,
            ("archive.", "requests.index", "requests.overdue", "requests.picklist",
             "destruction.", "archive_upload.", "digitise.")),
    NavItem("documents.policy", _l("Scope policy"), Feature.VIEW_POLICY, ("documents.policy",)),
    NavItem("doc_admin.types", _l("Document types"), Feature.MANAGE_TYPES, ("doc_admin.",)),
    NavItem("fields.index", _l("Custom fields"), Feature.MANAGE_FIELDS, ("fields.",)),
    NavItem("merge.index", _l("Duplicates"), Feature.MERGE_CUSTOMERS, ("merge.",)),
    NavItem("derived.index", _l("Derived fields"), Feature.MANAGE_FIELDS, ("derived.",)),
    NavItem("users.index", _l("Users"), Feature.MANAGE_USERS, ("users.",)),
)


class Shortcut(NamedTuple):
    endpoint: str
    label: Any
    description: Any
    feature: Feature
    action: Action = Action.VIEW


SHORTCUTS = (
    Shortcut("customers.index", _l("Customers"),
             _l("Find a customer and open their dossier."), Feature.CUSTOMERS),
    Shortcut("customers.new", _l("New customer"),
             _l("Register a person or an organisation."), Feature.CUSTOMERS, Action.CREATE),
    Shortcut("ingest.upload", _l("Upload scans"),
             _l("Send scanned or digital files to be read and filed."), Feature.INGEST,
             Action.CREATE),
    Shortcut("ingest.triage_list", _l("Triage"),
             _l("Scans without a cover sheet, waiting for their customer."), Feature.INGEST),
    Shortcut("mailings.new", _l("New mailing"),
             _l("Numbered letters with a reply coupon; scanned replies set each answer."),
             Feature.MAILINGS, Action.CREATE),
    Shortcut("archive.scan_station", _l("Scan station"),
             _l("Check originals in and out, move boxes, count a shelf."), Feature.ARCHIVE,
             Action.EDIT),
    Shortcut("archive.dashboard", _l("Archive"),
             _l("Locations, what is out, labels and the paper originals."), Feature.ARCHIVE),
    Shortcut("requests.index", _l("Requests for originals"),
             _l("The pick list, what is out with whom, and what waits."), Feature.ARCHIVE),
    Shortcut("requests.mine", _l("My requests for originals"),
             _l("Paper originals you asked the archive for, and how your requests stand."),
             Feature.DOCUMENTS),
    Shortcut("documents.policy", _l("Scope policy"),
             _l("Which documents are dynamic or static for each scope, and why."),
             Feature.VIEW_POLICY),
    Shortcut("users.index", _l("Users"),
             _l("Accounts, roles and access."), Feature.MANAGE_USERS),
    Shortcut("fields.index", _l("Custom fields"),
             _l("Extra customer fields and which scopes see them."), Feature.MANAGE_FIELDS),
    Shortcut("derived.index", _l("Derived fields"),
             _l("Values computed from documents, contacts and complaints."),
             Feature.MANAGE_FIELDS),
    Shortcut("segments.index", _l("Segments"),
             _l("Saved selections of customers: count, export, address a mailing."),
             Feature.CUSTOMERS),
    Shortcut("doc_admin.types", _l("Document types"),
             _l("Types, key points and retention periods."), Feature.MANAGE_TYPES),
    Shortcut("merge.index", _l("Duplicates"),
             _l("Customers that may be one person or organisation: compare and merge."),
             Feature.MERGE_CUSTOMERS),
    Shortcut("customer_import.upload", _l("Import customers"),
             _l("Customers and their fields from a CSV or Excel file, with a dry run first."),
             Feature.IMPORT_CUSTOMERS),
)


def endpoint_exists(endpoint: str) -> bool:
    """True when some blueprint serves `endpoint` (other packages add theirs over time)."""
    return endpoint in current_app.view_functions


def navigation_for(user: Any) -> list[NavItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    return [item for item in NAV_ITEMS
            if endpoint_exists(item.endpoint) and can(user, Action.VIEW, item.feature)]


def shortcuts_for(user: Any) -> list[Shortcut]:
    if not getattr(user, "is_authenticated", False):
        return []
    return [item for item in SHORTCUTS
            if endpoint_exists(item.endpoint) and can(user, item.action, item.feature)]


def active_endpoint(items: list[NavItem], endpoint: str | None) -> str | None:
    """The endpoint of the navigation entry whose section best matches `endpoint`."""
    if not endpoint:
        return None
    best: tuple[int, str | None] = (0, None)
    for item in items:
        for prefix in item.section or (item.endpoint,):
            if endpoint.startswith(prefix) and len(prefix) > best[0]:
                best = (len(prefix), item.endpoint)
    return best[1]
