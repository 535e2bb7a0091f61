"""Request and response bodies of the service endpoints (field names exactly as the seed, extract-3 §4)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, field_validator
from pydantic.json_schema import SkipJsonSchema

from omnicrm.core.api import ListQuery
from omnicrm.core.patching import patch_model
from omnicrm.core.types import MoneyIn, MoneyOut, OutSchema, Schema, UTCDateTimeIn
from omnicrm.services.models import READ_ONLY_FIELDS, SERVICE_STATUSES

# The OCS account id: CGRateS keys it into ActionPlan, AttributeProfile and Filter ids, so no spaces or quotes.
SERVICE_UUID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:@\-]*$"
NonNegativeMoney = Annotated[MoneyIn, Field(ge=0)]


def _canonical_status(value: Any) -> Any:
    by_lower = {status.lower(): status for status in SERVICE_STATUSES}
    return by_lower.get(value.strip().lower(), value) if isinstance(value, str) else value


def _json_object(value: Any) -> Any:
    """The seed sends playbook vars as a JSON *string* ("{\"iccid\": \"\"}"); store the object."""
    if isinstance(value, str):
        if not value.strip():
            return None
        try:
            value = json.loads(value)
        except ValueError:
            raise ValueError("must be a JSON object (or a string holding one)") from None
    if value is not None and not isinstance(value, dict):
        raise ValueError("must be a JSON object")
    return value


ServiceStatus = Annotated[Literal["Active", "Inactive", "Suspended", "Deactivated"],
                          BeforeValidator(_canonical_status)]
JsonVars = Annotated[dict[str, Any] | None, BeforeValidator(_json_object)]


class EditableServiceFields(Schema):
    """What PATCH may change (models.EDITABLE_FIELDS); create accepts these too."""

    service_name: str = Field(..., min_length=1, max_length=255)
    service_type: str = Field(..., min_length=1, max_length=64, description="one of crm_config service_types")
    service_status: ServiceStatus = "Active"
    service_notes: str | None = Field(None, max_length=65535)
    retail_cost: NonNegativeMoney = Decimal(0)
    wholesale_cost: NonNegativeMoney = Decimal(0)
    service_billed: bool = True
    service_taxable: bool = True
    service_visible_to_customer: bool = True
    service_usage_visible_to_customer: bool = True
    service_active_date: UTCDateTimeIn | None = None
    service_deactivate_date: UTCDateTimeIn | None = Field(None, description="expiry (topups push it forward)")
    contract_end_date: UTCDateTimeIn | None = None
    icon: str | None = Field(None, max_length=100)
    promo_code: str | None = Field(None, max_length=64)
    site_id: int | None = Field(None, ge=1)


class ServiceIn(EditableServiceFields):
    customer_id: int = Field(..., ge=1)
    product_id: int | None = Field(None, ge=1)
    service_uuid: str | None = Field(None, min_length=1, max_length=128, pattern=SERVICE_UUID_PATTERN,
                                     description="the OCS account id; generated as Service_<8 hex> when left out")
    service_provisioned_date: UTCDateTimeIn | None = None
    bundled_parent: int | None = Field(None, ge=1)
    provisioning_play: str | None = Field(None, max_length=150)
    provisioning_json_vars: JsonVars = None
    deprovisioning_play: str | None = Field(None, max_length=150)
    deprovisioning_json_vars: JsonVars = None


def _refuse_read_only(value: Any) -> Any:
    raise ValueError("is read-only (system-managed) and cannot be changed")


ReadOnly = SkipJsonSchema[Annotated[Any, BeforeValidator(_refuse_read_only)]]


# PATCH: the editable fields, all optional (null only where the column allows it); a read-only field is a 422
# naming it; `service_id` may repeat the id of the path (the seed's scripts send it back).
ServicePatch = patch_model(
    EditableServiceFields, "ServicePatch",
    service_id=(SkipJsonSchema[int | None], None),  # type: ignore[misc]
    **{name: (ReadOnly, None) for name in READ_ONLY_FIELDS if name != "service_id"},
)


class ServiceOut(OutSchema):
    service_id: int
    customer_id: int
    product_id: int | None
    site_id: int | None
    bundled_parent: int | None
    service_name: str
    service_type: str
    service_uuid: str
    icon: str | None
    service_status: str
    service_provisioned_date: dt.datetime | None
    service_active_date: dt.datetime | None
    service_deactivate_date: dt.datetime | None
    contract_end_date: dt.datetime | None
    retail_cost: MoneyOut
    wholesale_cost: MoneyOut
    service_billed: bool
    service_taxable: bool
    invoiced: bool
    promo_code: str | None
    service_visible_to_customer: bool
    service_usage_visible_to_customer: bool
    provisioning_play: str | None
    provisioning_json_vars: dict[str, Any] | None
    deprovisioning_play: str | None
    deprovisioning_json_vars: dict[str, Any] | None
    service_notes: str | None
    created: dt.datetime
    last_modified: dt.datetime


class ServiceWithOcsOut(ServiceOut):
    cgrates: dict[str, Any] = Field(description="{BalanceMap, BalanceTotals, ActionPlans, Disabled, AllowNegative} "
                                                "or {error: ocs_unavailable}")


class ServiceListQuery(ListQuery):
    status: Literal["all", "Active", "Inactive", "Suspended", "Deactivated"] = Field(
        "all", description="status tab")
    service_type: str | None = Field(None, max_length=64)
    customer_id: int | None = Field(None, ge=1)

    @field_validator("status", mode="before")
    @classmethod
    def _status(cls, value: Any) -> Any:
        return "all" if isinstance(value, str) and value.strip().lower() == "all" else _canonical_status(value)


class ExpiringQuery(Schema):
    threshold: int = Field(7, ge=0, le=3650, description="days from now")


class CdrQuery(Schema):
    page: int = Field(1, ge=1)
    per_page: int = Field(20, ge=1, le=100)


class ScheduledActionsQuery(Schema):
    page: int = Field(1, ge=1)
    per_page: int = Field(10, ge=1, le=100)


class FilterRule(Schema):
    Type: str = Field(..., min_length=2, max_length=64, pattern=r"^\*", description="e.g. *string, *prefix")
    Element: str = Field(..., min_length=1, max_length=255, description="e.g. ~*req.Destination")
    Values: list[str] = Field(default_factory=list, max_length=1000)


class FilterIn(Schema):
    Rules: list[FilterRule] = Field(..., min_length=1, max_length=100)


class OcsProxyIn(Schema):
    method: str = Field(..., min_length=3, max_length=100, description="a method on ocs.proxy_allowed_methods")
    params: Any = Field(None, description="the JSON-RPC params array or its single argument")
    customer_id: int | None = Field(None, ge=1)
    service_id: int | None = Field(None, ge=1)
    tenant: str | None = Field(None, max_length=255)
