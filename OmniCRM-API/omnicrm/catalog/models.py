"""The `product` table (seed-extract-3 §4, seed-extract-5 §4.1)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import JSON, Boolean, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from omnicrm.core.db import Base, Money, UTCDateTime, utcnow


class Product(Base):
    __tablename__ = "product"

    product_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    product_name: Mapped[str] = mapped_column(String(255))
    product_slug: Mapped[str] = mapped_column(String(150), unique=True)
    category: Mapped[str] = mapped_column(String(16), index=True)
    service_type: Mapped[str] = mapped_column(String(64), index=True)
    comment: Mapped[str | None] = mapped_column(Text)
    icon: Mapped[str | None] = mapped_column(String(100))

    retail_cost: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    wholesale_cost: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    retail_setup_cost: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    wholesale_setup_cost: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    tax_percentage: Mapped[Decimal] = mapped_column(Numeric(7, 4, asdecimal=True), default=Decimal(0))

    enabled: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    residential: Mapped[bool] = mapped_column(Boolean, default=True)
    business: Mapped[bool] = mapped_column(Boolean, default=True)
    customer_can_purchase: Mapped[bool] = mapped_column(Boolean, default=True)
    available_from: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    available_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    contract_days: Mapped[int] = mapped_column(Integer, default=30)
    auto_renew: Mapped[str] = mapped_column(String(8), default="false")  # prompt | true | false
    allow_auto_renew: Mapped[bool] = mapped_column(Boolean, default=False)
    terms: Mapped[str | None] = mapped_column(Text)
    features_list: Mapped[list[str]] = mapped_column(JSON, default=list)
    inventory_items_list: Mapped[list[str]] = mapped_column(JSON, default=list)
    relies_on_list: Mapped[list[str]] = mapped_column(JSON, default=list)

    provisioning_play: Mapped[str] = mapped_column(String(150))
    provisioning_json_vars: Mapped[str] = mapped_column(Text, default="{}")

    created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_modified: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
