"""Request and response bodies of the customer endpoints (field names exactly as the seed).

Patch models declare required columns as `str = None`-style fields: leaving one out keeps the stored value,
sending an explicit null is a 422 (defaults are not validated, values are).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, EmailStr, Field, field_validator, model_validator

from omnicrm.core.api import ListQuery
from omnicrm.core.types import OutSchema, Schema, StrList, UTCDateTimeIn
from omnicrm.customers.models import ACCOUNT_TYPES, CONTACT_TYPES, CUSTOMER_STATUSES, PAYMENT_TYPES

ATTRIBUTE_VALUE_MAX_BYTES = 4096
_ATTRIBUTE_NAME = r"^[a-z][a-z0-9_]*$"
_PLACE_ID = r"^[A-Za-z0-9_\-]+$"
_PLUS_CODE = re.compile(r"^(?:[23456789CFGHJMPQRVWX0]{2,8}\+[23456789CFGHJMPQRVWX]{0,3})(?:\s+\S.*)?$")


def _canonical(choices: tuple[str, ...]) -> Any:
    """Accept an enumeration value in any letter case and store its canonical spelling."""
    by_lower = {c.lower(): c for c in choices}

    def convert(value: Any) -> Any:
        return by_lower.get(value.strip().lower(), value) if isinstance(value, str) else value

    return BeforeValidator(convert)


CustomerStatus = Annotated[Literal["Open", "Suspended", "Closed", "Archived"], _canonical(CUSTOMER_STATUSES)]
AccountType = Annotated[Literal["Individual", "Business"], _canonical(ACCOUNT_TYPES)]
PaymentType = Annotated[Literal["prepaid", "postpaid"], _canonical(PAYMENT_TYPES)]


def _contact_types(values: list[str]) -> list[str]:
    cleaned = list(dict.fromkeys(v.strip().lower() for v in values if v and v.strip()))
    unknown = [v for v in cleaned if v not in CONTACT_TYPES]
    if unknown:
        raise ValueError(f"unknown contact type(s) {', '.join(unknown)}; allowed: {', '.join(CONTACT_TYPES)}")
    return cleaned


def _plus_code(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    code, _, locality = value.strip().partition(" ")
    normalised = f"{code.upper()} {locality.strip()}".strip()
    if not _PLUS_CODE.match(normalised):
        raise ValueError("must be an Open Location Code such as 9C3XGPHC+3Q (or a short code + locality)")
    return normalised


def _attribute_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return value


def _fits_in_bytes(value: str) -> str:
    if len(value.encode("utf-8")) > ATTRIBUTE_VALUE_MAX_BYTES:
        raise ValueError(f"must be at most {ATTRIBUTE_VALUE_MAX_BYTES} bytes")
    return value


def _dates_in_order(start: dt.datetime | None, end: dt.datetime | None, start_name: str, end_name: str) -> None:
    if start is not None and end is not None and end < start:
        raise ValueError(f"{end_name} must not be before {start_name}")


Latitude = Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False)]
Longitude = Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False)]
PlusCode = Annotated[str, BeforeValidator(_plus_code), Field(max_length=64)]
AttributeValue = Annotated[str, BeforeValidator(_attribute_value), Field(max_length=ATTRIBUTE_VALUE_MAX_BYTES)]
HexColour = Annotated[str, Field(pattern=r"^[0-9A-Fa-f]{6}$", description="6 hex digits without '#'")]
Link = Annotated[str, Field(max_length=2048, pattern=r"^https?://\S+$")]


# --------------------------------------------------------------------------------------------------
# Contacts


class ContactFields(Schema):
    contact_firstname: str | None = Field(None, max_length=100)
    contact_lastname: str | None = Field(None, max_length=100)
    contact_email: EmailStr | None = Field(None, max_length=254)
    contact_phone: str | None = Field(None, max_length=40)
    contact_types: StrList = Field(default_factory=list, max_length=len(CONTACT_TYPES))

    _types = field_validator("contact_types")(_contact_types)

    @model_validator(mode="after")
    def _identifiable(self) -> ContactFields:
        if not (self.contact_firstname or self.contact_lastname or self.contact_email or self.contact_phone):
            raise ValueError("a contact needs a name, an e-mail address or a phone number")
        return self


class ContactIn(ContactFields):
    customer_id: int


class ContactPatch(Schema):
    contact_firstname: str | None = Field(None, max_length=100)
    contact_lastname: str | None = Field(None, max_length=100)
    contact_email: EmailStr | None = Field(None, max_length=254)
    contact_phone: str | None = Field(None, max_length=40)
    contact_types: StrList = Field(None, max_length=len(CONTACT_TYPES))

    _types = field_validator("contact_types")(_contact_types)


class ContactOut(OutSchema):
    contact_id: int
    customer_id: int
    contact_firstname: str | None
    contact_lastname: str | None
    contact_email: str | None
    contact_phone: str | None
    contact_phone_e164: str | None
    contact_types: list[str]
    created: dt.datetime
    last_modified: dt.datetime


# --------------------------------------------------------------------------------------------------
# Sites


class SiteFields(Schema):
    site_name: str | None = Field(None, max_length=255)
    address_line_1: str | None = Field(None, max_length=255)
    address_line_2: str | None = Field(None, max_length=255)
    city: str | None = Field(None, max_length=100)
    state: str | None = Field(None, max_length=100)
    zip_code: str | None = Field(None, max_length=20)
    country: str | None = Field(None, max_length=100)
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    google_maps_place_id: str | None = Field(None, max_length=255, pattern=_PLACE_ID)
    plus_code: PlusCode | None = None

    @model_validator(mode="after")
    def _named_and_located(self) -> SiteFields:
        if not (self.site_name or self.address_line_1):
            raise ValueError("a site needs a site_name or an address_line_1")
        if (self.latitude is None) != (self.longitude is None):
            raise ValueError("latitude and longitude go together: give both or neither")
        return self


class SiteIn(SiteFields):
    customer_id: int


class SitePatch(Schema):
    site_name: str | None = Field(None, max_length=255)
    address_line_1: str | None = Field(None, max_length=255)
    address_line_2: str | None = Field(None, max_length=255)
    city: str | None = Field(None, max_length=100)
    state: str | None = Field(None, max_length=100)
    zip_code: str | None = Field(None, max_length=20)
    country: str | None = Field(None, max_length=100)
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    google_maps_place_id: str | None = Field(None, max_length=255, pattern=_PLACE_ID)
    plus_code: PlusCode | None = None


class SiteOut(OutSchema):
    site_id: int
    customer_id: int
    site_name: str | None
    address_line_1: str | None
    address_line_2: str | None
    city: str | None
    state: str | None
    zip_code: str | None
    country: str | None
    latitude: float | None
    longitude: float | None
    google_maps_place_id: str | None
    plus_code: str | None
    created: dt.datetime
    last_modified: dt.datetime


class NearbySiteOut(SiteOut):
    distance_km: float


class NearQuery(Schema):
    lat: Latitude
    lng: Longitude
    km: float = Field(5.0, gt=0, le=1000, allow_inf_nan=False)
    page: int = Field(1, ge=1)
    per_page: int = Field(20, ge=1, le=100)


# --------------------------------------------------------------------------------------------------
# Customers


class CustomerIn(Schema):
    customer_name: str = Field(min_length=1, max_length=255)
    customer_account_type: AccountType = "Individual"
    customer_status: CustomerStatus = "Open"
    customer_payment_type: PaymentType = "prepaid"
    customer_enabled: bool = True
    tax_identifier: str | None = Field(None, max_length=64)
    contract_start_date: UTCDateTimeIn | None = None
    contract_end_date: UTCDateTimeIn | None = None
    contacts: list[ContactFields] = Field(default_factory=list, max_length=50)
    sites: list[SiteFields] = Field(default_factory=list, max_length=50)

    @model_validator(mode="after")
    def _contract_in_order(self) -> CustomerIn:
        _dates_in_order(self.contract_start_date, self.contract_end_date, "contract_start_date", "contract_end_date")
        return self


class CustomerPatch(Schema):
    customer_name: str = Field(None, min_length=1, max_length=255)
    customer_account_type: AccountType = None
    customer_status: CustomerStatus = None
    customer_payment_type: PaymentType = None
    customer_enabled: bool = None
    tax_identifier: str | None = Field(None, max_length=64)
    contract_start_date: UTCDateTimeIn | None = None
    contract_end_date: UTCDateTimeIn | None = None
    force: bool = Field(False, description="close/archive even though the customer has active services")


class CustomerOut(OutSchema):
    customer_id: int
    customer_name: str
    customer_account_type: str
    customer_status: str
    customer_payment_type: str
    customer_enabled: bool
    tax_identifier: str | None
    contract_start_date: dt.datetime | None
    contract_end_date: dt.datetime | None
    created: dt.datetime
    last_modified: dt.datetime
    contacts: list[ContactOut]


class CustomerListQuery(ListQuery):
    include_archived: bool = Field(False, description="also list Archived customers")


class ForceQuery(Schema):
    force: bool = False


# --------------------------------------------------------------------------------------------------
# Attributes and tags


class AttributeIn(Schema):
    customer_id: int
    attribute_name: str = Field(min_length=1, max_length=150, pattern=_ATTRIBUTE_NAME)
    attribute_value: AttributeValue

    _value_size = field_validator("attribute_value")(_fits_in_bytes)


class AttributePatch(Schema):
    attribute_name: str = Field(None, min_length=1, max_length=150, pattern=_ATTRIBUTE_NAME)
    attribute_value: AttributeValue = None

    _value_size = field_validator("attribute_value")(_fits_in_bytes)


class AttributeOut(OutSchema):
    attribute_id: int
    customer_id: int
    attribute_name: str
    attribute_value: str
    created: dt.datetime
    last_modified: dt.datetime


class TagIn(Schema):
    customer_id: int
    tag_text: str = Field(min_length=1, max_length=100)
    tag_hex_color: HexColour
    tag_link: Link | None = None
    tag_active_date: UTCDateTimeIn | None = None
    tag_deactivate_date: UTCDateTimeIn | None = None

    @model_validator(mode="after")
    def _dates(self) -> TagIn:
        _dates_in_order(self.tag_active_date, self.tag_deactivate_date, "tag_active_date", "tag_deactivate_date")
        return self


class TagPatch(Schema):
    tag_text: str = Field(None, min_length=1, max_length=100)
    tag_hex_color: HexColour = None
    tag_link: Link | None = None
    tag_active_date: UTCDateTimeIn = None
    tag_deactivate_date: UTCDateTimeIn = None


class TagOut(OutSchema):
    tag_id: int
    customer_id: int
    tag_text: str
    tag_hex_color: str
    tag_link: str | None
    tag_active_date: dt.datetime
    tag_deactivate_date: dt.datetime
    tag_active: bool
    created: dt.datetime
    last_modified: dt.datetime


class TagListQuery(Schema):
    include_inactive: bool = False


# --------------------------------------------------------------------------------------------------
# Activity


class ActorOut(OutSchema):
    actor_type: str
    actor_user_id: int | None
    actor_api_key_id: int | None
    actor_label: str | None
    actor_ip: str | None
    impersonator_user_id: int | None


class ActivityOut(OutSchema):
    activity_id: int
    created: dt.datetime
    action: str
    entity: str
    entity_id: str | None
    customer_id: int | None
    actor: ActorOut
    changed_fields: list[str]
    changes: dict[str, Any] | None
    note: str | None
    request_id: str | None


class ActivityNoteIn(Schema):
    note: str = Field(min_length=1, max_length=4000)


# --------------------------------------------------------------------------------------------------
# CSV import


class ImportQuery(Schema):
    dry_run: bool = False
    background: bool = Field(False, description="run as a job even when the file is small")

