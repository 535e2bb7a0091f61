"""CGRateS JSON-RPC over HTTP: one POST per call, errors mapped, every call timed and counted.

CGRateS always answers HTTP 200 with `{"id", "result", "error"}`; `error` is a plain string
(`NOT_FOUND`, `SERVER_ERROR: ...`, `MANDATORY_IE_MISSING: [Account]`, `rpc: can't find method ...`).
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from typing import Any

import requests

from omnicrm.core.external import CallBudget, TransportFailure, call_within_budget, new_session, send
from omnicrm.core.metrics import OCS_CALLS, OCS_DURATION, OCS_ERRORS
from omnicrm.ocs.errors import OcsError, OcsNotFound, OcsUnavailable

_NOT_FOUND_ERRORS = {"NOT_FOUND", "SERVER_ERROR: NOT_FOUND"}
log = logging.getLogger("omnicrm.ocs")


class RemoteError(Exception):
    """The `error` member of a JSON-RPC reply."""


def is_not_found(error_text: str) -> bool:
    return error_text.strip() in _NOT_FOUND_ERRORS


class JsonRpcTransport:
    def __init__(self, url: str, budget: CallBudget, session: requests.Session | None = None):
        self.url = url
        self.budget = budget
        self.session = session or new_session()
        self._ids = itertools.count(1)
        self._ids_lock = threading.Lock()

    def invoke(self, method: str, arg: Any, *, idempotent: bool) -> Any:
        """Call `method` with one argument (CGRateS takes `params: [arg]`) and return `result`.

        Raises OcsUnavailable (503) when CGRateS is unreachable or slow, OcsNotFound (404) for NOT_FOUND and
        OcsError (422, with the remote error) for any other error string.
        """
        started = time.perf_counter()
        status = "success"
        try:
            return call_within_budget(lambda timeout: self._post(method, arg, timeout), self.budget,
                                      idempotent=idempotent)
        except TransportFailure as exc:
            status = "unavailable"
            OCS_ERRORS.labels(method, exc.kind).inc()
            log.warning("OCS call failed", extra={"ocs_method": method, "error_type": exc.kind, "detail": exc.detail})
            raise OcsUnavailable(f"OCS (CGRateS) unavailable for {method}: {exc.detail}") from exc
        except RemoteError as exc:
            text = str(exc)
            if is_not_found(text):
                status = "not_found"
                raise OcsNotFound(f"{method}: {text}") from exc
            status = "error"
            OCS_ERRORS.labels(method, "rpc_error").inc()
            log.warning("OCS rejected a call", extra={"ocs_method": method, "remote_error": text})
            raise OcsError(f"OCS rejected {method}: {text}", method=method, remote_error=text) from exc
        finally:
            OCS_CALLS.labels(method, status).inc()
            OCS_DURATION.labels(method).observe(time.perf_counter() - started)

    def _post(self, method: str, arg: Any, timeout: float) -> Any:
        with self._ids_lock:
            request_id = next(self._ids)
        body = {"method": method, "params": [arg], "id": request_id}
        response = send(self.session, "POST", self.url, timeout, json=body)
        if response.status_code != 200:
            raise TransportFailure("http_status", f"HTTP {response.status_code} from {self.url}")
        try:
            envelope = response.json()
        except ValueError:
            raise TransportFailure("bad_response", "the reply is not JSON") from None
        if not isinstance(envelope, dict) or not ({"result", "error"} & envelope.keys()):
            raise TransportFailure("bad_response", "the reply is not a JSON-RPC envelope")
        if envelope.get("error") is not None:
            raise RemoteError(str(envelope["error"]))
        return envelope.get("result")
