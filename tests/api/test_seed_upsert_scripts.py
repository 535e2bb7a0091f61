"""The seed's own upsert scripts (seed-extract-4 §11.7-11.8, seed.txt L15720-16020) run unchanged against the API.

The script logic below is re-typed from the seed (names, URLs, asserts and the way it reads the responses are
the seed's); it talks HTTP with `requests` to a live server thread serving the test application.
"""

import threading

import pytest
import requests
from werkzeug.serving import make_server

from tests.support.catalogue import plays  # noqa: F401

pytestmark = pytest.mark.usefixtures("plays")


@pytest.fixture
def crm_url(app):
    server = make_server("127.0.0.1", 0, app, threaded=False)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


def seed_inventory_templates():
    inventory_list_new = []
    inventory_list_new.append({
        "item": "SIM Card",
        "itemtext1_label": "ICCID",
        "itemtext2_label": "IMSI",
        "wholesale_cost": 0.2,
        "retail_cost": 1,
        "allow_dropdown_staff": True,
        "allow_dropdown_customer": True,
        "icon": "fa-solid fa-sim-card",
    })
    inventory_list_new.append({
        "item": "Mobile Number",
        "itemtext1_label": "E.164 Mobile Number",
        "itemtext2_label": "Type",
        "wholesale_cost": 0.2,
        "retail_cost": 3,
        "icon": "fa-solid fa-phone",
    })
    return inventory_list_new


def upsert_inventory_templates(session, crm_url, headers, inventory_list_new):
    for inventory_template in inventory_list_new:
        inventory_list_existing = session.get(crm_url + "/crm/inventory/item_template/", headers=headers)
        if inventory_template["item"] in [x["item"] for x in inventory_list_existing.json()]:
            inventory_template_id = [  # noqa: RUF015 (the seed's own form)
                x["inventory_template_id"]
                for x in inventory_list_existing.json()
                if x["item"] == inventory_template["item"]
            ][0]
            response = session.patch(
                crm_url + "/crm/inventory/item_template/" + str(inventory_template_id),
                json=inventory_template,
                headers=headers,
            )
            assert response.status_code == 200
        else:
            response = session.put(crm_url + "/crm/inventory/item_template", json=inventory_template,
                                   headers=headers)
            assert response.status_code == 200


def seed_products():
    product_list_new = []
    product_list_new.append({
        "category": "standalone",
        "provisioning_play": "play_psim_only",
        "relies_on_list": "",
        "contract_days": 0,
        "retail_cost": 0,
        "retail_setup_cost": 0,
        "product_slug": "Mobile-SIM",
        "product_name": "Mobile SIM",
        "comment": "Pay as you go SIM",
        "provisioning_json_vars": "{\"iccid\" : \"\", \"msisdn\" : \"\"}",
        "terms": "Must be activated within 6 months. All credit lost if not used for 12 months.",
        "service_type": "mobile",
        "residential": True,
        "business": True,
        "enabled": True,
        "inventory_items_list": ["SIM Card", "Mobile Number"],
        "icon": "fa-solid fa-sim-card",
        "features_list": ["Australian Phone Number (61xxx)", "No lock-in", "Keep your number"],
        "wholesale_cost": 3,
        "wholesale_setup_cost": 1,
        "customer_can_purchase": True,
    })
    product_list_new.append({
        "category": "addon",
        "provisioning_play": "play_topup_charge_then_action",
        "relies_on_list": "",
        "contract_days": 30,
        "retail_cost": 59.00,
        "retail_setup_cost": 0,
        "product_slug": "au-premium-plan-1",  # CGRateS Action_au-premium-plan-1
        "product_name": "AU Premium Plan 1",
        "comment": "100GB data, 3000 minutes, 3000 SMS, 6GB roaming",
        "provisioning_json_vars": "",
        "terms": "30 days",
        "service_type": "mobile",
        "residential": True,
        "business": True,
        "enabled": True,
        "icon": "fa-solid fa-mobile",
        "features_list": "['100GB data', '3000 minutes', '3000 SMS', '6GB roaming']",
        "wholesale_cost": 45.00,
        "wholesale_setup_cost": 0,
        "auto_renew": "True",
        "customer_can_purchase": True,
    })
    product_list_new.append({
        "category": "addon",
        "provisioning_play": "play_topup_charge_then_action",
        "relies_on_list": "",
        "contract_days": 0,
        "retail_cost": 30,
        "retail_setup_cost": 0,
        "product_slug": "au-data-addon-20gb",  # CGRateS Action_au-data-addon-20gb
        "product_name": "AU Data Addon 20GB",
        "comment": "20GB data",
        "provisioning_json_vars": "",
        "terms": "Valid for 30 days",
        "service_type": "mobile",
        "residential": True,
        "business": True,
        "enabled": True,
        "icon": "fa-solid fa-mobile",
        "features_list": "['20GB data']",
        "wholesale_cost": 22,
        "wholesale_setup_cost": 0,
        "auto_renew": "False",
        "customer_can_purchase": True,
    })
    return product_list_new


def upsert_products(session, crm_url, headers, product_list_new):
    product_list_existing = session.get(crm_url + "/crm/product", headers=headers)
    existing_products = product_list_existing.json()
    for product in product_list_new:
        if product["product_slug"] in [x["product_slug"] for x in existing_products]:
            product_id = [  # noqa: RUF015 (the seed's own form)
                x["product_id"]
                for x in existing_products
                if x["product_slug"] == product["product_slug"]
            ][0]
            product["product_id"] = product_id
            response = session.patch(crm_url + "/crm/product/" + str(product_id), json=product, headers=headers)
            assert response.status_code == 200
        else:
            response = session.put(crm_url + "/crm/product", json=product, headers=headers)
            assert response.status_code == 200


def test_seed_upsert_scripts_create_then_update(crm_url, identities):
    headers = identities.admin()
    session = requests.Session()

    upsert_inventory_templates(session, crm_url, headers, seed_inventory_templates())
    upsert_products(session, crm_url, headers, seed_products())

    templates = session.get(crm_url + "/crm/inventory/item_template", headers=headers).json()
    assert [t["item"] for t in templates] == ["SIM Card", "Mobile Number"]
    products = {p["product_slug"]: p for p in session.get(crm_url + "/crm/product", headers=headers).json()}
    assert set(products) == {"Mobile-SIM", "au-premium-plan-1", "au-data-addon-20gb"}
    assert products["Mobile-SIM"]["inventory_items_list"] == ["SIM Card", "Mobile Number"]
    assert products["au-premium-plan-1"]["features_list"][0] == "100GB data"
    assert products["au-premium-plan-1"]["auto_renew"] == "true"
    assert products["au-data-addon-20gb"]["provisioning_json_vars"] == "{}"

    # A second run finds everything and PATCHes it (here with a new price and a relabelled template).
    changed_products = seed_products()
    changed_products[1]["retail_cost"] = 65.00
    changed_templates = seed_inventory_templates()
    changed_templates[1]["itemtext2_label"] = "Number Type"
    upsert_inventory_templates(session, crm_url, headers, changed_templates)
    upsert_products(session, crm_url, headers, changed_products)

    templates = session.get(crm_url + "/crm/inventory/item_template/", headers=headers).json()
    assert len(templates) == 2 and templates[1]["itemtext2_label"] == "Number Type"
    products = {p["product_slug"]: p for p in session.get(crm_url + "/crm/product/", headers=headers).json()}
    assert len(products) == 3 and products["au-premium-plan-1"]["retail_cost"] == 65.0
