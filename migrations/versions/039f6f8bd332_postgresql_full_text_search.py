"""PostgreSQL full-text search: search tables, text search configurations, RUM or GIN

Runs only on PostgreSQL (SQLite never sees these objects; the Whoosh backend serves it).
The tables are left out of the model/migration drift check (dossier/schema.py); the
search backend (dossier/search/backends/postgres*.py) fills them.

- `dossier_fold(text)`: lower case without accents, immutable so indexes may use it.
- `dossier_nl`, `dossier_en`: Dutch and English stemming after unaccent ("café" and
  "cafe" index alike).
- `search_document`: one row per document: its tsvector and the columns the filters,
  facets and scope-policy classes need. Indexed with RUM when the extension can be
  installed (it keeps positions in the index, so ranking needs no table reads), else GIN.
- `search_customer`: customers' folded name (and its words), number, postcode, email,
  phone digits and city; `search_name_word`: every word of those names once, with a
  trigram index, so a misspelt name is matched word to word (pg_trgm similarity, then
  fuzzystrmatch's edit distance) rather than against 20,000 whole names.

Revision ID: 039f6f8bd332
Revises: 29fa7abb9c6f
Create Date: 2026-11-25 17:05:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '039f6f8bd332'
down_revision = '29fa7abb9c6f'
branch_labels = None
depends_on = None


def _is_postgres():
    return op.get_bind().dialect.name == "postgresql"


def _rum_installed():
    """Install RUM when the server offers it and we may; a failure leaves GIN in use."""
    bind = op.get_bind()
    available = bind.execute(sa.text(
        "SELECT 1 FROM pg_available_extensions WHERE name = 'rum'")).first()
    if available is None:
        return False
    try:
        with bind.begin_nested():
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS rum"))
    except sa.exc.DBAPIError:  # e.g. not allowed for this role on a managed server
        return False
    return True


TEXT_CONFIGURATIONS = (("dossier_nl", "dutch"), ("dossier_en", "english"))

# unaccent() by itself is only STABLE (it looks its dictionary up on the search path);
# naming the dictionary by schema makes the wrapper safe to declare IMMUTABLE.
CREATE_FOLD = """
CREATE FUNCTION dossier_fold(text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT lower({schema}.unaccent('{schema}.unaccent'::regdictionary, $1)) $$
"""

CREATE_DOCUMENT_TABLE = """
CREATE TABLE search_document (
    document_id integer PRIMARY KEY REFERENCES document (id) ON DELETE CASCADE,
    tsv tsvector NOT NULL,
    scopes text[] NOT NULL,
    type_id integer NOT NULL,
    type_code text NOT NULL,
    document_date date NOT NULL,
    storage text NOT NULL,
    status text NOT NULL DEFAULT '',
    end_date text NOT NULL DEFAULT '',
    customer_ids integer[] NOT NULL DEFAULT '{}',
    customer_numbers text[] NOT NULL DEFAULT '{}'
)
"""

CREATE_CUSTOMER_TABLE = """
CREATE TABLE search_customer (
    customer_id integer PRIMARY KEY REFERENCES customer (id) ON DELETE CASCADE,
    number text NOT NULL,
    name text NOT NULL,
    name_words text[] NOT NULL DEFAULT '{}',
    postcode text NOT NULL DEFAULT '',
    house_number text NOT NULL DEFAULT '',
    email text NOT NULL DEFAULT '',
    phone_digits text NOT NULL DEFAULT '',
    city text NOT NULL DEFAULT ''
)
"""

CREATE_NAME_WORD_TABLE = "CREATE TABLE search_name_word (word text PRIMARY KEY)"

# GIN without its pending list: a bulk build would otherwise leave every entry in that
# list, which each search then reads from end to end (measured: 26 ms instead of 1).
FILTER_INDEXES = (
    "CREATE INDEX ix_search_document_date ON search_document (document_date)",
    "CREATE INDEX ix_search_document_type_id ON search_document (type_id)",
    "CREATE INDEX ix_search_document_customer_numbers ON search_document "
    "USING gin (customer_numbers) WITH (fastupdate = off)",
    "CREATE INDEX ix_search_customer_name_words ON search_customer "
    "USING gin (name_words) WITH (fastupdate = off)",
    "CREATE INDEX ix_search_name_word_trigrams ON search_name_word "
    "USING gin (word gin_trgm_ops) WITH (fastupdate = off)",
    "CREATE INDEX ix_search_customer_number ON search_customer (number text_pattern_ops)",
    "CREATE INDEX ix_search_customer_postcode ON search_customer (postcode)",
    "CREATE INDEX ix_search_customer_email ON search_customer (email text_pattern_ops)",
    "CREATE INDEX ix_search_customer_phone ON search_customer "
    "USING gin (phone_digits gin_trgm_ops) WITH (fastupdate = off)",
    "CREATE INDEX ix_search_customer_city ON search_customer (city)",
)


def upgrade():
    if not _is_postgres():
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute("CREATE EXTENSION IF NOT EXISTS fuzzystrmatch")
    rum = _rum_installed()
    schema = op.get_bind().execute(sa.text(
        "SELECT extnamespace::regnamespace::text FROM pg_extension "
        "WHERE extname = 'unaccent'")).scalar_one()
    op.execute(CREATE_FOLD.format(schema=schema))
    for name, language in TEXT_CONFIGURATIONS:
        op.execute(f"CREATE TEXT SEARCH CONFIGURATION {name} (COPY = pg_catalog.{language})")
        op.execute(f"ALTER TEXT SEARCH CONFIGURATION {name} ALTER MAPPING FOR "
                   f"hword, hword_part, word WITH unaccent, {language}_stem")
    op.execute(CREATE_DOCUMENT_TABLE)
    op.execute(CREATE_CUSTOMER_TABLE)
    op.execute(CREATE_NAME_WORD_TABLE)
    if rum:
        op.execute("CREATE INDEX ix_search_document_tsv ON search_document "
                   "USING rum (tsv rum_tsvector_ops)")
    else:
        op.execute("CREATE INDEX ix_search_document_tsv ON search_document USING gin (tsv) "
                   "WITH (fastupdate = off)")
    for statement in FILTER_INDEXES:
        op.execute(statement)


def downgrade():
    if not _is_postgres():
        return
    op.execute("DROP TABLE IF EXISTS search_name_word")
    op.execute("DROP TABLE IF EXISTS search_customer")
    op.execute("DROP TABLE IF EXISTS search_document")
    for name, _language in TEXT_CONFIGURATIONS:
        op.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name}")
    op.execute("DROP FUNCTION IF EXISTS dossier_fold(text)")
    # The extensions stay: other objects in the database may use them, and creating
    # them again is harmless.
