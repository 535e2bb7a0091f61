"""Products: the seed's paths and fields, D4 parsing, validation, clone, delete rules, self-care view."""

import pytest
from sqlalchemy import text

from omnicrm.app import app_state
from omnicrm.core import facts
from tests.conftest import count_rows
from tests.support.catalogue import NUMBER_TEMPLATE, SIM_TEMPLATE, ok, plays, product  # noqa: F401
from tests.support.factories import make_customers_with_ids

pytestmark = pytest.mark.usefixtures("plays")


@pytest.fixture
def admin(identities):
    return identities.admin()


@pytest.fixture
def templates(client, admin):
    for template in (SIM_TEMPLATE, NUMBER_TEMPLATE):
        ok(client.put("/crm/inventory/item_template", json=template, headers=admin))


def test_create_accepts_the_seeds_forms_and_returns_every_field(client, admin, templates):
    body = {"category": "addon", "provisioning_play": "play_topup_charge_then_action", "relies_on_list": "",
            "contract_days": 30, "retail_cost": 59.00, "retail_setup_cost": 0, "product_slug": "au-premium-plan-1",
            "product_name": "AU Premium", "comment": "100GB", "provisioning_json_vars": "", "terms": "30 days",
            "service_type": "mobile", "residential": True, "business": "False", "enabled": "true",
            "icon": "fa-solid fa-mobile", "features_list": "['100GB data', '3000 minutes', ' ']",
            "inventory_items_list": "['sim card']", "wholesale_cost": "45.00", "wholesale_setup_cost": 0,
            "auto_renew": "True", "customer_can_purchase": True, "tax_percentage": "12.5",
            "available_from": "2025-01-01 00:00:00"}
    created = ok(client.put("/crm/product", json=body, headers=admin))
    assert created["product_id"] > 0
    assert created["features_list"] == ["100GB data", "3000 minutes"]
    assert created["inventory_items_list"] == ["SIM Card"]  # the template's own spelling
    assert created["relies_on_list"] == []
    assert created["auto_renew"] == "true" and created["business"] is False and created["enabled"] is True
    assert created["provisioning_json_vars"] == "{}"
    assert created["available_from"] == "2025-01-01T00:00:00Z" and created["available_until"] is None
    raw = client.get(f"/crm/product/product_id/{created['product_id']}", headers=admin).get_data(as_text=True)
    assert '"retail_cost": 59.00' in raw and '"tax_percentage": 12.5' in raw
    expected = {"product_id", "product_name", "product_slug", "category", "service_type", "comment", "icon",
                "retail_cost", "wholesale_cost", "retail_setup_cost", "wholesale_setup_cost", "tax_percentage",
                "enabled", "residential", "business", "customer_can_purchase", "available_from", "available_until",
                "contract_days", "auto_renew", "allow_auto_renew", "terms", "features_list", "inventory_items_list",
                "relies_on_list", "provisioning_play", "provisioning_json_vars", "created", "last_modified"}
    assert set(created) == expected


@pytest.mark.parametrize("path", ["/crm/product", "/crm/product/"])
@pytest.mark.parametrize("method", ["put", "post"])
def test_create_is_served_on_every_seed_spelling(client, admin, path, method):
    response = getattr(client, method)(path, json=product(f"p-{method}"), headers=admin)
    assert response.status_code == 200
    assert response.json["product_slug"] == f"p-{method}"


def test_list_is_a_bare_array_hiding_disabled_products_unless_asked(client, admin):
    ok(client.put("/crm/product", json=product("on"), headers=admin))
    ok(client.put("/crm/product", json=product("off", enabled=False), headers=admin))
    for path in ("/crm/product", "/crm/product/"):
        listed = ok(client.get(path, headers=admin))
        assert isinstance(listed, list)
        assert [p["product_slug"] for p in listed] == ["on"]
    everything = ok(client.get("/crm/product/?include_disabled=true", headers=admin))
    assert [p["product_slug"] for p in everything] == ["on", "off"]


