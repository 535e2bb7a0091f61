"""2FA enrolment and management with real TOTP codes computed from the returned secret."""

import datetime as dt

import pytest
from sqlalchemy import select, text, update

from omnicrm.auth.models import BackupCode, User
from tests.support.identity import PASSWORD, bearer, login, totp_code


@pytest.fixture
def me(client, identities):
    user_id = identities.user(permissions=[], email="me@example.com")
    return user_id, bearer(login(client, "me@example.com").json["token"])


def _enable(client, me):
    response = client.post(f"/2fa/enable/user/{me[0]}", json={"password": PASSWORD}, headers=me[1])
    assert response.status_code == 200, response.json
    return response.json


def _verify_setup(client, me, secret):
    return client.post(f"/2fa/verify-setup/user/{me[0]}", json={"code": totp_code(secret)}, headers=me[1])


def test_enable_returns_secret_uri_qr_and_ten_backup_codes(client, me):
    body = _enable(client, me)
    assert len(body["totp_secret"]) == 32
    assert body["qr_code_url"].startswith("otpauth://totp/OmniCRM:me%40example.com?secret=")
    assert "issuer=OmniCRM" in body["qr_code_url"]
    assert body["qr_code_png"].startswith("data:image/png;base64,")
    assert len(body["backup_codes"]) == 10 and all(len(c) == 8 and c.isdigit() for c in body["backup_codes"])


def test_enable_needs_the_current_password(client, me):
    response = client.post(f"/2fa/enable/user/{me[0]}", json={"password": "Wrong-passw0rd!"}, headers=me[1])
    assert response.status_code == 422 and response.json["errors"][0]["field"] == "password"


def test_verify_setup_turns_2fa_on(client, me, session):
    body = _enable(client, me)
    wrong = client.post(f"/2fa/verify-setup/user/{me[0]}", json={"code": "000000"}, headers=me[1])
    assert wrong.status_code == 422 and wrong.json["code"] == "invalid_2fa_code"
    assert _verify_setup(client, me, body["totp_secret"]).json == {"verified": True}
    assert session.get(User, me[0]).is_2fa_enabled is True
    again = client.post(f"/2fa/enable/user/{me[0]}", json={"password": PASSWORD}, headers=me[1])
    assert again.status_code == 409


def test_setup_must_be_verified_within_ten_minutes(client, me, session):
    body = _enable(client, me)
    session.execute(update(User).where(User.id == me[0]).values(
        totp_setup_started_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=11)))
    session.commit()
    response = _verify_setup(client, me, body["totp_secret"])
    assert response.status_code == 422 and response.json["code"] == "2fa_setup_expired"


def test_secret_is_encrypted_and_backup_codes_hashed_at_rest(client, me, session):
    body = _enable(client, me)
    _verify_setup(client, me, body["totp_secret"])
    stored = session.execute(text("SELECT totp_secret FROM user WHERE id = :id"
                                  if session.bind.dialect.name == "sqlite"
                                  else "SELECT totp_secret FROM `user` WHERE id = :id"), {"id": me[0]}).scalar()
    assert stored.startswith("enc1:") and body["totp_secret"] not in stored
    hashes = session.scalars(select(BackupCode.code_hash).where(BackupCode.user_id == me[0])).all()
    assert len(hashes) == 10 and not set(hashes) & set(body["backup_codes"])


def test_2fa_is_managed_by_its_owner_only(client, me, identities):
    other = identities.user(permissions=[])
    response = client.post(f"/2fa/enable/user/{other}", json={"password": PASSWORD}, headers=me[1])
    assert response.status_code == 403 and response.json["code"] == "not_your_account"


def test_regenerating_backup_codes_kills_the_old_ones(client, me):
    body = _enable(client, me)
    _verify_setup(client, me, body["totp_secret"])
    fresh = client.post(f"/2fa/backup-codes/regenerate/user/{me[0]}", headers=me[1]).json["backup_codes"]
    assert len(fresh) == 10 and not set(fresh) & set(body["backup_codes"])
    token = login(client, "me@example.com").json["two_factor_token"]
    old = client.post(f"/2fa/verify/user/{me[0]}", json={"code": body["backup_codes"][0], "two_factor_token": token})
    assert old.status_code == 401
    new = client.post(f"/2fa/verify/user/{me[0]}", json={"code": fresh[0], "two_factor_token": token})
    assert new.status_code == 200


def test_admin_disable_turns_2fa_off(client, me, admin_headers, session):
    body = _enable(client, me)
    _verify_setup(client, me, body["totp_secret"])
    assert client.post(f"/2fa/admin/disable/user/{me[0]}", headers=me[1]).status_code == 403
    assert client.post(f"/2fa/admin/disable/user/{me[0]}", headers=admin_headers).status_code == 200
    user = session.get(User, me[0])
    session.refresh(user)
    assert (user.is_2fa_enabled, user.totp_secret) == (False, None)
    assert session.scalars(select(BackupCode).where(BackupCode.user_id == me[0])).all() == []
    assert login(client, "me@example.com").json["requires_2fa"] is False


def test_reset_for_new_device_spends_a_backup_code(client, me):
    body = _enable(client, me)
    _verify_setup(client, me, body["totp_secret"])
    path = f"/2fa/reset-for-new-device/user/{me[0]}"
    bad = client.post(path, json={"backup_code": "12345678"}, headers=me[1])
    assert bad.status_code == 422 and bad.json["code"] == "invalid_backup_code"
    new_device = client.post(path, json={"backup_code": body["backup_codes"][0]}, headers=me[1])
    assert new_device.status_code == 200 and new_device.json["totp_secret"] != body["totp_secret"]
    assert client.post(path, json={"backup_code": body["backup_codes"][0]}, headers=me[1]).status_code == 422
    assert client.post(f"/2fa/verify-setup/user/{me[0]}", headers=me[1],
                       json={"code": totp_code(new_device.json["totp_secret"])}).status_code == 200
    token = login(client, "me@example.com").json["two_factor_token"]
    old_device = client.post(f"/2fa/verify/user/{me[0]}", headers=bearer(token),
                             json={"code": totp_code(body["totp_secret"], steps_ahead=1)})
    assert old_device.status_code == 401  # a later step, so only the replaced secret can explain the refusal
