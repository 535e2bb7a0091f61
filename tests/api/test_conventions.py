"""The API contract every domain relies on: envelopes, validation, paging, commits, access markers."""

from typing import Any

import pytest
from flask import Blueprint, request
from pydantic import Field
from sqlalchemy import func, select

from omnicrm.app import create_app
from omnicrm.core.api import ListQuery, ListSpec, db_session, operation, paginate
from omnicrm.core.auth import Principal, auth_registry, current_principal, public, require
from omnicrm.core.db import Database
from omnicrm.core.errors import Conflict
from omnicrm.core.jobs import Job, enqueue
from omnicrm.core.types import MoneyIn, Schema

probe = Blueprint("probe", __name__)


class ProbeIn(Schema):
    kind: str = Field(min_length=1, max_length=20)
    amount: MoneyIn


@probe.post("/probe/items")
@public
@operation(body=ProbeIn, status=201)
def create_item(body: ProbeIn) -> dict[str, Any]:
    job = enqueue(db_session(), body.kind, {"amount": str(body.amount)})
    db_session().flush()
    return {"id": job.job_id, "amount": body.amount}


@probe.post("/probe/fail-after-write")
@public
@operation(body=ProbeIn)
def fail_after_write(body: ProbeIn) -> dict[str, Any]:
    enqueue(db_session(), body.kind)
    db_session().flush()
    raise Conflict("second step refused", code="probe_conflict")


@probe.get("/probe/items")
@public
@operation(query=ListQuery)
def list_items(query: ListQuery) -> dict[str, Any]:
    spec = ListSpec(sortable={"kind": Job.kind, "id": Job.job_id}, filterable={"status": Job.status},
                    searchable=[Job.kind], default_sort=Job.job_id)
    page = paginate(db_session(), select(Job), query, spec)
    return page.as_dict(lambda job: {"id": job.job_id, "kind": job.kind})


@probe.get("/probe/boom")
@public
def boom() -> Any:
    raise RuntimeError("password=hunter2 internal detail")


@probe.get("/probe/guarded")
@require("view_customer")
def guarded() -> Any:
    return {"who": current_principal().username}


@probe.get("/probe/unmarked")
def unmarked() -> Any:
    return {"leak": True}


@pytest.fixture
def probe_client(settings, connection):
    db = Database(connection.engine)
    db.bind_to(connection, join_transaction_mode="create_savepoint")
    app = create_app(settings.model_copy(update={"api": settings.api.model_copy(update={"max_body_bytes": 2048})}),
                     db=db, configure_logs=False)
    app.register_blueprint(probe)

    def header_principal() -> Principal | None:
        perms = request.headers.get("X-Test-Permissions")
        if perms is None:
            return None
        return Principal(kind="user", permissions=frozenset(p for p in perms.split(",") if p), username="probe")

    auth_registry(app).add(header_principal, order=1)
    return app.test_client()


def _count(session) -> int:
    return session.scalar(select(func.count()).select_from(Job))


def test_create_commits_and_returns_exact_money(probe_client, session):
    response = probe_client.post("/probe/items", json={"kind": "a", "amount": "10.50"})
    assert response.status_code == 201
    assert b'"amount": 10.50' in response.data
    assert _count(session) == 1


def test_failed_request_writes_nothing(probe_client, session):
    response = probe_client.post("/probe/fail-after-write", json={"kind": "a", "amount": 1})
    assert response.status_code == 409
    assert response.json["code"] == "probe_conflict"
    assert _count(session) == 0


@pytest.mark.parametrize(("data", "content_type", "status", "code"), [
    ("{not json", "application/json", 400, "malformed_json"),
    ("[1, 2]", "application/json", 400, "malformed_json"),
    ("", "application/json", 400, "body_required"),
    ('{"kind": "a", "amount": 1}', "text/plain", 400, "unsupported_media_type"),
])
def test_malformed_bodies_are_400(probe_client, data, content_type, status, code):
    response = probe_client.post("/probe/items", data=data, content_type=content_type)
    assert response.status_code == status
    assert response.json["code"] == code
    assert response.json["request_id"]