def test_paginated_list_pages_filters_and_searches(client, admin):
    for n in range(5):
        ok(client.put("/crm/product", json=product(f"plan-{n}", category="bundle" if n % 2 else "standalone"),
                      headers=admin))
    ok(client.put("/crm/product", json=product("hidden", enabled=False), headers=admin))
    page = ok(client.get("/crm/product/paginated?per_page=2&page=2&sort=product_slug&order=desc", headers=admin))
    assert page["pagination"] == {"current_page": 2, "per_page": 2, "total_pages": 3, "total_items": 5}
    assert [p["product_slug"] for p in page["data"]] == ["plan-2", "plan-1"]
    bundles = ok(client.get('/crm/product/paginated?filters={"category":["bundle"]}', headers=admin))
    assert {p["product_slug"] for p in bundles["data"]} == {"plan-1", "plan-3"}
    found = ok(client.get("/crm/product/paginated?search=HIDD&include_disabled=true", headers=admin))
    assert [p["product_slug"] for p in found["data"]] == ["hidden"]


def test_read_by_id_and_slug_and_404(client, admin):
    created = ok(client.put("/crm/product", json=product("Mobile-SIM"), headers=admin))
    assert ok(client.get("/crm/product/slug/mobile-sim", headers=admin))["product_id"] == created["product_id"]
    missing = client.get("/crm/product/product_id/999999", headers=admin)
    assert missing.status_code == 404 and missing.json["code"] == "product_not_found"
    assert client.get("/crm/product/slug/nope", headers=admin).status_code == 404


@pytest.mark.parametrize("path", ["/crm/product/product_id/{id}", "/crm/product/{id}"])
def test_patch_changes_only_the_fields_sent(client, admin, path):
    created = ok(client.put("/crm/product", json=product("patchme", comment="before", retail_cost=10), headers=admin))
    changed = ok(client.patch(path.format(id=created["product_id"]), json={"retail_cost": "12.50"}, headers=admin))
    assert changed["retail_cost"] == 12.5 and changed["comment"] == "before"
    # the seed's upsert script sends the whole product including its own id
    again = ok(client.patch(path.format(id=created["product_id"]),
                            json={**product("patchme"), "product_id": created["product_id"]}, headers=admin))
    assert again["product_slug"] == "patchme"
    wrong = client.patch(path.format(id=created["product_id"]), json={"product_id": 1 + created["product_id"]},
                         headers=admin)
    assert wrong.status_code == 422 and wrong.json["errors"][0]["field"] == "product_id"


@pytest.mark.parametrize(("changes", "field"), [
    ({"provisioning_json_vars": "{\"iccid\" : \"\", \"msisdn\" : \"\", \"\"}"}, "provisioning_json_vars"),
    ({"provisioning_json_vars": "[1, 2]"}, "provisioning_json_vars"),
    ({"provisioning_play": "play_does_not_exist"}, "provisioning_play"),
    ({"provisioning_play": "../../etc/passwd"}, "provisioning_play"),
    ({"contract_days": 366}, "contract_days"),
    ({"contract_days": -1}, "contract_days"),
    ({"category": "subscription"}, "category"),
    ({"service_type": "satellite"}, "service_type"),
    ({"auto_renew": "maybe"}, "auto_renew"),
    ({"product_slug": "has space"}, "product_slug"),
    ({"product_slug": "slash/y"}, "product_slug"),
    ({"available_from": "2025-02-01", "available_until": "2025-01-01"}, "available_until"),
    ({"relies_on_list": ["no-such-product"]}, "relies_on_list"),
    ({"inventory_items_list": ["Unobtainium"]}, "inventory_items_list"),
    ({"tax_percentage": 101}, "tax_percentage"),
    ({"retail_cost": -1}, "retail_cost"),
    ({"retail_cost": "ten"}, "retail_cost"),
    ({"enabled": "sometimes"}, "enabled"),
    ({"colour": "red"}, "colour"),
])
def test_bad_input_is_422_naming_the_field_and_writes_nothing(client, admin, session, changes, field):
    before = count_rows(session, "product")
    response = client.put("/crm/product", json={**product("bad"), **changes}, headers=admin)
    assert response.status_code == 422, response.json
    assert field in {error["field"] for error in response.json["errors"]}
    assert count_rows(session, "product") == before


