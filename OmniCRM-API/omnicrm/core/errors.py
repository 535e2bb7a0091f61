"""Application errors and the JSON error envelope of SPEC D3."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, g, jsonify, request
from werkzeug.exceptions import HTTPException

log = logging.getLogger("omnicrm.errors")


class AppError(Exception):
    status = 500
    code = "internal_error"
    message = "Internal server error"

    def __init__(self, message: str | None = None, *, code: str | None = None,
                 errors: list[dict[str, str]] | None = None, status: int | None = None,
                 headers: dict[str, str] | None = None, **extra: Any):
        super().__init__(message or self.message)
        self.message = message or self.message
        if code:
            self.code = code
        if status:
            self.status = status
        self.errors = errors
        self.headers = headers or {}
        self.extra = extra


class BadRequest(AppError):
    status, code, message = 400, "bad_request", "Malformed request"


class Unauthorized(AppError):
    status, code, message = 401, "unauthorized", "Authentication required"


class Forbidden(AppError):
    status, code, message = 403, "forbidden", "You do not have permission to do this"


class NotFound(AppError):
    status, code, message = 404, "not_found", "Not found"


class Conflict(AppError):
    status, code, message = 409, "conflict", "Conflict with the current state"


class PayloadTooLarge(AppError):
    status, code, message = 413, "payload_too_large", "Request body too large"


class ValidationFailed(AppError):
    status, code, message = 422, "validation_error", "Validation failed"


class BusinessRule(AppError):
    status, code, message = 422, "business_rule", "The request breaks a business rule"


class Locked(AppError):
    status, code, message = 423, "locked", "Locked"


class RateLimited(AppError):
    status, code, message = 429, "rate_limited", "Too many requests"


class DependencyUnavailable(AppError):
    status, code, message = 503, "dependency_unavailable", "A dependency is unavailable"


class NotImplementedYet(AppError):
    status, code, message = 501, "not_implemented", "Not implemented"


def field_error(field: str, message: str, *, code: str = "validation_error",
                error_class: type[AppError] = ValidationFailed) -> AppError:
    """A validation error naming one field."""
    return error_class(f"{field}: {message}", code=code, errors=[{"field": field, "message": message}])


def not_found(entity: str, entity_id: Any) -> NotFound:
    return NotFound(f"{entity} {entity_id} not found", code=f"{entity.lower().replace(' ', '_')}_not_found")


PAYMENT_PATH_PREFIXES = ("/api/payments", "/api/wallet", "/crm/payments", "/crm/wallet")

_HTTP_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
    409: "conflict", 413: "payload_too_large", 415: "unsupported_media_type", 422: "validation_error",
    429: "rate_limited", 500: "internal_error", 501: "not_implemented", 503: "service_unavailable",
}


def error_body(status: int, code: str, message: str, errors: list[dict[str, str]] | None = None,
               **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"error": message, "code": code, "status": status}
    if errors:
        body["errors"] = errors
    body["request_id"] = getattr(g, "request_id", None)
    if request and request.path.startswith(PAYMENT_PATH_PREFIXES):
        body["success"] = False
    body.update(extra)
    return body


def error_response(status: int, code: str, message: str, errors: list[dict[str, str]] | None = None,
                   headers: dict[str, str] | None = None, **extra: Any) -> Response:
    response = jsonify(error_body(status, code, message, errors, **extra))
    response.status_code = status
    for key, value in (headers or {}).items():
        response.headers[key] = value
    if status == 401 and "WWW-Authenticate" not in response.headers:
        response.headers["WWW-Authenticate"] = 'Bearer realm="omnicrm"'
    return response


def register_error_handlers(app: Flask, on_error: Any = None) -> None:
    def report(status: int, code: str) -> None:
        if on_error:
            on_error(status, code)

    @app.errorhandler(AppError)
    def _app_error(exc: AppError) -> Response:
        report(exc.status, exc.code)
        return error_response(exc.status, exc.code, exc.message, exc.errors, exc.headers, **exc.extra)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Response:
        status = exc.code or 500
        code = _HTTP_CODES.get(status, "http_error")
        message = exc.description or exc.name
        if status == 413:
            message = "Request body too large"
        headers = {}
        if status == 405 and exc.response is None:
            allowed = exc.valid_methods if hasattr(exc, "valid_methods") else None
            if allowed:
                headers["Allow"] = ", ".join(allowed)
        report(status, code)
        return error_response(status, code, message, headers=headers)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        log.exception("unhandled error", extra={"path": request.path})
        report(500, "internal_error")
        return error_response(500, "internal_error", "Internal server error")
