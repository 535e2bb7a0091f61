"""How CGRateS failures surface in OmniCRM (SPEC D3)."""

from __future__ import annotations

from typing import Any

from omnicrm.core.errors import BusinessRule, DependencyUnavailable, Forbidden, NotFound


class OcsUnavailable(DependencyUnavailable):
    """CGRateS cannot be reached, did not answer in time, or answered something that is not JSON-RPC."""

    code, message = "ocs_unavailable", "The OCS (CGRateS) is unavailable"


class OcsError(BusinessRule):
    """CGRateS answered with an error string; `remote_error` is that string."""

    code, message = "ocs_error", "The OCS rejected the request"

    def __init__(self, message: str | None = None, *, method: str = "", remote_error: str = "", **kw: Any):
        super().__init__(message, **kw)
        self.method = method
        self.remote_error = remote_error


class OcsNotFound(NotFound):
    """CGRateS answered NOT_FOUND. Typed client methods turn this into None / [] / False."""

    code, message = "ocs_not_found", "Not found in the OCS"


class OcsWriteNotApplied(OcsError):
    """CGRateS answered OK but reading the object back shows the change did not happen (typically a key it
    silently ignored: Go's JSON decoding drops unknown keys, cgrates#1082)."""

    code, message = "ocs_write_not_applied", "The OCS acknowledged the change but did not apply it"


class OcsMethodNotAllowed(Forbidden):
    code, message = "ocs_method_not_allowed", "This OCS method is not allowed through the proxy"
