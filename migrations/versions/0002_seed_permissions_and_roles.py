"""Seed the permission catalogue and the default roles (SPEC D7).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

CRUD_SUBJECTS = [
    "customer", "customer_site", "customer_contact", "customer_attribute", "customer_tag", "customer_service",
    "customer_activity", "customer_stripe_card", "customer_transaction", "customer_invoice", "communication",
    "inventory", "inventory_template", "product", "cbc_message", "provision", "provision_event",
]
SPECIAL = {
    "admin": "Grants every permission",
    "can_impersonate": "Log in as another user",
    "grafana_access": "See embedded Grafana dashboards",
    "manage_api_keys": "Create, edit and revoke API keys",
    "manage_users": "Manage users, roles and permissions",
    "view_own_provision": "See one's own provisioning jobs",
    "approve_cbc_message": "Approve cell broadcast messages (two-person rule)",
    "view_ocs": "See OCS (CGRateS) data of services",
    "use_ocs_proxy": "Call the OCS through the audited proxy",
    "view_payment": "See payments",
    "create_payment": "Take payments",
    "refund_payment": "Refund payments",
    "view_wallet": "See wallet balances and ledger",
    "update_wallet": "Top up and adjust wallets",
}


def catalogue() -> dict[str, str]:
    names = {}
    for subject in CRUD_SUBJECTS:
        for verb in ("view", "create", "update", "delete"):
            names[f"{verb}_{subject}"] = f"{verb.capitalize()} {subject.replace('_', ' ')}"
    names.update(SPECIAL)
    return names


def crud(subject, *verbs):
    return [f"{verb}_{subject}" for verb in verbs]


ALL = ("view", "create", "update", "delete")
ROLES = {
    "Admin": ("Full access", ["admin"]),
    "Support": ("Customer care", [
        *crud("customer", "view", "create", "update"), *crud("customer_site", *ALL),
        *crud("customer_contact", *ALL), *crud("customer_attribute", *ALL), *crud("customer_tag", *ALL),
        *crud("customer_service", "view", "create", "update"), *crud("customer_activity", "view", "create"),
        *crud("customer_transaction", "view"), *crud("customer_invoice", "view"),
        *crud("customer_stripe_card", "view"), *crud("communication", "view", "create"),
        *crud("inventory", "view"), *crud("inventory_template", "view"), *crud("product", "view"),
        *crud("provision", "view", "create"), *crud("provision_event", "view"),
        "can_impersonate", "view_ocs", "view_payment", "view_wallet",
    ]),
    "Finance": ("Billing and payments", [
        *crud("customer", "view"), *crud("customer_contact", "view"), *crud("customer_site", "view"),
        *crud("customer_service", "view"), *crud("customer_activity", "view"),
        *crud("customer_transaction", *ALL), *crud("customer_invoice", *ALL), *crud("customer_stripe_card", *ALL),
        *crud("communication", "view", "create"), *crud("product", "view"),
        "view_payment", "create_payment", "refund_payment", "view_wallet", "update_wallet",
    ]),
    "Provisioning": ("Service delivery", [
        *crud("customer", "view"), *crud("customer_site", "view"), *crud("customer_contact", "view"),
        *crud("customer_service", *ALL), *crud("customer_activity", "view"), *crud("inventory", *ALL),
        *crud("inventory_template", *ALL), *crud("product", *ALL), *crud("provision", *ALL),
        *crud("provision_event", "view"), "view_ocs", "use_ocs_proxy",
    ]),
    "CBC Operator": ("Cell broadcast", [*crud("cbc_message", *ALL), "approve_cbc_message"]),
    "Customer": ("Self-care portal customer", [
        *crud("customer", "view"), *crud("customer_contact", "view", "update"), *crud("customer_site", "view"),
        *crud("customer_service", "view"), *crud("customer_transaction", "view"), *crud("customer_invoice", "view"),
        *crud("customer_stripe_card", "view", "create", "update", "delete"), *crud("product", "view"),
        *crud("provision", "create"), "view_own_provision", "view_payment", "create_payment", "view_wallet",
    ]),
}

permission = sa.table("permission", sa.column("id", sa.Integer), sa.column("name", sa.String),
                      sa.column("description", sa.String), sa.column("is_system", sa.Boolean))
role = sa.table("role", sa.column("id", sa.Integer), sa.column("name", sa.String),
                sa.column("description", sa.String), sa.column("is_system", sa.Boolean))
role_permissions = sa.table("role_permissions", sa.column("role_id", sa.Integer),
                            sa.column("permission_id", sa.Integer))


def upgrade() -> None:
    bind = op.get_bind()
    op.bulk_insert(permission, [{"name": n, "description": d, "is_system": True} for n, d in catalogue().items()])
    op.bulk_insert(role, [{"name": n, "description": d, "is_system": True} for n, (d, _) in ROLES.items()])
    permission_ids = dict(bind.execute(sa.select(permission.c.name, permission.c.id)).all())
    role_ids = dict(bind.execute(sa.select(role.c.name, role.c.id)).all())
    links = [
        {"role_id": role_ids[name], "permission_id": permission_ids[p]}
        for name, (_, granted) in ROLES.items()
        for p in dict.fromkeys(granted)
    ]
    op.bulk_insert(role_permissions, links)


def downgrade() -> None:
    bind = op.get_bind()
    role_ids = [r for (r,) in bind.execute(sa.select(role.c.id).where(role.c.name.in_(list(ROLES))))]
    bind.execute(role_permissions.delete().where(role_permissions.c.role_id.in_(role_ids)))
    bind.execute(role.delete().where(role.c.id.in_(role_ids)))
    bind.execute(permission.delete().where(permission.c.name.in_(list(catalogue()))))
