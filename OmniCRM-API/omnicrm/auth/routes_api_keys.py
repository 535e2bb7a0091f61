"""API key management (`manage_api_keys`)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from omnicrm.auth import apikeys
from omnicrm.auth.schemas import ApiKeyIn, ApiKeyListOut, ApiKeyOut, ApiKeyUpdateIn, MessageOut
from omnicrm.core.api import ListQuery, db_session, operation
from omnicrm.core.auth import current_principal, require

bp = Blueprint("api_keys", __name__)
TAGS = ["api keys"]


@bp.get("/crm/api-keys")
@bp.get("/crm/api-keys/")
@require("manage_api_keys")
@operation(query=ListQuery, response=ApiKeyListOut,
           summary='Keys (masked) and the Total/Active/Expiring/Expired counts; filters={"status":["revoked"]}',
           tags=TAGS)
def list_keys(query: ListQuery) -> dict[str, Any]:
    session = db_session()
    return {**apikeys.list_keys(session, query).as_dict(apikeys.describe), "stats": apikeys.stats(session)}


@bp.post("/crm/api-keys")
@bp.post("/crm/api-keys/")
@require("manage_api_keys")
@operation(body=ApiKeyIn, response=ApiKeyOut, status=201,
           summary="Create a key; the full key is in this answer only", tags=TAGS)
def create_key(body: ApiKeyIn) -> dict[str, Any]:
    key, plain = apikeys.create_key(db_session(), current_principal(), body)
    return apikeys.describe(key, plain)


@bp.get("/crm/api-keys/<int:api_key_id>")
@require("manage_api_keys")
@operation(response=ApiKeyOut, summary="One key (masked)", tags=TAGS)
def get_key(api_key_id: int) -> dict[str, Any]:
    return apikeys.describe(apikeys.get_key(db_session(), api_key_id))


@bp.patch("/crm/api-keys/<int:api_key_id>")
@bp.put("/crm/api-keys/<int:api_key_id>")
@require("manage_api_keys")
@operation(body=ApiKeyUpdateIn, response=ApiKeyOut, summary="Edit name, description, expiry, permissions",
           tags=TAGS)
def update_key(api_key_id: int, body: ApiKeyUpdateIn) -> dict[str, Any]:
    return apikeys.describe(apikeys.update_key(db_session(), current_principal(), api_key_id, body))


@bp.delete("/crm/api-keys/<int:api_key_id>")
@require("manage_api_keys")
@operation(response=MessageOut, summary="Revoke a key (it fails with 401 at once)", tags=TAGS)
def revoke_key(api_key_id: int) -> dict[str, Any]:
    key = apikeys.revoke_key(db_session(), api_key_id)
    return {"success": True, "message": f"API key {key.name} revoked"}


@bp.post("/crm/api-keys/<int:api_key_id>/regenerate")
@require("manage_api_keys")
@operation(response=ApiKeyOut, summary="Replace the secret (the old key stops working); shown once", tags=TAGS)
def regenerate_key(api_key_id: int) -> dict[str, Any]:
    key, plain = apikeys.regenerate_key(db_session(), current_principal(), api_key_id)
    return apikeys.describe(key, plain)
