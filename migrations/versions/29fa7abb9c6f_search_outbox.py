"""search outbox: index changes queued in the changing transaction

Revision ID: 29fa7abb9c6f
Revises: e1df7fceb31a
Create Date: 2026-11-25 17:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '29fa7abb9c6f'
down_revision = 'e1df7fceb31a'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('search_outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=False),
    sa.Column('operation', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_outbox'))
    )


def downgrade():
    op.drop_table('search_outbox')
