"""FakeCGRateS: the JSON-RPC endpoint, the Python/HTTP control surface and ``*http_post`` delivery."""

from __future__ import annotations

import argparse
import json
import threading
import urllib.error
import urllib.request
from datetime import datetime, timedelta
from typing import Any

from werkzeug.wrappers import Request, Response

from ..base import ControlHandler, FakeServer, read_json

# Importing the API modules registers their methods.
from . import api_accounts, api_actions, api_cdrs, api_misc, api_profiles, gojson  # noqa: F401
from .api_cdrs import cdr_from_event
from .engine import Clock, Engine, HttpPost
from .errors import RPCError
from .gotime import parse_rfc3339
from .rpc import Method, registry

_MISSING = object()


def _field(envelope: dict[str, Any], name: str) -> Any:
    """Go decodes the request envelope case-insensitively too."""
    for key, value in envelope.items():
        if key.casefold() == name:
            return value
    return _MISSING


def _kind(value: Any) -> str:
    return {bool: "bool", str: "string", list: "array", dict: "object"}.get(type(value), "number")


class FakeCGRateS(FakeServer):
    """Fake CGRateS: JSON-RPC at POST /jsonrpc (APIerSv1/v2, ApierV1/V2, CacheSv1, CDRsV1, SchedulerSv1…)."""

    name = "cgrates"
    default_port = 2080
    inject_http_failures = False  # failures are injected per RPC method (HTTP 200 + error string)

    def __init__(
        self,
        *,
        deliver_http_posts: bool = True,
        http_post_timeout: float = 5.0,
        default_tenant: str = "cgrates.org",
        cdrlog_enabled: bool = True,
        realtime_scheduler: bool = False,
        scheduler_interval: float = 1.0,
    ) -> None:
        self.clock = Clock()
        self.engine = Engine(self.clock, default_tenant=default_tenant, cdrlog_enabled=cdrlog_enabled)
        self.deliver_http_posts = deliver_http_posts
        self.http_post_timeout = http_post_timeout
        self.realtime_scheduler = realtime_scheduler
        self.scheduler_interval = scheduler_interval
        self._ticker: threading.Thread | None = None
        self._ticker_stop = threading.Event()
        super().__init__()

    # -- state ----------------------------------------------------------------------------------------------
    @property
    def state(self) -> Engine:
        """The live store: ``fake.state.accounts``, ``.actions``, ``.action_plans``, ``.cdrs``…"""
        return self.engine

    def reset_state(self) -> None:
        self.clock.reset()
        self.engine.reset()

    def snapshot(self) -> dict[str, Any]:
        engine = self.engine

        def plain(value: Any) -> Any:
            return json.loads(gojson.dumps(value))

        return {
            "now": engine.now().isoformat(),
            "accounts": {key: plain(acc.to_native()) for key, acc in sorted(engine.accounts.items())},
            "actions": {key: plain([a.to_native() for a in acts]) for key, acts in sorted(engine.actions.items())},
            "action_plans": {key: plain(plan.to_native()) for key, plan in sorted(engine.action_plans.items())},
            "account_action_plans": dict(engine.account_action_plans),
            "tasks": list(engine.tasks),
            "scheduler_queue": [
                {
                    "ActionPlanID": e.plan_id,
                    "ActionsID": e.timing.actions_id,
                    "Accounts": sorted(e.account_ids),
                    "NextRunTime": e.next_run.isoformat() if e.next_run else None,
                }
                for e in engine.queue
            ],
            "cdrs": plain([api_cdrs.native_cdr(cdr) for cdr in engine.cdrs]),
            "attribute_profiles": plain(list(engine.attribute_profiles.values())),
            "filters": plain(list(engine.filters.values())),
            "destinations": dict(engine.destinations),
            "http_posts": [post.to_json() for post in engine.http_posts],
            "executions": plain(engine.executions),
            "cache_reloads": plain(engine.cache_reloads),
            "logs": list(engine.logs),
        }

    # -- JSON-RPC -------------------------------------------------------------------------------------------
    def dispatch(self, request: Request) -> Response:
        if request.path != "/jsonrpc":
            return Response("404 page not found\n", status=404, mimetype="text/plain")
        headers = {}
        if request.headers.get("Origin"):
            headers["Access-Control-Allow-Origin"] = request.headers["Origin"]
        try:
            envelope = json.loads(request.get_data())
        except ValueError:
            envelope = None
        if not isinstance(envelope, dict):
            return Response(b"", status=200, mimetype="application/json", headers=headers)
        outcome = self._invoke(_field(envelope, "method"), _field(envelope, "params"))
        if isinstance(outcome, Response):
            return outcome
        result, error = outcome
        request_id = _field(envelope, "id")
        body = (
            '{"id":' + json.dumps(None if request_id is _MISSING else request_id)
            + ',"result":' + gojson.dumps(result)
            + ',"error":' + gojson.dumps(error) + "}\n"
        )  # fmt: skip
        return Response(body, status=200, mimetype="application/json", headers=headers)

    def _invoke(self, method_name: Any, params: Any) -> tuple[Any, str | None] | Response:
        if method_name is _MISSING or method_name is None:
            method_name = ""
        if not isinstance(method_name, str):
            return Response(b"", status=200, mimetype="application/json")
        try:
            called_as, method = registry.resolve(method_name)
        except RPCError as exc:
            return None, str(exc)
        injected = self._injected_failure(called_as, method_name, method)
        if injected is not None:
            return injected
        try:
            arg = self._decode_params(method, params)
            with self.lock:
                result = method.handler(self.engine, arg)
        except (RPCError, gojson.GoJSONError) as exc:
            self._deliver_pending_posts()
            return None, str(exc)
        self._deliver_pending_posts()
        return result, None

    def _injected_failure(self, called_as: str, raw_name: str, method: Method) -> tuple[None, str] | Response | None:
        rule = self.failures.take(called_as, raw_name, method.full_name)
        if rule is None:
            return None
        self.pause(rule.delay)
        if rule.status is not None:
            body = rule.body if rule.body is not None else (rule.error or "")
            text = body if isinstance(body, str) else json.dumps(body)
            return Response(text, status=rule.status, mimetype="text/plain")
        if rule.error is not None:
            return None, rule.error
        return None  # latency only

    @staticmethod
    def _decode_params(method: Method, params: Any) -> Any:
        if params is _MISSING or params is None:
            raise RPCError("jsonrpc: request body missing params")
        if not isinstance(params, list):
            raise RPCError(f"json: cannot unmarshal {_kind(params)} into Go value of type [1]interface {{}}")
        if not params:
            return method.arg.zero()
        return gojson.decode(method.arg, params[0])

    # -- in-process API -------------------------------------------------------------------------------------
    def call(self, method_name: str, *params: Any) -> Any:
        """Invoke a method without HTTP; raises RPCError like a client would see the ``error`` member."""
        outcome = self._invoke(method_name, list(params))
        if isinstance(outcome, Response):
            raise RPCError(f"HTTP {outcome.status_code}")
        result, error = outcome
        if error is not None:
            raise RPCError(error)
        return json.loads(gojson.dumps(result))

    def account(self, account: str, tenant: str | None = None) -> dict[str, Any] | None:
        """The account as APIerSv2.GetAccount returns it, or None."""
        with self.lock:
            stored = self.engine.accounts.get(self.engine.account_key(tenant or "", account))
            return json.loads(gojson.dumps(stored.to_native())) if stored else None

    def balances(self, account: str, balance_type: str, tenant: str | None = None) -> list[dict[str, Any]]:
        native = self.account(account, tenant) or {}
        return (native.get("BalanceMap") or {}).get(balance_type, [])

    def add_cdrs(self, *cdrs: dict[str, Any]) -> list[dict[str, Any]]:
        """Inject CDRs (native field names; Usage may be ns or "1m30s", times RFC3339 or datetime)."""
        with self.lock:
            return [api_cdrs.native_cdr(self.engine.store_cdr(cdr_from_event(self.engine, c))) for c in cdrs]

    @property
    def http_posts(self) -> list[HttpPost]:
        return list(self.engine.http_posts)

    def now(self) -> datetime:
        return self.clock.now()

    def reload_scheduler(self) -> None:
        with self.lock:
            self.engine.reload_scheduler()
        self._deliver_pending_posts()

    def advance(self, seconds: float = 0, *, to: datetime | None = None) -> int:
        """Move the fake's clock forward, running every scheduled timing that falls due on the way."""
        with self.lock:
            target = to or self.clock.now() + timedelta(seconds=seconds)
            executed = self.engine.run_due(target)
        self._deliver_pending_posts()
        return executed

    # -- *http_post delivery --------------------------------------------------------------------------------
    def _deliver_pending_posts(self) -> None:
        with self.lock:
            posts = self.engine.take_pending_posts()
        if not self.deliver_http_posts:
            return
        for post in posts:
            self._deliver(post)

    def _deliver(self, post: HttpPost) -> None:
        request = urllib.request.Request(
            post.url, data=post.body.encode(), headers={"Content-Type": "application/json"}, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=self.http_post_timeout) as response:
                post.status = response.status
        except urllib.error.HTTPError as exc:
            post.status, post.error = exc.code, str(exc)
        except (urllib.error.URLError, ValueError, OSError) as exc:
            post.error = str(exc)
        post.delivered = post.error is None

    # -- control API ----------------------------------------------------------------------------------------
    def extra_control_routes(self) -> dict[tuple[str, str], ControlHandler]:
        return {
            ("POST", "cdrs"): self._ctl_add_cdrs,
            ("GET", "http_posts"): lambda _r: [post.to_json() for post in self.http_posts],
            ("POST", "clock"): self._ctl_clock,
            ("POST", "scheduler/reload"): self._ctl_reload,
            ("GET", "methods"): lambda _r: registry.names(),
        }

    def _ctl_add_cdrs(self, request: Request) -> Any:
        body = read_json(request)
        cdrs = body.get("cdrs", []) if isinstance(body, dict) else body or []
        return json.loads(gojson.dumps(self.add_cdrs(*cdrs)))

    def _ctl_clock(self, request: Request) -> dict[str, Any]:
        """{"advance": seconds} runs what falls due; {"set": RFC3339} jumps (due timings run too)."""
        body = read_json(request) or {}
        target = parse_rfc3339(body["set"]) if "set" in body else None
        executed = self.advance(float(body.get("advance", 0)), to=target)
        return {"now": self.now().isoformat(), "executed": executed}

    def _ctl_reload(self, _request: Request) -> dict[str, Any]:
        self.reload_scheduler()
        return {"ok": True, "queued": len(self.engine.queue)}

    # -- serving --------------------------------------------------------------------------------------------
    def start(self, host: str = "127.0.0.1", port: int = 0) -> FakeCGRateS:
        super().start(host, port)
        if self.realtime_scheduler:
            self._ticker_stop.clear()
            self._ticker = threading.Thread(target=self._tick_forever, name="fake-cgrates-scheduler", daemon=True)
            self._ticker.start()
        return self

    def stop(self) -> None:
        self._ticker_stop.set()
        super().stop()

    def _tick_forever(self) -> None:
        while not self._ticker_stop.wait(self.scheduler_interval):
            self.advance(to=self.clock.now())

    @classmethod
    def add_cli_arguments(cls, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--no-http-post", action="store_true", help="record *http_post actions only")
        parser.add_argument("--tenant", default="cgrates.org", help="general.default_tenant")
        parser.add_argument("--no-scheduler", action="store_true", help="do not run due ActionPlans in real time")

    @classmethod
    def options_from_cli(cls, args: argparse.Namespace) -> dict[str, Any]:
        return {
            "deliver_http_posts": not args.no_http_post,
            "default_tenant": args.tenant,
            "realtime_scheduler": not args.no_scheduler,
        }
