"""Catalogue rules (seed-extract-3 §8): one test per rule, on plain facts."""

import datetime as dt

import pytest

from omnicrm.catalog import rules
from omnicrm.catalog.rules import Offer, SaleContext, Target

NOW = dt.datetime(2025, 6, 1, 12, 0, tzinfo=dt.UTC)


def offer(**overrides) -> Offer:
    values = {"product_id": 1, "category": "standalone", "service_type": "mobile"}
    values.update(overrides)
    return Offer(**values)


def ctx(**overrides) -> SaleContext:
    values = {"channel": rules.STAFF, "now": NOW}
    values.update(overrides)
    return SaleContext(**values)


def test_disabled_products_are_never_on_offer():
    assert rules.enabled(offer(enabled=False), ctx()) == "disabled"
    assert rules.enabled(offer(enabled=True), ctx()) is None


@pytest.mark.parametrize(("available_from", "available_until", "reason"), [
    (None, None, None),
    (NOW - dt.timedelta(days=1), None, None),
    (NOW, None, None),  # the window opens at available_from
    (NOW + dt.timedelta(seconds=1), None, "not_yet_available"),
    (None, NOW + dt.timedelta(days=1), None),
    (None, NOW, "no_longer_available"),  # and closes at available_until
    (NOW - dt.timedelta(days=2), NOW - dt.timedelta(days=1), "no_longer_available"),
])
def test_sale_window(available_from, available_until, reason):
    product = offer(available_from=available_from, available_until=available_until)
    assert rules.in_sale_window(product, ctx()) == reason


def test_self_care_only_sells_products_customers_may_buy():
    staff_only = offer(customer_can_purchase=False)
    assert rules.sold_in_channel(staff_only, ctx(channel=rules.SELF_CARE)) == "not_sold_in_self_care"
    assert rules.sold_in_channel(staff_only, ctx(channel=rules.STAFF)) is None
    assert rules.sold_in_channel(offer(customer_can_purchase=True), ctx(channel=rules.SELF_CARE)) is None


@pytest.mark.parametrize(("residential", "business", "account_type", "reason"), [
    (True, False, "Individual", None),
    (True, False, "Business", "not_for_business_customers"),
    (False, True, "Business", None),
    (False, True, "Individual", "not_for_residential_customers"),
    (False, True, "business", None),  # account types compare case-insensitively
    (False, False, None, None),  # no customer named: nothing to check
])
def test_account_type_must_match_residential_or_business(residential, business, account_type, reason):
    product = offer(residential=residential, business=business)
    assert rules.fits_account_type(product, ctx(account_type=account_type)) == reason


def test_addons_need_a_target_service_and_other_products_must_not_have_one():
    target = Target(service_type="mobile", product_id=7)
    assert rules.fits_category(offer(category="addon"), ctx()) == "addon_needs_a_service"
    assert rules.fits_category(offer(category="addon"), ctx(target=target)) is None
    assert rules.fits_category(offer(category="standalone"), ctx(target=target)) == "not_an_addon"
    assert rules.fits_category(offer(category="bundle"), ctx()) is None


def test_addon_service_type_must_equal_the_target_services_type():
    addon = offer(category="addon", service_type="mobile")
    assert rules.fits_target_service_type(addon, ctx(target=Target("mobile", 7))) is None
    assert rules.fits_target_service_type(addon, ctx(target=Target("fixed", 7))) == "service_type_mismatch"
    assert rules.fits_target_service_type(addon, ctx()) is None


def test_nothing_is_added_to_a_deactivated_service():
    addon = offer(category="addon")
    assert rules.target_is_live(addon, ctx(target=Target("mobile", 7, "Deactivated"))) == "service_deactivated"
    assert rules.target_is_live(addon, ctx(target=Target("mobile", 7, "Suspended"))) is None
    assert rules.target_is_live(addon, ctx(target=Target("mobile", 7, "Active"))) is None


def test_addon_prerequisites_are_alternatives_matched_against_the_target_services_product():
    addon = offer(category="addon", relies_on=frozenset({7, 8}))
    assert rules.prerequisites_met(addon, ctx(target=Target("mobile", 8))) is None
    assert rules.prerequisites_met(addon, ctx(target=Target("mobile", 9))) == "prerequisite_missing"
    assert rules.prerequisites_met(addon, ctx(target=Target("mobile", None))) == "prerequisite_missing"
    assert rules.prerequisites_met(offer(category="addon"), ctx(target=Target("mobile", 9))) is None


def test_standalone_prerequisites_are_matched_against_the_customers_live_services():
    iptv = offer(relies_on=frozenset({3}))
    assert rules.prerequisites_met(iptv, ctx(held_product_ids=frozenset({3, 4}))) is None
    assert rules.prerequisites_met(iptv, ctx(held_product_ids=frozenset({4}))) == "prerequisite_missing"


def test_every_failing_rule_is_reported_and_product_rules_ignore_the_customer():
    product = offer(enabled=False, customer_can_purchase=False, residential=False)
    context = ctx(channel=rules.SELF_CARE, account_type="Individual")
    assert rules.unavailability_reasons(product, context) == [
        "disabled", "not_sold_in_self_care", "not_for_residential_customers"]
    assert rules.unavailability_reasons(product, context, rules.PRODUCT_RULES) == [
        "disabled", "not_sold_in_self_care"]
    assert rules.is_available(offer(), ctx(account_type="Business"))


def test_seed_example_business_customer_with_a_mobile_service():
    """extract-3 §8: business + mobile service sees business addons of type mobile only."""
    context = ctx(account_type="Business", target=Target("mobile", 1, "Active"))
    assert rules.is_available(offer(category="addon", service_type="mobile", business=True), context)
    assert not rules.is_available(offer(category="addon", service_type="mobile", business=False), context)
    assert not rules.is_available(offer(category="addon", service_type="fixed", business=True), context)
    assert not rules.is_available(offer(category="standalone", business=True), context)
