"""Fake Mailjet Send API v3.1 (``POST /v3.1/send``, basic auth) that records every accepted message.

Error bodies follow Mailjet's documented shapes: a global error object (bad credentials, malformed JSON)
or per-message ``{"Status": "error", "Errors": [{"ErrorIdentifier", "ErrorCode", "StatusCode",
"ErrorMessage", "ErrorRelatedTo"}]}``; the HTTP status is that of the first error when any message fails.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import itertools
import re
import time
import uuid
from collections.abc import Iterable
from typing import Any

from werkzeug.wrappers import Request, Response

from .base import ControlHandler, FakeServer, json_response, read_json

MAX_MESSAGES = 50
MAX_RECIPIENTS = 50
MAX_MESSAGE_BYTES = 15 * 1024 * 1024
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_FIRST_MESSAGE_ID = 288230376151711744  # Mailjet message ids are large 64-bit numbers


def _error(code: str, status: int, message: str, related: list[str] | None = None) -> dict[str, Any]:
    error = {
        "ErrorIdentifier": str(uuid.uuid4()),
        "ErrorCode": code,
        "StatusCode": status,
        "ErrorMessage": message,
    }
    if related is not None:
        error["ErrorRelatedTo"] = related
    return error


class FakeMailjet(FakeServer):
    """Fake Mailjet v3.1 Send API."""

    name = "mailjet"

    def __init__(
        self,
        *,
        api_key: str = "test-api-key",
        api_secret: str = "test-api-secret",
        known_template_ids: Iterable[int] | None = None,
        authorized_senders: Iterable[str] | None = None,
    ) -> None:
        # None accepts any TemplateID / sender; a collection makes the others fail like on a real account.
        self._defaults = {
            "api_key": api_key,
            "api_secret": api_secret,
            "known_template_ids": set(known_template_ids) if known_template_ids is not None else None,
            "authorized_senders": {s.lower() for s in authorized_senders} if authorized_senders else None,
        }
        super().__init__()

    def reset_state(self) -> None:
        """Forget the messages and undo runtime configuration changes (POST /__fake__/config)."""
        self.messages: list[dict[str, Any]] = []
        self._message_ids = itertools.count(_FIRST_MESSAGE_ID)
        self.api_key: str = self._defaults["api_key"]
        self.api_secret: str = self._defaults["api_secret"]
        known, senders = self._defaults["known_template_ids"], self._defaults["authorized_senders"]
        self.known_template_ids: set[int] | None = set(known) if known is not None else None
        self.authorized_senders: set[str] | None = set(senders) if senders is not None else None

    def snapshot(self) -> dict[str, Any]:
        return {
            "messages": list(self.messages),
            "known_template_ids": sorted(self.known_template_ids) if self.known_template_ids is not None else None,
        }

    def sent_to(self, email: str) -> list[dict[str, Any]]:
        """Accepted messages with ``email`` among To/Cc/Bcc."""
        email = email.lower()
        with self.lock:
            return [m for m in self.messages if email in {r["Email"].lower() for r in _recipients(m)}]

    # -- HTTP -----------------------------------------------------------------------------------------------
    def dispatch(self, request: Request) -> Response:
        if request.path.rstrip("/") != "/v3.1/send":
            return json_response({"ErrorInfo": "", "ErrorMessage": "Object not found", "StatusCode": 404}, 404)
        if request.method != "POST":
            return json_response({"ErrorInfo": "", "ErrorMessage": "Method not allowed", "StatusCode": 405}, 405)
        if not self._authorized(request):
            body = _error("mj-0015", 401, "API key authentication/authorization failure.")
            return json_response(body, 401, {"WWW-Authenticate": 'Basic realm="Mailjet API"'})
        payload = read_json(request)
        if not isinstance(payload, dict):
            return json_response(_error("mj-0002", 400, _MALFORMED), 400)
        global_error = _check_envelope(payload)
        if global_error is not None:
            return json_response(global_error, global_error["StatusCode"])
        return self._send_all(payload, request)

    def _authorized(self, request: Request) -> bool:
        auth = request.authorization
        return auth is not None and auth.username == self.api_key and auth.password == self.api_secret

    def _send_all(self, payload: dict[str, Any], request: Request) -> Response:
        globals_ = payload.get("Globals") if isinstance(payload.get("Globals"), dict) else {}
        sandbox = payload.get("SandboxMode") is True
        results, status = [], 200
        with self.lock:
            for message in payload["Messages"]:
                merged = {**globals_, **message} if isinstance(message, dict) else message
                errors = self._validate(merged)
                if errors:
                    results.append({"Status": "error", "Errors": errors})
                    status = errors[0]["StatusCode"] if status == 200 else status
                    continue
                results.append(self._accept(merged, sandbox, request))
        return json_response({"Messages": results}, status)

    def _accept(self, message: dict[str, Any], sandbox: bool, request: Request) -> dict[str, Any]:
        receipts = {kind: [self._receipt(r, sandbox) for r in message.get(kind) or []] for kind in ("To", "Cc", "Bcc")}
        self.messages.append(
            {
                **message,
                "_receipts": receipts,
                "_sandbox": sandbox,
                "_time": time.time(),
                "_idempotency_key": request.headers.get("Idempotency-Key"),
                "_rendered": _render(message),
            }
        )
        return {"Status": "success", "CustomID": message.get("CustomID", ""), **receipts}

    def _receipt(self, recipient: dict[str, Any], sandbox: bool) -> dict[str, Any]:
        message_id = 0 if sandbox else next(self._message_ids)
        return {
            "Email": recipient["Email"],
            "MessageUUID": "" if sandbox else str(uuid.uuid4()),
            "MessageID": message_id,
            "MessageHref": f"https://api.mailjet.com/v3/REST/message/{message_id}",
        }

    # -- validation -----------------------------------------------------------------------------------------
    def _validate(self, message: Any) -> list[dict[str, Any]]:
        if not isinstance(message, dict):
            return [_error("mj-0004", 400, 'Type mismatch. Expected type "object".', ["Messages"])]
        errors = _check_sender(message) + _check_recipients(message) + _check_content(message)
        errors += _check_attachments(message)
        if not errors:
            errors = self._check_account(message)
        return errors

    def _check_account(self, message: dict[str, Any]) -> list[dict[str, Any]]:
        sender = message["From"]["Email"]
        if self.authorized_senders is not None and sender.lower() not in self.authorized_senders:
            return [_error("send-0008", 403, f'"{sender}" is not an authorized sender email address for your '
                           "account.", ["From"])]  # fmt: skip
        template_id = message.get("TemplateID")
        known = self.known_template_ids
        if template_id is not None and known is not None and template_id not in known:
            text = f'Template ID "{template_id}" doesn\'t exist for your account.'
            return [_error("send-0010", 400, text, ["TemplateID"])]
        return []

    # -- control API / CLI ----------------------------------------------------------------------------------
    def extra_control_routes(self) -> dict[tuple[str, str], ControlHandler]:
        return {
            ("GET", "messages"): lambda _r: list(self.messages),
            ("POST", "config"): self._ctl_config,
        }

    def _ctl_config(self, request: Request) -> dict[str, Any]:
        """{"known_template_ids": [..] | null, "authorized_senders": [..] | null, "api_key", "api_secret"}"""
        body = read_json(request) or {}
        with self.lock:
            if "known_template_ids" in body:
                ids = body["known_template_ids"]
                self.known_template_ids = set(ids) if ids is not None else None
            if "authorized_senders" in body:
                senders = body["authorized_senders"]
                self.authorized_senders = {s.lower() for s in senders} if senders is not None else None
            self.api_key = body.get("api_key", self.api_key)
            self.api_secret = body.get("api_secret", self.api_secret)
        return {"ok": True}

    @classmethod
    def add_cli_arguments(cls, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--api-key", default="test-api-key")
        parser.add_argument("--api-secret", default="test-api-secret")
        parser.add_argument("--template-id", type=int, action="append", help="known template ids (default: any)")

    @classmethod
    def options_from_cli(cls, args: argparse.Namespace) -> dict[str, Any]:
        return {
            "api_key": args.api_key,
            "api_secret": args.api_secret,
            "known_template_ids": args.template_id,
        }


_MALFORMED = "Malformed JSON, please review the syntax and properties types."


def _check_envelope(payload: dict[str, Any]) -> dict[str, Any] | None:
    messages = payload.get("Messages")
    if messages is None:
        return _error("mj-0003", 400, 'The "Messages" property is mandatory but missing.', ["Messages"])
    if not isinstance(messages, list):
        return _error("mj-0004", 400, 'Type mismatch. Expected type "array".', ["Messages"])
    if not messages:
        return _error("mj-0007", 400, 'The "Messages" array must not be empty.', ["Messages"])
    if len(messages) > MAX_MESSAGES:
        return _error("mj-0008", 400, f"Messages: too many items (max {MAX_MESSAGES}).", ["Messages"])
    return None


def _check_address(value: Any, where: str) -> list[dict[str, Any]]:
    if not isinstance(value, dict):
        return [_error("mj-0004", 400, 'Type mismatch. Expected type "object".', [where])]
    email = value.get("Email")
    if email is None:
        return [_error("mj-0003", 400, f'The "{where}.Email" property is mandatory but missing.', [f"{where}.Email"])]
    if not isinstance(email, str) or email == "":
        return [_error("mj-0012", 400, f'"{where}.Email" must not be empty.', [f"{where}.Email"])]
    if not _EMAIL.match(email):
        return [_error("mj-0013", 400, f'"{email}" is an invalid email address.', [f"{where}.Email"])]
    return []


def _check_sender(message: dict[str, Any]) -> list[dict[str, Any]]:
    if "From" not in message or message["From"] is None:
        return [_error("mj-0003", 400, 'The "From" property is mandatory but missing.', ["From"])]
    return _check_address(message["From"], "From")


def _check_recipients(message: dict[str, Any]) -> list[dict[str, Any]]:
    if message.get("To") is None:
        return [_error("mj-0003", 400, 'The "To" property is mandatory but missing.', ["To"])]
    errors: list[dict[str, Any]] = []
    total = 0
    for kind in ("To", "Cc", "Bcc"):
        recipients = message.get(kind)
        if recipients is None:
            continue
        if not isinstance(recipients, list):
            errors.append(_error("mj-0004", 400, 'Type mismatch. Expected type "array of emails".', [kind]))
            continue
        if kind == "To" and not recipients:
            errors.append(_error("mj-0007", 400, 'The "To" array must not be empty.', ["To"]))
        total += len(recipients)
        for index, recipient in enumerate(recipients):
            errors += _check_address(recipient, f"{kind}[{index}]")
    if total > MAX_RECIPIENTS:
        errors.append(_error("send-0015", 400, f"Too many recipients (max {MAX_RECIPIENTS}).", ["To", "Cc", "Bcc"]))
    return errors


def _check_content(message: dict[str, Any]) -> list[dict[str, Any]]:
    errors = []
    template_id = message.get("TemplateID")
    if template_id is not None and (isinstance(template_id, bool) or not isinstance(template_id, int)):
        errors.append(_error("mj-0004", 400, 'Type mismatch. Expected type "number".', ["TemplateID"]))
    if not any(message.get(key) not in (None, "") for key in ("TextPart", "HTMLPart", "TemplateID")):
        errors.append(
            _error(
                "send-0003",
                400,
                'At least "HTMLPart", "TextPart" or "TemplateID" must be provided.',
                ["HTMLPart", "TextPart", "TemplateID"],
            )
        )
    for key, expected in (("Variables", dict), ("TemplateLanguage", bool), ("Headers", dict)):
        if message.get(key) is not None and not isinstance(message[key], expected):
            type_name = {"dict": "object", "bool": "boolean"}[expected.__name__]
            errors.append(_error("mj-0004", 400, f'Type mismatch. Expected type "{type_name}".', [key]))
    subject = message.get("Subject")
    if isinstance(subject, str) and len(subject) > 255:
        errors.append(_error("mj-0006", 400, "Subject is too long (max 255 characters).", ["Subject"]))
    return errors


def _check_attachments(message: dict[str, Any]) -> list[dict[str, Any]]:
    errors: list[dict[str, Any]] = []
    total = 0
    for kind in ("Attachments", "InlinedAttachments"):
        attachments = message.get(kind)
        if attachments is None:
            continue
        if not isinstance(attachments, list):
            errors.append(_error("mj-0004", 400, 'Type mismatch. Expected type "array".', [kind]))
            continue
        for index, attachment in enumerate(attachments):
            size, attachment_errors = _check_attachment(attachment, f"{kind}[{index}]")
            total += size
            errors += attachment_errors
    if total > MAX_MESSAGE_BYTES:
        errors.append(_error("mj-0011", 400, "The message is over the 15 MB size limit.", ["Attachments"]))
    return errors


def _check_attachment(attachment: Any, where: str) -> tuple[int, list[dict[str, Any]]]:
    if not isinstance(attachment, dict):
        return 0, [_error("mj-0004", 400, 'Type mismatch. Expected type "object".', [where])]
    for key in ("ContentType", "Filename", "Base64Content"):
        if attachment.get(key) is None:
            return 0, [_error("mj-0003", 400, f'The "{where}.{key}" property is mandatory but missing.',
                              [f"{where}.{key}"])]  # fmt: skip
        if attachment[key] == "":
            return 0, [_error("mj-0012", 400, f'"{where}.{key}" must not be empty.', [f"{where}.{key}"])]
    try:
        return len(base64.b64decode(attachment["Base64Content"], validate=True)), []
    except (binascii.Error, ValueError, TypeError):
        return 0, [_error("mj-0004", 400, "Base64Content is not valid base64.", [f"{where}.Base64Content"])]


def _recipients(message: dict[str, Any]) -> list[dict[str, Any]]:
    return [r for kind in ("To", "Cc", "Bcc") for r in message.get(kind) or [] if isinstance(r, dict)]


def _render(message: dict[str, Any]) -> dict[str, str]:
    """TextPart/HTMLPart with ``{{var:name}}`` substituted, when TemplateLanguage is on."""
    variables = message.get("Variables") or {}
    rendered = {}
    for key in ("Subject", "TextPart", "HTMLPart"):
        text = message.get(key)
        if isinstance(text, str) and message.get("TemplateLanguage"):
            text = re.sub(r"{{\s*var:(\w+)(?::\"([^\"]*)\")?\s*}}",
                          lambda m: str(variables.get(m.group(1), m.group(2) or "")), text)  # fmt: skip
        if isinstance(text, str):
            rendered[key] = text
    return rendered


if __name__ == "__main__":
    FakeMailjet.main()
