"""GET /crm/product/available: the catalogue rules fed with customer/service facts through the provider hooks.

The customers and services domains register these providers; here test doubles stand in for them.
"""

import pytest

from omnicrm.core import facts
from omnicrm.core.facts import CustomerFacts, ServiceFacts
from tests.support.catalogue import ok, plays, product  # noqa: F401
from tests.support.factories import make_customers_with_ids

pytestmark = pytest.mark.usefixtures("plays")

CUSTOMERS = {1: CustomerFacts(1, "Individual"), 2: CustomerFacts(2, "Business")}


@pytest.fixture
def admin(identities):
    return identities.admin()


@pytest.fixture
def catalogue(client, admin):
    def make(slug, **extra):
        return ok(client.put("/crm/product", json=product(slug, **extra), headers=admin))["product_id"]

    ids = {
        "home": make("home", business=False),
        "biz": make("biz", residential=False),
        "staff-only": make("staff-only", customer_can_purchase=False),
        "old": make("old", available_until="2020-01-01"),
        "off": make("off", enabled=False),
        "fixed-plan": make("fixed-plan", service_type="fixed"),
    }
    ids["boost"] = make("boost", category="addon", relies_on_list=["home", "biz"])
    ids["any-boost"] = make("any-boost", category="addon")
    ids["fixed-boost"] = make("fixed-boost", category="addon", service_type="fixed")
    ids["tv"] = make("tv", relies_on_list=["fixed-plan"])
    return ids


@pytest.fixture
def services(app, catalogue, session):
    make_customers_with_ids(session, 1)
    make_customers_with_ids(session, 2, account_type="Business")
    table = {
        10: ServiceFacts(10, 1, catalogue["home"], "mobile", "Active"),
        11: ServiceFacts(11, 2, catalogue["fixed-plan"], "fixed", "Active"),
        12: ServiceFacts(12, 1, catalogue["home"], "mobile", "Deactivated"),
    }
    facts.provide(app, facts.CUSTOMER, lambda session, customer_id: CUSTOMERS.get(customer_id))
    facts.provide(app, facts.SERVICE, lambda session, service_id: table.get(service_id))
    facts.provide(app, facts.CUSTOMER_SERVICES,
                  lambda session, customer_id: [s for s in table.values() if s.customer_id == customer_id])
    return table


def slugs(body):
    return sorted(p["product_slug"] for p in body["data"])


def test_staff_see_enabled_current_products_for_the_customers_account_type(client, admin, services):
    assert slugs(ok(client.get("/crm/product/available?customer_id=1", headers=admin))) == [
        "fixed-plan", "home", "staff-only"]
    # the business customer holds the fixed plan, so the TV product (relies on it) is offered too
    assert slugs(ok(client.get("/crm/product/available?customer_id=2", headers=admin))) == [
        "biz", "fixed-plan", "staff-only", "tv"]


def test_self_care_channel_drops_products_customers_cannot_buy(client, admin, services):
    body = ok(client.get("/crm/product/available?customer_id=1&channel=self-care", headers=admin))
    assert "staff-only" not in slugs(body)


def test_addons_for_a_service_match_its_type_and_prerequisites(client, admin, services):
    assert slugs(ok(client.get("/crm/product/available?service_id=10", headers=admin))) == ["any-boost", "boost"]
    assert slugs(ok(client.get("/crm/product/available?service_id=11", headers=admin))) == ["fixed-boost"]
    assert slugs(ok(client.get("/crm/product/available?service_id=12", headers=admin))) == []


def test_explain_lists_the_rules_each_excluded_product_fails(client, admin, services, catalogue):
    body = ok(client.get("/crm/product/available?customer_id=1&explain=true", headers=admin))
    reasons = {row["product_slug"]: row["reasons"] for row in body["excluded"]}
    assert reasons["biz"] == ["not_for_residential_customers"]
    assert reasons["old"] == ["no_longer_available"]
    assert reasons["off"] == ["disabled"]
    assert reasons["boost"] == ["addon_needs_a_service"]
    assert reasons["tv"] == ["prerequisite_missing"]


def test_unknown_or_mismatched_customer_and_service(client, admin, services):
    assert client.get("/crm/product/available?customer_id=99", headers=admin).status_code == 404
    assert client.get("/crm/product/available?service_id=99", headers=admin).status_code == 404
    mismatch = client.get("/crm/product/available?customer_id=2&service_id=10", headers=admin)
    assert mismatch.status_code == 422 and mismatch.json["errors"][0]["field"] == "service_id"
    assert client.get("/crm/product/available?channel=shop", headers=admin).status_code == 422


def test_customers_only_reach_their_own_customer_and_services(client, identities, services):
    customer = identities.headers("view_product", customer_id=1)
    own = ok(client.get("/crm/product/available?channel=staff", headers=customer))
    assert slugs(own) == ["fixed-plan", "home"]  # forced to self-care: staff-only is gone
    assert ok(client.get("/crm/product/available?explain=true", headers=customer)).get("excluded") is None
    assert client.get("/crm/product/available?customer_id=2", headers=customer).status_code == 404
    assert client.get("/crm/product/available?service_id=11", headers=customer).status_code == 404
    assert slugs(ok(client.get("/crm/product/available?service_id=10", headers=customer))) == ["any-boost", "boost"]


def test_without_a_customer_only_product_rules_apply(client, admin, catalogue):
    body = ok(client.get("/crm/product/available", headers=admin))
    assert slugs(body) == ["biz", "fixed-plan", "home", "staff-only"]  # tv's prerequisite cannot be met


def test_naming_a_customer_needs_the_customers_domain(app, client, admin, catalogue):
    facts.provide(app, facts.CUSTOMER, None)  # a deployment without the customers domain
    response = client.get("/crm/product/available?customer_id=1", headers=admin)
    assert response.status_code == 503 and response.json["code"] == "facts_unavailable"
