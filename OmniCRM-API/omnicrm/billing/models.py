"""The `transaction` table: one charge (positive retail_cost) or credit (negative) on a customer.

A transaction is never deleted: voiding keeps the row with who, when and why, and takes it out of every total.
`invoice_id` stays null until an invoice takes the line (invoices are a later part of billing, so there is no
foreign key yet).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Boolean, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from omnicrm.core.db import Base, Money, UTCDateTime, utcnow


class Transaction(Base):
    __tablename__ = "transaction"

    transaction_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.customer_id", ondelete="RESTRICT"), index=True)
    service_id: Mapped[int | None] = mapped_column(
        ForeignKey("customer_service.service_id", ondelete="SET NULL"), index=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("customer_site.site_id", ondelete="SET NULL"),
                                                index=True)
    invoice_id: Mapped[int | None] = mapped_column(Integer, index=True)
    title: Mapped[str] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)
    retail_cost: Mapped[Decimal] = mapped_column(Money)
    wholesale_cost: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    tax_percentage: Mapped[Decimal] = mapped_column(Numeric(7, 4, asdecimal=True), default=Decimal(0))
    tax_amount: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    void: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    void_time: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    void_by: Mapped[str | None] = mapped_column(String(255))
    void_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    void_reason: Mapped[str | None] = mapped_column(String(500))
    created_by: Mapped[str | None] = mapped_column(String(255))
    created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    last_modified: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
