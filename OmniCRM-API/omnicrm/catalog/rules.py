"""Who may buy which product, and which add-ons fit a service (seed-extract-3 §8, seed-extract-5 §8.1).

Pure functions over plain facts: no database, no request. Each rule returns the reason a product is not on
offer (a stable snake_case code) or None. The API, the UI and provisioning all use `unavailability_reasons`.

- enabled: a disabled product is never sold.
- sale window: now must be inside [available_from, available_until) when they are set.
- channel: self-care only sells products with customer_can_purchase.
- account type: Individual customers need `residential`, Business customers need `business`.
- category: add-ons are sold onto an existing service (a target); other products are sold without one.
- target type: an add-on's service_type must equal the target service's service_type.
- target live: nothing is added to a Deactivated service.
- prerequisites: a non-empty relies_on_list is a list of alternatives; one of them must be the target
  service's product (add-ons) or the product of one of the customer's live services (other products).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

STAFF = "staff"
SELF_CARE = "self-care"
ADDON = "addon"
BUSINESS = "business"
DEACTIVATED = "deactivated"


@dataclass(frozen=True)
class Offer:
    """The facts of one product the rules look at."""

    product_id: int
    category: str
    service_type: str
    enabled: bool = True
    residential: bool = True
    business: bool = True
    customer_can_purchase: bool = True
    available_from: dt.datetime | None = None
    available_until: dt.datetime | None = None
    relies_on: frozenset[int] = frozenset()  # product ids (resolved from ids or slugs)


@dataclass(frozen=True)
class Target:
    """The service an add-on would be added to."""

    service_type: str | None
    product_id: int | None
    status: str | None = None


@dataclass(frozen=True)
class SaleContext:
    channel: str
    now: dt.datetime
    account_type: str | None = None  # Individual | Business; None when no customer is named
    target: Target | None = None
    held_product_ids: frozenset[int] = field(default_factory=frozenset)  # products of live services


Rule = Callable[[Offer, SaleContext], "str | None"]


def enabled(offer: Offer, ctx: SaleContext) -> str | None:
    return None if offer.enabled else "disabled"


def in_sale_window(offer: Offer, ctx: SaleContext) -> str | None:
    if offer.available_from is not None and ctx.now < offer.available_from:
        return "not_yet_available"
    if offer.available_until is not None and ctx.now >= offer.available_until:
        return "no_longer_available"
    return None


def sold_in_channel(offer: Offer, ctx: SaleContext) -> str | None:
    if ctx.channel == SELF_CARE and not offer.customer_can_purchase:
        return "not_sold_in_self_care"
    return None


def fits_account_type(offer: Offer, ctx: SaleContext) -> str | None:
    if ctx.account_type is None:
        return None
    if ctx.account_type.strip().lower() == BUSINESS:
        return None if offer.business else "not_for_business_customers"
    return None if offer.residential else "not_for_residential_customers"


def fits_category(offer: Offer, ctx: SaleContext) -> str | None:
    is_addon = offer.category == ADDON
    if ctx.target is None and is_addon:
        return "addon_needs_a_service"
    if ctx.target is not None and not is_addon:
        return "not_an_addon"
    return None


def fits_target_service_type(offer: Offer, ctx: SaleContext) -> str | None:
    if ctx.target is None or offer.category != ADDON:
        return None
    return None if offer.service_type == ctx.target.service_type else "service_type_mismatch"


def target_is_live(offer: Offer, ctx: SaleContext) -> str | None:
    if ctx.target is None or (ctx.target.status or "").lower() != DEACTIVATED:
        return None
    return "service_deactivated"


def prerequisites_met(offer: Offer, ctx: SaleContext) -> str | None:
    if not offer.relies_on:
        return None
    if ctx.target is not None:
        present = {ctx.target.product_id} if ctx.target.product_id is not None else set()
    else:
        present = set(ctx.held_product_ids)
    return None if offer.relies_on & present else "prerequisite_missing"


# Rules about the product alone (what a customer may see in the catalogue).
PRODUCT_RULES: tuple[Rule, ...] = (enabled, in_sale_window, sold_in_channel)
# Rules that also need the customer and, for add-ons, the target service.
SALE_RULES: tuple[Rule, ...] = (*PRODUCT_RULES, fits_account_type, fits_category, fits_target_service_type,
                                target_is_live, prerequisites_met)


def unavailability_reasons(offer: Offer, ctx: SaleContext, rules: tuple[Rule, ...] = SALE_RULES) -> list[str]:
    return [reason for rule in rules if (reason := rule(offer, ctx)) is not None]


def is_available(offer: Offer, ctx: SaleContext, rules: tuple[Rule, ...] = SALE_RULES) -> bool:
    return not unavailability_reasons(offer, ctx, rules)
