"""User management: create (roles, temporary password, welcome mail), list/search, update, soft delete."""

import pytest

from omnicrm.auth import users
from omnicrm.auth.models import User
from omnicrm.core.auth import SYSTEM
from omnicrm.core.errors import Conflict
from tests.support.factories import make_contact, make_customer
from tests.support.identity import PASSWORD, bearer, last_mail, login, outbox

WELCOME = "api_crmCommunicationUserWelcome"
VERIFY = "api_crmCommunicationEmailVerification"


def _create(client, headers, **fields):
    body = {"username": "john.smith", "email": "john@example.com", "first_name": "John", "last_name": "Smith",
            "role": "Support", **fields}
    return client.post("/auth/users", json=body, headers=headers)


def test_create_with_comma_separated_roles_and_a_temporary_password(client, admin_headers, session):
    response = _create(client, admin_headers, role="Support,Finance")
    assert response.status_code == 201
    body = response.json
    assert body["roles"] == ["Finance", "Support"] and body["force_password_change"] is True
    assert body["temp_password"] and body["deleted"] is False and body["created"].endswith("Z")
    mail = last_mail(session, "john@example.com", WELCOME)
    assert mail.status == "queued"
    assert set(mail.variables) == {"user_name", "email", "role", "login_url", "temp_password", "support_email"}
    assert mail.variables["temp_password"] == body["temp_password"]
    assert mail.variables["user_name"] == "John Smith"
    assert login(client, "john@example.com", body["temp_password"]).json["force_change"] is True


def test_create_with_a_password_and_a_role_list(client, admin_headers, session):
    response = _create(client, admin_headers, role=["Finance"], password="Chosen-passw0rd!")
    assert response.status_code == 201
    assert response.json["temp_password"] is None and response.json["force_password_change"] is False
    assert last_mail(session, "john@example.com", WELCOME).variables["temp_password"] == ""
    assert login(client, "john@example.com", "Chosen-passw0rd!").status_code == 200


def test_customer_users_get_the_customer_role_and_land_on_self_care(client, admin_headers, session):
    customer_id = make_customer(session)
    contact_id = make_contact(session, customer_id)
    response = _create(client, admin_headers, role=None, customer_id=customer_id, contact_id=contact_id,
                       password=PASSWORD)
    assert response.json["roles"] == ["Customer"] and response.json["customer_id"] == customer_id
    assert login(client, "john@example.com").json["landing"] == "/self-care"


def test_a_customer_user_must_name_an_existing_customer_and_one_of_its_contacts(client, admin_headers, session):
    customer_id = make_customer(session)
    strangers_contact = make_contact(session, make_customer(session, "Other"), email="other@example.com")
    unknown = _create(client, admin_headers, role=None, customer_id=customer_id + 100, password=PASSWORD)
    assert unknown.status_code == 422 and unknown.json["errors"][0]["field"] == "customer_id"
    wrong = _create(client, admin_headers, role=None, customer_id=customer_id, contact_id=strangers_contact,
                    password=PASSWORD)
    assert wrong.status_code == 422 and wrong.json["code"] == "contact_not_of_customer"
    missing = _create(client, admin_headers, role=None, customer_id=customer_id, contact_id=strangers_contact + 100,
                      password=PASSWORD)
    assert missing.status_code == 422 and missing.json["errors"][0]["field"] == "contact_id"
    assert client.get("/auth/users?search=john", headers=admin_headers).json["pagination"]["total_items"] == 0


@pytest.mark.parametrize(("password", "rule"), [
    ("Sh0rt!", "at least 8 characters"), ("lower-only-1!", "an upper-case letter"),
    ("UPPER-ONLY-1!", "a lower-case letter"), ("No-digits-here!", "a digit"), ("NoSpecial123", "one of !@#$%^&*"),
])
def test_weak_passwords_are_rejected_naming_the_rule(client, admin_headers, password, rule, session):
    response = _create(client, admin_headers, password=password)
    assert response.status_code == 422 and response.json["code"] == "weak_password"
    assert response.json["errors"][0]["field"] == "password" and rule in response.json["errors"][0]["message"]
    assert outbox(session, "john@example.com") == []


def test_duplicates_conflict_and_unknown_roles_are_named(client, admin_headers):
    assert _create(client, admin_headers).status_code == 201
    same_email = _create(client, admin_headers, username="other")
    assert same_email.status_code == 409 and same_email.json["code"] == "duplicate_email"
    same_name = _create(client, admin_headers, email="other@example.com", username="JOHN.SMITH")
    assert same_name.status_code == 409 and same_name.json["code"] == "duplicate_username"
    unknown = _create(client, admin_headers, email="x@example.com", username="x", role="Support,Wizard")
    assert unknown.status_code == 422 and "wizard" in unknown.json["error"]
    invalid = _create(client, admin_headers, email="not-an-email", username="y")
    assert invalid.status_code == 422 and invalid.json["errors"][0]["field"] == "email"


def test_user_managers_cannot_hand_out_what_they_lack(client, identities):
    manager = identities.headers("manage_users", "view_customer")
    assert _create(client, manager, role="Admin").json["code"] == "privilege_escalation"
    assert _create(client, manager, role="Support").status_code == 403  # Support holds more than view_customer
    admin_id = identities.user(roles=["Admin"])
    reset = client.post(f"/auth/users/{admin_id}/admin_reset_password", headers=manager)
    assert reset.status_code == 403 and reset.json["code"] == "privilege_escalation"


