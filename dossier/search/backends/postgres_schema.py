"""The PostgreSQL search tables as the backend sees them, and the recipe for a document's tsvector.

The tables are made by the PostgreSQL-only migration (039f6f8bd332); they live in a
MetaData of their own so that the models' metadata (create_all, the drift check)
never sees them.
"""

from __future__ import annotations

from sqlalchemy import Column, Date, Integer, MetaData, Table, Text, text
from sqlalchemy.dialects.postgresql import ARRAY, TSVECTOR
from sqlalchemy.orm import Session

# Dutch and English stemming, both after unaccent (made by the migration). Titles,
# customer names, key points and notes are indexed in both; a file's text in the language
# its file declares ("nld" or "eng"), else in Dutch, plus English when the text has
# English in it (OCR declares "nld+eng" for everything). Queries ask for a word's Dutch
# or English form, so either finds the document.
CONFIGURATIONS = ("dossier_nl", "dossier_en")
# Customer names once more, without stemming or stop words (made by migration
# e81d2e3a4c04: 'simple' after unaccent): "Meer" in "Van der Meer" is a Dutch stop word,
# which the two configurations above drop.
NAMES_CONFIGURATION = "dossier_names"
# Small English words that Dutch does not use; four of them make a text count as English
# too. Kept as lexemes of the Dutch configuration, the form they have in a Dutch vector.
ENGLISH_MARKERS = ("the and to with for that this you your are from our which have has it "
                   "at by be not")
ENGLISH_MARKERS_NEEDED = 4
TSV_INDEX = "ix_search_document_tsv"
# Body text beyond this many characters is left out of the vector: a tsvector holds at
# most 1 MB, and a scan of hundreds of pages would otherwise fail its whole batch.
MAX_BODY_CHARS = 400_000

search_metadata = MetaData()

search_document = Table(
    "search_document", search_metadata,
    Column("document_id", Integer, primary_key=True),
    Column("tsv", TSVECTOR, nullable=False),
    Column("scopes", ARRAY(Text), nullable=False),
    Column("type_id", Integer, nullable=False),
    Column("type_code", Text, nullable=False),
    Column("document_date", Date, nullable=False),
    Column("storage", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("end_date", Text, nullable=False),
    Column("customer_ids", ARRAY(Integer), nullable=False),
    Column("customer_numbers", ARRAY(Text), nullable=False),
)

search_customer = Table(
    "search_customer", search_metadata,
    Column("customer_id", Integer, primary_key=True),
    Column("number", Text, nullable=False),
    Column("name", Text, nullable=False),  # dossier_fold()ed
    Column("name_words", ARRAY(Text), nullable=False),  # the words of name
    Column("postcode", Text, nullable=False),  # upper case, no spaces
    Column("house_number", Text, nullable=False),  # upper case, "12A"
    Column("email", Text, nullable=False),  # lower case
    Column("phone_digits", Text, nullable=False),
    Column("city", Text, nullable=False),  # dossier_fold()ed
)


search_name_word = Table(
    "search_name_word", search_metadata,
    Column("word", Text, primary_key=True),
)


def _both(sql_text: str) -> str:
    return " || ".join(f"to_tsvector('{config}', {sql_text})" for config in CONFIGURATIONS)


def _body(body: str, languages: str) -> str:
    text_sql = f"left({body}, {MAX_BODY_CHARS})"
    english_words = (f"(SELECT count(*) FROM unnest(v.nl) u WHERE u.lexeme = ANY("  # noqa: S608
                     f"tsvector_to_array(to_tsvector('dossier_nl', '{ENGLISH_MARKERS}'))))")
    return (f"CASE WHEN {languages} = 'eng' THEN to_tsvector('dossier_en', {text_sql}) "  # noqa: S608
            f"ELSE (SELECT CASE WHEN {languages} <> 'nld' "
            f"AND {english_words} >= {ENGLISH_MARKERS_NEEDED} "
            f"THEN v.nl || to_tsvector('dossier_en', {text_sql}) ELSE v.nl END "
            f"FROM (SELECT to_tsvector('dossier_nl', {text_sql}) AS nl) v) END")


def vector_sql(head: str, names: str, points: str, body: str, languages: str) -> str:
    """SQL for a document's tsvector from SQL text expressions.

    head: title, customer names and numbers (weight A); names: the customer names
    alone, again in NAMES_CONFIGURATION (A); points: key point values and notes (B);
    body: the current file's text (D, the default weight) in `languages`
    (DigitalFile.languages: "nld", "eng", "nld+eng" or "").
    """
    return (f"setweight({_both(head)}, 'A') || "
            f"setweight(to_tsvector('{NAMES_CONFIGURATION}', coalesce({names}, '')), 'A') || "
            f"setweight({_both(points)}, 'B') || {_body(body, languages)}")


def tsv_index_method(session: Session) -> str | None:
    """"rum" or "gin" (the index the migration could make), None when it is missing."""
    return session.execute(text(
        "SELECT am.amname FROM pg_class c JOIN pg_am am ON am.oid = c.relam "
        "WHERE c.oid = to_regclass(:name)"), {"name": TSV_INDEX}).scalar()


def tables_exist(session: Session) -> bool:
    return bool(session.execute(text(
        "SELECT to_regclass('search_document') IS NOT NULL "
        "AND to_regclass('search_customer') IS NOT NULL "
        "AND to_regclass('search_name_word') IS NOT NULL")).scalar())


def rum_available(session: Session) -> bool:
    return session.execute(text(
        "SELECT 1 FROM pg_extension WHERE extname = 'rum'")).first() is not None


def drop_tsv_index(session: Session) -> None:
    session.execute(text(f"DROP INDEX IF EXISTS {TSV_INDEX}"))


def create_tsv_index(session: Session, method: str) -> None:
    """The text index: RUM (positions in the index: ranking without table reads) or GIN."""
    opclass = " rum_tsvector_ops" if method == "rum" else ""
    session.execute(text(f"CREATE INDEX IF NOT EXISTS {TSV_INDEX} ON search_document "
                            f"USING {method} (tsv{opclass})"))
