"""Customers and what hangs off them: contacts, sites, attributes, tags (seed-extract-1 §4.1-4.3, §4.13-4.14)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import phonenumbers
from sqlalchemy import (
    JSON,
    Boolean,
    Double,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects import mysql
from sqlalchemy.orm import Mapped, mapped_column, relationship

from omnicrm.core.db import Base, UTCDateTime, utcnow
from omnicrm.utilities import search

# SPEC D6
OPEN, SUSPENDED, CLOSED, ARCHIVED = "Open", "Suspended", "Closed", "Archived"
CUSTOMER_STATUSES = (OPEN, SUSPENDED, CLOSED, ARCHIVED)
ACCOUNT_TYPES = ("Individual", "Business")
PAYMENT_TYPES = ("prepaid", "postpaid")
CONTACT_TYPES = ("primary", "billing", "technical", "administrative", "sales", "support", "emergency", "other")
TAG_DEFAULT_DEACTIVATE = dt.datetime(2099, 1, 1, tzinfo=dt.UTC)

# Children go through the ORM on delete so the audit log and the search index see each one.
_CHILD = {"cascade": "all, delete-orphan"}


class Customer(Base):
    __tablename__ = "customer"

    customer_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_name: Mapped[str] = mapped_column(String(255), index=True)
    customer_account_type: Mapped[str] = mapped_column(String(16), default="Individual")
    customer_status: Mapped[str] = mapped_column(String(16), default=OPEN, index=True)
    customer_payment_type: Mapped[str] = mapped_column(String(16), default="prepaid")
    customer_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    tax_identifier: Mapped[str | None] = mapped_column(String(64))
    contract_start_date: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    contract_end_date: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_modified: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    contacts: Mapped[list[Contact]] = relationship(back_populates="customer", order_by="Contact.contact_id", **_CHILD)
    sites: Mapped[list[Site]] = relationship(back_populates="customer", order_by="Site.site_id", **_CHILD)
    attributes: Mapped[list[Attribute]] = relationship(order_by="Attribute.attribute_id", **_CHILD)
    tags: Mapped[list[Tag]] = relationship(order_by="Tag.tag_id", **_CHILD)

    def search_entry(self) -> search.Searchable:
        return search.Searchable(name=self.customer_name, customer_id=self.customer_id,
                                 fields=(self.customer_name, self.tax_identifier),
                                 closed=self.customer_status != OPEN)


class Contact(Base):
    __tablename__ = "customer_contact"

    contact_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.customer_id", ondelete="CASCADE"), index=True)
    contact_firstname: Mapped[str | None] = mapped_column(String(100))
    contact_lastname: Mapped[str | None] = mapped_column(String(100))
    contact_email: Mapped[str | None] = mapped_column(String(254), index=True)
    contact_phone: Mapped[str | None] = mapped_column(String(40))  # as entered
    contact_phone_e164: Mapped[str | None] = mapped_column(String(16))  # normalised, e.g. +447700900123
    contact_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_modified: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    customer: Mapped[Customer] = relationship(back_populates="contacts")

    @property
    def contact_name(self) -> str:
        return " ".join(part for part in (self.contact_firstname, self.contact_lastname) if part)

    def search_entry(self) -> search.Searchable:
        fields = (self.contact_firstname, self.contact_lastname, self.contact_name, self.contact_email,
                  self.contact_phone, *_phone_digits(self.contact_phone_e164))
        return search.Searchable(name=self.contact_name or self.contact_email or "", customer_id=self.customer_id,
                                 fields=fields)


class Site(Base):
    __tablename__ = "customer_site"
    __table_args__ = (Index("ix_customer_site_latitude_longitude", "latitude", "longitude"),)

    site_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.customer_id", ondelete="CASCADE"), index=True)
    site_name: Mapped[str | None] = mapped_column(String(255))
    address_line_1: Mapped[str | None] = mapped_column(String(255))
    address_line_2: Mapped[str | None] = mapped_column(String(255))
    city: Mapped[str | None] = mapped_column(String(100))
    state: Mapped[str | None] = mapped_column(String(100))
    zip_code: Mapped[str | None] = mapped_column(String(20))
    country: Mapped[str | None] = mapped_column(String(100))
    latitude: Mapped[float | None] = mapped_column(Double)
    longitude: Mapped[float | None] = mapped_column(Double)
    google_maps_place_id: Mapped[str | None] = mapped_column(String(255))
    plus_code: Mapped[str | None] = mapped_column(String(64))
    created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_modified: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    customer: Mapped[Customer] = relationship(back_populates="sites")

    def search_entry(self) -> search.Searchable:
        return search.Searchable(name=self.site_name or self.address_line_1 or "", customer_id=self.customer_id,
                                 fields=(self.site_name, self.address_line_1, self.address_line_2, self.city,
                                         self.state, self.zip_code, self.plus_code))


class Attribute(Base):
    __tablename__ = "customer_attribute"
    __table_args__ = (UniqueConstraint("customer_id", "attribute_name"),)

    attribute_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.customer_id", ondelete="CASCADE"), index=True)
    attribute_name: Mapped[str] = mapped_column(String(150))
    attribute_value: Mapped[str] = mapped_column(Text)
    created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_modified: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Tag(Base):
    __tablename__ = "customer_tag"

    tag_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.customer_id", ondelete="CASCADE"), index=True)
    tag_text: Mapped[str] = mapped_column(String(100))
    tag_hex_color: Mapped[str] = mapped_column(String(6))
    tag_link: Mapped[str | None] = mapped_column(String(2048))
    tag_active_date: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    tag_deactivate_date: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=lambda: TAG_DEFAULT_DEACTIVATE)
    created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_modified: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    @property
    def tag_active(self) -> bool:
        """Shown only between its active and deactivate dates (seed-extract-1 §7.6)."""
        return self.tag_active_date <= utcnow() < self.tag_deactivate_date


class CustomerImport(Base):
    """An uploaded CSV waiting for (or processed by) a `customer_import` job; its outcome is on the job."""

    __tablename__ = "customer_import"
    __audit__ = False

    import_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job_id: Mapped[int | None] = mapped_column(Integer, index=True)
    filename: Mapped[str | None] = mapped_column(String(255))
    row_count: Mapped[int] = mapped_column(Integer)
    dry_run: Mapped[bool] = mapped_column(Boolean, default=False)
    content: Mapped[bytes | None] = mapped_column(LargeBinary().with_variant(mysql.LONGBLOB(), "mysql", "mariadb"))
    created_by_user_id: Mapped[int | None] = mapped_column(Integer)
    created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


def _phone_digits(e164: str | None) -> tuple[str, ...]:
    """The E.164 digits and the national significant number, so either form is found by search."""
    if not e164:
        return ()
    digits = e164.lstrip("+")
    # Country codes are prefix-free, so the first known one is the number's (cheaper than a full parse).
    length = next((n for n in (1, 2, 3) if int(digits[:n] or 0) in phonenumbers.COUNTRY_CODE_TO_REGION_CODE), 0)
    return tuple(dict.fromkeys(d for d in (digits, digits[length:]) if d))


def _describe(obj: Any) -> search.Searchable:
    return obj.search_entry()  # type: ignore[no-any-return]


# Type codes are stored in the index: never change them. Inventory and services register 4 and 5.
search.register_source("customer", 1, Customer, _describe, permission="view_customer", defines_closed=True)
search.register_source("contact", 2, Contact, _describe, permission="view_customer_contact")
search.register_source("site", 3, Site, _describe, permission="view_customer_site")
