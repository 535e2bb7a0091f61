"""RBAC: the permission catalogue, custom permissions, roles, bulk assignment, no privilege escalation."""

from sqlalchemy import select

from omnicrm.auth.models import Permission, Role
from tests.support.identity import bearer, login


def _permission_ids(session, *names):
    rows = session.scalars(select(Permission).where(Permission.name.in_(names)))
    return [p.id for p in sorted(rows, key=lambda p: names.index(p.name))]


def test_permissions_list_and_custom_permission(client, admin_headers):
    listed = client.get("/auth/permissions?per_page=100", headers=admin_headers).json
    names = {p["name"] for p in listed["data"]}
    assert {"admin", "can_impersonate", "manage_api_keys", "view_customer"} <= names
    created = client.post("/auth/permissions", json={"name": "View_Example", "description": "Read-only"},
                          headers=admin_headers)
    assert created.status_code == 201 and created.json["name"] == "view_example" and not created.json["is_system"]
    duplicate = client.post("/auth/permissions", json={"name": "view_example"}, headers=admin_headers)
    assert duplicate.status_code == 409
    invalid = client.post("/auth/permissions", json={"name": "view example"}, headers=admin_headers)
    assert invalid.status_code == 422 and invalid.json["errors"][0]["field"] == "name"


def test_role_lifecycle_with_bulk_permissions(client, admin_headers, session):
    ids = _permission_ids(session, "view_customer", "view_customer_service", "create_provision")
    role = client.post("/auth/roles", json={"name": "Provisioning_Specialist", "description": "Field team"},
                       headers=admin_headers)
    assert role.status_code == 201 and role.json["permissions"] == []
    role_id = role.json["id"]
    bulk = client.post(f"/auth/roles/{role_id}/permissions", json={"permission_ids": ids}, headers=admin_headers)
    assert sorted(p["name"] for p in bulk.json["permissions"]) == [
        "create_provision", "view_customer", "view_customer_service"]
    removed = client.delete(f"/auth/roles/{role_id}/permissions/{ids[2]}", headers=admin_headers)
    assert "create_provision" not in {p["name"] for p in removed.json["permissions"]}
    assert client.delete(f"/auth/roles/{role_id}/permissions/{ids[2]}", headers=admin_headers).status_code == 404
    renamed = client.put(f"/auth/roles/{role_id}", json={"name": "Senior_Support"}, headers=admin_headers)
    assert renamed.json["name"] == "Senior_Support" and renamed.json["description"] == "Field team"
    assert client.delete(f"/auth/roles/{role_id}", headers=admin_headers).status_code == 200
    assert client.get(f"/auth/roles/{role_id}", headers=admin_headers).status_code == 404


def test_single_permission_assignment_and_bad_ids(client, admin_headers, session):
    role_id = client.post("/auth/roles", json={"name": "Solo"}, headers=admin_headers).json["id"]
    [view_product] = _permission_ids(session, "view_product")
    single = client.post(f"/auth/roles/{role_id}/permissions", json={"permission_id": view_product},
                         headers=admin_headers)
    assert [p["name"] for p in single.json["permissions"]] == ["view_product"]
    unknown = client.post(f"/auth/roles/{role_id}/permissions", json={"permission_ids": [999999]},
                          headers=admin_headers)
    assert unknown.status_code == 404 and unknown.json["code"] == "permission_not_found"
    empty = client.post(f"/auth/roles/{role_id}/permissions", json={}, headers=admin_headers)
    assert empty.status_code == 422
    assert client.post("/auth/roles/999999/permissions", json={"permission_id": view_product},
                       headers=admin_headers).status_code == 404


def test_duplicate_role_names_conflict(client, admin_headers):
    assert client.post("/auth/roles", json={"name": "support"}, headers=admin_headers).status_code == 409


def test_built_in_roles_keep_their_names_and_admin_its_permissions(client, admin_headers, session):
    admin_role = session.scalar(select(Role).where(Role.name == "Admin"))
    support = session.scalar(select(Role).where(Role.name == "Support"))
    assert client.delete(f"/auth/roles/{admin_role.id}", headers=admin_headers).json["code"] == "system_role"
    assert client.put(f"/auth/roles/{support.id}", json={"name": "Helpdesk"},
                      headers=admin_headers).json["code"] == "system_role"
    [admin_permission] = _permission_ids(session, "admin")
    removal = client.delete(f"/auth/roles/{admin_role.id}/permissions/{admin_permission}", headers=admin_headers)
    assert removal.status_code == 409


def test_a_held_role_cannot_be_deleted(client, admin_headers, identities):
    role_id = client.post("/auth/roles", json={"name": "Temp"}, headers=admin_headers).json["id"]
    user_id = identities.user(permissions=[])
    assert client.post(f"/auth/roles/{role_id}/users/{user_id}", headers=admin_headers).status_code == 200
    assert client.delete(f"/auth/roles/{role_id}", headers=admin_headers).json["code"] == "role_in_use"


def test_permission_changes_apply_on_the_next_request(client, admin_headers, identities, session):
    role_id = client.post("/auth/roles", json={"name": "Catalogue"}, headers=admin_headers).json["id"]
    user_id = identities.user(permissions=[], email="cat@example.com")
    headers = bearer(login(client, "cat@example.com").json["token"])
    assert client.get("/auth/roles", headers=headers).status_code == 403
    client.post(f"/auth/roles/{role_id}/users/{user_id}", headers=admin_headers)
    client.post(f"/auth/roles/{role_id}/permissions", headers=admin_headers,
                json={"permission_ids": _permission_ids(session, "manage_users")})
    assert client.get("/auth/roles", headers=headers).status_code == 200  # same token, new rights
    client.delete(f"/auth/roles/{role_id}/users/{user_id}", headers=admin_headers)
    assert client.get("/auth/roles", headers=headers).status_code == 403


def test_managers_cannot_grant_permissions_they_do_not_hold(client, identities, session):
    manager = identities.headers("manage_users")
    role_id = client.post("/auth/roles", json={"name": "Sneaky"}, headers=manager).json["id"]
    grab = client.post(f"/auth/roles/{role_id}/permissions", headers=manager,
                       json={"permission_ids": _permission_ids(session, "admin")})
    assert grab.status_code == 403 and grab.json["code"] == "privilege_escalation"
    admin_role = session.scalar(select(Role).where(Role.name == "Admin"))
    me = identities.user(permissions=["manage_users"])
    assert client.post(f"/auth/roles/{admin_role.id}/users/{me}", headers=manager).status_code == 403


def test_unknown_role_or_user_in_assignment_is_404(client, admin_headers, identities):
    user_id = identities.user(permissions=[])
    assert client.post(f"/auth/roles/999999/users/{user_id}", headers=admin_headers).status_code == 404
    role_id = client.post("/auth/roles", json={"name": "Lonely"}, headers=admin_headers).json["id"]
    assert client.post(f"/auth/roles/{role_id}/users/999999", headers=admin_headers).status_code == 404
