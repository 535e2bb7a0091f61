"""Shared plumbing for the clients of external systems (OCS, HSS, and later mailer, SMSC, CBC).

- `call_within_budget` runs one remote call under a total time budget: an idempotent call is retried on
  transport failures (connection refused/reset, timeout) with a short backoff, but never past the budget, so
  a dependency that hangs answers 503 within the configured timeout instead of timeout * attempts.
- `lazy_service` keeps one client of each kind per application (`AppState.services`), built on first use,
  so tests and the demo can replace it with a client pointed at a fake.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import requests
from flask import Flask, current_app
from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, stop_after_delay, wait_exponential

T = TypeVar("T")

DEFAULT_READ_ATTEMPTS = 3
_MIN_ATTEMPT_SECONDS = 0.05
_build_lock = threading.Lock()


class TransportFailure(Exception):
    """The remote system could not be reached or gave no usable answer. `kind` is a metrics label:
    `timeout`, `connection`, `http_status` or `bad_response`."""

    def __init__(self, kind: str, detail: str):
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail


@dataclass(frozen=True)
class CallBudget:
    """How long one logical call may take in total, and how often an idempotent call may be tried."""

    seconds: float
    attempts: int = DEFAULT_READ_ATTEMPTS


def call_within_budget(attempt: Callable[[float], T], budget: CallBudget, *, idempotent: bool) -> T:
    """Run `attempt(timeout_seconds)`; retry TransportFailure only when `idempotent`, inside the budget."""
    deadline = time.monotonic() + budget.seconds

    def one_try() -> T:
        remaining = deadline - time.monotonic()
        if remaining < _MIN_ATTEMPT_SECONDS:
            raise TransportFailure("timeout", f"no time left of the {budget.seconds:g}s budget")
        return attempt(remaining)

    if not idempotent:
        return one_try()
    retrying = Retrying(
        stop=stop_after_attempt(budget.attempts) | stop_after_delay(budget.seconds),
        wait=wait_exponential(multiplier=0.05, max=0.5),
        retry=retry_if_exception_type(TransportFailure),
        reraise=True,
    )
    return retrying(one_try)


def send(session: requests.Session, method: str, url: str, timeout: float, **kwargs: Any) -> requests.Response:
    """One HTTP request with requests' exceptions turned into TransportFailure."""
    try:
        return session.request(method, url, timeout=(timeout, timeout), **kwargs)
    except requests.Timeout as exc:
        raise TransportFailure("timeout", f"no answer within {timeout:.2f}s") from exc
    except requests.ConnectionError as exc:
        raise TransportFailure("connection", _short_reason(exc)) from exc
    except requests.RequestException as exc:
        raise TransportFailure("connection", _short_reason(exc)) from exc


def _short_reason(exc: Exception) -> str:
    reason = str(exc.args[0]) if exc.args else type(exc).__name__
    return reason[:200]


def new_session(pool_size: int = 20) -> requests.Session:
    session = requests.Session()
    adapter = requests.adapters.HTTPAdapter(pool_connections=4, pool_maxsize=pool_size, max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def lazy_service(name: str, build: Callable[[Any], T], app: Flask | None = None) -> T:
    """The application's `name` client, built once from its settings by `build(settings)`."""
    from omnicrm.app import app_state

    state = app_state(app or current_app)
    existing = state.services.get(name)
    if existing is not None:
        return existing
    with _build_lock:
        if name not in state.services:
            state.services[name] = build(state.settings)
        return state.services[name]
