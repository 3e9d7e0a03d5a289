"""search: customer names indexed without stemming or stopwords (PostgreSQL only)

The Dutch configuration drops "meer", "van", "der" as stop words, so "Meer" never found
a customer "Van der Meer". `dossier_names` is PostgreSQL's 'simple' configuration after
unaccent (lower case, no accents, no stemming, no stop words); the search backend puts
each document's customer names in its vector once more in it
(dossier/search/backends/postgres_schema.py, NAMES_CONFIGURATION).

The tsvector column is compressed with LZ4 where the server has it (PostgreSQL 14+
built with lz4): compressing each new row's vector with the default pglz cost the full
build about 9 of its 54 seconds of inserts at 100,000 documents.

Rows indexed before this revision lack the names' words. When there are any, the text index
is dropped: the backend's health check then finds it missing, so the first search asks
for a rebuild (every row made again from the tables) and says so on the page meanwhile.

Revision ID: e81d2e3a4c04
Revises: d81d2e3a4c03
Create Date: 2026-11-25 20:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e81d2e3a4c04'
down_revision = 'd81d2e3a4c03'
branch_labels = None
depends_on = None

NAMES_CONFIGURATION = "dossier_names"


def _is_postgres():
    return op.get_bind().dialect.name == "postgresql"


def _lz4_available():
    return bool(op.get_bind().execute(sa.text(
        "SELECT 'lz4' = ANY(enumvals) FROM pg_settings "
        "WHERE name = 'default_toast_compression'")).scalar())


def upgrade():
    if not _is_postgres():
        return
    op.execute(f"CREATE TEXT SEARCH CONFIGURATION {NAMES_CONFIGURATION} "
               "(COPY = pg_catalog.simple)")
    op.execute(f"ALTER TEXT SEARCH CONFIGURATION {NAMES_CONFIGURATION} ALTER MAPPING FOR "
               "hword, hword_part, word WITH unaccent, simple")
    if _lz4_available():
        op.execute("ALTER TABLE search_document ALTER COLUMN tsv SET COMPRESSION lz4")
    indexed = op.get_bind().execute(sa.text("SELECT 1 FROM search_document LIMIT 1")).first()
    if indexed is not None:
        op.execute("DROP INDEX IF EXISTS ix_search_document_tsv")


def downgrade():
    if not _is_postgres():
        return
    op.execute("ALTER TABLE search_document ALTER COLUMN tsv SET COMPRESSION default")
    op.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {NAMES_CONFIGURATION}")
