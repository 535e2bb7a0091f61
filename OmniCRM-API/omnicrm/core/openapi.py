"""OpenAPI 3 document generated from the @operation schemas; Swagger UI served by flasgger at /crm/docs/."""

from __future__ import annotations

import re
import typing
from typing import Any

from flask import Flask, jsonify
from pydantic import BaseModel, TypeAdapter
from pydantic.json_schema import models_json_schema

from omnicrm import __version__
from omnicrm.core.api import OperationSpec, operation_spec
from omnicrm.core.auth import access_rule_of, mark_endpoint_public, public

REF_TEMPLATE = "#/components/schemas/{model}"
_CONVERTER_TYPES = {"int": {"type": "integer"}, "float": {"type": "number"}, "uuid": {"type": "string",
                                                                                        "format": "uuid"}}
_PATH_PARAM = re.compile(r"<(?:(?P<converter>[a-zA-Z_][a-zA-Z0-9_]*)(?:\([^)]*\))?:)?(?P<name>[a-zA-Z_]\w*)>")

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error", "code", "status"],
    "properties": {
        "error": {"type": "string"},
        "code": {"type": "string"},
        "status": {"type": "integer"},
        "errors": {"type": "array", "items": {"type": "object", "properties": {
            "field": {"type": "string"}, "message": {"type": "string"}}}},
        "request_id": {"type": ["string", "null"]},
        "success": {"type": "boolean"},
    },
}


def build_openapi(app: Flask) -> dict[str, Any]:
    operations = _collect_operations(app)
    schemas, refs = _component_schemas(operations)
    paths: dict[str, dict[str, Any]] = {}
    used_ids: set[str] = set()
    for path, method, endpoint, spec, is_public, params in operations:
        op = _operation_object(endpoint, spec, is_public, params, refs)
        op["operationId"] = _unique_operation_id(op["operationId"], method, path, used_ids)
        paths.setdefault(path, {})[method] = op
    schemas["Error"] = ERROR_SCHEMA
    return {
        "openapi": "3.1.0",
        "info": {"title": "OmniCRM API", "version": __version__,
                 "description": "BSS/OSS and CRM for telecom operators and ISPs. Authenticate with "
                                "`Authorization: Bearer <jwt>` (POST /crm/auth/login) or `X-API-KEY`."},
        "servers": [{"url": "/"}],
        "paths": dict(sorted(paths.items())),
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
                "apiKeyAuth": {"type": "apiKey", "in": "header", "name": "X-API-KEY"},
            },
            "responses": {
                name: {"description": description,
                       "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
                for name, description in _ERROR_RESPONSES.items()
            },
        },
        "security": [{"bearerAuth": []}, {"apiKeyAuth": []}],
    }


_ERROR_RESPONSES = {
    "BadRequest": "Malformed request", "Unauthorized": "Authentication required",
    "Forbidden": "Missing permission", "NotFound": "Not found", "Conflict": "Conflict",
    "ValidationError": "Validation failed (field errors in `errors`)",
}


def _unique_operation_id(base: str, method: str, path: str, used: set[str]) -> str:
    """Alias routes share a view; give each path its own operationId."""
    candidate = base
    if candidate in used:
        candidate = f"{base}__{method}_" + re.sub(r"[^A-Za-z0-9]+", "_", path).strip("_")
    unique, number = candidate, 2
    while unique in used:  # /x and /x/ are both served and give the same suffix
        unique, number = f"{candidate}_{number}", number + 1
    used.add(unique)
    return unique


def _collect_operations(app: Flask) -> list[tuple[str, str, str, OperationSpec, bool, list[dict[str, Any]]]]:
    found = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions.get(rule.endpoint)
        spec = operation_spec(view)
        if spec is None:
            continue
        access = access_rule_of(view)
        path, params = _openapi_path(rule.rule)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            found.append((path, method.lower(), rule.endpoint, spec, bool(access and access.public), params))
    return found


def _openapi_path(rule: str) -> tuple[str, list[dict[str, Any]]]:
    params = []
    for match in _PATH_PARAM.finditer(rule):
        schema = _CONVERTER_TYPES.get(match.group("converter") or "", {"type": "string"})
        params.append({"name": match.group("name"), "in": "path", "required": True, "schema": schema})
    return _PATH_PARAM.sub(lambda m: "{" + m.group("name") + "}", rule), params


def _models_of(spec: OperationSpec) -> list[tuple[type[BaseModel], str]]:
    models: list[tuple[type[BaseModel], str]] = []
    for model, mode in ((spec.body, "validation"), (spec.query, "validation")):
        if isinstance(model, type) and issubclass(model, BaseModel):
            models.append((model, mode))
    response = _listed_model(spec.response) or spec.response
    if isinstance(response, type) and issubclass(response, BaseModel):
        models.append((response, "serialization"))
    return models


