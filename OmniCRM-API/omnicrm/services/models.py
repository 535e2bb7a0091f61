"""The service a customer has: one row per provisioned product (seed-extract-3 §4 Service)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from omnicrm.core.db import Base, Money, UTCDateTime, utcnow
from omnicrm.utilities import search

# SPEC D6
ACTIVE, INACTIVE, SUSPENDED, DEACTIVATED = "Active", "Inactive", "Suspended", "Deactivated"
SERVICE_STATUSES = (ACTIVE, INACTIVE, SUSPENDED, DEACTIVATED)

# PATCH accepts only these (seed L11961-L11978); everything else on the row is system-managed.
EDITABLE_FIELDS = (
    "service_name", "service_type", "service_status", "service_notes", "retail_cost", "wholesale_cost",
    "service_billed", "service_taxable", "service_visible_to_customer", "service_usage_visible_to_customer",
    "service_active_date", "service_deactivate_date", "contract_end_date", "icon", "promo_code", "site_id",
)
READ_ONLY_FIELDS = (
    "service_id", "customer_id", "product_id", "service_uuid", "service_provisioned_date", "provisioning_play",
    "provisioning_json_vars", "deprovisioning_play", "deprovisioning_json_vars", "bundled_parent", "invoiced",
    "created", "last_modified",
)


class Service(Base):
    __tablename__ = "customer_service"

    service_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.customer_id", ondelete="RESTRICT"), index=True)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("product.product_id", ondelete="SET NULL"),
                                                   index=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("customer_site.site_id", ondelete="SET NULL"),
                                                index=True)
    bundled_parent: Mapped[int | None] = mapped_column(
        ForeignKey("customer_service.service_id", ondelete="SET NULL"), index=True)
    service_name: Mapped[str] = mapped_column(String(255))
    service_type: Mapped[str] = mapped_column(String(64), index=True)
    service_uuid: Mapped[str] = mapped_column(String(128), unique=True)  # the OCS account id
    icon: Mapped[str | None] = mapped_column(String(100))
    service_status: Mapped[str] = mapped_column(String(16), default=ACTIVE, index=True)
    service_provisioned_date: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    service_active_date: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    service_deactivate_date: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)
    contract_end_date: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    retail_cost: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    wholesale_cost: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    service_billed: Mapped[bool] = mapped_column(Boolean, default=True)
    service_taxable: Mapped[bool] = mapped_column(Boolean, default=True)
    invoiced: Mapped[bool] = mapped_column(Boolean, default=False)
    promo_code: Mapped[str | None] = mapped_column(String(64))
    service_visible_to_customer: Mapped[bool] = mapped_column(Boolean, default=True)
    service_usage_visible_to_customer: Mapped[bool] = mapped_column(Boolean, default=True)
    provisioning_play: Mapped[str | None] = mapped_column(String(150))
    provisioning_json_vars: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    deprovisioning_play: Mapped[str | None] = mapped_column(String(150))
    deprovisioning_json_vars: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    service_notes: Mapped[str | None] = mapped_column(Text)
    created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_modified: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    def search_entry(self) -> search.Searchable:
        return search.Searchable(name=self.service_name, customer_id=self.customer_id,
                                 fields=(self.service_name, self.service_uuid))


def _describe(service: Service) -> search.Searchable:
    return service.search_entry()


search.register_source("service", 5, Service, _describe, permission="view_customer_service")
