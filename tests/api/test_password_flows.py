"""Forgot / reset / change password (SPEC D15): single-use 1-hour tokens, no account enumeration."""

import datetime as dt

import pytest
from sqlalchemy import update

from omnicrm.auth.models import UserToken
from tests.support.identity import PASSWORD, bearer, last_mail, login, outbox

RESET = "api_crmCommunicationUserPasswordReset"
RESET_SUCCESS = "api_crmCommunicationUserPasswordResetSuccess"
CHANGED = "api_crmCommunicationUserPasswordChange"
NEW = "N3w-passw0rd!"


@pytest.fixture
def user(identities):
    email = "forgetful@example.com"
    return identities.user(permissions=[], email=email, first_name="Fay", last_name="Getful"), email


def _reset_token(session, email):
    mail = last_mail(session, email, RESET)
    return mail.variables["reset_url"].rsplit("/", 1)[1]


def test_forgot_password_answers_the_same_for_unknown_addresses(client, user, session):
    known = client.post("/auth/forgot_password", json={"email": user[1]})
    unknown = client.post("/auth/forgot_password", json={"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 200
    assert known.json == unknown.json
    assert len(outbox(session, user[1], RESET)) == 1 and outbox(session, "nobody@example.com") == []
    mail = last_mail(session, user[1], RESET)
    assert set(mail.variables) == {"user_name", "reset_url", "expiry_time"}
    assert mail.variables["user_name"] == "Fay Getful" and "/reset-password/" in mail.variables["reset_url"]


def test_reset_sets_the_password_once_and_mails_a_confirmation(client, user, session):
    client.post("/auth/forgot_password", json={"email": user[1]})
    token = _reset_token(session, user[1])
    response = client.post("/auth/reset_password", json={"token": token, "new_password": NEW})
    assert response.status_code == 200
    assert login(client, user[1], NEW).status_code == 200 and login(client, user[1]).status_code == 401
    reused = client.post("/auth/reset_password", json={"token": token, "new_password": "An0ther-pass!"})
    assert reused.status_code == 422 and reused.json["errors"][0]["field"] == "token"
    confirmation = last_mail(session, user[1], RESET_SUCCESS)
    assert set(confirmation.variables) == {"user_name", "change_date", "ip_address", "support_email"}


def test_a_newer_reset_link_replaces_the_older_one(client, user, session):
    client.post("/auth/forgot_password", json={"email": user[1]})
    first = _reset_token(session, user[1])
    client.post("/auth/forgot_password", json={"email": user[1]})
    assert client.post("/auth/reset_password", json={"token": first, "new_password": NEW}).status_code == 422


def test_reset_tokens_expire_after_an_hour(client, user, session):
    client.post("/auth/forgot_password", json={"email": user[1]})
    token = _reset_token(session, user[1])
    session.execute(update(UserToken).values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)))
    session.commit()
    assert client.post("/auth/reset_password", json={"token": token, "new_password": NEW}).status_code == 422


def test_reset_enforces_the_policy_without_spending_the_token(client, user, session):
    client.post("/auth/forgot_password", json={"email": user[1]})
    token = _reset_token(session, user[1])
    weak = client.post("/auth/reset_password", json={"token": token, "new_password": "weakpassword"})
    assert weak.status_code == 422 and weak.json["errors"][0]["field"] == "new_password"
    assert client.post("/auth/reset_password", json={"token": token, "new_password": NEW}).status_code == 200


def test_reset_unlocks_a_locked_account(client, user, session):
    for _ in range(5):
        login(client, user[1], "Wrong-passw0rd!")
    assert login(client, user[1]).status_code == 423
    client.post("/auth/forgot_password", json={"email": user[1]})
    client.post("/auth/reset_password", json={"token": _reset_token(session, user[1]), "new_password": NEW})
    assert login(client, user[1], NEW).status_code == 200


def test_change_password_checks_the_current_one_and_ends_other_sessions(client, user, session):
    other_session = bearer(login(client, user[1]).json["token"])
    this_session = bearer(login(client, user[1]).json["token"])
    wrong = client.post("/auth/change_password", headers=this_session,
                        json={"current_password": "Wrong-passw0rd!", "new_password": NEW})
    assert wrong.status_code == 422 and wrong.json["code"] == "invalid_current_password"
    same = client.post("/auth/change_password", headers=this_session,
                       json={"current_password": PASSWORD, "new_password": PASSWORD})
    assert same.status_code == 422
    changed = client.post("/auth/change_password", headers=this_session,
                          json={"current_password": PASSWORD, "new_password": NEW})
    assert changed.status_code == 200
    assert client.get("/crm/auth/me", headers=this_session).status_code == 200
    assert client.get("/crm/auth/me", headers=other_session).status_code == 401
    mail = last_mail(session, user[1], CHANGED)
    assert set(mail.variables) == {"user_name", "change_date", "changed_by", "support_email"}
