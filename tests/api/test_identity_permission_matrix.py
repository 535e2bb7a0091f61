"""The permission matrix of every identity route: who may call it, checked against the live app.

test_route_access.py proves anonymous -> 401 and no permission -> 403 everywhere; this file pins WHICH
permission each identity route needs, and proves that holding exactly that permission opens the gate.
"""

import pytest

from omnicrm.core.auth import endpoint_access_rule
from tests.api.test_route_access import _routes, _sample_path

PUBLIC, SIGNED_IN = "public", "authenticated"

MATRIX = {
    "auth.login": PUBLIC, "auth.refresh": PUBLIC, "auth.verify_two_factor": PUBLIC,
    "auth.forgot_password": PUBLIC, "auth.reset_password": PUBLIC, "auth.verify_email": PUBLIC,
    "auth.logout": SIGNED_IN, "auth.me": SIGNED_IN, "auth.change_password": SIGNED_IN,
    "users.create_user": "manage_users", "users.list_users": "manage_users", "users.search_users": "manage_users",
    "users.get_one": "manage_users", "users.update_user": "manage_users", "users.delete_user": "manage_users",
    "users.resend_welcome": "manage_users", "users.admin_reset_password": "manage_users",
    "access.list_permissions": "manage_users", "access.create_permission": "manage_users",
    "access.list_roles": "manage_users", "access.create_role": "manage_users", "access.get_role": "manage_users",
    "access.update_role": "manage_users", "access.delete_role": "manage_users",
    "access.add_role_permissions": "manage_users", "access.remove_role_permission": "manage_users",
    "access.assign_role": "manage_users", "access.unassign_role": "manage_users",
    "access.impersonate": "can_impersonate", "access.stop_impersonation": SIGNED_IN,
    "access.impersonation_logs": "admin",
    "two_factor.enable": SIGNED_IN, "two_factor.verify_setup": SIGNED_IN,
    "two_factor.regenerate_backup_codes": SIGNED_IN, "two_factor.reset_for_new_device": SIGNED_IN,
    "two_factor.admin_disable": "admin",
    "api_keys.list_keys": "manage_api_keys", "api_keys.create_key": "manage_api_keys",
    "api_keys.get_key": "manage_api_keys", "api_keys.update_key": "manage_api_keys",
    "api_keys.revoke_key": "manage_api_keys", "api_keys.regenerate_key": "manage_api_keys",
}
DOMAINS = ("auth.", "users.", "access.", "two_factor.", "api_keys.")


def _identity_routes(app):
    return [(rule, method) for rule, method in _routes(app) if rule.endpoint.startswith(DOMAINS)]


def _declared(app, endpoint):
    rule = endpoint_access_rule(app, endpoint)
    if rule.public:
        return PUBLIC
    return ",".join(rule.permissions) or SIGNED_IN


def test_every_identity_route_is_in_the_matrix_with_its_rule(app):
    declared = {rule.endpoint: _declared(app, rule.endpoint) for rule, _ in _identity_routes(app)}
    assert declared == MATRIX


@pytest.mark.parametrize("permission", sorted({v for v in MATRIX.values() if v not in (PUBLIC, SIGNED_IN)}))
def test_holding_exactly_the_permission_opens_each_route(app, client, identities, permission):
    identities.user(permissions=[])  # the sample id 1 in paths must not be the caller (resetting it logs out)
    headers = identities.headers(permission)
    stopped = []
    for rule, method in _identity_routes(app):
        if MATRIX[rule.endpoint] != permission:
            continue
        response = client.open(_sample_path(rule), method=method, json={}, headers=headers)
        if response.status_code == 401 or response.json.get("code") in ("permission_denied", "route_not_exposed"):
            stopped.append((method, rule.rule, response.status_code))
    assert stopped == []


def test_signed_in_routes_need_no_particular_permission(app, client, identities):
    identities.user(permissions=[])
    headers = identities.headers()
    stopped = []
    for rule, method in _identity_routes(app):
        if MATRIX[rule.endpoint] != SIGNED_IN or rule.endpoint == "auth.logout":
            continue
        response = client.open(_sample_path(rule), method=method, json={}, headers=headers)
        if response.status_code == 401 or response.json.get("code") == "permission_denied":
            stopped.append((method, rule.rule, response.status_code))
    assert stopped == []
