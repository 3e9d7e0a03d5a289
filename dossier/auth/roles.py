"""The roles a user can hold; the first three are also scopes."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    SALES = "sales"
    CARE = "care"
    LOYALTY = "loyalty"
    CLERK = "clerk"
    COMPLIANCE = "compliance"
    ADMIN = "admin"


class Scope(StrEnum):
    SALES = "sales"
    CARE = "care"
    LOYALTY = "loyalty"


ALL_ROLES: tuple[str, ...] = tuple(r.value for r in Role)
ALL_SCOPES: tuple[str, ...] = tuple(s.value for s in Scope)
# Roles that see every scope (read) because their work spans all of them.
ALL_SEEING_ROLES = frozenset({Role.ADMIN.value, Role.COMPLIANCE.value})
