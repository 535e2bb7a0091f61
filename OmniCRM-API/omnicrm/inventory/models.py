"""Tables `inventory_template`, `inventory`, `inventory_identifier` and `inventory_import`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.dialects import mysql
from sqlalchemy.orm import Mapped, mapped_column, relationship

from omnicrm.core.crypto import EncryptedText
from omnicrm.core.db import Base, Money, UTCDateTime, utcnow
from omnicrm.utilities import search

LongText = Text().with_variant(mysql.MEDIUMTEXT(), "mysql", "mariadb")
LongBlob = LargeBinary().with_variant(mysql.LONGBLOB(), "mysql", "mariadb")


def _label() -> Any:
    return mapped_column(String(100))


def _itemtext() -> Any:
    return mapped_column(String(255))


class InventoryTemplate(Base):
    __tablename__ = "inventory_template"

    inventory_template_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item: Mapped[str] = mapped_column(String(100), unique=True)
    itemtext1_label: Mapped[str | None] = _label()
    itemtext2_label: Mapped[str | None] = _label()
    itemtext3_label: Mapped[str | None] = _label()
    itemtext4_label: Mapped[str | None] = _label()
    itemtext5_label: Mapped[str | None] = _label()
    itemtext6_label: Mapped[str | None] = _label()
    itemtext7_label: Mapped[str | None] = _label()
    itemtext8_label: Mapped[str | None] = _label()
    itemtext9_label: Mapped[str | None] = _label()
    itemtext10_label: Mapped[str | None] = _label()
    itemtext11_label: Mapped[str | None] = _label()
    itemtext12_label: Mapped[str | None] = _label()
    itemtext13_label: Mapped[str | None] = _label()
    itemtext14_label: Mapped[str | None] = _label()
    itemtext15_label: Mapped[str | None] = _label()
    itemtext16_label: Mapped[str | None] = _label()
    itemtext17_label: Mapped[str | None] = _label()
    itemtext18_label: Mapped[str | None] = _label()
    itemtext19_label: Mapped[str | None] = _label()
    itemtext20_label: Mapped[str | None] = _label()
    wholesale_cost: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    retail_cost: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    allow_dropdown_staff: Mapped[bool] = mapped_column(Boolean, default=True)
    allow_dropdown_customer: Mapped[bool] = mapped_column(Boolean, default=False)
    icon: Mapped[str | None] = mapped_column(String(100))
    created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_modified: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class InventoryImport(Base):
    """One CSV upload: the (encrypted) file until it is processed, then the outcome and per-row report."""

    __tablename__ = "inventory_import"

    import_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job_id: Mapped[int | None] = mapped_column(ForeignKey("job.job_id", ondelete="SET NULL"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="queued")
    filename: Mapped[str | None] = mapped_column(String(255))
    default_template_id: Mapped[int | None] = mapped_column(
        ForeignKey("inventory_template.inventory_template_id", ondelete="SET NULL"))
    content: Mapped[bytes | None] = mapped_column(LongBlob, info={"secret": True})
    row_count: Mapped[int] = mapped_column(Integer, default=0)
    imported_count: Mapped[int] = mapped_column(Integer, default=0)
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    first_inventory_id: Mapped[int | None] = mapped_column(Integer)
    last_inventory_id: Mapped[int | None] = mapped_column(Integer)
    created_by: Mapped[str | None] = mapped_column(String(255))
    created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class InventoryIdentifier(Base):
    """ICCID / IMSI / MSISDN values, unique across the inventory (the primary key enforces it)."""

    __tablename__ = "inventory_identifier"
    __audit__ = False  # derived from the item's itemtext fields, whose changes are audited

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    value: Mapped[str] = mapped_column(String(64), primary_key=True)
    inventory_id: Mapped[int] = mapped_column(ForeignKey("inventory.inventory_id", ondelete="CASCADE"), index=True)


class InventoryItem(Base):
    __tablename__ = "inventory"
    __table_args__ = (
        # The picker's filter (free stock of one type) answered from the index alone.
        Index("ix_inventory_picker", "inventory_template_id", "item_state", "customer_id", "service_id"),
    )

    inventory_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inventory_template_id: Mapped[int] = mapped_column(
        ForeignKey("inventory_template.inventory_template_id", ondelete="RESTRICT"))
    customer_id: Mapped[int | None] = mapped_column(
        ForeignKey("customer.customer_id", ondelete="SET NULL"), index=True)
    service_id: Mapped[int | None] = mapped_column(
        ForeignKey("customer_service.service_id", ondelete="SET NULL"), index=True)
    import_id: Mapped[int | None] = mapped_column(
        ForeignKey("inventory_import.import_id", ondelete="SET NULL"), index=True)
    item_location: Mapped[str | None] = mapped_column(String(255))
    item_state: Mapped[str] = mapped_column(String(16), default="New")
    itemtext1: Mapped[str | None] = _itemtext()
    itemtext2: Mapped[str | None] = _itemtext()
    itemtext3: Mapped[str | None] = _itemtext()
    itemtext4: Mapped[str | None] = _itemtext()
    itemtext5: Mapped[str | None] = _itemtext()
    itemtext6: Mapped[str | None] = _itemtext()
    itemtext7: Mapped[str | None] = _itemtext()
    itemtext8: Mapped[str | None] = _itemtext()
    itemtext9: Mapped[str | None] = _itemtext()
    itemtext10: Mapped[str | None] = _itemtext()
    itemtext11: Mapped[str | None] = _itemtext()
    itemtext12: Mapped[str | None] = _itemtext()
    itemtext13: Mapped[str | None] = _itemtext()
    itemtext14: Mapped[str | None] = _itemtext()
    itemtext15: Mapped[str | None] = _itemtext()
    itemtext16: Mapped[str | None] = _itemtext()
    itemtext17: Mapped[str | None] = _itemtext()
    itemtext18: Mapped[str | None] = _itemtext()
    itemtext19: Mapped[str | None] = _itemtext()
    itemtext20: Mapped[str | None] = _itemtext()
    # Values of the slots labelled Ki / OPc, as JSON {"3": "...", "4": "..."}; the itemtextN column stays empty.
    itemtext_secrets: Mapped[str | None] = mapped_column(EncryptedText(1024), info={"secret": True})
    wholesale_cost: Mapped[Decimal | None] = mapped_column(Money)
    retail_cost: Mapped[Decimal | None] = mapped_column(Money)
    sold_date: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    address_line_1: Mapped[str | None] = mapped_column(String(255))
    address_line_2: Mapped[str | None] = mapped_column(String(255))
    city: Mapped[str | None] = mapped_column(String(100))
    state: Mapped[str | None] = mapped_column(String(100))
    zip_code: Mapped[str | None] = mapped_column(String(20))
    country: Mapped[str | None] = mapped_column(String(100))
    google_maps_place_id: Mapped[str | None] = mapped_column(String(255))
    plus_code: Mapped[str | None] = mapped_column(String(32))
    latitude: Mapped[str | None] = mapped_column(String(32))
    longitude: Mapped[str | None] = mapped_column(String(32))
    management_url: Mapped[str | None] = mapped_column(String(1024))
    management_username: Mapped[str | None] = mapped_column(String(255))
    management_password: Mapped[str | None] = mapped_column(EncryptedText(512), info={"secret": True})
    config_content: Mapped[str | None] = mapped_column(LongText)
    config_file_path: Mapped[str | None] = mapped_column(String(1024))
    inventory_notes: Mapped[str | None] = mapped_column(Text)
    # Rented equipment taken off its service but still at the customer's: when it must be back (else Lost).
    return_due: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)
    created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_modified: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Every UPDATE is conditional on the version read: of two concurrent changes exactly one wins.
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    template: Mapped[InventoryTemplate] = relationship(lazy="joined", innerjoin=True)
    identifiers: Mapped[list[InventoryIdentifier]] = relationship(cascade="all, delete-orphan",
                                                                   lazy="selectin", passive_deletes=True)

    __mapper_args__ = {"version_id_col": version_id}


def _describe_item(item: InventoryItem) -> search.Searchable:
    """Items are found by their first two identifiers (a SIM's ICCID and IMSI, a router's serial and MAC)."""
    name = " / ".join(text for text in (item.itemtext1, item.itemtext2) if text) or f"Item {item.inventory_id}"
    return search.Searchable(name=name, customer_id=item.customer_id, fields=(item.itemtext1, item.itemtext2))


search.register_source("inventory", 4, InventoryItem, _describe_item, permission="view_inventory")
