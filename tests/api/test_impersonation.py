"""Impersonation (SPEC D8): start/stop, ImpersonationLog, audit with both identities, restrictions."""

import pytest
from sqlalchemy import select

from omnicrm.core.audit import AuditLog
from tests.support.factories import make_customer
from tests.support.identity import PASSWORD, bearer, login


@pytest.fixture
def agent(client, identities):
    user_id = identities.user(roles=["Admin"], email="agent@example.com", username="agent")
    return user_id, login(client, "agent@example.com").json


@pytest.fixture
def customer(identities, session):
    return identities.user(permissions=["view_customer"], email="cust@example.com", username="cust",
                           customer_id=make_customer(session))


def _start(client, agent, target):
    return client.post("/auth/impersonate", json={"user_id": target}, headers=bearer(agent[1]["token"]))


def test_impersonation_acts_as_the_target_and_stop_returns(client, agent, customer, admin_headers):
    started = _start(client, agent, customer)
    assert started.status_code == 200
    body = started.json
    assert body["success"] is True and body["impersonating_user_id"] == agent[0]
    assert body["target_user_id"] == customer and body["impersonation_start"].endswith("Z")
    as_target = bearer(body["access_token"])
    me = client.get("/crm/auth/me", headers=as_target).json
    assert me["id"] == customer and me["impersonator_id"] == agent[0]
    stopped = client.post("/auth/stop_impersonation", headers=as_target)
    assert stopped.status_code == 200 and stopped.json["duration_seconds"] >= 0
    assert client.get("/crm/auth/me", headers=as_target).status_code == 401  # impersonation session ended
    back = client.get("/crm/auth/me", headers=bearer(stopped.json["access_token"])).json
    assert back["id"] == agent[0] and back["impersonator_id"] is None
    refreshed = client.post("/crm/auth/refresh", json={"refresh_token": stopped.json["refresh_token"]})
    assert refreshed.status_code == 200
    logs = client.get(f"/auth/impersonation_logs?user_id={customer}", headers=admin_headers).json
    [log] = logs["data"]
    assert (log["impersonating_user_id"], log["target_user_id"]) == (agent[0], customer)
    assert log["impersonation_end"] and log["impersonation_duration"] == stopped.json["duration_seconds"]


def test_writes_while_impersonating_are_audited_with_both_identities(client, agent, identities, session):
    manager = identities.user(permissions=["manage_users", "view_customer"], username="mgr")
    as_manager = bearer(_start(client, agent, manager).json["access_token"])
    target = identities.user(permissions=["view_customer"])
    assert client.put(f"/auth/users/{target}", json={"first_name": "Changed"}, headers=as_manager).status_code == 200
    row = session.scalars(select(AuditLog).where(AuditLog.entity == "user", AuditLog.entity_id == str(target),
                                                 AuditLog.action == "update")).all()[-1]
    assert (row.actor_user_id, row.impersonator_user_id) == (manager, agent[0])


def test_an_impersonated_session_cannot_escalate(client, agent, identities):
    target = identities.user(permissions=["can_impersonate", "manage_api_keys", "view_customer"],
                             email="deep@example.com")
    as_target = bearer(_start(client, agent, target).json["access_token"])
    third = identities.user(permissions=["view_customer"])
    nested = client.post("/auth/impersonate", json={"user_id": third}, headers=as_target)
    assert nested.status_code == 403 and nested.json["code"] == "forbidden_while_impersonating"
    password = client.post("/auth/change_password", headers=as_target,
                           json={"current_password": PASSWORD, "new_password": "N3w-passw0rd!"})
    assert password.status_code == 403
    two_factor = client.post(f"/2fa/enable/user/{target}", json={"password": PASSWORD}, headers=as_target)
    assert two_factor.status_code == 403
    key = client.post("/crm/api-keys", json={"name": "k", "permissions": ["view_customer"]}, headers=as_target)
    assert key.status_code == 403 and key.json["code"] == "forbidden_while_impersonating"


def test_impersonation_needs_can_impersonate_and_cannot_reach_higher(client, identities):
    plain = identities.headers("view_customer")
    target = identities.user(permissions=["view_customer"])
    assert client.post("/auth/impersonate", json={"user_id": target}, headers=plain).status_code == 403
    support = identities.headers("can_impersonate", "view_customer")
    assert client.post("/auth/impersonate", json={"user_id": target}, headers=support).status_code == 200
    admin = identities.user(roles=["Admin"])
    upward = client.post("/auth/impersonate", json={"user_id": admin}, headers=support)
    assert upward.status_code == 403 and upward.json["code"] == "privilege_escalation"


def test_bad_targets(client, agent):
    assert _start(client, agent, 999999).status_code == 404
    assert _start(client, agent, agent[0]).status_code == 422
    assert client.post("/auth/stop_impersonation", headers=bearer(agent[1]["token"])).status_code == 409


def test_logs_filter_by_date(client, agent, customer, admin_headers):
    _start(client, agent, customer)
    assert client.get("/auth/impersonation_logs?start_date=2000-01-01&end_date=2000-01-31",
                      headers=admin_headers).json["data"] == []
    recent = client.get("/auth/impersonation_logs?start_date=2000-01-01", headers=admin_headers).json
    assert recent["pagination"]["total_items"] >= 1
    assert client.get("/auth/impersonation_logs?start_date=nonsense", headers=admin_headers).status_code == 422
