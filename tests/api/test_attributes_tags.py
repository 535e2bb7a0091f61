"""Customer attributes and tags, exactly as the seed's endpoints (seed-extract-1 §3, §7.5-7.6)."""

import datetime as dt

import pytest
from sqlalchemy import func, select

from omnicrm.customers.models import Attribute, Tag


@pytest.fixture
def headers(identities):
    return identities.headers("create_customer", *(f"{verb}_{subject}" for verb in ("view", "create", "update",
                                                                                      "delete")
                                                   for subject in ("customer_attribute", "customer_tag")))


@pytest.fixture
def customer_id(client, headers):
    return client.put("/crm/customer/", json={"customer_name": "Tagged Ltd"}, headers=headers).json["customer_id"]


def count(session, model):
    return session.scalar(select(func.count()).select_from(model))


# --------------------------------------------------------------------------------------------------
# Attributes


def test_attribute_lifecycle_as_in_the_seed(client, headers, customer_id):
    made = client.put("/crm/attribute/", json={"customer_id": customer_id, "attribute_name": "external_crm_id",
                                               "attribute_value": "SF-12345"}, headers=headers)
    assert made.status_code == 200
    body = made.json
    assert set(body) == {"attribute_id", "customer_id", "attribute_name", "attribute_value", "created",
                         "last_modified"}
    aid = body["attribute_id"]
    patched = client.patch(f"/crm/attribute/attribute_id/{aid}", json={"attribute_value": "SF-54321"}, headers=headers)
    assert patched.json["attribute_value"] == "SF-54321"
    assert client.get(f"/crm/attribute/attribute_id/{aid}", headers=headers).json["attribute_value"] == "SF-54321"
    listed = client.get(f"/crm/attribute/customer_id/{customer_id}", headers=headers).json
    assert [a["attribute_name"] for a in listed] == ["external_crm_id"]
    assert client.delete(f"/crm/attribute/attribute_id/{aid}", headers=headers).status_code == 200
    assert client.get(f"/crm/attribute/attribute_id/{aid}", headers=headers).status_code == 404


def test_post_also_creates_and_scalar_values_become_strings(client, headers, customer_id):
    flag = client.post("/crm/attribute/", json={"customer_id": customer_id, "attribute_name": "auto_provision",
                                                "attribute_value": True}, headers=headers)
    limit = client.post("/crm/attribute/", json={"customer_id": customer_id, "attribute_name": "credit_limit",
                                                 "attribute_value": 10000}, headers=headers)
    assert (flag.json["attribute_value"], limit.json["attribute_value"]) == ("true", "10000")


def test_duplicate_name_per_customer_is_409(client, headers, customer_id, session):
    body = {"customer_id": customer_id, "attribute_name": "billing_cycle", "attribute_value": "monthly"}
    assert client.put("/crm/attribute/", json=body, headers=headers).status_code == 200
    duplicate = client.put("/crm/attribute/", json=body, headers=headers)
    assert duplicate.status_code == 409 and duplicate.json["code"] == "duplicate_attribute"
    other = client.put("/crm/attribute/", json={**body, "attribute_name": "vlan_id"}, headers=headers).json
    renamed = client.patch(f"/crm/attribute/attribute_id/{other['attribute_id']}",
                           json={"attribute_name": "billing_cycle"}, headers=headers)
    assert renamed.status_code == 409
    assert count(session, Attribute) == 2


def test_same_name_on_another_customer_is_fine(client, headers, customer_id):
    second = client.put("/crm/customer/", json={"customer_name": "Second"}, headers=headers).json["customer_id"]
    for cid in (customer_id, second):
        response = client.put("/crm/attribute/", json={"customer_id": cid, "attribute_name": "support_tier",
                                                       "attribute_value": "premium"}, headers=headers)
        assert response.status_code == 200


@pytest.mark.parametrize(("name", "value", "field"), [
    ("External System Id", "x", "attribute_name"),
    ("1st_value", "x", "attribute_name"),
    ("a" * 151, "x", "attribute_name"),
    ("notes", "é" * 2049, "attribute_value"),  # 4098 bytes in UTF-8
    ("notes", "x" * 4097, "attribute_value"),
])
def test_bad_attributes_are_422(client, headers, customer_id, session, name, value, field):
    response = client.put("/crm/attribute/", json={"customer_id": customer_id, "attribute_name": name,
                                                   "attribute_value": value}, headers=headers)
    assert response.status_code == 422
    assert response.json["errors"][0]["field"] == field
    assert count(session, Attribute) == 0


def test_value_of_exactly_4kb_is_accepted(client, headers, customer_id):
    response = client.put("/crm/attribute/", json={"customer_id": customer_id, "attribute_name": "blob",
                                                   "attribute_value": "x" * 4096}, headers=headers)
    assert response.status_code == 200


