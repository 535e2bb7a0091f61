"""Shared machinery for the fake external servers.

Every fake is a WSGI app with inspectable, lock-protected state, a failure injector and a small control API
under ``/__fake__/`` so that another process (demo, benchmarks, Ansible in integration tests) can drive it:

    GET    /__fake__/health     liveness
    GET    /__fake__/state      snapshot of the fake's state
    POST   /__fake__/reset      forget all state, requests and injected failures
    GET    /__fake__/requests   the requests received (bounded log)
    POST   /__fake__/fail       inject a failure, body {"target"|"method"|"route", "times", "error", "status",
                                "delay", "body"}; "times": null means always
    GET    /__fake__/fail       the active failure rules
    DELETE /__fake__/fail       clear the failure rules

A fake runs in-process on a loopback thread (``with FakeX.serve() as fake: fake.url``) or as a process
(``python -m tests.fakes.<name> --port N``).
"""

from __future__ import annotations

import argparse
import collections
import fnmatch
import json
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import Any, ClassVar

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

CONTROL_PREFIX = "/__fake__"
REQUEST_LOG_LIMIT = 5000
ControlHandler = Callable[[Request], Any]


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(data), status=status, mimetype="application/json", headers=headers)


def read_json(request: Request) -> Any:
    """The request body parsed as JSON, or None when it is empty or malformed."""
    raw = request.get_data(as_text=True)
    if not raw.strip():
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None


@dataclass
class FailureRule:
    """One injected failure. ``target`` is an fnmatch pattern over the keys a fake offers for a call
    (an RPC method name, ``"POST /alerts/send"`` or a bare path)."""

    target: str
    times: int | None = 1
    error: str | None = None
    status: int | None = None
    delay: float = 0.0
    body: Any = None
    hits: int = 0

    def matches(self, keys: tuple[str, ...]) -> bool:
        return any(fnmatch.fnmatchcase(key, self.target) for key in keys)

    @property
    def exhausted(self) -> bool:
        return self.times is not None and self.hits >= self.times

    @property
    def only_delays(self) -> bool:
        return self.error is None and self.status is None and self.body is None


class FailureInjector:
    def __init__(self) -> None:
        self._rules: list[FailureRule] = []
        self._lock = threading.Lock()

    def add(
        self,
        target: str,
        *,
        times: int | None = 1,
        error: str | None = None,
        status: int | None = None,
        delay: float = 0.0,
        body: Any = None,
    ) -> FailureRule:
        rule = FailureRule(target, times, error, status, float(delay or 0), body)
        with self._lock:
            self._rules.append(rule)
        return rule

    def take(self, *keys: str) -> FailureRule | None:
        """The first live rule matching any key, counted as used once."""
        with self._lock:
            for rule in self._rules:
                if rule.matches(keys):
                    rule.hits += 1
                    if rule.exhausted:
                        self._rules.remove(rule)
                    return rule
        return None

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    def describe(self) -> list[dict[str, Any]]:
        with self._lock:
            return [asdict(rule) for rule in self._rules]


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass


