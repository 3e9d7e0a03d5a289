"""derived attributes and segments

Revision ID: b81d2e3a4c01
Revises: 9c7af444866c
Create Date: 2026-11-25 20:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b81d2e3a4c01'
down_revision = '9c7af444866c'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
