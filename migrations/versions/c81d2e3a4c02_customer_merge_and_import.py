"""customer merge redirects and imports

Revision ID: c81d2e3a4c02
Revises: b81d2e3a4c01
Create Date: 2026-11-25 20:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c81d2e3a4c02'
down_revision = 'b81d2e3a4c01'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
