"""Reads on users: the searchable, sortable list admins manage them from."""

from __future__ import annotations

from sqlalchemy import Select, or_, select

from dossier.auth.models import User

SORT_COLUMNS = {
    "username": User.username,
    "name": User.full_name,
    "last_login": User.last_login_at,
}
DEFAULT_SORT = "username"


def normalise_sort(sort: str | None) -> str:
    """`sort` if it names a known column (optionally with "-" for descending), else the default."""
    if sort and sort.removeprefix("-") in SORT_COLUMNS:
        return sort
    return DEFAULT_SORT


def user_list(search: str = "", sort: str = DEFAULT_SORT) -> Select[tuple[User]]:
    """Users whose username or name contains `search`, ordered by `sort`."""
    query = select(User)
    search = search.strip()
    if search:
        # Escape LIKE wildcards so "50%" finds a literal percent sign.
        pattern = "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(or_(User.username.ilike(pattern, escape="\\"),
                                User.full_name.ilike(pattern, escape="\\")))
    sort = normalise_sort(sort)
    column = SORT_COLUMNS[sort.removeprefix("-")]
    ordered = column.desc() if sort.startswith("-") else column.asc()
    # Users who never logged in go last either way, on SQLite and PostgreSQL alike.
    return query.order_by(ordered.nulls_last(), User.username)
