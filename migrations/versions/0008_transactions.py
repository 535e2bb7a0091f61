"""Billing transactions: charges and credits on a customer (void rows are kept).

The permissions view_/create_/update_/delete_customer_transaction were seeded by 0002. invoice_id has no
foreign key until the invoice table exists.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 20:10:39.698790
"""
from alembic import op
import sqlalchemy as sa
import omnicrm.core.db


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('transaction',
    sa.Column('transaction_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=True),
    sa.Column('site_id', sa.Integer(), nullable=True),
    sa.Column('invoice_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('retail_cost', omnicrm.core.db.Money(precision=18, scale=4), nullable=False),
    sa.Column('wholesale_cost', omnicrm.core.db.Money(precision=18, scale=4), nullable=False),
    sa.Column('tax_percentage', sa.Numeric(precision=7, scale=4), nullable=False),
    sa.Column('tax_amount', omnicrm.core.db.Money(precision=18, scale=4), nullable=False),
    sa.Column('void', sa.Boolean(), nullable=False),
    sa.Column('void_time', omnicrm.core.db.UTCDateTime(), nullable=True),
    sa.Column('void_by', sa.String(length=255), nullable=True),
    sa.Column('void_by_user_id', sa.Integer(), nullable=True),
    sa.Column('void_reason', sa.String(length=500), nullable=True),
    sa.Column('created_by', sa.String(length=255), nullable=True),
    sa.Column('created', omnicrm.core.db.UTCDateTime(), nullable=False),
    sa.Column('last_modified', omnicrm.core.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.customer_id'], name=op.f('fk_transaction_customer_id_customer'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['service_id'], ['customer_service.service_id'], name=op.f('fk_transaction_service_id_customer_service'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['site_id'], ['customer_site.site_id'], name=op.f('fk_transaction_site_id_customer_site'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['void_by_user_id'], ['user.id'], name=op.f('fk_transaction_void_by_user_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('transaction_id', name=op.f('pk_transaction'))
    )
    with op.batch_alter_table('transaction', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_transaction_created'), ['created'], unique=False)
        batch_op.create_index(batch_op.f('ix_transaction_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_transaction_invoice_id'), ['invoice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_transaction_service_id'), ['service_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_transaction_site_id'), ['site_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_transaction_void'), ['void'], unique=False)



def downgrade() -> None:
    op.drop_table('transaction')  # its indexes go with it (MariaDB refuses to drop those backing foreign keys)
