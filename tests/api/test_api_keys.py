"""API keys (SPEC D16): format, shown once, masked list with counts, subset permissions, revoke/regenerate,
IP restrictions; static config keys and the IP whitelist."""

import datetime as dt

import pytest
from sqlalchemy import update

from omnicrm.app import create_app
from omnicrm.auth.models import ApiKey, User
from omnicrm.core import metrics
from omnicrm.core.db import Database
from tests.conftest import make_settings

STATIC_KEY = "static-playbook-key-" + "k" * 30


@pytest.fixture
def keymaster(identities):
    return identities.headers("manage_api_keys", "view_customer", "manage_users")


def _create(client, headers, **fields):
    body = {"name": "Billing sync", "permissions": ["manage_users"], **fields}
    return client.post("/crm/api-keys", json=body, headers=headers)


def _key_headers(key, ip="127.0.0.1"):
    return {"headers": {"X-API-KEY": key}, "environ_base": {"REMOTE_ADDR": ip}}


def test_create_shows_the_key_once_in_the_d16_format(client, keymaster):
    response = _create(client, keymaster, description="nightly", expiry_date="2099-01-10")
    assert response.status_code == 201
    body = response.json
    assert body["api_key"].startswith("sk_live_") and len(body["api_key"]) == len("sk_live_") + 43
    assert body["status"] == "active" and body["expiry_date"] == "2099-01-10T23:59:59Z"
    assert body["permissions"] == ["manage_users"]
    listed = client.get("/crm/api-keys", headers=keymaster).json
    [row] = [k for k in listed["data"] if k["api_key_id"] == body["api_key_id"]]
    assert row["api_key"] == f"sk_live_...{body['api_key'][-3:]}"
    assert client.get(f"/crm/api-keys/{body['api_key_id']}", headers=keymaster).json["api_key"] == row["api_key"]


def test_the_key_authenticates_with_its_own_permissions(client, keymaster):
    key = _create(client, keymaster).json["api_key"]
    assert client.get("/auth/users", **_key_headers(key)).status_code == 200
    assert client.get("/auth/roles", **_key_headers(key)).status_code == 200  # manage_users covers roles
    assert client.get("/crm/api-keys", **_key_headers(key)).status_code == 403
    assert client.get("/auth/users", headers={"Authorization": f"Bearer {key}"}).status_code == 200


def test_permissions_must_be_a_subset_of_the_creators(client, keymaster):
    escalated = _create(client, keymaster, permissions=["admin"])
    assert escalated.status_code == 403 and escalated.json["code"] == "privilege_escalation"
    unknown = _create(client, keymaster, permissions=["fly"])
    assert unknown.status_code == 422 and unknown.json["errors"][0]["field"] == "permissions"
    past = _create(client, keymaster, expiry_date="2000-01-01")
    assert past.status_code == 422 and past.json["errors"][0]["field"] == "expiry_date"


def test_revoked_keys_fail_at_once(client, keymaster):
    created = _create(client, keymaster).json
    assert client.delete(f"/crm/api-keys/{created['api_key_id']}", headers=keymaster).status_code == 200
    before = metrics.AUTH_FAILURES.labels("api_key", "revoked")._value.get()
    response = client.get("/auth/users", **_key_headers(created["api_key"]))
    assert response.status_code == 401 and response.json["code"] == "invalid_api_key"
    assert metrics.AUTH_FAILURES.labels("api_key", "revoked")._value.get() == before + 1
    assert client.post(f"/crm/api-keys/{created['api_key_id']}/regenerate", headers=keymaster).status_code == 409


def test_regenerate_replaces_the_secret(client, keymaster):
    created = _create(client, keymaster).json
    fresh = client.post(f"/crm/api-keys/{created['api_key_id']}/regenerate", headers=keymaster).json
    assert fresh["api_key"] != created["api_key"] and fresh["api_key"].startswith("sk_live_")
    assert client.get("/auth/users", **_key_headers(created["api_key"])).status_code == 401
    assert client.get("/auth/users", **_key_headers(fresh["api_key"])).status_code == 200


def test_expired_keys_fail_and_unknown_keys_fail(client, keymaster, session):
    created = _create(client, keymaster).json
    session.execute(update(ApiKey).where(ApiKey.api_key_id == created["api_key_id"])
                    .values(expiry_date=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)))
    session.commit()
    assert client.get("/auth/users", **_key_headers(created["api_key"])).status_code == 401
    assert client.get("/auth/users", **_key_headers("sk_live_" + "x" * 43)).status_code == 401


def test_allowed_ips_restrict_where_a_key_works(client, keymaster):
    key = _create(client, keymaster, allowed_ips=["10.0.1.0/24"]).json["api_key"]
    assert client.get("/auth/users", **_key_headers(key, "10.0.1.7")).status_code == 200
    elsewhere = client.get("/auth/users", **_key_headers(key, "10.0.2.7"))
    assert elsewhere.status_code == 401 and elsewhere.json["code"] == "api_key_ip_not_allowed"
    assert _create(client, keymaster, allowed_ips=["not-an-ip"]).status_code == 422


