"""Document search on PostgreSQL: exact total and facets in one grouped scan, then one page.

Facets are counted over every visible match (one GROUP BY over type, storage, scopes
and the class flags, folded here), so counts agree with what filtering returns. The
page is ordered by date, or by relevance: RUM's `<=>` for many matches and for a
single word or prefix (the top rows come straight from the index, no tsvector is read
from the table, but every posting of the query's words is scored), ts_rank over the
matches themselves when several words or a phrase match few documents (a phrase of
common words: reading a thousand tsvectors costs less than scoring the postings of its
words again) and always with GIN.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Float,
    Select,
    Text,
    and_,
    bindparam,
    cast,
    func,
    literal,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.orm import Session

from dossier.search.backends.base import DocumentPage, Visibility
from dossier.search.backends.postgres_filters import class_in_scope, conditions
from dossier.search.backends.postgres_schema import search_document as sd
from dossier.search.backends.postgres_text import TextQuery
from dossier.search.query import ParsedQuery

# For the rest of the transaction (a search's request commits soon after): plan each
# statement for its own values (psycopg prepares a statement after 5 runs, and a generic
# plan can skip RUM's ordered scan: p95 25 -> 174 ms measured); no JIT (compiling costs
# more than these queries take); no sequential scan, which would read every matching
# document's tsvector from TOAST (the planner does not count that cost) where a bitmap
# scan reads the index and the narrow table rows; and memory for RUM to sort the
# postings of a prefix of a common word (4 MB spilled 23 MB to disk: 120 ms). The rest
# of a search only reads rows by key; the customer search resets the last two (one round
# trip fewer than resetting them here).
_TUNE = text("SELECT set_config('plan_cache_mode', 'force_custom_plan', true), "
             "set_config('jit', 'off', true), set_config('enable_seqscan', 'off', true), "
             "set_config('work_mem', '48MB', true)")
FACETS = ("type", "class", "scope", "storage")


def _tsquery(name: str, value: str) -> ColumnElement[Any]:
    return cast(bindparam(name, value, type_=Text), TSQUERY)


def _facets(session: Session, where: list[ColumnElement[bool]],
            visibility: Visibility) -> tuple[int, dict[str, dict[str, int]]]:
    """Total and facets from one GROUP BY: type, storage, and per visible scope the row's
    class there (NULL: not in that scope), so scopes and classes fold from the same rows."""
    scopes = sorted(visibility.scopes)
    classes = [class_in_scope(visibility, scope).label(f"class_{n}")
               for n, scope in enumerate(scopes)]
    rows = session.execute(select(sd.c.type_code, sd.c.storage, *classes,
                                  func.count().label("n"))
                           .where(*where).group_by(sd.c.type_code, sd.c.storage, *classes))
    counts: dict[str, Counter[str]] = {group: Counter() for group in FACETS}
    total = 0
    for row in rows:
        total += row.n
        counts["type"][row.type_code] += row.n
        counts["storage"][row.storage] += row.n
        in_scopes = {scope: row[2 + n] for n, scope in enumerate(scopes) if row[2 + n]}
        for scope in in_scopes:
            counts["scope"][scope] += row.n
        for document_class in set(in_scopes.values()):
            counts["class"][document_class] += row.n
    return total, {group: dict(found) for group, found in counts.items() if found}


RANK_IN_TABLE_MAX = 1_000  # matches up to which ts_rank orders them, also with RUM


def _one_item(rank: str) -> bool:
    """One word or prefix (its forms ORed): RUM reads just the postings that match, so
    its order costs less than ts_rank over the matches' tsvectors at any count (a prefix
    with 700 matches: 2.5 against 10-24 ms). With & or a phrase it reads every posting of
    each word, however few documents have them all."""
    return "&" not in rank and "<" not in rank


def _ordered(statement: Select[Any], words: TextQuery, order: str, ranking: str,
             total: int) -> Select[Any]:
    if order == "date" or words.rank is None:
        score = (func.ts_rank(sd.c.tsv, _tsquery("rank", words.rank)) if words.rank
                 else literal(0.0, Float))
        return statement.add_columns(score.label("score")).order_by(
            sd.c.document_date.desc(), sd.c.document_id.desc())
    if ranking == "rum" and (total > RANK_IN_TABLE_MAX or _one_item(words.rank)):
        # A second sort key would make PostgreSQL sort every match instead of reading the
        # top rows from the index; equal distances keep the index's stable order.
        distance = sd.c.tsv.op("<=>", return_type=Float)(_tsquery("rank", words.rank))
        return statement.add_columns((1.0 / (1.0 + distance)).label("score")).order_by(distance)
    rank = func.ts_rank(sd.c.tsv, _tsquery("rank", words.rank))
    return statement.add_columns(rank.label("score")).order_by(rank.desc(),
                                                               sd.c.document_id)


def search_documents(session: Session, query: ParsedQuery, words: TextQuery,
                     visibility: Visibility, page: int, per_page: int, order: str,
                     ranking: str) -> DocumentPage:
    """One page of what `visibility` allows matching `query` (its words as `words`);
    `ranking` "rum" or "gin"."""
    if not visibility.scopes or words.empty:
        return DocumentPage(ids=[], total=0, scores={}, facets={})
    where = conditions(query, visibility)
    if words.match is not None:
        where.append(sd.c.tsv.op("@@")(_tsquery("match", words.match)))
    session.execute(_TUNE)
    total, facets = _facets(session, where, visibility)
    offset = (page - 1) * per_page
    if offset >= total:
        return DocumentPage(ids=[], total=total, scores={}, facets=facets)
    statement = _ordered(select(sd.c.document_id).where(and_(*where)), words, order,
                         ranking, total)
    rows = session.execute(statement.limit(per_page).offset(offset)).all()
    return DocumentPage(ids=[row.document_id for row in rows], total=total,
                        scores={row.document_id: float(row.score) for row in rows},
                        facets=facets)