def test_bad_patch_changes_nothing(client, admin):
    created = ok(client.put("/crm/product", json=product("stable", contract_days=30), headers=admin))
    response = client.patch(f"/crm/product/{created['product_id']}",
                            json={"contract_days": 90, "provisioning_play": "missing"}, headers=admin)
    assert response.status_code == 422
    assert ok(client.get(f"/crm/product/product_id/{created['product_id']}", headers=admin))["contract_days"] == 30


def test_null_is_refused_for_required_fields(client, admin):
    created = ok(client.put("/crm/product", json=product("nn"), headers=admin))
    response = client.patch(f"/crm/product/{created['product_id']}", json={"product_name": None}, headers=admin)
    assert response.status_code == 422 and response.json["errors"][0]["field"] == "product_name"


def test_duplicate_slug_is_409_case_insensitively(client, admin):
    ok(client.put("/crm/product", json=product("Mobile-SIM"), headers=admin))
    clash = client.put("/crm/product", json=product("mobile-sim"), headers=admin)
    assert clash.status_code == 409 and clash.json["code"] == "duplicate_product_slug"
    other = ok(client.put("/crm/product", json=product("other"), headers=admin))
    renamed = client.patch(f"/crm/product/{other['product_id']}", json={"product_slug": "MOBILE-SIM"}, headers=admin)
    assert renamed.status_code == 409


def test_clone_suffixes_name_and_slug_and_disables_the_copy(client, admin):
    original = ok(client.put("/crm/product", json=product("base", features_list=["a"]), headers=admin))
    clone = ok(client.post(f"/crm/product/product_id/{original['product_id']}/clone", headers=admin))
    assert clone["product_slug"] == "base_clone" and clone["product_name"] == "Product base_clone"
    assert clone["enabled"] is False and clone["features_list"] == ["a"]
    assert clone["product_id"] != original["product_id"]
    second = ok(client.post(f"/crm/product/product_id/{original['product_id']}/clone", headers=admin))
    assert second["product_slug"] == "base_clone2"
    assert client.post("/crm/product/product_id/999999/clone", headers=admin).status_code == 404


def test_relies_on_accepts_ids_and_slugs_and_protects_prerequisites(client, admin):
    base = ok(client.put("/crm/product", json=product("base-plan"), headers=admin))
    addon = ok(client.put("/crm/product", json=product(
        "boost", category="addon", relies_on_list=f"['base-plan', '{base['product_id']}']"), headers=admin))
    assert addon["relies_on_list"] == ["base-plan", str(base["product_id"])]
    deleting = client.delete(f"/crm/product/product_id/{base['product_id']}", headers=admin)
    assert deleting.status_code == 409 and deleting.json["code"] == "product_relied_on"
    reslug = client.patch(f"/crm/product/{base['product_id']}", json={"product_slug": "base-2"}, headers=admin)
    assert reslug.status_code == 409
    itself = client.patch(f"/crm/product/{addon['product_id']}", json={"relies_on_list": ["boost"]}, headers=admin)
    assert itself.status_code == 422


