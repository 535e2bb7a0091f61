"""How PyHSS failures surface in OmniCRM (SPEC D3)."""

from __future__ import annotations

from typing import Any

from omnicrm.core.errors import AppError, BusinessRule, DependencyUnavailable, NotFound


class HssUnavailable(DependencyUnavailable):
    """No HSS peer could be reached in time (or one refused the provisioning key)."""

    code, message = "hss_unavailable", "The HSS (PyHSS) is unavailable"


class HssError(BusinessRule):
    """PyHSS rejected the request (duplicate IMSI/ICCID, missing field, ...). The reason is redacted."""

    code, message = "hss_error", "The HSS rejected the request"


class HssNotFound(NotFound):
    code, message = "hss_not_found", "Not found in the HSS"


class HssWriteNotApplied(HssError):
    """PyHSS answered but the returned row does not show the change (PATCH ignores unknown fields)."""

    code, message = "hss_write_not_applied", "The HSS acknowledged the change but did not apply it"


class HssPartialFailure(AppError):
    """A write reached some HSS peers but not all; `peers` says which, so the caller can retry or roll back.
    503 when a peer was unreachable, 422 when a peer rejected the write."""

    code, message = "hss_partial_failure", "The change was applied on some HSS peers only"

    def __init__(self, message: str, *, status: int, peers: list[dict[str, Any]]):
        super().__init__(message, status=status, peers=peers)
        self.peers = peers
