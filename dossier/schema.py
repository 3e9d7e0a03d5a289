"""Which tables Alembic manages from the models, and which are PostgreSQL-only extras."""

from __future__ import annotations

from typing import Any

# Tables made by their own PostgreSQL-only migrations (e.g. full-text search); they are
# left out of autogenerate and the model/migration drift check.
POSTGRES_ONLY_TABLES: frozenset[str] = frozenset(
    {"search_document", "search_customer", "search_name_word"})


def include_object(obj: Any, name: str | None, type_: str, reflected: bool,
                   compare_to: Any) -> bool:
    if type_ == "table" and name in POSTGRES_ONLY_TABLES:
        return False
    table = getattr(obj, "table", None)
    return not (table is not None and table.name in POSTGRES_ONLY_TABLES)