def test_last_use_is_recorded(client, keymaster):
    created = _create(client, keymaster).json
    assert created["last_used"] is None
    client.get("/auth/users", **_key_headers(created["api_key"], "10.9.8.7"))
    row = client.get(f"/crm/api-keys/{created['api_key_id']}", headers=keymaster).json
    assert row["last_used"] and row["last_used_ip"] == "10.9.8.7"


def test_a_key_never_outgrows_its_creator(client, identities, session):
    creator = identities.user(permissions=["manage_api_keys", "manage_users"])
    key = _create(client, identities.headers_for(creator)).json["api_key"]
    assert client.get("/auth/users", **_key_headers(key)).status_code == 200
    admin = identities.admin()
    [role] = session.get(User, creator).roles
    [manage_users] = [p.id for p in role.permissions if p.name == "manage_users"]
    client.delete(f"/auth/roles/{role.id}/permissions/{manage_users}", headers=admin)
    assert client.get("/auth/users", **_key_headers(key)).status_code == 403
    client.delete(f"/auth/users/{creator}", headers=admin)
    assert client.get("/auth/users", **_key_headers(key)).status_code == 401


def test_list_counts_total_active_expiring_expired(client, keymaster, session):
    soon = _create(client, keymaster, name="soon", expiry_date="2099-01-01").json
    _create(client, keymaster, name="forever")
    expired = _create(client, keymaster, name="old").json
    revoked = _create(client, keymaster, name="gone").json
    now = dt.datetime.now(dt.UTC)
    session.execute(update(ApiKey).where(ApiKey.api_key_id == soon["api_key_id"])
                    .values(expiry_date=now + dt.timedelta(days=10)))
    session.execute(update(ApiKey).where(ApiKey.api_key_id == expired["api_key_id"])
                    .values(expiry_date=now - dt.timedelta(days=1)))
    session.commit()
    client.delete(f"/crm/api-keys/{revoked['api_key_id']}", headers=keymaster)
    listed = client.get("/crm/api-keys", headers=keymaster).json
    assert listed["stats"] == {"total": 3, "active": 2, "expiring_soon": 1, "expired": 1, "revoked": 1}
    assert {k["status"] for k in listed["data"]} == {"active", "expired"}
    revoked_only = client.get('/crm/api-keys?filters={"status":["revoked"]}', headers=keymaster).json
    assert [k["name"] for k in revoked_only["data"]] == ["gone"]


def test_patch_edits_but_never_reveals_or_sets_the_key(client, keymaster):
    created = _create(client, keymaster).json
    path = f"/crm/api-keys/{created['api_key_id']}"
    edited = client.patch(path, json={"name": "Renamed", "expiry_date": "2099-12-31"}, headers=keymaster)
    assert edited.json["name"] == "Renamed" and edited.json["expiry_date"] == "2099-12-31T23:59:59Z"
    assert edited.json["api_key"].startswith("sk_live_...")
    assert client.patch(path, json={"api_key": "sk_live_mine"}, headers=keymaster).status_code == 422
    assert client.patch("/crm/api-keys/999999", json={"name": "x"}, headers=keymaster).status_code == 404


# --------------------------------------------------------------------------------------------------
# Static keys and the IP whitelist of crm_config.yaml


@pytest.fixture
def configured_client(settings, connection):
    configured = make_settings(settings.database_url, api_keys={STATIC_KEY: {"roles": ["Support"],
                                                                             "ips": ["192.0.2.0/24"]}},
                               ip_whitelist={"198.51.100.9": {"roles": ["Admin"]}})
    db = Database(connection.engine)
    db.bind_to(connection, join_transaction_mode="create_savepoint")
    return create_app(configured, db=db, configure_logs=False).test_client()


def test_static_keys_work_with_their_roles_from_allowed_addresses(configured_client):
    allowed = configured_client.get("/crm/auth/me", **_key_headers(STATIC_KEY, "192.0.2.10"))
    assert allowed.status_code == 200 and "view_customer" in allowed.json["permissions"]
    assert configured_client.get("/auth/users", **_key_headers(STATIC_KEY, "192.0.2.10")).status_code == 403
    elsewhere = configured_client.get("/crm/auth/me", **_key_headers(STATIC_KEY, "203.0.113.1"))
    assert elsewhere.status_code == 401 and elsewhere.json["code"] == "api_key_ip_not_allowed"


def test_whitelisted_addresses_act_with_their_roles(configured_client):
    assert configured_client.get("/auth/users", environ_base={"REMOTE_ADDR": "198.51.100.9"}).status_code == 200
    assert configured_client.get("/auth/users", environ_base={"REMOTE_ADDR": "198.51.100.10"}).status_code == 401