def test_validation_errors_name_each_field_and_reject_unknown_fields(probe_client, session):
    response = probe_client.post("/probe/items", json={"kind": "x" * 21, "amount": "ten", "colour": "red"})
    assert response.status_code == 422
    body = response.json
    assert body["code"] == "validation_error" and body["status"] == 422
    fields = {e["field"]: e["message"] for e in body["errors"]}
    assert set(fields) == {"kind", "amount", "colour"}
    assert fields["colour"] == "unknown field"
    assert _count(session) == 0


def test_oversized_body_is_413(probe_client):
    response = probe_client.post("/probe/items", json={"kind": "a", "amount": 1, "pad": "x" * 5000})
    assert response.status_code == 413
    assert response.json["code"] == "payload_too_large"


def test_unknown_route_and_wrong_method_use_the_envelope(probe_client):
    missing = probe_client.get("/crm/does-not-exist")
    assert missing.status_code == 404 and missing.json["code"] == "not_found"
    wrong = probe_client.delete("/probe/items")
    assert wrong.status_code == 405 and wrong.json["code"] == "method_not_allowed"
    assert "GET" in wrong.headers["Allow"]


def test_internal_errors_hide_internals(probe_client):
    response = probe_client.get("/probe/boom")
    assert response.status_code == 500
    assert response.json["code"] == "internal_error"
    assert "hunter2" not in response.get_data(as_text=True)


def test_request_id_is_echoed_or_generated(probe_client):
    given = probe_client.get("/crm/health", headers={"X-Request-ID": "abc-123"})
    assert given.headers["X-Request-ID"] == "abc-123"
    generated = probe_client.get("/probe/boom")
    assert generated.json["request_id"] == generated.headers["X-Request-ID"] != ""


def test_unmarked_routes_are_denied_by_default(probe_client):
    response = probe_client.get("/probe/unmarked", headers={"X-Test-Permissions": "admin"})
    assert response.status_code == 403
    assert response.json["code"] == "route_not_exposed"


def test_require_gives_401_then_403_then_200(probe_client):
    anonymous = probe_client.get("/probe/guarded")
    assert anonymous.status_code == 401 and "WWW-Authenticate" in anonymous.headers
    lacking = probe_client.get("/probe/guarded", headers={"X-Test-Permissions": "view_product"})
    assert lacking.status_code == 403 and lacking.json["code"] == "permission_denied"
    assert probe_client.get("/probe/guarded", headers={"X-Test-Permissions": "VIEW_CUSTOMER"}).status_code == 200
    assert probe_client.get("/probe/guarded", headers={"X-Test-Permissions": "admin"}).status_code == 200


def _seed(probe_client, kinds):
    for kind in kinds:
        assert probe_client.post("/probe/items", json={"kind": kind, "amount": 1}).status_code == 201


def test_list_pagination_shape(probe_client):
    _seed(probe_client, [f"k{i:02d}" for i in range(25)])
    body = probe_client.get("/probe/items?page=2&per_page=10&sort=kind&order=desc").json
    assert body["pagination"] == {"current_page": 2, "per_page": 10, "total_pages": 3, "total_items": 25}
    assert [row["kind"] for row in body["data"]][:2] == ["k14", "k13"]


def test_list_search_and_filters(probe_client):
    _seed(probe_client, ["alpha", "beta", "alphabet"])
    searched = probe_client.get("/probe/items?search=ALPHA").json
    assert sorted(r["kind"] for r in searched["data"]) == ["alpha", "alphabet"]
    filtered = probe_client.get('/probe/items?filters={"status":["queued"]}').json
    assert filtered["pagination"]["total_items"] == 3
    none = probe_client.get('/probe/items?filters={"status":["failed"]}').json
    assert none["data"] == []


@pytest.mark.parametrize(("query", "field"), [
    ("per_page=101", "per_page"), ("page=0", "page"), ("sort=secret", "sort"), ("order=sideways", "order"),
    ("filters=notjson", "filters"), ('filters={"payload":["x"]}', "filters.payload"), ("bogus=1", "bogus"),
])
def test_list_parameters_are_validated(probe_client, query, field):
    response = probe_client.get(f"/probe/items?{query}")
    assert response.status_code == 422
    assert field in [e["field"] for e in response.json["errors"]]
