"""Request and response bodies of the product catalogue (seed field names, SPEC D4 parsing)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field

from omnicrm.core.api import ListQuery
from omnicrm.core.patching import patch_model
from omnicrm.core.types import MoneyIn, MoneyOut, OutSchema, Schema, UTCDateTimeIn, UTCDateTimeOut, _parse_list_field

CATEGORIES = ("standalone", "addon", "bundle", "promo")
AUTO_RENEW_VALUES = ("prompt", "true", "false")
SLUG_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._~-]*$"
PLAY_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*$"
MAX_LIST_ITEMS = 100


def _auto_renew_text(value: Any) -> Any:
    """The seed sends True/False, "True"/"False" and "prompt"; all become prompt | true | false."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value.strip().lower() if isinstance(value, str) else value


def _json_object_text(value: Any) -> Any:
    """A JSON object given as a string (the seed's form) or as an object; empty means no variables."""
    if isinstance(value, dict):
        return json.dumps(value)
    if not isinstance(value, str):
        raise ValueError("must be a JSON object encoded as a string")
    if not value.strip():
        return "{}"
    try:
        parsed = json.loads(value)
    except ValueError as exc:
        raise ValueError(f"is not valid JSON ({exc.msg} at position {exc.pos})") from None
    if not isinstance(parsed, dict):
        raise ValueError("must be a JSON object, e.g. {\"data_gb\": 10}")
    return json.dumps(parsed)


def _without_yaml_suffix(value: Any) -> Any:
    if isinstance(value, str) and value.strip().endswith(".yaml"):
        return value.strip()[: -len(".yaml")]
    return value


def _text_items(value: Any) -> Any:
    """List entries as trimmed text (ids may arrive as numbers); blank entries are dropped."""
    parsed = _parse_list_field(value)
    if not isinstance(parsed, list):
        return parsed
    items = [str(item).strip() if isinstance(item, int | float | str) else item for item in parsed]
    return [item for item in items if item != ""]


TextList = Annotated[list[Annotated[str, Field(max_length=255)]], BeforeValidator(_text_items),
                     Field(max_length=MAX_LIST_ITEMS)]
NonNegativeMoney = Annotated[MoneyIn, Field(ge=0)]
Percentage = Annotated[MoneyIn, Field(ge=0, le=100)]
AutoRenew = Annotated[Literal["prompt", "true", "false"], BeforeValidator(_auto_renew_text)]
JsonObjectText = Annotated[str, BeforeValidator(_json_object_text), Field(max_length=65535)]
PlayName = Annotated[str, BeforeValidator(_without_yaml_suffix), Field(min_length=1, max_length=150,
                                                                       pattern=PLAY_PATTERN)]
PercentOut = Annotated[Decimal, AfterValidator(lambda value: value.normalize())]  # 12.5000 -> 12.5
Slug = Annotated[str, Field(min_length=1, max_length=150, pattern=SLUG_PATTERN)]


class ProductCreate(Schema):
    product_name: str = Field(min_length=1, max_length=255)
    product_slug: Slug
    category: Literal["standalone", "addon", "bundle", "promo"] = "standalone"
    service_type: str = Field(min_length=1, max_length=64)
    comment: str | None = Field(None, max_length=10000)
    icon: str | None = Field(None, max_length=100)
    retail_cost: NonNegativeMoney = Decimal(0)
    wholesale_cost: NonNegativeMoney = Decimal(0)
    retail_setup_cost: NonNegativeMoney = Decimal(0)
    wholesale_setup_cost: NonNegativeMoney = Decimal(0)
    tax_percentage: Percentage = Decimal(0)
    enabled: bool = False
    residential: bool = True
    business: bool = True
    customer_can_purchase: bool = True
    available_from: UTCDateTimeIn | None = None
    available_until: UTCDateTimeIn | None = None
    contract_days: int = Field(30, ge=0, le=365)
    auto_renew: AutoRenew = "false"
    allow_auto_renew: bool = False
    terms: str | None = Field(None, max_length=10000)
    features_list: TextList = Field(default_factory=list)
    inventory_items_list: TextList = Field(default_factory=list)
    relies_on_list: TextList = Field(default_factory=list)
    provisioning_play: PlayName
    provisioning_json_vars: JsonObjectText = "{}"


# The seed's upsert script PATCHes the whole product including its product_id.
ProductPatch = patch_model(ProductCreate, "ProductPatch", product_id=(int | None, None))


class ProductListQuery(ListQuery):
    include_disabled: bool = False


class ProductBareListQuery(Schema):
    include_disabled: bool = False


class AvailabilityQuery(Schema):
    customer_id: int | None = Field(None, ge=1)
    service_id: int | None = Field(None, ge=1)
    channel: Literal["staff", "self-care"] | None = None
    explain: bool = False


class ProductCustomerOut(OutSchema):
    """What a self-care customer sees of a product: no wholesale costs, no provisioning internals."""

    product_id: int
    product_name: str
    product_slug: str
    category: str
    service_type: str
    comment: str | None = None
    icon: str | None = None
    retail_cost: MoneyOut
    retail_setup_cost: MoneyOut
    tax_percentage: PercentOut
    enabled: bool
    residential: bool
    business: bool
    customer_can_purchase: bool
    available_from: UTCDateTimeOut | None = None
    available_until: UTCDateTimeOut | None = None
    contract_days: int
    auto_renew: str
    allow_auto_renew: bool
    terms: str | None = None
    features_list: list[str]
    inventory_items_list: list[str]
    relies_on_list: list[str]


class ProductOut(ProductCustomerOut):
    wholesale_cost: MoneyOut
    wholesale_setup_cost: MoneyOut
    provisioning_play: str
    provisioning_json_vars: str
    created: UTCDateTimeOut
    last_modified: UTCDateTimeOut


class ExcludedProductOut(OutSchema):
    product_id: int
    product_slug: str
    reasons: list[str]


class PlayOut(OutSchema):
    name: str = Field(description="the value of provisioning_play")
    description: str = Field(description="the playbook's first play name")


class PlaysOut(OutSchema):
    data: list[PlayOut]


class ServiceTypesOut(OutSchema):
    data: list[str]


class AvailableProductsOut(OutSchema):
    data: list[dict[str, Any]]
    excluded: list[ExcludedProductOut] | None = None
