"""Deny by default: every route is public on purpose or needs authentication and a named permission."""

import re

import pytest

from omnicrm.core.auth import endpoint_access_rule

# Routes reachable without authentication. Adding one here is a security decision: say why in review.
PUBLIC_ENDPOINTS = {
    "utilities.health", "utilities.prometheus_metrics",
    "auth.login", "auth.refresh",
    # The token they carry is the credential: the 2FA login step (two_factor_token), the mailed reset and
    # e-mail verification links; forgot_password answers the same whether or not the address exists.
    "auth.verify_two_factor", "auth.forgot_password", "auth.reset_password", "auth.verify_email",
    "openapi_json", "spa_index", "spa_asset",
}
PUBLIC_PREFIXES = ("flasgger.",)


def _routes(app):
    for rule in app.url_map.iter_rules():
        methods = sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
        for method in methods:
            yield rule, method


def _sample_path(rule) -> str:
    def fill(match):
        converter = match.group(1) or "default"
        return "1" if converter.startswith(("int", "float")) else "sample"

    return re.sub(r"<(?:(\w+)(?:\([^)]*\))?:)?\w+>", fill, rule.rule)


def _is_public(endpoint: str) -> bool:
    return endpoint in PUBLIC_ENDPOINTS or endpoint.startswith(PUBLIC_PREFIXES)


def test_every_route_has_an_access_rule(app):
    missing = [rule.rule for rule, _ in _routes(app) if endpoint_access_rule(app, rule.endpoint) is None]
    assert missing == []


def test_only_the_listed_routes_are_public(app):
    public = {rule.endpoint for rule, _ in _routes(app) if endpoint_access_rule(app, rule.endpoint).public}
    assert {e for e in public if not _is_public(e)} == set()


def test_anonymous_callers_get_401_on_every_protected_route(app, client):
    failures = []
    for rule, method in _routes(app):
        if endpoint_access_rule(app, rule.endpoint).public:
            continue
        response = client.open(_sample_path(rule), method=method, json={})
        if response.status_code != 401 or response.json.get("code") is None:
            failures.append((method, rule.rule, response.status_code))
    assert failures == []


def test_callers_without_the_permission_get_403_on_every_guarded_route(app, client, identities):
    headers = identities.headers()  # a user holding no permission at all
    failures = []
    for rule, method in _routes(app):
        access = endpoint_access_rule(app, rule.endpoint)
        if access.public or not access.permissions:
            continue
        response = client.open(_sample_path(rule), method=method, json={}, headers=headers)
        if response.status_code != 403:
            failures.append((method, rule.rule, response.status_code))
    assert failures == []


@pytest.mark.parametrize("path", ["/crm/docs/", "/crm/docs/apispec.json", "/crm/health", "/crm/metrics"])
def test_documented_public_routes_answer_anonymously(client, path):
    assert client.get(path).status_code == 200
