"""List totals count the rows a statement returns, also for DISTINCT and GROUP BY statements."""

from sqlalchemy import func, select

from omnicrm.core.api import count_matches
from omnicrm.core.jobs import Job, enqueue


def test_counts_match_the_rows_returned(session):
    for kind in ("a", "a", "b"):
        enqueue(session, kind)
    session.flush()
    statements = [
        select(Job),
        select(Job).where(Job.kind == "a"),
        select(Job.kind).distinct(),
        select(Job.kind, func.count()).group_by(Job.kind),
    ]
    for stmt in statements:
        assert count_matches(session, stmt) == len(session.execute(stmt).all())