def test_list_hides_deleted_users_and_search_filters(client, admin_headers, identities):
    support = identities.user(roles=["Support"], email="sara@example.com", username="sara")
    finance = identities.user(roles=["Finance"], email="fred@example.com", username="fred")
    assert client.delete(f"/auth/users/{finance}", headers=admin_headers).status_code == 200
    listed = client.get("/auth/users?per_page=100", headers=admin_headers).json
    ids = {u["id"] for u in listed["data"]}
    assert support in ids and finance not in ids and listed["pagination"]["total_items"] == len(ids)
    by_role = client.get('/auth/users/search?filters={"role":["support"]}&search=sara', headers=admin_headers).json
    assert [u["id"] for u in by_role["data"]] == [support]
    deleted = client.get('/auth/users/search?filters={"deleted":[true]}', headers=admin_headers).json
    assert [u["id"] for u in deleted["data"]] == [finance] and deleted["data"][0]["deleted"] is True


def test_soft_delete_blocks_login_and_restore_brings_it_back(client, admin_headers, identities):
    user_id = identities.user(permissions=["view_customer"], email="gone@example.com")
    session_headers = bearer(login(client, "gone@example.com").json["token"])
    deleted = client.delete(f"/auth/users/{user_id}", headers=admin_headers)
    assert deleted.status_code == 200 and deleted.json["deleted_at"]
    assert login(client, "gone@example.com").status_code == 401
    assert client.get("/crm/auth/me", headers=session_headers).status_code == 401  # sessions ended
    restored = client.put(f"/auth/users/{user_id}", json={"deleted": False}, headers=admin_headers)
    assert restored.status_code == 200 and restored.json["deleted"] is False
    assert login(client, "gone@example.com").status_code == 200


def test_you_cannot_delete_yourself(client, identities):
    admin_id = identities.user(roles=["Admin"])
    response = client.delete(f"/auth/users/{admin_id}", headers=identities.headers_for(admin_id))
    assert response.status_code == 422 and response.json["code"] == "cannot_delete_self"


def test_unknown_users_are_404(client, admin_headers):
    for method, path in [("get", "/auth/users/999999"), ("put", "/auth/users/999999"),
                         ("delete", "/auth/users/999999"), ("post", "/auth/users/999999/admin_reset_password")]:
        response = client.open(path, method=method.upper(), json={}, headers=admin_headers)
        assert response.status_code == 404 and response.json["code"] == "user_not_found", path


def test_update_fields_and_roles(client, admin_headers, identities):
    user_id = identities.user(roles=["Support"])
    updated = client.put(f"/auth/users/{user_id}", headers=admin_headers,
                         json={"first_name": "Jane", "phone_number": "+61412345678", "role": "Finance"})
    assert updated.status_code == 200
    assert updated.json["first_name"] == "Jane" and updated.json["roles"] == ["Finance"]


def test_email_change_waits_for_verification(client, admin_headers, identities, session):
    user_id = identities.user(permissions=[], email="jane@example.com")
    new = "jane.doesmith@newcompany.com"
    response = client.put(f"/auth/users/{user_id}", json={"email": new}, headers=admin_headers)
    assert response.json["email"] == "jane@example.com" and response.json["pending_email"] == new
    mail = last_mail(session, new, VERIFY)
    assert set(mail.variables) == {"user_name", "verification_url", "verification_code"}
    token = mail.variables["verification_code"]
    assert mail.variables["verification_url"].endswith(f"/verify-email/{token}")
    assert login(client, new).status_code == 401  # not yet
    assert client.post("/auth/verify_email", json={"token": token}).status_code == 200
    user = session.get(User, user_id)
    session.refresh(user)
    assert (user.email, user.pending_email, user.email_verified) == (new, None, True)
    assert client.post("/auth/verify_email", json={"token": token}).status_code == 422  # single use
    assert login(client, new).status_code == 200


def test_email_change_to_a_taken_address_conflicts(client, admin_headers, identities):
    identities.user(permissions=[], email="taken@example.com")
    user_id = identities.user(permissions=[])
    response = client.put(f"/auth/users/{user_id}", json={"email": "TAKEN@example.com"}, headers=admin_headers)
    assert response.status_code == 409


def test_welcome_resend_only_before_the_first_login(client, admin_headers, session):
    created = _create(client, admin_headers).json
    resent = client.post(f"/auth/users/{created['id']}/resend_welcome", headers=admin_headers)
    assert resent.status_code == 200
    mails = outbox(session, "john@example.com", WELCOME)
    assert len(mails) == 2 and mails[1].variables["temp_password"] != created["temp_password"]
    assert login(client, "john@example.com", mails[1].variables["temp_password"]).status_code == 200
    again = client.post(f"/auth/users/{created['id']}/resend_welcome", headers=admin_headers)
    assert again.status_code == 409 and again.json["code"] == "already_logged_in"


def test_the_last_administrator_cannot_be_deleted_or_lose_the_admin_role(client, identities, session):
    me = identities.user(roles=["Admin"], email="root@example.com", username="root")
    headers = identities.headers_for(me)
    admin_role = next(r["id"] for r in client.get("/auth/roles", headers=headers).json["data"] if r["name"] == "Admin")
    demote = client.put(f"/auth/users/{me}", json={"roles": ["Support"]}, headers=headers)
    unassign = client.delete(f"/auth/roles/{admin_role}/users/{me}", headers=headers)
    assert (demote.status_code, demote.json["code"]) == (409, "last_admin")
    assert (unassign.status_code, unassign.json["code"]) == (409, "last_admin")
    with pytest.raises(Conflict, match="last administrator"):
        users.delete_user(session, SYSTEM, me)
    assert client.get("/crm/auth/me", headers=headers).json["roles"] == ["Admin"]

    identities.user(roles=["Admin"], email="second@example.com", username="second")
    assert client.delete(f"/auth/roles/{admin_role}/users/{me}", headers=headers).status_code == 200
