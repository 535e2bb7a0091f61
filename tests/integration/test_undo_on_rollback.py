"""core.db.undo_on_rollback: outside changes undone when their transaction rolls back, never after a commit."""

from sqlalchemy import text

from omnicrm.core.db import undo_on_rollback


def test_undos_run_newest_first_when_the_transaction_rolls_back(committed_db):
    ran: list[int] = []
    session = committed_db.session()
    session.execute(text("SELECT 1"))
    undo_on_rollback(session, lambda: ran.append(1))
    undo_on_rollback(session, lambda: ran.append(2))
    nested = session.begin_nested()
    nested.rollback()  # a savepoint: the outer transaction may still commit
    assert ran == []
    session.rollback()
    assert ran == [2, 1]
    session.rollback()
    assert ran == [2, 1]  # each undo runs once
    session.close()


def test_a_commit_forgets_the_undos_and_a_failing_undo_does_not_stop_the_others(committed_db, caplog):
    ran: list[str] = []
    session = committed_db.session()
    session.execute(text("SELECT 1"))
    undo_on_rollback(session, lambda: ran.append("committed"))
    session.commit()
    session.execute(text("SELECT 1"))

    def broken() -> None:
        raise RuntimeError("OCS down")

    undo_on_rollback(session, lambda: ran.append("first"))
    undo_on_rollback(session, broken)
    session.close()  # closing an open transaction rolls it back
    assert ran == ["first"]
    assert "could not undo an outside change" in caplog.text