def test_attributes_of_unknown_customer_are_404(client, headers):
    assert client.get("/crm/attribute/customer_id/424242", headers=headers).status_code == 404
    response = client.put("/crm/attribute/", json={"customer_id": 424242, "attribute_name": "a",
                                                   "attribute_value": "b"}, headers=headers)
    assert response.status_code == 404


# --------------------------------------------------------------------------------------------------
# Tags

VIP = {"tag_text": "VIP Customer", "tag_hex_color": "ffd700", "tag_link": "https://example.com/vip",
       "tag_active_date": "2025-01-01 00:00:00", "tag_deactivate_date": "2099-12-31 23:59:59"}


def test_tag_create_as_in_the_seed(client, headers, customer_id):
    response = client.put("/crm/tag/", json={**VIP, "customer_id": customer_id}, headers=headers)
    assert response.status_code == 200, response.json
    tag = response.json
    assert tag["tag_hex_color"] == "FFD700"
    assert (tag["tag_active_date"], tag["tag_deactivate_date"]) == ("2025-01-01T00:00:00Z", "2099-12-31T23:59:59Z")
    assert tag["tag_active"] is True


def test_tag_defaults_active_now_until_2099(client, headers, customer_id):
    tag = client.put("/crm/tag/", json={"customer_id": customer_id, "tag_text": "New", "tag_hex_color": "00FF00"},
                     headers=headers).json
    assert tag["tag_deactivate_date"] == "2099-01-01T00:00:00Z"
    assert tag["tag_active"] is True and tag["tag_link"] is None


@pytest.mark.parametrize(("fields", "field"), [
    ({"tag_hex_color": "#FFD700"}, "tag_hex_color"),
    ({"tag_hex_color": "FFD70"}, "tag_hex_color"),
    ({"tag_hex_color": "GGGGGG"}, "tag_hex_color"),
    ({"tag_text": ""}, "tag_text"),
    ({"tag_link": "javascript:alert(1)"}, "tag_link"),
    ({"tag_active_date": "2025-02-01", "tag_deactivate_date": "2025-01-01"}, "body"),
    ({"tag_active_date": "yesterday"}, "tag_active_date"),
])
def test_bad_tags_are_422(client, headers, customer_id, session, fields, field):
    response = client.put("/crm/tag/", json={**VIP, "customer_id": customer_id, **fields}, headers=headers)
    assert response.status_code == 422
    assert field in {e["field"] for e in response.json["errors"]}
    assert count(session, Tag) == 0


def test_customer_tags_show_only_active_ones_unless_asked(client, headers, customer_id):
    now = dt.datetime.now(dt.UTC)
    future = (now + dt.timedelta(days=3)).strftime("%Y-%m-%d %H:%M:%S")
    past_end = (now - dt.timedelta(days=1)).strftime("%Y-%m-%d %H:%M:%S")
    for text, extra in (("Current", {}), ("Upcoming", {"tag_active_date": future}),
                        ("Expired", {"tag_active_date": "2020-01-01", "tag_deactivate_date": past_end})):
        assert client.put("/crm/tag/", json={"customer_id": customer_id, "tag_text": text, "tag_hex_color": "123ABC",
                                             **extra}, headers=headers).status_code == 200
    active = client.get(f"/crm/tag/customer_id/{customer_id}", headers=headers).json
    assert [t["tag_text"] for t in active] == ["Current"]
    everything = client.get(f"/crm/tag/customer_id/{customer_id}?include_inactive=true", headers=headers).json
    assert [t["tag_text"] for t in everything] == ["Current", "Upcoming", "Expired"]
    assert [t["tag_active"] for t in everything] == [True, False, False]


def test_tag_patch_and_delete(client, headers, customer_id):
    tid = client.put("/crm/tag/", json={**VIP, "customer_id": customer_id}, headers=headers).json["tag_id"]
    patched = client.patch(f"/crm/tag/tag_id/{tid}", json={"tag_text": "Gold", "tag_hex_color": "c0c0c0"},
                           headers=headers).json
    assert (patched["tag_text"], patched["tag_hex_color"], patched["tag_link"]) == ("Gold", "C0C0C0",
                                                                                   "https://example.com/vip")
    reversed_dates = client.patch(f"/crm/tag/tag_id/{tid}", json={"tag_deactivate_date": "2000-01-01"},
                                  headers=headers)
    assert reversed_dates.status_code == 422
    assert client.get(f"/crm/tag/tag_id/{tid}", headers=headers).json["tag_text"] == "Gold"
    assert client.delete(f"/crm/tag/tag_id/{tid}", headers=headers).status_code == 200
    assert client.delete(f"/crm/tag/tag_id/{tid}", headers=headers).status_code == 404


def test_tag_permissions_are_enforced(client, identities, customer_id):
    viewer = identities.headers("view_customer_tag")
    response = client.put("/crm/tag/", json={**VIP, "customer_id": customer_id}, headers=viewer)
    assert response.status_code == 403
