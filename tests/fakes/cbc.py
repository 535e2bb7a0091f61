"""Fake cell broadcast centre (OWL CBC): ``POST {cbc_url}/alerts/send`` takes an approved alert and answers
2xx with the CBC's reference. Validation is deliberately loose: the fields OmniCRM always sends
(seed-extract-4 §11.10) must be present and sane; anything extra is kept.
"""

from __future__ import annotations

import argparse
import itertools
import time
from typing import Any

from werkzeug.wrappers import Request, Response

from .base import ControlHandler, FakeServer, json_response, read_json

GSM7_MAX_CHARS = 1395
_COUNTERS = ("repetitionPeriod", "numberOfBroadcasts", "warningPeriodSec")


class FakeCBC(FakeServer):
    """Fake CBC alert endpoint."""

    name = "cbc"

    def __init__(self, *, status_code: int = 201) -> None:
        self.status_code = status_code  # some CBCs answer 200
        super().__init__()

    def reset_state(self) -> None:
        self.alerts: list[dict[str, Any]] = []
        self._refs = itertools.count(1)

    def snapshot(self) -> dict[str, Any]:
        return {"alerts": list(self.alerts)}

    def dispatch(self, request: Request) -> Response:
        path = request.path.rstrip("/")
        if path.endswith("/alerts/send"):
            if request.method != "POST":
                return json_response({"error": "method not allowed"}, 405, {"Allow": "POST"})
            return self._send(read_json(request))
        if path.endswith("/alerts") and request.method == "GET":
            return json_response(self.alerts)
        return json_response({"error": "not found"}, 404)

    def _send(self, alert: Any) -> Response:
        problems = validate_alert(alert)
        if problems:
            return json_response({"error": "invalid alert", "details": problems}, 400)
        with self.lock:
            reference = f"CBC-{next(self._refs):06d}"
            self.alerts.append({"reference": reference, "received": time.time(), "alert": alert})
        reply = {
            "reference": reference,
            "status": "accepted",
            "messageIdentifier": alert["messageIdentifier"],
        }
        return json_response(reply, self.status_code)

    def extra_control_routes(self) -> dict[tuple[str, str], ControlHandler]:
        return {("GET", "alerts"): lambda _r: list(self.alerts)}

    @classmethod
    def add_cli_arguments(cls, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--status-code", type=int, default=201, choices=(200, 201, 202))

    @classmethod
    def options_from_cli(cls, args: argparse.Namespace) -> dict[str, Any]:
        return {"status_code": args.status_code}


def validate_alert(alert: Any) -> list[str]:
    if not isinstance(alert, dict):
        return ["body must be a JSON object"]
    problems = []
    if alert.get("messageIdentifier") in (None, ""):
        problems.append("messageIdentifier is required")
    for name in _COUNTERS:
        value = alert.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            problems.append(f"{name} must be a non-negative integer")
    problems += _check_list(alert, "localized_messages", ("language", "messageBody"))
    problems += _check_list(alert, "tracking_areas", ("tracking_area",))
    for message in alert.get("localized_messages") or []:
        body = message.get("messageBody") if isinstance(message, dict) else None
        if isinstance(body, str) and len(body) > GSM7_MAX_CHARS:
            problems.append(f"messageBody longer than {GSM7_MAX_CHARS} characters")
    return problems


def _check_list(alert: dict[str, Any], name: str, required: tuple[str, ...]) -> list[str]:
    items = alert.get(name)
    if not isinstance(items, list) or not items:
        return [f"{name} must be a non-empty list"]
    problems = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            problems.append(f"{name}[{index}] must be an object")
            continue
        problems += [f"{name}[{index}].{key} is required" for key in required if item.get(key) in (None, "")]
    return problems


if __name__ == "__main__":
    FakeCBC.main()
