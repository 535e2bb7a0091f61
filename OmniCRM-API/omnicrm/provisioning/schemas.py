"""Request and response bodies of the provisioning API (seed-extract-3 §5, seed-extract-4 §11.1)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import ConfigDict, Field

from omnicrm.core.api import ListQuery
from omnicrm.core.types import MoneyOut, OutSchema, Schema, UTCDateTimeOut


class ProvisionIn(Schema):
    """`PUT /crm/provision/`: the product, the customer, the add-on's service, one key per inventory type
    named in the product's inventory_items_list (`"SIM Card": 789`) and any variables overriding the product's."""

    model_config = ConfigDict(extra="allow", str_strip_whitespace=True)

    product_id: int = Field(ge=1)
    customer_id: int = Field(ge=1)
    service_id: int | None = Field(None, ge=1)


class RunPlaybookIn(Schema):
    """`POST /crm/provision/run_playbook`: re-run a service's playbook, e.g. with action "deprovision"."""

    model_config = ConfigDict(extra="allow", str_strip_whitespace=True)

    service_id: int = Field(ge=1)
    action: str = Field("deprovision", min_length=1, max_length=32, pattern=r"^[a-z_]+$")
    provisioning_play: str | None = Field(None, max_length=150)
    mode: Literal["hard", "soft"] | None = Field(
        None, description="deprovision only (SPEC D22): hard (default) removes the OCS account and deletes the HSS "
                          "subscriber; soft disables the account and parks the subscriber")


class ProvisionCreatedOut(OutSchema):
    provision_id: int
    provisioning_status: int
    message: str


class ProvisionEventOut(OutSchema):
    provision_event_id: int
    event_number: int
    event_name: str
    provisioning_status: int
    skipped: bool = Field(False, description="status 0 because the task's condition was false, not because it ran")
    provisioning_result_json: str | None = None
    timestamp: UTCDateTimeOut


class ProvisionOut(OutSchema):
    provision_id: int
    customer_id: int | None
    customer_name: str | None = None
    product_id: int | None
    product_name: str | None = None
    service_id: int | None
    action: str
    provisioning_play: str
    playbook_description: str | None
    provisioning_status: int
    task_count: int
    tasks_done: int = 0
    provisioning_json_vars: dict[str, Any] | None = None
    initiating_user: int | None
    initiated_by: str | None
    reserved_inventory: list[int] | None = None
    error: str | None = None
    retry_of: int | None = None
    job_id: int | None = None
    created: UTCDateTimeOut
    started: UTCDateTimeOut | None = None
    finished: UTCDateTimeOut | None = None
    provisioning_result_json: list[ProvisionEventOut] | None = None


class ProvisionListQuery(ListQuery):
    sort: Literal["provision_id", "created", "provisioning_status", "provisioning_play", "customer_id",
                  "product_id"] | None = None


class AddonListQuery(Schema):
    include_removed: bool = Field(False, description="also list add-ons that were removed")


class AddonItemOut(OutSchema):
    inventory_id: int
    item: str | None
    itemtext1: str | None
    item_state: str | None


class AddonOut(OutSchema):
    """An add-on on a service: "5GB Data Boost — added 2025-01-10, expires 2025-01-17, £5.00"."""

    addon_id: int
    service_id: int
    product_id: int | None
    product_name: str | None
    product_slug: str | None
    icon: str | None
    status: Literal["Active", "Removing", "Removed"]
    retail_cost: MoneyOut
    recurring: bool
    contract_days: int
    inventory: list[AddonItemOut]
    added: UTCDateTimeOut
    expires: UTCDateTimeOut | None
    removed: UTCDateTimeOut | None
    provision_id: int | None
    removal_provision_id: int | None
