from decimal import Decimal

from sqlalchemy import select

from omnicrm.auth.models import User
from omnicrm.core.audit import AuditLog, record
from omnicrm.core.auth import Principal


def _audit(session, entity, entity_id):
    return list(session.scalars(select(AuditLog).where(AuditLog.entity == entity,
                                                       AuditLog.entity_id == str(entity_id))
                                .order_by(AuditLog.audit_id)))


def test_create_update_delete_are_recorded_with_actor_and_values(db):
    actor = Principal(kind="user", user_id=77, username="alice", impersonator_id=5, source_ip="10.0.0.1")
    with db.transaction() as s:
        s.info["actor"] = actor.actor()
        user = User(username="bob", email="bob@example.com", password_hash="$2b$hash", first_name="Bob")
        s.add(user)
        s.flush()
        user_id = user.id
    with db.transaction() as s:
        s.info["actor"] = actor.actor()
        s.get(User, user_id).first_name = "Robert"
    with db.transaction() as s:
        s.delete(s.get(User, user_id))
    with db.transaction() as s:
        rows = _audit(s, "user", user_id)
    assert [r.action for r in rows] == ["create", "update", "delete"]
    created, updated, deleted = rows
    assert created.actor_user_id == 77 and created.impersonator_user_id == 5 and created.actor_ip == "10.0.0.1"
    assert created.changes["after"]["username"] == "bob"
    assert created.changes["after"]["password_hash"] == "***"
    assert updated.changes == {"first_name": {"before": "Bob", "after": "Robert"}}
    assert deleted.actor_type == "system" and deleted.changes["before"]["first_name"] == "Robert"


def test_unchanged_flush_records_nothing_and_custom_events_are_kept(db):
    with db.transaction() as s:
        user = User(username="carol", email="carol@example.com", password_hash="x")
        s.add(user)
        s.flush()
        user_id = user.id
    with db.transaction() as s:
        s.get(User, user_id).first_name = None  # was already None
        record(s, action="note", entity="customer", entity_id=3, customer_id=3, note="called the customer",
               changes={"amount": str(Decimal("1.50"))})
    with db.transaction() as s:
        assert [r.action for r in _audit(s, "user", user_id)] == ["create"]
        note = _audit(s, "customer", 3)[-1]
        assert note.customer_id == 3 and note.note == "called the customer"