class FakeServer:
    """Base class: subclasses implement ``reset_state``, ``snapshot`` and ``dispatch``."""

    name: ClassVar[str] = "fake"
    default_port: ClassVar[int] = 0
    # HTTP fakes get route-level failure injection for free; RPC fakes apply it per method themselves.
    inject_http_failures: ClassVar[bool] = True

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.failures = FailureInjector()
        self.requests: collections.deque[dict[str, Any]] = collections.deque(maxlen=REQUEST_LOG_LIMIT)
        self._wake = threading.Event()
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None
        self.url: str | None = None
        self.reset_state()

    # -- to implement -------------------------------------------------------------------------------------
    def reset_state(self) -> None:
        raise NotImplementedError

    def snapshot(self) -> dict[str, Any]:
        raise NotImplementedError

    def dispatch(self, request: Request) -> Response:
        raise NotImplementedError

    def extra_control_routes(self) -> dict[tuple[str, str], ControlHandler]:
        """Fake-specific control endpoints: {(HTTP method, sub-path after /__fake__/): handler}."""
        return {}

    @classmethod
    def add_cli_arguments(cls, parser: argparse.ArgumentParser) -> None:
        pass

    @classmethod
    def options_from_cli(cls, args: argparse.Namespace) -> dict[str, Any]:
        return {}

    # -- state ----------------------------------------------------------------------------------------------
    def reset(self) -> None:
        with self.lock:
            self.failures.clear()
            self.requests.clear()
            self._wake.set()  # release requests parked in an injected delay
            self._wake = threading.Event()
            self.reset_state()

    def fail(self, target: str, **rule: Any) -> FailureRule:
        """Inject a failure: ``fake.fail("APIerSv2.SetAccount", error="SERVER_ERROR: boom", times=1)``."""
        return self.failures.add(target, **rule)

    def pause(self, seconds: float) -> None:
        """Sleep for an injected delay; a reset or stop cuts it short."""
        if seconds > 0:
            self._wake.wait(seconds)

    # -- WSGI -----------------------------------------------------------------------------------------------
    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        request = Request(environ)
        return self.route(request)(environ, start_response)

    def route(self, request: Request) -> Response:
        if request.path == CONTROL_PREFIX or request.path.startswith(CONTROL_PREFIX + "/"):
            return self._control(request)
        self._record(request)
        if self.inject_http_failures:
            injected = self.apply_http_failure(request)
            if injected is not None:
                return injected
        return self.dispatch(request)

    def apply_http_failure(self, request: Request) -> Response | None:
        rule = self.failures.take(f"{request.method} {request.path}", request.path)
        if rule is None:
            return None
        self.pause(rule.delay)
        if rule.only_delays:
            return None
        body = rule.body if rule.body is not None else {"error": rule.error or "injected failure"}
        if isinstance(body, str):
            return Response(body, status=rule.status or 500)
        return json_response(body, status=rule.status or 500)

    def _record(self, request: Request) -> None:
        entry = {
            "time": time.time(),
            "method": request.method,
            "path": request.path,
            "query": request.args.to_dict(flat=False),
            "headers": dict(request.headers),
            "body": request.get_data(as_text=True),
        }
        with self.lock:
            self.requests.append(entry)

    # -- control API ----------------------------------------------------------------------------------------
    def _control(self, request: Request) -> Response:
        sub_path = request.path[len(CONTROL_PREFIX) :].strip("/")
        routes = {**self._base_control_routes(), **self.extra_control_routes()}
        handler = routes.get((request.method, sub_path))
        if handler is None:
            return json_response({"error": f"no control route {request.method} /{sub_path}"}, 404)
        try:
            result = handler(request)
        except (KeyError, TypeError, ValueError) as exc:
            return json_response({"error": f"bad control request: {exc}"}, 400)
        return result if isinstance(result, Response) else json_response(result)

    def _base_control_routes(self) -> dict[tuple[str, str], ControlHandler]:
        return {
            ("GET", "health"): lambda _r: {"ok": True, "fake": self.name},
            ("GET", "state"): lambda _r: self.snapshot_json(),
            ("POST", "reset"): self._ctl_reset,
            ("GET", "requests"): lambda _r: list(self.requests),
            ("POST", "fail"): self._ctl_fail,
            ("GET", "fail"): lambda _r: self.failures.describe(),
            ("DELETE", "fail"): self._ctl_clear_failures,
        }

    def snapshot_json(self) -> Any:
        with self.lock:
            return json.loads(json.dumps(self.snapshot(), default=str))

    def _ctl_reset(self, _request: Request) -> dict[str, bool]:
        self.reset()
        return {"ok": True}

    def _ctl_fail(self, request: Request) -> dict[str, Any]:
        spec = read_json(request) or {}
        target = spec.get("target") or spec.get("method") or spec.get("route")
        if not target:
            raise ValueError("one of target, method or route is required")
        times = spec.get("times", 1)
        rule = self.fail(
            target,
            times=None if times in (None, "always") else int(times),
            error=spec.get("error"),
            status=spec.get("status"),
            delay=float(spec.get("delay", 0)),
            body=spec.get("body"),
        )
        return asdict(rule)

    def _ctl_clear_failures(self, _request: Request) -> dict[str, bool]:
        self.failures.clear()
        return {"ok": True}

    # -- serving --------------------------------------------------------------------------------------------
    def start(self, host: str = "127.0.0.1", port: int = 0) -> FakeServer:
        self._server = make_server(host, port, self, threaded=True, request_handler=_QuietHandler)
        self.url = f"http://{host}:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, name=f"fake-{self.name}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._wake.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @classmethod
    @contextmanager
    def serve(cls, host: str = "127.0.0.1", port: int = 0, **options: Any) -> Iterator[Any]:
        fake = cls(**options)
        fake.start(host, port)
        try:
            yield fake
        finally:
            fake.stop()

    @classmethod
    def main(cls, argv: list[str] | None = None) -> None:
        parser = argparse.ArgumentParser(prog=f"python -m tests.fakes.{cls.name}", description=cls.__doc__)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=cls.default_port, help="0 picks a free port")
        cls.add_cli_arguments(parser)
        args = parser.parse_args(argv)
        fake = cls(**cls.options_from_cli(args))
        fake.start(args.host, args.port)
        # The first line on stdout tells a parent process where the fake listens.
        print(f"fake-{cls.name} listening on {fake.url}", flush=True)
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        try:
            while not stop.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
        finally:
            fake.stop()
        sys.exit(0)
