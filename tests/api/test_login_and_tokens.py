"""Login, lockout, the 2FA second step, refresh rotation, logout and the forced password change."""

import datetime as dt

import pytest
from sqlalchemy import select

from omnicrm.auth import tokens
from omnicrm.auth.models import AuthSession, User
from omnicrm.core import metrics
from tests.support.identity import PASSWORD, bearer, login, totp_code


@pytest.fixture
def staff(identities):
    email = "staff@example.com"
    user_id = identities.user(permissions=["view_customer"], email=email)
    return user_id, email


def test_login_returns_tokens_user_and_landing(client, staff):
    user_id, email = staff
    response = login(client, email.upper())
    assert response.status_code == 200
    body = response.json
    assert body["token"] and body["refresh_token"].startswith("rt_")
    assert body["user"]["id"] == user_id and body["user"]["permissions"] == ["view_customer"]
    assert body["landing"] == "/customers" and body["force_change"] is False and body["requires_2fa"] is False
    assert "refresh_token=" in response.headers["Set-Cookie"] and "HttpOnly" in response.headers["Set-Cookie"]
    assert client.get("/crm/auth/me", headers=bearer(body["token"])).json["email"] == email


def test_remember_me_keeps_the_session_30_days(client, staff, session):
    login(client, staff[1], remember_me=True)
    latest = session.scalars(select(AuthSession).where(AuthSession.user_id == staff[0])).all()[-1]
    assert dt.timedelta(days=29) < latest.expires_at - latest.created <= dt.timedelta(days=30)


def test_wrong_password_and_unknown_email_look_the_same(client, staff):
    wrong = login(client, staff[1], "Wrong-passw0rd!")
    unknown = login(client, "nobody@example.com", "Wrong-passw0rd!")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json["code"] == unknown.json["code"] == "invalid_credentials"
    assert wrong.json["error"] == unknown.json["error"]


def test_five_failures_lock_the_account_with_retry_after(client, staff):
    for _ in range(5):
        assert login(client, staff[1], "Wrong-passw0rd!").status_code == 401
    locked = login(client, staff[1])  # even the right password
    assert locked.status_code == 423
    assert locked.json["code"] == "account_locked"
    assert 29 * 60 < locked.json["retry_after"] <= 30 * 60 + 1
    # Flask-Limiter re-derives the header from the same instant, so it may round one second differently
    assert abs(int(locked.headers["Retry-After"]) - locked.json["retry_after"]) <= 1


def test_failed_logins_are_limited_per_client_address(client):
    statuses = [login(client, f"guess{i}@example.com", "Wrong-passw0rd!").status_code for i in range(31)]
    assert statuses[:30] == [401] * 30
    assert statuses[30] == 429


def test_deleted_users_cannot_log_in(client, staff, session):
    session.get(User, staff[0]).deleted_at = dt.datetime.now(dt.UTC)
    session.commit()
    assert login(client, staff[1]).json["code"] == "invalid_credentials"


