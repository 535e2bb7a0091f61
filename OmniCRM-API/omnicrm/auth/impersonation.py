"""Impersonation ("Login as User", SPEC D8): a separate login session of the target, logged and audited."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from omnicrm.auth import service
from omnicrm.auth.models import AuthSession, ImpersonationLog
from omnicrm.auth.schemas import ImpersonationLogQuery
from omnicrm.core import audit
from omnicrm.core.api import ListQuery, ListSpec, Page, paginate
from omnicrm.core.auth import Principal
from omnicrm.core.config import Settings
from omnicrm.core.db import utcnow
from omnicrm.core.errors import BusinessRule, Conflict, Forbidden


def start(session: Session, settings: Settings, principal: Principal, target_user_id: int, *,
          ip: str, user_agent: str | None) -> tuple[ImpersonationLog, service.IssuedTokens]:
    service.ensure_not_impersonating(principal, "impersonate")
    impersonator = service.acting_user(session, principal)
    original = _current_session(session, principal)
    target = service.get_user(session, target_user_id)
    if target.id == impersonator.id:
        raise BusinessRule("You cannot impersonate yourself", code="impersonate_self")
    if target.is_deleted:
        raise Conflict("The user is deleted", code="user_deleted")
    if not principal.is_admin and ("admin" in target.permission_names
                                   or not set(target.permission_names) <= principal.permissions):
        raise Forbidden("You cannot impersonate a user holding permissions you do not have",
                        code="privilege_escalation")
    issued = service.start_session(session, settings, target, ip_address=ip, user_agent=user_agent,
                                   impersonator_user_id=impersonator.id)
    log = ImpersonationLog(impersonating_user_id=impersonator.id, target_user_id=target.id,
                           impersonation_start=utcnow(), session_id=issued.session.id,
                           original_session_id=original.id if original else None, ip_address=ip)
    session.add(log)
    session.flush()
    audit.record(session, action="impersonate", entity="user", entity_id=target.id, customer_id=target.customer_id,
                 note=f"{impersonator.username} started impersonating {target.username}")
    return log, issued


def stop(session: Session, settings: Settings, principal: Principal, *, ip: str,
         user_agent: str | None) -> tuple[ImpersonationLog, service.IssuedTokens]:
    """End the impersonation session and hand back tokens of the impersonator's own session."""
    if not principal.is_impersonated:
        raise Conflict("This session is not impersonating anyone", code="not_impersonating")
    current = _current_session(session, principal)
    log = session.scalar(select(ImpersonationLog).where(ImpersonationLog.session_id == current.id)) \
        if current else None
    if current is None or log is None:
        raise Conflict("This session is not impersonating anyone", code="not_impersonating")
    now = utcnow()
    current.revoked_at = now
    impersonator = service.get_user(session, log.impersonating_user_id)
    log.impersonation_end = now
    log.impersonation_duration = int((now - log.impersonation_start).total_seconds())
    original = session.get(AuthSession, log.original_session_id) if log.original_session_id else None
    if original is not None and original.revoked_at is None and original.expires_at > now:
        issued = service.issue_tokens(session, settings, original)
    else:
        issued = service.start_session(session, settings, impersonator, ip_address=ip, user_agent=user_agent)
    audit.record(session, action="impersonate_end", entity="user", entity_id=principal.user_id,
                 customer_id=principal.customer_id, note=f"{impersonator.username} stopped impersonating")
    session.flush()
    return log, issued


def _current_session(session: Session, principal: Principal) -> AuthSession | None:
    key = principal.extra.get("session_key")
    return session.scalar(select(AuthSession).where(AuthSession.session_key == key)) if key else None


LOG_LIST = ListSpec(sortable={}, default_sort=ImpersonationLog.impersonation_start.desc())


def list_logs(session: Session, query: ImpersonationLogQuery) -> Page:
    stmt = select(ImpersonationLog)
    if query.user_id is not None:
        stmt = stmt.where(or_(ImpersonationLog.impersonating_user_id == query.user_id,
                              ImpersonationLog.target_user_id == query.user_id))
    if query.start_date is not None:
        stmt = stmt.where(ImpersonationLog.impersonation_start >= query.start_date)
    if query.end_date is not None:
        stmt = stmt.where(ImpersonationLog.impersonation_start <= query.end_date)
    paging = ListQuery(page=query.page, per_page=query.per_page)
    return paginate(session, stmt, paging, LOG_LIST)

