"""CGRateS error strings (utils/errors.go). They travel as the JSON-RPC ``error`` member with HTTP 200."""

from __future__ import annotations

NOT_FOUND = "NOT_FOUND"
EXISTS = "EXISTS"
PARTIALLY_EXECUTED = "PARTIALLY_EXECUTED"
NOT_IMPLEMENTED = "NOT_IMPLEMENTED"


class RPCError(Exception):
    """An error reply; ``str(exc)`` is exactly what CGRateS sends."""


def not_found() -> RPCError:
    return RPCError(NOT_FOUND)


def exists() -> RPCError:
    return RPCError(EXISTS)


def server_error(inner: str | Exception) -> RPCError:
    return RPCError(f"SERVER_ERROR: {inner}")


def mandatory_missing(*fields: str) -> RPCError:
    """``utils.NewErrMandatoryIeMissing``: ``MANDATORY_IE_MISSING: [Account BalanceType]``."""
    return RPCError(f"MANDATORY_IE_MISSING: [{' '.join(fields)}]")


def action_mandatory_missing(action_id: str, fields: list[str]) -> RPCError:
    """The per-entry variant of SetActions/SetActionPlan: ``MANDATORY_IE_MISSING:Action:<id>:[Time]``."""
    return RPCError(f"MANDATORY_IE_MISSING:Action:{action_id}:[{' '.join(fields)}]")


class ActionFailed(Exception):
    """An action function failed; the account is not saved and the call reports PARTIALLY_EXECUTED."""
