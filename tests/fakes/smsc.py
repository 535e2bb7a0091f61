"""Fake operator SMS gateway (SMSC) in the two forms the seed's playbooks use:

    POST {base}/SMS/plaintext/{api_key}  {"source_msisdn", "destination_msisdn", "message_body"} → 201
    POST {base}/api/send                 {"source", "destination", "message"}                    → 201

A wrong API key gives 401; a body that is not a JSON object or lacks a field gives 400.
"""

from __future__ import annotations

import argparse
import itertools
import re
import time
from typing import Any

from werkzeug.wrappers import Request, Response

from .base import ControlHandler, FakeServer, json_response, read_json

_PLAINTEXT = re.compile(r"^(?P<base>.*)/SMS/plaintext/(?P<key>[^/]+)/?$")
_API_SEND = re.compile(r"^(?P<base>.*)/api/send/?$")
_FIELDS = {
    "plaintext": ("source_msisdn", "destination_msisdn", "message_body"),
    "api_send": ("source", "destination", "message"),
}


class FakeSMSC(FakeServer):
    """Fake SMS gateway."""

    name = "smsc"

    def __init__(self, *, api_key: str = "test-sms-key") -> None:
        self.api_key = api_key
        super().__init__()

    def reset_state(self) -> None:
        self.messages: list[dict[str, Any]] = []
        self._ids = itertools.count(1)

    def snapshot(self) -> dict[str, Any]:
        return {"messages": list(self.messages)}

    def sent_to(self, msisdn: str) -> list[dict[str, Any]]:
        with self.lock:
            return [m for m in self.messages if m["destination"] == msisdn]

    def dispatch(self, request: Request) -> Response:
        plaintext = _PLAINTEXT.match(request.path)
        api_send = _API_SEND.match(request.path)
        if not plaintext and not api_send:
            return json_response({"error": "not found"}, 404)
        if request.method != "POST":
            return json_response({"error": "method not allowed"}, 405, {"Allow": "POST"})
        if plaintext and plaintext.group("key") != self.api_key:
            return json_response({"error": "invalid API key"}, 401)
        form = "plaintext" if plaintext else "api_send"
        return self._accept(form, read_json(request), plaintext.group("key") if plaintext else None)

    def _accept(self, form: str, body: Any, api_key: str | None) -> Response:
        if not isinstance(body, dict):
            return json_response({"error": "body must be a JSON object"}, 400)
        source_field, destination_field, text_field = _FIELDS[form]
        missing = [f for f in _FIELDS[form] if not isinstance(body.get(f), str) or not body[f].strip()]
        if missing:
            return json_response({"error": "missing or empty fields", "fields": missing}, 400)
        with self.lock:
            message = {
                "id": f"SM{next(self._ids):08d}",
                "form": form,
                "source": body[source_field],
                "destination": body[destination_field],
                "body": body[text_field],
                "api_key": api_key,
                "time": time.time(),
            }
            self.messages.append(message)
        return json_response({"status": "accepted", "message_id": message["id"]}, 201)

    def extra_control_routes(self) -> dict[tuple[str, str], ControlHandler]:
        return {("GET", "messages"): lambda _r: list(self.messages)}

    @classmethod
    def add_cli_arguments(cls, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--api-key", default="test-sms-key")

    @classmethod
    def options_from_cli(cls, args: argparse.Namespace) -> dict[str, Any]:
        return {"api_key": args.api_key}


if __name__ == "__main__":
    FakeSMSC.main()
