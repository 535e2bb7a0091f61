"""Catalogue and inventory: products, inventory templates, items, identifiers and CSV imports.

inventory.customer_id / service_id have no foreign keys yet: the customer and customer_service tables come
from other branches, which add the constraints when they merge.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 15:01:09.487061
"""
from alembic import op
import sqlalchemy as sa
import omnicrm.core.crypto
import omnicrm.core.db
from sqlalchemy.dialects import mysql

revision = '0005'
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('inventory_template',
    sa.Column('inventory_template_id', sa.Integer(), nullable=False),
    sa.Column('item', sa.String(length=100), nullable=False),
    sa.Column('itemtext1_label', sa.String(length=100), nullable=True),
    sa.Column('itemtext2_label', sa.String(length=100), nullable=True),
    sa.Column('itemtext3_label', sa.String(length=100), nullable=True),
    sa.Column('itemtext4_label', sa.String(length=100), nullable=True),
    sa.Column('itemtext5_label', sa.String(length=100), nullable=True),
    sa.Column('itemtext6_label', sa.String(length=100), nullable=True),
    sa.Column('itemtext7_label', sa.String(length=100), nullable=True),
    sa.Column('itemtext8_label', sa.String(length=100), nullable=True),
    sa.Column('itemtext9_label', sa.String(length=100), nullable=True),
    sa.Column('itemtext10_label', sa.String(length=100), nullable=True),
    sa.Column('itemtext11_label', sa.String(length=100), nullable=True),
    sa.Column('itemtext12_label', sa.String(length=100), nullable=True),
    sa.Column('itemtext13_label', sa.String(length=100), nullable=True),
    sa.Column('itemtext14_label', sa.String(length=100), nullable=True),
    sa.Column('itemtext15_label', sa.String(length=100), nullable=True),
    sa.Column('itemtext16_label', sa.String(length=100), nullable=True),
    sa.Column('itemtext17_label', sa.String(length=100), nullable=True),
    sa.Column('itemtext18_label', sa.String(length=100), nullable=True),
    sa.Column('itemtext19_label', sa.String(length=100), nullable=True),
    sa.Column('itemtext20_label', sa.String(length=100), nullable=True),
    sa.Column('wholesale_cost', omnicrm.core.db.Money(precision=18, scale=4), nullable=False),
    sa.Column('retail_cost', omnicrm.core.db.Money(precision=18, scale=4), nullable=False),
    sa.Column('allow_dropdown_staff', sa.Boolean(), nullable=False),
    sa.Column('allow_dropdown_customer', sa.Boolean(), nullable=False),
    sa.Column('icon', sa.String(length=100), nullable=True),
    sa.Column('created', omnicrm.core.db.UTCDateTime(), nullable=False),
    sa.Column('last_modified', omnicrm.core.db.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('inventory_template_id', name=op.f('pk_inventory_template')),
    sa.UniqueConstraint('item', name=op.f('uq_inventory_template_item'))
    )
    op.create_table('product',
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('product_name', sa.String(length=255), nullable=False),
    sa.Column('product_slug', sa.String(length=150), nullable=False),
    sa.Column('category', sa.String(length=16), nullable=False),
    sa.Column('service_type', sa.String(length=64), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('icon', sa.String(length=100), nullable=True),
    sa.Column('retail_cost', omnicrm.core.db.Money(precision=18, scale=4), nullable=False),
    sa.Column('wholesale_cost', omnicrm.core.db.Money(precision=18, scale=4), nullable=False),
    sa.Column('retail_setup_cost', omnicrm.core.db.Money(precision=18, scale=4), nullable=False),
    sa.Column('wholesale_setup_cost', omnicrm.core.db.Money(precision=18, scale=4), nullable=False),
    sa.Column('tax_percentage', sa.Numeric(precision=7, scale=4), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('residential', sa.Boolean(), nullable=False),
    sa.Column('business', sa.Boolean(), nullable=False),
    sa.Column('customer_can_purchase', sa.Boolean(), nullable=False),
    sa.Column('available_from', omnicrm.core.db.UTCDateTime(), nullable=True),
    sa.Column('available_until', omnicrm.core.db.UTCDateTime(), nullable=True),
    sa.Column('contract_days', sa.Integer(), nullable=False),
    sa.Column('auto_renew', sa.String(length=8), nullable=False),
    sa.Column('allow_auto_renew', sa.Boolean(), nullable=False),
    sa.Column('terms', sa.Text(), nullable=True),
    sa.Column('features_list', sa.JSON(), nullable=False),
    sa.Column('inventory_items_list', sa.JSON(), nullable=False),
    sa.Column('relies_on_list', sa.JSON(), nullable=False),
    sa.Column('provisioning_play', sa.String(length=150), nullable=False),
    sa.Column('provisioning_json_vars', sa.Text(), nullable=False),
    sa.Column('created', omnicrm.core.db.UTCDateTime(), nullable=False),
    sa.Column('last_modified', omnicrm.core.db.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('product_id', name=op.f('pk_product')),
    sa.UniqueConstraint('product_slug', name=op.f('uq_product_product_slug'))
    )
    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_product_category'), ['category'], unique=False)
        batch_op.create_index(batch_op.f('ix_product_enabled'), ['enabled'], unique=False)
        batch_op.create_index(batch_op.f('ix_product_service_type'), ['service_type'], unique=False)

    op.create_table('inventory_import',
    sa.Column('import_id', sa.Integer(), nullable=False),
    sa.Column('job_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=True),
    sa.Column('default_template_id', sa.Integer(), nullable=True),
    sa.Column('content', sa.LargeBinary().with_variant(mysql.LONGBLOB(), 'mariadb').with_variant(mysql.LONGBLOB(), 'mysql'), nullable=True),
    sa.Column('row_count', sa.Integer(), nullable=False),
    sa.Column('imported_count', sa.Integer(), nullable=False),
    sa.Column('error_count', sa.Integer(), nullable=False),
    sa.Column('errors', sa.JSON(), nullable=True),
    sa.Column('first_inventory_id', sa.Integer(), nullable=True),
    sa.Column('last_inventory_id', sa.Integer(), nullable=True),
    sa.Column('created_by', sa.String(length=255), nullable=True),
    sa.Column('created', omnicrm.core.db.UTCDateTime(), nullable=False),
    sa.Column('finished', omnicrm.core.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['default_template_id'], ['inventory_template.inventory_template_id'], name=op.f('fk_inventory_import_default_template_id_inventory_template'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['job_id'], ['job.job_id'], name=op.f('fk_inventory_import_job_id_job'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('import_id', name=op.f('pk_inventory_import'))
    )
    with op.batch_alter_table('inventory_import', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inventory_import_job_id'), ['job_id'], unique=False)

    op.create_table('inventory',
    sa.Column('inventory_id', sa.Integer(), nullable=False),
    sa.Column('inventory_template_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('service_id', sa.Integer(), nullable=True),
    sa.Column('import_id', sa.Integer(), nullable=True),
    sa.Column('item_location', sa.String(length=255), nullable=True),
    sa.Column('item_state', sa.String(length=16), nullable=False),
    sa.Column('itemtext1', sa.String(length=255), nullable=True),
    sa.Column('itemtext2', sa.String(length=255), nullable=True),
    sa.Column('itemtext3', sa.String(length=255), nullable=True),
    sa.Column('itemtext4', sa.String(length=255), nullable=True),
    sa.Column('itemtext5', sa.String(length=255), nullable=True),
    sa.Column('itemtext6', sa.String(length=255), nullable=True),
    sa.Column('itemtext7', sa.String(length=255), nullable=True),
    sa.Column('itemtext8', sa.String(length=255), nullable=True),
    sa.Column('itemtext9', sa.String(length=255), nullable=True),
    sa.Column('itemtext10', sa.String(length=255), nullable=True),
    sa.Column('itemtext11', sa.String(length=255), nullable=True),
    sa.Column('itemtext12', sa.String(length=255), nullable=True),
    sa.Column('itemtext13', sa.String(length=255), nullable=True),
    sa.Column('itemtext14', sa.String(length=255), nullable=True),
    sa.Column('itemtext15', sa.String(length=255), nullable=True),
    sa.Column('itemtext16', sa.String(length=255), nullable=True),
    sa.Column('itemtext17', sa.String(length=255), nullable=True),
    sa.Column('itemtext18', sa.String(length=255), nullable=True),
    sa.Column('itemtext19', sa.String(length=255), nullable=True),
    sa.Column('itemtext20', sa.String(length=255), nullable=True),
    sa.Column('itemtext_secrets', omnicrm.core.crypto.EncryptedText(length=1024), nullable=True),
    sa.Column('wholesale_cost', omnicrm.core.db.Money(precision=18, scale=4), nullable=True),
    sa.Column('retail_cost', omnicrm.core.db.Money(precision=18, scale=4), nullable=True),
    sa.Column('sold_date', omnicrm.core.db.UTCDateTime(), nullable=True),
    sa.Column('address_line_1', sa.String(length=255), nullable=True),
    sa.Column('address_line_2', sa.String(length=255), nullable=True),
    sa.Column('city', sa.String(length=100), nullable=True),
    sa.Column('state', sa.String(length=100), nullable=True),
    sa.Column('zip_code', sa.String(length=20), nullable=True),
    sa.Column('country', sa.String(length=100), nullable=True),
    sa.Column('google_maps_place_id', sa.String(length=255), nullable=True),
    sa.Column('plus_code', sa.String(length=32), nullable=True),
    sa.Column('latitude', sa.String(length=32), nullable=True),
    sa.Column('longitude', sa.String(length=32), nullable=True),
    sa.Column('management_url', sa.String(length=1024), nullable=True),
    sa.Column('management_username', sa.String(length=255), nullable=True),
    sa.Column('management_password', omnicrm.core.crypto.EncryptedText(length=512), nullable=True),
    sa.Column('config_content', sa.Text().with_variant(mysql.MEDIUMTEXT(), 'mariadb').with_variant(mysql.MEDIUMTEXT(), 'mysql'), nullable=True),
    sa.Column('config_file_path', sa.String(length=1024), nullable=True),
    sa.Column('inventory_notes', sa.Text(), nullable=True),
    sa.Column('created', omnicrm.core.db.UTCDateTime(), nullable=False),
    sa.Column('last_modified', omnicrm.core.db.UTCDateTime(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['import_id'], ['inventory_import.import_id'], name=op.f('fk_inventory_import_id_inventory_import'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['inventory_template_id'], ['inventory_template.inventory_template_id'], name=op.f('fk_inventory_inventory_template_id_inventory_template'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('inventory_id', name=op.f('pk_inventory'))
    )
    with op.batch_alter_table('inventory', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inventory_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inventory_import_id'), ['import_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inventory_service_id'), ['service_id'], unique=False)
        batch_op.create_index('ix_inventory_picker', ['inventory_template_id', 'item_state', 'customer_id', 'service_id'], unique=False)

    op.create_table('inventory_identifier',
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('value', sa.String(length=64), nullable=False),
    sa.Column('inventory_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['inventory_id'], ['inventory.inventory_id'], name=op.f('fk_inventory_identifier_inventory_id_inventory'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('kind', 'value', name=op.f('pk_inventory_identifier'))
    )
    with op.batch_alter_table('inventory_identifier', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inventory_identifier_inventory_id'), ['inventory_id'], unique=False)



def downgrade() -> None:
    op.drop_table('inventory_identifier')
    op.drop_table('inventory')
    op.drop_table('inventory_import')
    op.drop_table('product')
    op.drop_table('inventory_template')
