"""Writing search_document rows: from IndexedDocument batches, or straight from the tables.

Both ways go through the same SQL (vector_sql over the same text pieces), so a row
made by a rebuild and one made by the outbox for the same document are identical.
The SQL-side reading mirrors dossier/search/content.py (current file, key points text,
customers ordered by number).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from dossier.search.backends.postgres_schema import vector_sql
from dossier.search.content import IndexedDocument

COLUMNS = ("document_id, tsv, scopes, type_id, type_code, document_date, storage, status, "
           "end_date, customer_ids, customer_numbers")
# Keep an existing row's values in step on a second index of the same document.
UPSERT = (" ON CONFLICT (document_id) DO UPDATE SET "
          + ", ".join(f"{c} = EXCLUDED.{c}" for c in COLUMNS.split(", ")[1:]))

_HEAD = "concat_ws(' ', {title}, {names}, {numbers})"

INSERT_VALUES = text(
    f"INSERT INTO search_document ({COLUMNS}) VALUES (:id, "  # noqa: S608 (constant SQL; values are bound)
    + vector_sql(_HEAD.format(title="CAST(:title AS text)", names="CAST(:names AS text)",
                              numbers="CAST(:numbers AS text)"),
                 "CAST(:names AS text)", "CAST(:points AS text)", "CAST(:body AS text)",
                 "CAST(:languages AS text)")
    + ", CAST(:scopes AS text[]), :type_id, :type_code, :document_date, :storage, :status, "
      ":end_date, CAST(:customer_ids AS integer[]), CAST(:customer_numbers AS text[]))"
    + UPSERT)


def document_parameters(doc: IndexedDocument) -> dict[str, Any]:
    return {
        "id": doc.id, "title": doc.title, "names": " ".join(doc.customer_names),
        "numbers": " ".join(doc.customer_numbers), "points": doc.key_points,
        "body": doc.body, "languages": doc.language, "scopes": list(doc.scopes),
        "type_id": doc.type_id,
        "type_code": doc.type_code, "document_date": doc.document_date,
        "storage": doc.storage, "status": doc.status, "end_date": doc.end_date,
        "customer_ids": list(doc.customer_ids),
        "customer_numbers": [number.upper() for number in doc.customer_numbers],
    }


def write_documents(session: Session, docs: Sequence[IndexedDocument]) -> None:
    """Insert or replace these documents' rows (one pipelined executemany)."""
    if docs:
        session.execute(INSERT_VALUES, [document_parameters(doc) for doc in docs])


# The same row computed from the tables, for documents document_id in (:low, :high].
# A customer's display name as Customer.display_name builds it.
CUSTOMER_NAME_SQL = ("CASE WHEN c.kind = 'organisation' THEN c.organisation_name ELSE "
                  "concat_ws(' ', nullif(coalesce(nullif(c.first_name, ''), c.initials), ''), "
                  "nullif(c.infix, ''), nullif(c.last_name, '')) END")
_KEY_POINT_VALUES = (
    "SELECT string_agg(e.value #>> '{}', E'\\n') AS text FROM json_each(d.key_points) e "
    "WHERE json_typeof(e.value) NOT IN ('boolean', 'null') AND e.value #>> '{}' <> ''")

SELECT_FROM_TABLES = (
    "SELECT d.id AS document_id, "  # noqa: S608 (constant SQL; values are bound)
    + vector_sql("tx.head", "cu.names", "tx.points", "coalesce(f.text, '')",
                 "coalesce(f.languages, '')")
    + """ AS tsv, coalesce(sc.scopes, '{}') AS scopes, d.document_type_id AS type_id,
       t.code AS type_code, d.document_date,
       CASE WHEN f.document_id IS NOT NULL AND d.paper_original THEN 'hybrid'
            WHEN f.document_id IS NOT NULL THEN 'digital'
            WHEN d.paper_original THEN 'paper' ELSE 'none' END AS storage,
       lower(coalesce(d.key_points ->> 'status', '')) AS status,
       coalesce(d.key_points ->> 'end_date', '') AS end_date,
       coalesce(cu.ids, '{}') AS customer_ids,
       coalesce(cu.upper_numbers, '{}') AS customer_numbers
FROM document d
JOIN document_type t ON t.id = d.document_type_id
LEFT JOIN LATERAL (SELECT f.document_id, f.text, f.languages FROM digital_file f
                   WHERE f.document_id = d.id ORDER BY f.version DESC LIMIT 1) f ON true
LEFT JOIN LATERAL (SELECT array_agg(s.scope ORDER BY s.scope) AS scopes
                   FROM document_scope s WHERE s.document_id = d.id) sc ON true
LEFT JOIN LATERAL (
    SELECT string_agg(""" + CUSTOMER_NAME_SQL + """, ' ' ORDER BY c.number) AS names,
           string_agg(c.number, ' ' ORDER BY c.number) AS numbers,
           array_agg(c.id ORDER BY c.number) AS ids,
           array_agg(upper(c.number) ORDER BY c.number) AS upper_numbers
    FROM document_customer dc JOIN customer c ON c.id = dc.customer_id
    WHERE dc.document_id = d.id) cu ON true
LEFT JOIN LATERAL (""" + _KEY_POINT_VALUES + """) kp ON true
CROSS JOIN LATERAL (
    SELECT """ + _HEAD.format(title="d.title", names="cu.names", numbers="cu.numbers")
    + """ AS head,
           concat_ws(E'\\n', kp.text, nullif(d.notes, '')) AS points) tx
WHERE d.id > :low AND d.id <= :high""")

INSERT_FROM_TABLES = text(f"INSERT INTO search_document ({COLUMNS}) {SELECT_FROM_TABLES}"
                          + UPSERT)