def test_delete_removes_and_refuses_products_with_services(app, client, admin):
    created = ok(client.put("/crm/product", json=product("gone"), headers=admin))
    in_use = ok(client.put("/crm/product", json=product("used"), headers=admin))
    facts.provide(app, facts.PRODUCT_SERVICE_COUNT,
                  lambda session, product_id: 2 if product_id == in_use["product_id"] else 0)
    refused = client.delete(f"/crm/product/product_id/{in_use['product_id']}", headers=admin)
    assert refused.status_code == 409 and refused.json["code"] == "product_in_use"
    ok(client.delete(f"/crm/product/product_id/{created['product_id']}", headers=admin))
    assert client.get(f"/crm/product/product_id/{created['product_id']}", headers=admin).status_code == 404


def test_changes_are_audited(client, admin, session):
    created = ok(client.put("/crm/product", json=product("audited", retail_cost=1), headers=admin))
    ok(client.patch(f"/crm/product/{created['product_id']}", json={"retail_cost": 2}, headers=admin))
    rows = session.execute(text("SELECT action, changes FROM audit_log WHERE entity = 'product' AND entity_id = :id "
                                "ORDER BY audit_id"), {"id": str(created["product_id"])}).all()
    assert [row.action for row in rows] == ["create", "update"]
    assert "retail_cost" in str(rows[1].changes)


def test_customers_see_only_what_they_can_buy_and_no_wholesale_or_provisioning(client, admin, identities, session):
    make_customers_with_ids(session, 77)
    ok(client.put("/crm/product", json=product("shop", wholesale_cost=3), headers=admin))
    staff_only = ok(client.put("/crm/product", json=product("staff-only", customer_can_purchase=False),
                               headers=admin))
    ok(client.put("/crm/product", json=product("later", available_from="2999-01-01"), headers=admin))
    customer = identities.headers("view_product", customer_id=77)
    listed = ok(client.get("/crm/product/?include_disabled=true", headers=customer))
    assert [p["product_slug"] for p in listed] == ["shop"]
    assert "wholesale_cost" not in listed[0] and "provisioning_play" not in listed[0]
    page = ok(client.get("/crm/product/paginated", headers=customer))
    assert [p["product_slug"] for p in page["data"]] == ["shop"]
    assert client.get(f"/crm/product/product_id/{staff_only['product_id']}", headers=customer).status_code == 404
    assert client.put("/crm/product", json=product("x"), headers=customer).status_code == 403


def test_the_editor_lists_the_playbooks_and_service_types_a_product_may_name(app, client, admin):
    directory = app_state(app).settings.resolve_path(app_state(app).settings.provisioning.plays_directory)
    (directory / "play_broken.yaml").write_text("- name: [unclosed\n")
    (directory / "included_tasks.yaml").write_text("- debug: msg=not a play\n")
    (directory / "play_other.yml").write_text("- name: only .yml, which a product cannot name\n")
    listed = ok(client.get("/crm/product/plays", headers=admin))["data"]
    assert [play["name"] for play in listed] == ["play_broken", "play_local_data_addon", "play_psim_only",
                                                 "play_simple_service", "play_topup_charge_then_action"]
    assert listed[2] == {"name": "play_psim_only", "description": "play_psim_only"}
    assert listed[0]["description"] == "play_broken"
    every_listed_play_is_accepted = [client.put("/crm/product", json=product(f"p{n}", provisioning_play=play["name"]),
                                                headers=admin).status_code for n, play in enumerate(listed)]
    assert every_listed_play_is_accepted == [200] * len(listed)
    assert ok(client.get("/crm/product/service_types", headers=admin))["data"][:3] == ["omnicharge", "mobile", "fixed"]


def test_playbooks_are_staff_only_and_need_view_product(client, identities, session):
    make_customers_with_ids(session, 78)
    customer = identities.headers("view_product", customer_id=78)
    assert client.get("/crm/product/plays", headers=customer).status_code == 403
    no_permission = identities.headers("view_customer")
    assert client.get("/crm/product/plays", headers=no_permission).status_code == 403
    assert client.get("/crm/product/service_types", headers=no_permission).status_code == 403
    assert client.get("/crm/product/plays", headers=identities.headers("view_product")).status_code == 200
