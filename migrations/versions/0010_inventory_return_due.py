"""Rental returns: `inventory.return_due`, when equipment taken off its service must be back (SPEC D6).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 23:28:12.049780
"""
from alembic import op
import sqlalchemy as sa
import omnicrm.core.db


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('inventory', schema=None) as batch_op:
        batch_op.add_column(sa.Column('return_due', omnicrm.core.db.UTCDateTime(), nullable=True))
        batch_op.create_index(batch_op.f('ix_inventory_return_due'), ['return_due'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('inventory', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inventory_return_due'))
        batch_op.drop_column('return_due')