def test_refresh_rotates_and_a_reused_token_revokes_the_session(client, staff):
    first = login(client, staff[1]).json
    rotated = client.post("/crm/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert rotated.status_code == 200 and rotated.json["refresh_token"] != first["refresh_token"]
    reused = client.post("/crm/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert reused.status_code == 401 and reused.json["code"] == "refresh_token_reused"
    # the thief's reuse ended the session: the newer tokens die too
    assert client.post("/crm/auth/refresh", json={"refresh_token": rotated.json["refresh_token"]}).status_code == 401
    assert client.get("/crm/auth/me", headers=bearer(rotated.json["token"])).status_code == 401


def test_refresh_accepts_the_cookie(client, staff):
    login(client, staff[1])
    assert client.post("/crm/auth/refresh").status_code == 200


def test_logout_revokes_access_and_refresh_tokens(client, staff):
    body = login(client, staff[1]).json
    assert client.post("/crm/auth/logout", headers=bearer(body["token"])).status_code == 200
    assert client.get("/crm/auth/me", headers=bearer(body["token"])).json["code"] == "session_revoked"
    assert client.post("/crm/auth/refresh", json={"refresh_token": body["refresh_token"]}).status_code == 401


def test_bad_tokens_count_as_auth_failures(client):
    before = metrics.AUTH_FAILURES.labels("jwt", "invalid")._value.get()
    assert client.get("/crm/auth/me", headers=bearer("not-a-jwt")).status_code == 401
    assert metrics.AUTH_FAILURES.labels("jwt", "invalid")._value.get() == before + 1


# --------------------------------------------------------------------------------------------------
# Second step (SPEC D21)


@pytest.fixture
def two_factor_user(client, identities):
    email = "twofa@example.com"
    user_id = identities.user(permissions=["view_customer"], email=email)
    headers = bearer(login(client, email).json["token"])
    enrolment = client.post(f"/2fa/enable/user/{user_id}", json={"password": PASSWORD}, headers=headers).json
    verified = client.post(f"/2fa/verify-setup/user/{user_id}", json={"code": totp_code(enrolment["totp_secret"])},
                           headers=headers)
    assert verified.json == {"verified": True}
    return {"id": user_id, "email": email, **enrolment}


def test_a_2fa_user_gets_only_a_two_factor_token(client, two_factor_user):
    body = login(client, two_factor_user["email"]).json
    assert body["requires_2fa"] is True and body["two_factor_token"]
    assert body["token"] is None and body["refresh_token"] is None
    # the two-factor token is no access token anywhere else
    assert client.get("/crm/auth/me", headers=bearer(body["two_factor_token"])).status_code == 401


def test_second_step_needs_the_two_factor_token(client, two_factor_user):
    user_id = two_factor_user["id"]
    code = totp_code(two_factor_user["totp_secret"], steps_ahead=1)
    missing = client.post(f"/2fa/verify/user/{user_id}", json={"code": code})
    assert missing.status_code == 401 and missing.json["code"] == "two_factor_token_required"
    forged = client.post(f"/2fa/verify/user/{user_id}", json={"code": code, "two_factor_token": "x.y.z"})
    assert forged.status_code == 401 and forged.json["code"] == "invalid_two_factor_token"


def test_second_step_with_a_totp_code_answers_like_a_login(client, two_factor_user):
    user_id = two_factor_user["id"]
    token = login(client, two_factor_user["email"]).json["two_factor_token"]
    code = totp_code(two_factor_user["totp_secret"], steps_ahead=1)  # a later step than the setup code
    done = client.post(f"/2fa/verify/user/{user_id}", json={"code": code}, headers=bearer(token))
    assert done.status_code == 200
    assert set(done.json) >= {"token", "refresh_token", "user", "landing"} and done.json["user"]["id"] == user_id
    assert client.get("/crm/auth/me", headers=bearer(done.json["token"])).status_code == 200
    # the same code is never accepted twice
    replay = client.post(f"/2fa/verify/user/{user_id}", json={"code": code, "two_factor_token": token})
    assert replay.status_code == 401 and replay.json["code"] == "invalid_2fa_code"


def test_second_step_accepts_each_backup_code_once(client, two_factor_user):
    user_id = two_factor_user["id"]
    token = login(client, two_factor_user["email"]).json["two_factor_token"]
    backup = two_factor_user["backup_codes"][0]
    first = client.post(f"/2fa/verify/user/{user_id}", json={"code": backup, "two_factor_token": token})
    assert first.status_code == 200
    again = client.post(f"/2fa/verify/user/{user_id}", json={"code": backup, "two_factor_token": token})
    assert again.status_code == 401


def test_a_two_factor_token_only_works_for_its_user(client, two_factor_user, identities):
    other = identities.user(permissions=[])
    token = login(client, two_factor_user["email"]).json["two_factor_token"]
    response = client.post(f"/2fa/verify/user/{other}", json={"code": "123456", "two_factor_token": token})
    assert response.status_code == 401 and response.json["code"] == "invalid_two_factor_token"


def test_second_step_is_rate_limited_per_user(client, two_factor_user, settings):
    user_id = two_factor_user["id"]
    token = tokens.issue_two_factor_token(settings.jwt_secret.get_secret_value(), user_id=user_id,
                                          remember_me=False)
    statuses = [client.post(f"/2fa/verify/user/{user_id}", json={"code": "000000", "two_factor_token": token}
                            ).status_code for _ in range(11)]
    assert 429 in statuses
    assert set(statuses[:5]) == {401}  # ...and wrong codes count toward the lockout
    assert 423 in statuses


# --------------------------------------------------------------------------------------------------
# Forced password change after an admin reset (SPEC D21)


def test_temporary_password_must_be_changed_before_anything_else(client, staff, admin_headers):
    reset = client.post(f"/auth/users/{staff[0]}/admin_reset_password", headers=admin_headers)
    assert reset.status_code == 200 and reset.json["force_change"] is True
    temporary = reset.json["new_password"]
    assert login(client, staff[1]).status_code == 401  # the old password is gone
    logged_in = login(client, staff[1], temporary)
    assert logged_in.status_code == 200 and logged_in.json["force_change"] is True
    headers = bearer(logged_in.json["token"])
    blocked = client.get("/auth/users", headers=headers)
    assert blocked.status_code == 403 and blocked.json["code"] == "password_change_required"
    assert client.get("/crm/auth/me", headers=headers).status_code == 200
    changed = client.post("/auth/change_password", headers=headers,
                          json={"current_password": temporary, "new_password": "N3w-passw0rd!"})
    assert changed.status_code == 200
    assert client.get("/auth/users", headers=headers).json["code"] == "permission_denied"  # gate lifted
    assert login(client, staff[1], "N3w-passw0rd!").json["force_change"] is False
