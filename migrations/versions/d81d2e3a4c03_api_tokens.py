"""API tokens

Revision ID: d81d2e3a4c03
Revises: c81d2e3a4c02
Create Date: 2026-11-25 20:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd81d2e3a4c03'
down_revision = 'c81d2e3a4c02'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
