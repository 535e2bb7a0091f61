"""Identity: 2FA, e-mailed tokens, API keys, impersonation log; the communication table.

Encrypted columns (user.pending_totp_secret, communication.variables) are plain String/Text in the database.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 14:55:25.335798
"""
from alembic import op
import sqlalchemy as sa
import omnicrm.core.db


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('communication',
    sa.Column('communication_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('recipient', sa.String(length=254), nullable=False),
    sa.Column('recipient_name', sa.String(length=200), nullable=True),
    sa.Column('subject', sa.String(length=255), nullable=True),
    sa.Column('template_key', sa.String(length=64), nullable=True),
    sa.Column('template_id', sa.Integer(), nullable=True),
    sa.Column('variables', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('provider', sa.String(length=32), nullable=True),
    sa.Column('provider_message_id', sa.String(length=128), nullable=True),
    sa.Column('error', sa.String(length=2000), nullable=True),
    sa.Column('created', omnicrm.core.db.UTCDateTime(), nullable=False),
    sa.Column('sent_at', omnicrm.core.db.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('communication_id', name=op.f('pk_communication'))
    )
    with op.batch_alter_table('communication', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_communication_created'), ['created'], unique=False)
        batch_op.create_index(batch_op.f('ix_communication_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_communication_template_key'), ['template_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_communication_user_id'), ['user_id'], unique=False)

    op.create_table('api_key',
    sa.Column('api_key_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('description', sa.String(length=500), nullable=True),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('key_suffix', sa.String(length=8), nullable=False),
    sa.Column('created_by_user_id', sa.Integer(), nullable=True),
    sa.Column('allowed_ips', sa.JSON(), nullable=True),
    sa.Column('created', omnicrm.core.db.UTCDateTime(), nullable=False),
    sa.Column('last_modified', omnicrm.core.db.UTCDateTime(), nullable=False),
    sa.Column('expiry_date', omnicrm.core.db.UTCDateTime(), nullable=True),
    sa.Column('revoked_at', omnicrm.core.db.UTCDateTime(), nullable=True),
    sa.Column('last_used', omnicrm.core.db.UTCDateTime(), nullable=True),
    sa.Column('last_used_ip', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['created_by_user_id'], ['user.id'], name=op.f('fk_api_key_created_by_user_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('api_key_id', name=op.f('pk_api_key')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_api_key_key_hash'))
    )
    with op.batch_alter_table('api_key', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_key_created_by_user_id'), ['created_by_user_id'], unique=False)

    op.create_table('backup_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('created', omnicrm.core.db.UTCDateTime(), nullable=False),
    sa.Column('used_at', omnicrm.core.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_backup_code_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_backup_code'))
    )
    with op.batch_alter_table('backup_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_backup_code_user_id'), ['user_id'], unique=False)

    op.create_table('user_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=32), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('created', omnicrm.core.db.UTCDateTime(), nullable=False),
    sa.Column('expires_at', omnicrm.core.db.UTCDateTime(), nullable=False),
    sa.Column('used_at', omnicrm.core.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_user_token_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_token')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_user_token_token_hash'))
    )
    with op.batch_alter_table('user_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_token_user_id'), ['user_id'], unique=False)

    op.create_table('api_key_permissions',
    sa.Column('api_key_id', sa.Integer(), nullable=False),
    sa.Column('permission_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['api_key_id'], ['api_key.api_key_id'], name=op.f('fk_api_key_permissions_api_key_id_api_key'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['permission_id'], ['permission.id'], name=op.f('fk_api_key_permissions_permission_id_permission'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('api_key_id', 'permission_id', name=op.f('pk_api_key_permissions'))
    )
    op.create_table('impersonation_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('impersonating_user_id', sa.Integer(), nullable=False),
    sa.Column('target_user_id', sa.Integer(), nullable=False),
    sa.Column('impersonation_start', omnicrm.core.db.UTCDateTime(), nullable=False),
    sa.Column('impersonation_end', omnicrm.core.db.UTCDateTime(), nullable=True),
    sa.Column('impersonation_duration', sa.Integer(), nullable=True),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('original_session_id', sa.Integer(), nullable=True),
    sa.Column('ip_address', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['impersonating_user_id'], ['user.id'], name=op.f('fk_impersonation_log_impersonating_user_id_user'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['original_session_id'], ['auth_session.id'], name=op.f('fk_impersonation_log_original_session_id_auth_session'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['auth_session.id'], name=op.f('fk_impersonation_log_session_id_auth_session'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['target_user_id'], ['user.id'], name=op.f('fk_impersonation_log_target_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_impersonation_log'))
    )
    with op.batch_alter_table('impersonation_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_impersonation_log_impersonating_user_id'), ['impersonating_user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_impersonation_log_impersonation_start'), ['impersonation_start'], unique=False)
        batch_op.create_index(batch_op.f('ix_impersonation_log_target_user_id'), ['target_user_id'], unique=False)

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('middle_name', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('pending_totp_secret', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('totp_setup_started_at', omnicrm.core.db.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('totp_last_used_step', sa.Integer(), nullable=True))



def downgrade() -> None:
    # Dropping a table drops its indexes (MySQL refuses to drop an index a foreign key needs first).
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('totp_last_used_step')
        batch_op.drop_column('totp_setup_started_at')
        batch_op.drop_column('pending_totp_secret')
        batch_op.drop_column('middle_name')
    op.drop_table('impersonation_log')
    op.drop_table('api_key_permissions')
    op.drop_table('user_token')
    op.drop_table('backup_code')
    op.drop_table('api_key')
    op.drop_table('communication')
