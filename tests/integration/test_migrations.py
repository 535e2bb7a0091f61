"""Alembic is the only way the schema is made: one head, reversible, and identical to the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from omnicrm.core.db import create_db_engine
from omnicrm.core.migrate import alembic_config, downgrade, upgrade
from omnicrm.models import load_all_models


def test_single_head():
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1


def _diff(url: str) -> list:
    engine = create_db_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            return compare_metadata(context, load_all_models().metadata)
    finally:
        engine.dispose()


def _tables(url: str) -> set[str]:
    engine = create_db_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_upgrade_downgrade_upgrade_and_no_drift(new_database_url):
    url = new_database_url("omnicrm_migrations")
    upgrade(url)
    assert _diff(url) == []
    downgrade(url, "base")
    assert _tables(url) == set()
    upgrade(url)
    assert _diff(url) == []
    assert _tables(url) == set(load_all_models().metadata.tables)


def test_permission_catalogue_and_default_roles_are_seeded(session):
    names = {row[0] for row in session.execute(text("SELECT name FROM permission"))}
    subjects = ["customer", "customer_site", "customer_contact", "customer_attribute", "customer_tag",
                "customer_service", "customer_activity", "customer_stripe_card", "customer_transaction",
                "customer_invoice", "communication", "inventory", "inventory_template", "product", "cbc_message",
                "provision", "provision_event"]
    expected = {f"{verb}_{s}" for s in subjects for verb in ("view", "create", "update", "delete")} | {
        "admin", "can_impersonate", "grafana_access", "manage_api_keys", "manage_users", "view_own_provision",
        "approve_cbc_message", "view_ocs", "use_ocs_proxy", "view_payment", "create_payment", "refund_payment",
        "view_wallet", "update_wallet"}
    assert expected <= names
    roles = {row[0] for row in session.execute(text("SELECT name FROM role"))}
    assert {"Admin", "Support", "Finance", "Provisioning", "CBC Operator", "Customer"} <= roles
