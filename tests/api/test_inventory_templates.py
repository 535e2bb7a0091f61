"""Inventory templates: bare array vs page, the 20 labels, costs, dropdown flags, and what protects them."""

import pytest

from tests.support.catalogue import NUMBER_TEMPLATE, SIM_TEMPLATE, ok, plays, product, sim  # noqa: F401


@pytest.fixture
def admin(identities):
    return identities.admin()


def test_create_with_all_twenty_labels_and_read_back(client, admin):
    labels = {f"itemtext{n}_label": f"Field {n}" for n in range(1, 21)}
    created = ok(client.post("/crm/inventory/item_template/", json={"item": "Router", **labels,
                                                                      "wholesale_cost": "99.95"}, headers=admin))
    assert created["itemtext20_label"] == "Field 20" and created["wholesale_cost"] == 99.95
    assert created["allow_dropdown_staff"] is True and created["allow_dropdown_customer"] is False
    one = ok(client.get(f"/crm/inventory/item_template/{created['inventory_template_id']}", headers=admin))
    assert one == created


def test_list_is_a_bare_array_and_page_gives_the_paginated_form(client, admin):
    for template in (SIM_TEMPLATE, NUMBER_TEMPLATE):
        ok(client.put("/crm/inventory/item_template", json=template, headers=admin))
    bare = ok(client.get("/crm/inventory/item_template", headers=admin))
    assert [t["item"] for t in bare] == ["SIM Card", "Mobile Number"]
    page = ok(client.get("/crm/inventory/item_template/?page=1&per_page=1&search=mobile", headers=admin))
    assert page["pagination"]["total_items"] == 1 and page["data"][0]["item"] == "Mobile Number"


@pytest.mark.parametrize(("body", "field", "status"), [
    ({"item": ""}, "item", 422),
    ({"item": "X", "wholesale_cost": -1}, "wholesale_cost", 422),
    ({"item": "X", "itemtext1_label": "x" * 101}, "itemtext1_label", 422),
    ({"item": "X", "itemtext1_label": "ICCID", "itemtext2_label": "iccid"}, "itemtext2_label", 422),
    ({"item": "sim card"}, "item", 409),
])
def test_bad_templates(client, admin, body, field, status):
    ok(client.put("/crm/inventory/item_template", json=SIM_TEMPLATE, headers=admin))
    response = client.put("/crm/inventory/item_template", json=body, headers=admin)
    assert response.status_code == status
    assert field in {e["field"] for e in response.json.get("errors", [])}


def test_patch_changes_sent_fields_and_refuses_a_foreign_id(client, admin):
    created = ok(client.put("/crm/inventory/item_template", json=SIM_TEMPLATE, headers=admin))
    path = f"/crm/inventory/item_template/{created['inventory_template_id']}"
    changed = ok(client.patch(path, json={"retail_cost": 12, "icon": None}, headers=admin))
    assert changed["retail_cost"] == 12 and changed["icon"] is None and changed["itemtext1_label"] == "ICCID"
    assert client.patch(path, json={"inventory_template_id": 999}, headers=admin).status_code == 422
    assert client.patch("/crm/inventory/item_template/999999", json={}, headers=admin).status_code == 404


@pytest.mark.usefixtures("plays")
def test_delete_refuses_templates_with_items_or_products(client, admin):
    sim_template = ok(client.put("/crm/inventory/item_template", json=SIM_TEMPLATE, headers=admin))
    number = ok(client.put("/crm/inventory/item_template", json=NUMBER_TEMPLATE, headers=admin))
    spare = ok(client.put("/crm/inventory/item_template", json={"item": "Spare"}, headers=admin))
    ok(client.put("/crm/inventory/", json=sim(1), headers=admin))
    ok(client.put("/crm/product", json=product("p", inventory_items_list=["Mobile Number"]), headers=admin))

    with_items = client.delete(f"/crm/inventory/item_template/{sim_template['inventory_template_id']}", headers=admin)
    assert with_items.status_code == 409 and with_items.json["code"] == "inventory_template_in_use"
    used = client.delete(f"/crm/inventory/item_template/{number['inventory_template_id']}", headers=admin)
    assert used.status_code == 409 and used.json["product_ids"]
    renamed = client.patch(f"/crm/inventory/item_template/{number['inventory_template_id']}",
                           json={"item": "Phone Number"}, headers=admin)
    assert renamed.status_code == 409
    ok(client.delete(f"/crm/inventory/item_template/{spare['inventory_template_id']}", headers=admin))
    assert [t["item"] for t in ok(client.get("/crm/inventory/item_template", headers=admin))] == [
        "SIM Card", "Mobile Number"]


def test_secret_and_identifier_labels_cannot_move_while_items_exist(client, admin):
    created = ok(client.put("/crm/inventory/item_template", json=SIM_TEMPLATE, headers=admin))
    path = f"/crm/inventory/item_template/{created['inventory_template_id']}"
    ok(client.put("/crm/inventory/", json=sim(1), headers=admin))
    moved = client.patch(path, json={"itemtext3_label": "Notes"}, headers=admin)
    assert moved.status_code == 409
    ok(client.patch(path, json={"itemtext5_label": "Batch"}, headers=admin))
