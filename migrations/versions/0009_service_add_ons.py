"""Add-ons on a service: one row per add-on a provisioning job added, until a removal job takes it off.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 23:08:34.057802
"""
from alembic import op
import sqlalchemy as sa
import omnicrm.core.db


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('service_addon',
    sa.Column('addon_id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=True),
    sa.Column('provision_id', sa.Integer(), nullable=True),
    sa.Column('removal_provision_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('retail_cost', omnicrm.core.db.Money(precision=18, scale=4), nullable=False),
    sa.Column('recurring', sa.Boolean(), nullable=False),
    sa.Column('contract_days', sa.Integer(), nullable=False),
    sa.Column('inventory_ids', sa.JSON(), nullable=True),
    sa.Column('added', omnicrm.core.db.UTCDateTime(), nullable=False),
    sa.Column('expires', omnicrm.core.db.UTCDateTime(), nullable=True),
    sa.Column('removed', omnicrm.core.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['product_id'], ['product.product_id'], name=op.f('fk_service_addon_product_id_product'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['provision_id'], ['provision.provision_id'], name=op.f('fk_service_addon_provision_id_provision'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['removal_provision_id'], ['provision.provision_id'], name=op.f('fk_service_addon_removal_provision_id_provision'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['service_id'], ['customer_service.service_id'], name=op.f('fk_service_addon_service_id_customer_service'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('addon_id', name=op.f('pk_service_addon')),
    sa.UniqueConstraint('provision_id', name=op.f('uq_service_addon_provision_id'))
    )
    with op.batch_alter_table('service_addon', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_addon_product_id'), ['product_id'], unique=False)
        batch_op.create_index('ix_service_addon_service_status', ['service_id', 'status'], unique=False)



def downgrade() -> None:
    op.drop_table('service_addon')  # with its indexes (MariaDB refuses dropping FK-backed ones first)
