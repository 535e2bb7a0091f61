"""Audit log: every create/update/delete flushed through an ORM session is recorded with its actor.

Recording happens in a session `after_flush` hook, so no service can forget it. Models opt out with
`__audit__ = False`; columns marked `info={"secret": True}` are recorded as "***".
"""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, Integer, String, event, insert, inspect
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.orm.attributes import get_history

from omnicrm.core.db import Base, UTCDateTime, utcnow

REDACTED = "***"


class AuditLog(Base):
    __tablename__ = "audit_log"
    __audit__ = False
    __table_args__ = (
        Index("ix_audit_log_entity_entity_id", "entity", "entity_id"),
        Index("ix_audit_log_customer_id_created", "customer_id", "created"),
    )

    audit_id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    action: Mapped[str] = mapped_column(String(16))  # create | update | delete | note | <custom>
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str | None] = mapped_column(String(64))
    customer_id: Mapped[int | None] = mapped_column(Integer)
    actor_type: Mapped[str] = mapped_column(String(32), default="system")
    actor_user_id: Mapped[int | None] = mapped_column(Integer, index=True)
    actor_api_key_id: Mapped[int | None] = mapped_column(Integer)
    actor_ip: Mapped[str | None] = mapped_column(String(64))
    actor_label: Mapped[str | None] = mapped_column(String(255))
    impersonator_user_id: Mapped[int | None] = mapped_column(Integer)
    request_id: Mapped[str | None] = mapped_column(String(64))
    changes: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(String(4000))


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, bytes):
        return REDACTED
    return value


def _is_audited(obj: Any) -> bool:
    return getattr(type(obj), "__audit__", True) and hasattr(type(obj), "__table__")


def _column_attrs(obj: Any) -> list[Any]:
    return list(inspect(type(obj)).column_attrs)


def _value(attr: Any, value: Any) -> Any:
    column = attr.columns[0]
    if column.info.get("secret") and value is not None:
        return REDACTED
    return _jsonable(value)


def _snapshot(obj: Any) -> dict[str, Any]:
    return {attr.key: _value(attr, getattr(obj, attr.key, None)) for attr in _column_attrs(obj)}


def _changes(obj: Any) -> dict[str, Any]:
    changed: dict[str, Any] = {}
    for attr in _column_attrs(obj):
        history = get_history(obj, attr.key)
        if not history.has_changes():
            continue
        before = history.deleted[0] if history.deleted else None
        after = history.added[0] if history.added else None
        if before == after:
            continue
        changed[attr.key] = {"before": _value(attr, before), "after": _value(attr, after)}
    return changed


def _entity_id(obj: Any) -> str | None:
    key = inspect(type(obj)).primary_key_from_instance(obj)
    if any(part is None for part in key):
        return None
    return ",".join(str(part) for part in key)


def _customer_id(obj: Any) -> int | None:
    value = getattr(obj, "customer_id", None)
    return value if isinstance(value, int) else None


def _row(session: Session, obj: Any, action: str, changes: dict[str, Any]) -> dict[str, Any]:
    actor = session.info.get("actor") or {"actor_type": "system", "actor_label": "system"}
    return {
        "created": utcnow(),
        "action": action,
        "entity": type(obj).__tablename__,
        "entity_id": _entity_id(obj),
        "customer_id": _customer_id(obj),
        "request_id": session.info.get("request_id"),
        "changes": changes,
        **{k: actor.get(k) for k in ("actor_type", "actor_user_id", "actor_api_key_id", "actor_ip",
                                      "actor_label", "impersonator_user_id")},
    }


def _collect(session: Session) -> list[dict[str, Any]]:
    rows = []
    for obj in session.new:
        if _is_audited(obj):
            rows.append(_row(session, obj, "create", {"after": _snapshot(obj)}))
    for obj in session.dirty:
        if _is_audited(obj) and session.is_modified(obj, include_collections=False):
            changes = _changes(obj)
            if changes:
                rows.append(_row(session, obj, "update", changes))
    for obj in session.deleted:
        if _is_audited(obj):
            rows.append(_row(session, obj, "delete", {"before": _snapshot(obj)}))
    return rows


@event.listens_for(Session, "after_flush")
def _record_audit(session: Session, _flush_context: Any) -> None:
    if session.info.get("audit_disabled"):
        return
    rows = _collect(session)
    if rows:
        session.connection().execute(insert(AuditLog), rows)


def record(session: Session, *, action: str, entity: str, entity_id: Any = None, customer_id: int | None = None,
           changes: dict[str, Any] | None = None, note: str | None = None) -> AuditLog:
    """Record an event that is not a row change (a login, an impersonation, a manual note, a proxy call)."""
    actor = session.info.get("actor") or {"actor_type": "system", "actor_label": "system"}
    entry = AuditLog(
        action=action, entity=entity, entity_id=None if entity_id is None else str(entity_id),
        customer_id=customer_id, changes=changes, note=note, request_id=session.info.get("request_id"),
        **{k: actor.get(k) for k in ("actor_type", "actor_user_id", "actor_api_key_id", "actor_ip",
                                      "actor_label", "impersonator_user_id")},
    )
    session.add(entry)
    return entry
