"""Every message sent (or recorded) on behalf of the CRM: the `communication` table (SPEC F9)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import Integer, String, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from omnicrm.core import crypto
from omnicrm.core.db import Base, UTCDateTime, utcnow

QUEUED, SENT, RECORDED, FAILED = "queued", "sent", "recorded", "failed"


class EncryptedJSON(TypeDecorator[Any]):
    """A JSON value stored encrypted: template variables carry reset links and temporary passwords."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else crypto.encrypt(json.dumps(value, default=str))

    def process_result_value(self, value: str | None, dialect: Dialect) -> Any:
        return None if value is None else json.loads(crypto.decrypt(value))


class Communication(Base):
    __tablename__ = "communication"

    communication_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int | None] = mapped_column(Integer, index=True)
    user_id: Mapped[int | None] = mapped_column(Integer, index=True)
    channel: Mapped[str] = mapped_column(String(16), default="email")  # email | sms
    recipient: Mapped[str] = mapped_column(String(254))
    recipient_name: Mapped[str | None] = mapped_column(String(200))
    subject: Mapped[str | None] = mapped_column(String(255))
    template_key: Mapped[str | None] = mapped_column(String(64), index=True)
    template_id: Mapped[int | None] = mapped_column(Integer)
    variables: Mapped[dict[str, Any] | None] = mapped_column(EncryptedJSON, info={"secret": True})
    status: Mapped[str] = mapped_column(String(16), default=QUEUED)  # queued | sent | recorded | failed
    provider: Mapped[str | None] = mapped_column(String(32))  # mailjet | outbox
    provider_message_id: Mapped[str | None] = mapped_column(String(128))
    error: Mapped[str | None] = mapped_column(String(2000))
    created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
