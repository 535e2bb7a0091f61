"""Customers, contacts, sites, attributes, tags, CSV import uploads and the global search index.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 15:02:28.431509
"""
from alembic import op
import sqlalchemy as sa
import omnicrm.core.db
from sqlalchemy.dialects import mysql

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('customer',
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('customer_name', sa.String(length=255), nullable=False),
    sa.Column('customer_account_type', sa.String(length=16), nullable=False),
    sa.Column('customer_status', sa.String(length=16), nullable=False),
    sa.Column('customer_payment_type', sa.String(length=16), nullable=False),
    sa.Column('customer_enabled', sa.Boolean(), nullable=False),
    sa.Column('tax_identifier', sa.String(length=64), nullable=True),
    sa.Column('contract_start_date', omnicrm.core.db.UTCDateTime(), nullable=True),
    sa.Column('contract_end_date', omnicrm.core.db.UTCDateTime(), nullable=True),
    sa.Column('created', omnicrm.core.db.UTCDateTime(), nullable=False),
    sa.Column('last_modified', omnicrm.core.db.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('customer_id', name=op.f('pk_customer'))
    )
    with op.batch_alter_table('customer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customer_customer_name'), ['customer_name'], unique=False)
        batch_op.create_index(batch_op.f('ix_customer_customer_status'), ['customer_status'], unique=False)

    op.create_table('customer_import',
    sa.Column('import_id', sa.Integer(), nullable=False),
    sa.Column('job_id', sa.Integer(), nullable=True),
    sa.Column('filename', sa.String(length=255), nullable=True),
    sa.Column('row_count', sa.Integer(), nullable=False),
    sa.Column('dry_run', sa.Boolean(), nullable=False),
    sa.Column('content', sa.LargeBinary().with_variant(mysql.LONGBLOB(), 'mariadb').with_variant(mysql.LONGBLOB(), 'mysql'), nullable=True),
    sa.Column('created_by_user_id', sa.Integer(), nullable=True),
    sa.Column('created', omnicrm.core.db.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('import_id', name=op.f('pk_customer_import'))
    )
    with op.batch_alter_table('customer_import', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customer_import_job_id'), ['job_id'], unique=False)

    op.create_table('search_document',
    sa.Column('doc_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=False, nullable=False),
    sa.Column('entity_type', sa.String(length=32), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('closed', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('doc_id', name=op.f('pk_search_document'))
    )
    with op.batch_alter_table('search_document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_document_customer_id'), ['customer_id'], unique=False)

    op.create_table('search_term',
    sa.Column('kind', sa.SmallInteger(), nullable=False),
    sa.Column('term', sa.String(length=64).with_variant(mysql.VARCHAR(collation='utf8mb4_bin', length=64), 'mariadb').with_variant(mysql.VARCHAR(collation='utf8mb4_bin', length=64), 'mysql'), nullable=False),
    sa.Column('doc_id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.PrimaryKeyConstraint('kind', 'term', 'doc_id', name=op.f('pk_search_term')),
    sqlite_with_rowid=False
    )
    op.create_table('customer_attribute',
    sa.Column('attribute_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('attribute_name', sa.String(length=150), nullable=False),
    sa.Column('attribute_value', sa.Text(), nullable=False),
    sa.Column('created', omnicrm.core.db.UTCDateTime(), nullable=False),
    sa.Column('last_modified', omnicrm.core.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.customer_id'], name=op.f('fk_customer_attribute_customer_id_customer'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('attribute_id', name=op.f('pk_customer_attribute')),
    sa.UniqueConstraint('customer_id', 'attribute_name', name=op.f('uq_customer_attribute_customer_id_attribute_name'))
    )
    with op.batch_alter_table('customer_attribute', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customer_attribute_customer_id'), ['customer_id'], unique=False)

    op.create_table('customer_contact',
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('contact_firstname', sa.String(length=100), nullable=True),
    sa.Column('contact_lastname', sa.String(length=100), nullable=True),
    sa.Column('contact_email', sa.String(length=254), nullable=True),
    sa.Column('contact_phone', sa.String(length=40), nullable=True),
    sa.Column('contact_phone_e164', sa.String(length=16), nullable=True),
    sa.Column('contact_types', sa.JSON(), nullable=False),
    sa.Column('created', omnicrm.core.db.UTCDateTime(), nullable=False),
    sa.Column('last_modified', omnicrm.core.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.customer_id'], name=op.f('fk_customer_contact_customer_id_customer'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('contact_id', name=op.f('pk_customer_contact'))
    )
    with op.batch_alter_table('customer_contact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customer_contact_contact_email'), ['contact_email'], unique=False)
        batch_op.create_index(batch_op.f('ix_customer_contact_customer_id'), ['customer_id'], unique=False)

    op.create_table('customer_site',
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('site_name', sa.String(length=255), nullable=True),
    sa.Column('address_line_1', sa.String(length=255), nullable=True),
    sa.Column('address_line_2', sa.String(length=255), nullable=True),
    sa.Column('city', sa.String(length=100), nullable=True),
    sa.Column('state', sa.String(length=100), nullable=True),
    sa.Column('zip_code', sa.String(length=20), nullable=True),
    sa.Column('country', sa.String(length=100), nullable=True),
    sa.Column('latitude', sa.Double(), nullable=True),
    sa.Column('longitude', sa.Double(), nullable=True),
    sa.Column('google_maps_place_id', sa.String(length=255), nullable=True),
    sa.Column('plus_code', sa.String(length=64), nullable=True),
    sa.Column('created', omnicrm.core.db.UTCDateTime(), nullable=False),
    sa.Column('last_modified', omnicrm.core.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.customer_id'], name=op.f('fk_customer_site_customer_id_customer'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('site_id', name=op.f('pk_customer_site'))
    )
    with op.batch_alter_table('customer_site', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customer_site_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index('ix_customer_site_latitude_longitude', ['latitude', 'longitude'], unique=False)

    op.create_table('customer_tag',
    sa.Column('tag_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('tag_text', sa.String(length=100), nullable=False),
    sa.Column('tag_hex_color', sa.String(length=6), nullable=False),
    sa.Column('tag_link', sa.String(length=2048), nullable=True),
    sa.Column('tag_active_date', omnicrm.core.db.UTCDateTime(), nullable=False),
    sa.Column('tag_deactivate_date', omnicrm.core.db.UTCDateTime(), nullable=False),
    sa.Column('created', omnicrm.core.db.UTCDateTime(), nullable=False),
    sa.Column('last_modified', omnicrm.core.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.customer_id'], name=op.f('fk_customer_tag_customer_id_customer'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tag_id', name=op.f('pk_customer_tag'))
    )
    with op.batch_alter_table('customer_tag', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customer_tag_customer_id'), ['customer_id'], unique=False)



def downgrade() -> None:
    # Dropping a table drops its indexes (MySQL refuses to drop an index a foreign key needs first).
    op.drop_table('customer_tag')
    op.drop_table('customer_site')
    op.drop_table('customer_contact')
    op.drop_table('customer_attribute')
    op.drop_table('search_term')
    op.drop_table('search_document')
    op.drop_table('customer_import')
    op.drop_table('customer')
