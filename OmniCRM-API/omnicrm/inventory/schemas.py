"""Request and response bodies of inventory templates and items (seed-extract-1 §4.8-4.9, SPEC D20)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, ConfigDict, Field, create_model

from omnicrm.core.api import ListQuery
from omnicrm.core.patching import patch_model
from omnicrm.core.types import MoneyIn, MoneyOut, OutSchema, Schema, UTCDateTimeIn, UTCDateTimeOut
from omnicrm.inventory.labels import ITEMTEXT_SLOTS
from omnicrm.inventory.states import ITEM_STATES, canonical_state

NonNegativeMoney = Annotated[MoneyIn, Field(ge=0)]
ItemState = Annotated[Literal[ITEM_STATES], BeforeValidator(canonical_state)]  # type: ignore[valid-type]
Text255 = Annotated[str, Field(max_length=255)]


def _coordinate(limit: int) -> Any:
    def parse(value: Any) -> Any:
        """Latitude/longitude as the seed sends them ("-33.8688" or a number); stored as decimal text."""
        if value is None or isinstance(value, bool):
            return value
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            raise ValueError("must be a decimal number") from None
        if not number.is_finite() or abs(number) > limit:
            raise ValueError(f"must be between -{limit} and {limit}")
        return format(number, "f")

    return BeforeValidator(parse)


Latitude = Annotated[str, _coordinate(90), Field(max_length=32)]
Longitude = Annotated[str, _coordinate(180), Field(max_length=32)]


# --------------------------------------------------------------------------------------------------
# Templates


class TemplateFields(Schema):
    item: str = Field(min_length=1, max_length=100)
    wholesale_cost: NonNegativeMoney = Decimal(0)
    retail_cost: NonNegativeMoney = Decimal(0)
    allow_dropdown_staff: bool = True
    allow_dropdown_customer: bool = False
    icon: str | None = Field(None, max_length=100)


TEMPLATE_LABEL_FIELDS: dict[str, Any] = {
    f"itemtext{n}_label": (str | None, Field(None, max_length=100)) for n in ITEMTEXT_SLOTS}
TemplateCreate = create_model("TemplateCreate", __base__=TemplateFields, **TEMPLATE_LABEL_FIELDS)
# The seed's upsert script PATCHes the whole template; it may carry its own id.
TemplatePatch = patch_model(TemplateCreate, "TemplatePatch", inventory_template_id=(int | None, None))


class TemplateListQuery(ListQuery):
    page: int | None = Field(None, ge=1)  # type: ignore[assignment]  # absent: the bare array the seed reads


class TemplateOutFields(OutSchema):
    inventory_template_id: int
    item: str
    wholesale_cost: MoneyOut
    retail_cost: MoneyOut
    allow_dropdown_staff: bool
    allow_dropdown_customer: bool
    icon: str | None = None
    created: UTCDateTimeOut
    last_modified: UTCDateTimeOut


TemplateOut = create_model("TemplateOut", __base__=TemplateOutFields, **{
    f"itemtext{n}_label": (str | None, None) for n in ITEMTEXT_SLOTS})


# --------------------------------------------------------------------------------------------------
# Items


class ItemFields(Schema):
    """Writable item fields. Labelled values may also be sent under their label key (iccid, ki, msisdn, ...)."""

    model_config = ConfigDict(extra="allow", str_strip_whitespace=True, populate_by_name=True)

    inventory_template_id: int | None = Field(None, ge=1)
    item: str | None = Field(None, min_length=1, max_length=100, description="template name, e.g. SIM Card")
    item_location: str | None = Field(None, max_length=255)
    item_state: ItemState = "New"
    customer_id: int | None = Field(None, ge=1)
    service_id: int | None = Field(None, ge=1)
    wholesale_cost: NonNegativeMoney | None = None
    retail_cost: NonNegativeMoney | None = None
    sold_date: UTCDateTimeIn | None = None
    address_line_1: Text255 | None = None
    address_line_2: Text255 | None = None
    city: str | None = Field(None, max_length=100)
    state: str | None = Field(None, max_length=100)
    zip_code: str | None = Field(None, max_length=20)
    country: str | None = Field(None, max_length=100)
    google_maps_place_id: Text255 | None = None
    plus_code: str | None = Field(None, max_length=32)
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    management_url: str | None = Field(None, max_length=1024)
    management_username: Text255 | None = None
    management_password: Text255 | None = None
    config_content: str | None = Field(None, max_length=1_000_000)
    config_file_path: str | None = Field(None, max_length=1024)
    inventory_notes: str | None = Field(None, max_length=10000)


ITEMTEXT_FIELDS: dict[str, Any] = {f"itemtext{n}": (Text255 | None, None) for n in ITEMTEXT_SLOTS}
ItemCreate = create_model("ItemCreate", __base__=ItemFields, **ITEMTEXT_FIELDS)
ItemPatch = patch_model(ItemCreate, "ItemPatch", inventory_id=(int | None, None))


class AssignIn(Schema):
    customer_id: int = Field(ge=1)
    service_id: int | None = Field(None, ge=1)
    item: str | None = Field(None, max_length=100, description="the template the item must be of, e.g. SIM Card")


class ItemListQuery(ListQuery):
    pass


class ExportQuery(ItemListQuery):
    """The list's filters and search; every matching row is exported (page and per_page are ignored)."""

    include_secrets: bool = False


class PickerQuery(ListQuery):
    item: str = Field(min_length=1, max_length=100)
    channel: Literal["staff", "self-care"] | None = None


class QrQuery(Schema):
    box_size: int = Field(8, ge=2, le=20)


class ImportQuery(Schema):
    template: str | None = Field(None, max_length=100, description="default template (name or id) for rows "
                                                                  "without an item column")
    filename: str | None = Field(None, max_length=255)


class ItemOut(OutSchema):
    """An inventory item. Labelled fields also appear under their lowercased label (iccid, imsi, msisdn, ...);
    Ki, OPc and management_password only for principals holding update_inventory."""

    model_config = ConfigDict(from_attributes=True, populate_by_name=True, extra="allow")

    inventory_id: int
    inventory_template_id: int
    item: str
    item_state: str
    item_location: str | None = None
    customer_id: int | None = None
    service_id: int | None = None
    wholesale_cost: MoneyOut | None = None
    retail_cost: MoneyOut | None = None
    sold_date: UTCDateTimeOut | None = None
    return_due: UTCDateTimeOut | None = Field(
        None, description="rented equipment taken off its service: when it must be back, else it becomes Lost")
    created: UTCDateTimeOut
    last_modified: UTCDateTimeOut


class ItemsOut(OutSchema):
    data: list[ItemOut]


class PickerRowOut(OutSchema):
    inventory_id: int
    label: str
    item: str
    itemtext1: str | None = None
    item_location: str | None = None
    item_state: str


class ImportOut(OutSchema):
    import_id: int
    job_id: int | None = None
    status: str
    filename: str | None = None
    row_count: int
    imported_count: int
    error_count: int
    errors: list[dict[str, Any]] | None = None
    first_inventory_id: int | None = None
    last_inventory_id: int | None = None
    progress: dict[str, Any] | None = None
    created: UTCDateTimeOut
    finished: UTCDateTimeOut | None = None
