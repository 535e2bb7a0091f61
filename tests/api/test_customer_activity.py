"""The customer activity log: every change to the customer and its records, from the core audit log."""

import pytest


@pytest.fixture
def headers(identities):
    return identities.headers(
        "view_customer", "create_customer", "update_customer", "create_customer_contact", "update_customer_contact",
        "delete_customer_contact", "create_customer_site", "create_customer_attribute", "create_customer_tag",
        "view_customer_activity", "create_customer_activity", username="casey.agent")


def test_activity_covers_the_customer_and_every_child_newest_first(client, headers):
    cid = client.put("/crm/customer/", json={"customer_name": "Logged"}, headers=headers).json["customer_id"]
    contact = client.put("/crm/contact/", json={"customer_id": cid, "contact_firstname": "A"}, headers=headers).json
    client.put("/crm/site/", json={"customer_id": cid, "site_name": "Depot"}, headers=headers)
    client.put("/crm/attribute/", json={"customer_id": cid, "attribute_name": "vlan_id", "attribute_value": "100"},
               headers=headers)
    client.put("/crm/tag/", json={"customer_id": cid, "tag_text": "VIP", "tag_hex_color": "FFD700"}, headers=headers)
    client.patch(f"/crm/contact/contact_id/{contact['contact_id']}", json={"contact_lastname": "B"}, headers=headers)
    client.delete(f"/crm/contact/contact_id/{contact['contact_id']}", headers=headers)

    log = client.get(f"/crm/customer/customer_id/{cid}/activity", headers=headers).json
    entries = [(e["action"], e["entity"]) for e in log["data"]]
    assert entries == [("delete", "customer_contact"), ("update", "customer_contact"), ("create", "customer_tag"),
                       ("create", "customer_attribute"), ("create", "customer_site"),
                       ("create", "customer_contact"), ("create", "customer")]
    update = log["data"][1]
    assert update["changed_fields"] == ["contact_lastname"]
    assert update["changes"]["contact_lastname"] == {"before": None, "after": "B"}
    assert update["actor"]["actor_label"] == "casey.agent" and update["actor"]["actor_type"] == "user"
    assert log["pagination"]["total_items"] == 7


def test_activity_is_paginated_and_filterable(client, headers):
    cid = client.put("/crm/customer/", json={"customer_name": "Busy"}, headers=headers).json["customer_id"]
    for index in range(4):
        client.patch(f"/crm/customer/customer_id/{cid}", json={"customer_name": f"Busy {index}"}, headers=headers)
    page = client.get(f"/crm/customer/customer_id/{cid}/activity?per_page=2&page=1", headers=headers).json
    assert page["pagination"]["total_items"] == 5 and len(page["data"]) == 2
    assert page["data"][0]["changes"]["customer_name"]["after"] == "Busy 3"
    updates = client.get(f"/crm/customer/customer_id/{cid}/activity",
                         query_string={"filters": '{"action": ["update"]}'}, headers=headers).json
    assert updates["pagination"]["total_items"] == 4


def test_manual_notes_are_recorded_with_their_author(client, headers):
    cid = client.put("/crm/customer/", json={"customer_name": "Noted"}, headers=headers).json["customer_id"]
    note = client.post(f"/crm/customer/customer_id/{cid}/activity", json={"note": "Called about the outage"},
                       headers=headers)
    assert note.status_code == 201
    assert (note.json["action"], note.json["note"], note.json["actor"]["actor_label"]) == (
        "note", "Called about the outage", "casey.agent")
    newest = client.get(f"/crm/customer/customer_id/{cid}/activity", headers=headers).json["data"][0]
    assert newest["activity_id"] == note.json["activity_id"]


@pytest.mark.parametrize("body", [{}, {"note": ""}, {"note": "x" * 4001}, {"note": "ok", "extra": 1}])
def test_bad_notes_are_422(client, headers, body):
    cid = client.put("/crm/customer/", json={"customer_name": "N"}, headers=headers).json["customer_id"]
    response = client.post(f"/crm/customer/customer_id/{cid}/activity", json=body, headers=headers)
    assert response.status_code in (400, 422)
    assert len(client.get(f"/crm/customer/customer_id/{cid}/activity", headers=headers).json["data"]) == 1


def test_activity_needs_its_permissions_and_a_known_customer(client, headers, identities):
    cid = client.put("/crm/customer/", json={"customer_name": "Private"}, headers=headers).json["customer_id"]
    viewer = identities.headers("view_customer")
    assert client.get(f"/crm/customer/customer_id/{cid}/activity", headers=viewer).status_code == 403
    reader = identities.headers("view_customer_activity")
    assert client.post(f"/crm/customer/customer_id/{cid}/activity", json={"note": "x"},
                       headers=reader).status_code == 403
    assert client.get("/crm/customer/customer_id/777777/activity", headers=headers).status_code == 404
