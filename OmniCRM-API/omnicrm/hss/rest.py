"""One PyHSS peer over REST, with the replies of a live PyHSS 2.0.0 mapped to results and errors.

- Not found is HTTP 200 with body `null` (also for PATCH and DELETE of a missing row); the IMS lookup by a
  missing IMSI answers 400 `null`; an unknown route answers 404. All of these are "absent" (None) for a read.
- A write PyHSS refuses (duplicate IMSI/ICCID, missing column) is 400 `{"result": "Failed", "reason": ...}`;
  an unknown field on PUT is a 500 with the same shape. Both become HssError (422).
- The `reason` echoes SQL parameters, Ki and OPc included, so it is redacted before it goes anywhere.
- Request and response bodies are never logged.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterable
from typing import Any

import requests

from omnicrm.core.external import CallBudget, TransportFailure, call_within_budget, send
from omnicrm.core.metrics import HSS_CALLS, HSS_DURATION
from omnicrm.hss.errors import HssError, HssUnavailable

_HEX_KEY = re.compile(r"\b[0-9A-Fa-f]{32}\b")
_SQL_DETAIL = re.compile(r"\s*\[(SQL|parameters):.*", re.DOTALL)
_REASON_LIMIT = 300
log = logging.getLogger("omnicrm.hss")


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """A PyHSS error reason without SQL text, bound parameters, key material or the given secrets."""
    text = _SQL_DETAIL.sub("", text)
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    text = _HEX_KEY.sub("***", text)
    return text.strip()[:_REASON_LIMIT]


class _Rejected(Exception):
    """PyHSS understood the request and refused it."""


class _Unauthorized(Exception):
    pass


def normalise_peer(url: str) -> str:
    base = url.strip().rstrip("/")
    return base if "://" in base else f"http://{base}"


class HssPeer:
    def __init__(self, base_url: str, budget: CallBudget, session: requests.Session,
                 provisioning_key: str = ""):
        self.base_url = normalise_peer(base_url)
        self.budget = budget
        self.session = session
        self.headers = {"Provisioning-Key": provisioning_key} if provisioning_key else {}

    def request(self, operation: str, method: str, path: str, body: Any = None, *,
                secrets: Iterable[str] = ()) -> Any:
        """The decoded reply, or None when PyHSS says the row is absent. GETs are retried on transport
        failures inside the timeout budget; writes are sent once."""
        started = time.perf_counter()
        status = "error"
        try:
            reply = call_within_budget(lambda timeout: self._send(method, path, body, timeout), self.budget,
                                       idempotent=method == "GET")
            status = "success" if reply is not None else "absent"
            return reply
        except TransportFailure as exc:
            status = "unavailable"
            log.warning("HSS peer unavailable", extra={"peer": self.base_url, "hss_operation": operation,
                                                       "error_type": exc.kind, "detail": exc.detail})
            raise HssUnavailable(f"HSS peer {self.base_url} unavailable for {operation}: {exc.detail}",
                                 peer=self.base_url) from exc
        except _Unauthorized:
            status = "unauthorized"
            raise HssUnavailable(f"HSS peer {self.base_url} refused the provisioning key (hss.provisioning_key)",
                                 peer=self.base_url) from None
        except _Rejected as exc:
            reason = redact(str(exc), secrets)
            log.warning("HSS peer rejected a call", extra={"peer": self.base_url, "hss_operation": operation,
                                                           "reason": reason})
            raise HssError(f"HSS peer {self.base_url} rejected {operation}: {reason}", peer=self.base_url) from None
        finally:
            HSS_CALLS.labels(operation, status).inc()
            HSS_DURATION.labels(operation).observe(time.perf_counter() - started)

    def _send(self, method: str, path: str, body: Any, timeout: float) -> Any:
        kwargs: dict[str, Any] = {"headers": self.headers}
        if body is not None:
            kwargs["json"] = body
        response = send(self.session, method, self.base_url + path, timeout, **kwargs)
        code = response.status_code
        if code == 404:
            return None
        if code == 401:
            raise _Unauthorized()
        try:
            payload = response.json()
        except ValueError:
            if code >= 500:
                raise TransportFailure("http_status", f"HTTP {code}") from None
            raise TransportFailure("bad_response", f"HTTP {code} with a reply that is not JSON") from None
        if code == 200:
            return payload
        if code == 400 and method == "GET":
            return None
        if code == 400 or (code >= 500 and _is_pyhss_failure(payload)):
            raise _Rejected(_reason(payload))
        if code >= 500:
            raise TransportFailure("http_status", f"HTTP {code}")
        raise _Rejected(f"HTTP {code}: {_reason(payload)}")


def _is_pyhss_failure(payload: Any) -> bool:
    return isinstance(payload, dict) and payload.get("result") == "Failed"


def _reason(payload: Any) -> str:
    if isinstance(payload, dict):
        return str(payload.get("reason") or payload.get("message") or payload.get("Result") or payload)
    return str(payload)
