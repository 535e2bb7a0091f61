"""Tables `provision` (one playbook run) and `provision_event` (one Ansible task of it), seed-extract-3 §4."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from omnicrm.core.crypto import EncryptedText
from omnicrm.core.db import Base, Money, UTCDateTime, utcnow

# SPEC D6: provisioning_status of jobs and events.
SUCCESS, RUNNING, FAILED, FAILED_IGNORED = 0, 1, 2, 3
PROVISION, DEPROVISION = "provision", "deprovision"


class SealedText(EncryptedText):
    """EncryptedText without a length limit (the merged extra vars of a play can be long)."""

    impl = Text
    cache_ok = True

    def __init__(self) -> None:
        super().__init__(65535)


class Provision(Base):
    __tablename__ = "provision"
    __table_args__ = (Index("ix_provision_status_created", "provisioning_status", "created"),)

    provision_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customer.customer_id", ondelete="SET NULL"),
                                                    index=True)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("product.product_id", ondelete="SET NULL"),
                                                   index=True)
    service_id: Mapped[int | None] = mapped_column(
        ForeignKey("customer_service.service_id", ondelete="SET NULL"), index=True)
    job_id: Mapped[int | None] = mapped_column(ForeignKey("job.job_id", ondelete="SET NULL"), index=True)
    retry_of: Mapped[int | None] = mapped_column(ForeignKey("provision.provision_id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(16), default=PROVISION)
    provisioning_play: Mapped[str] = mapped_column(String(150))
    playbook_description: Mapped[str | None] = mapped_column(String(255))
    # The merged extra vars as shown to people (secrets replaced by ***) ...
    provisioning_json_vars: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # ... and as handed to the playbook (encrypted at rest; the job's CRM token is added when it runs).
    extra_vars_sealed: Mapped[str | None] = mapped_column(SealedText, info={"secret": True})
    provisioning_status: Mapped[int] = mapped_column(Integer, default=RUNNING, index=True)
    task_count: Mapped[int] = mapped_column(Integer, default=0)
    initiating_user: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    initiated_by: Mapped[str | None] = mapped_column(String(255))  # user e-mail, API key or IP label
    # Inventory ids the request reserved (assigned to the customer) for this job; released if it fails.
    reserved_inventory: Mapped[list[int] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    # The job-scoped CRM credential (only its digest); valid while the job runs, revoked when it ends.
    credential_digest: Mapped[str | None] = mapped_column(String(64), unique=True, info={"secret": True})
    credential_expires: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    credential_revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    started: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    finished: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    last_modified: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    events: Mapped[list[ProvisionEvent]] = relationship(
        back_populates="provision", order_by="ProvisionEvent.event_number", cascade="all, delete-orphan",
        passive_deletes=True)


class ProvisionEvent(Base):
    __tablename__ = "provision_event"
    __audit__ = False  # written by the runner for every task; the provision row itself is audited

    provision_event_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    provision_id: Mapped[int] = mapped_column(ForeignKey("provision.provision_id", ondelete="CASCADE"),
                                              index=True)
    event_number: Mapped[int] = mapped_column(Integer)
    event_name: Mapped[str] = mapped_column(String(255))
    provisioning_status: Mapped[int] = mapped_column(Integer, default=RUNNING)
    provisioning_result_json: Mapped[str | None] = mapped_column(Text)
    timestamp: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    provision: Mapped[Provision] = relationship(back_populates="events")


# States of an add-on on a service.
ADDON_ACTIVE, ADDON_REMOVING, ADDON_REMOVED = "Active", "Removing", "Removed"


class ServiceAddon(Base):
    """An add-on product a successful provisioning job added to a service (seed-extract-4 §2, "Active add-ons");
    removing it runs the add-on's playbook with action "deprovision"."""

    __tablename__ = "service_addon"
    __table_args__ = (Index("ix_service_addon_service_status", "service_id", "status"),)

    addon_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("customer_service.service_id", ondelete="CASCADE"))
    product_id: Mapped[int | None] = mapped_column(ForeignKey("product.product_id", ondelete="SET NULL"),
                                                   index=True)
    provision_id: Mapped[int | None] = mapped_column(
        ForeignKey("provision.provision_id", ondelete="SET NULL"), unique=True)
    removal_provision_id: Mapped[int | None] = mapped_column(
        ForeignKey("provision.provision_id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(16), default=ADDON_ACTIVE)
    retail_cost: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    recurring: Mapped[bool] = mapped_column(Boolean, default=False)
    contract_days: Mapped[int] = mapped_column(Integer, default=0)
    inventory_ids: Mapped[list[int] | None] = mapped_column(JSON)
    added: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    removed: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