def _listed_model(response: Any) -> type[BaseModel] | None:
    """The model of a bare-array response (`list[Model]`), so its schema (and its nested models) are components."""
    args = typing.get_args(response)
    if typing.get_origin(response) is list and len(args) == 1 and isinstance(args[0], type) \
            and issubclass(args[0], BaseModel):
        return args[0]
    return None


def _component_schemas(operations: list[Any]) -> tuple[dict[str, Any], dict[tuple[type, str], Any]]:
    wanted: dict[tuple[type[BaseModel], str], None] = {}
    for *_, spec, _public, _params in operations:
        for item in _models_of(spec):
            wanted[item] = None
    if not wanted:
        return {}, {}
    keys = list(wanted)
    refs, top = models_json_schema(keys, ref_template=REF_TEMPLATE)  # type: ignore[arg-type]
    return dict(top.get("$defs", {})), {key: value for key, value in refs.items()}


def _operation_object(endpoint: str, spec: OperationSpec, is_public: bool, path_params: list[dict[str, Any]],
                      refs: dict[tuple[type, str], Any]) -> dict[str, Any]:
    op: dict[str, Any] = {
        "operationId": endpoint.replace(".", "_"),
        "tags": list(spec.tags) or [endpoint.split(".")[0]],
        "parameters": list(path_params) + _query_parameters(spec, refs),
        "responses": _responses(spec, refs, is_public),
    }
    if spec.summary:
        op["summary"] = spec.summary
    if spec.body is not None:
        op["requestBody"] = {
            "required": not spec.body_optional,
            "content": {"application/json": {"schema": refs[(spec.body, "validation")]}},
        }
    if is_public:
        op["security"] = []
    return op


def _query_parameters(spec: OperationSpec, refs: dict[tuple[type, str], Any]) -> list[dict[str, Any]]:
    if spec.query is None:
        return []
    schema = spec.query.model_json_schema(ref_template=REF_TEMPLATE)
    required = set(schema.get("required", []))
    params = []
    for name, prop in schema.get("properties", {}).items():
        if name == "filters":
            prop = {"type": "string", "description": "JSON object: field -> list of allowed values"}
        params.append({"name": name, "in": "query", "required": name in required, "schema": prop})
    return params


def _responses(spec: OperationSpec, refs: dict[tuple[type, str], Any], is_public: bool) -> dict[str, Any]:
    content: dict[str, Any]
    if spec.content_type:
        content = {spec.content_type: {"schema": {"type": "string", "format": "binary"}}}
    else:
        content = {"application/json": {"schema": _response_schema(spec.response, refs)}}
    responses: dict[str, Any] = {str(spec.status): {"description": "Success", "content": content}}
    if spec.status == 204:
        responses["204"] = {"description": "No content"}
    responses["400"] = {"$ref": "#/components/responses/BadRequest"}
    if not is_public:
        responses["401"] = {"$ref": "#/components/responses/Unauthorized"}
        responses["403"] = {"$ref": "#/components/responses/Forbidden"}
    if spec.body is not None or spec.query is not None:
        responses["422"] = {"$ref": "#/components/responses/ValidationError"}
    return responses


def _response_schema(response: Any, refs: dict[tuple[type, str], Any]) -> dict[str, Any]:
    if response is None:
        return {}
    if isinstance(response, type) and issubclass(response, BaseModel):
        return dict(refs[(response, "serialization")])
    listed = _listed_model(response)
    if listed is not None:
        return {"type": "array", "items": dict(refs[(listed, "serialization")])}
    try:
        return TypeAdapter(response).json_schema(mode="serialization", ref_template=REF_TEMPLATE)
    except Exception:
        return {}


# --------------------------------------------------------------------------------------------------
# Serving


def install_docs(app: Flask) -> None:
    """Swagger UI at /crm/docs/ (flasgger) showing the generated document at /crm/docs/apispec.json."""
    from flasgger import Swagger

    Swagger(app, config={
        "headers": [],
        "specs": [{"endpoint": "apispec", "route": "/crm/docs/apispec.json"}],
        "static_url_path": "/crm/docs/flasgger_static",
        "specs_route": "/crm/docs/",
        "oauth_redirect": "/crm/docs/oauth2-redirect.html",
        "title": "OmniCRM API",
        "swagger_ui": True,
        "openapi": "3.0.3",
    }, merge=False)
    cache: dict[str, Any] = {}

    def spec_view() -> Any:
        if "spec" not in cache:
            cache["spec"] = build_openapi(app)
        return jsonify(cache["spec"])

    app.view_functions["flasgger.apispec"] = public(spec_view)
    app.add_url_rule("/crm/docs/openapi.json", "openapi_json", public(spec_view))
    for endpoint in list(app.view_functions):
        if endpoint.startswith("flasgger."):
            mark_endpoint_public(app, endpoint)
