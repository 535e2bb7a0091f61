"""Fake PyHSS 2.0 REST API with the behaviour observed on a live 2.0.0 instance (integrations.md):
not found → 200 ``null``; duplicates and missing required columns → 400 ``{"result": "Failed", ...}``;
create is ``PUT /<ns>/``; unknown fields → 500 on PUT, ignored on PATCH; AUC reads hide the keys.
"""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from typing import Any

from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map, RequestRedirect, Rule
from werkzeug.utils import redirect
from werkzeug.wrappers import Request, Response

from .base import ControlHandler, FakeServer
from .pyhss_schema import AUC_SECRETS, TABLES
from .pyhss_store import IntegrityFailed, StatementFailed, Store

_CRUD_TABLES = ("apn", "auc", "subscriber", "ims_subscriber")
_ITEM = ["GET", "PATCH", "DELETE", "OPTIONS"]
_PLUS_STRIPPED = {"subscriber": ("msisdn",), "ims_subscriber": ("msisdn", "msisdn_list")}
_BAD_REQUEST = "400 Bad Request: The browser (or proxy) sent a request that this server could not understand."


class _Failure(Exception):
    """An exception inside a resource method: PyHSS's handle_exception turns it into the reply."""

    def __init__(self, reply: tuple[Any, int]) -> None:
        super().__init__(reply)
        self.reply = reply


def _server_error(message: str) -> _Failure:
    return _Failure(({"result": "Failed", "reason": f"An internal server error occurred: {message}"}, 500))


def _integrity_error(message: str) -> _Failure:
    return _Failure(({"result": "Failed", "reason": f"A database integrity error occurred: {message}"}, 400))


def _routes() -> Map:
    rules = [
        Rule("/", endpoint="root", methods=["GET"]),
        Rule("/docs/", endpoint="docs", methods=["GET"]),
        Rule("/oam/ping", endpoint="ping", methods=["GET", "OPTIONS"]),
    ]
    for table in _CRUD_TABLES:
        rules += [
            Rule(f"/{table}/", endpoint=f"create/{table}", methods=["PUT", "OPTIONS"]),
            Rule(f"/{table}/list", endpoint=f"list/{table}", methods=["GET", "OPTIONS"]),
            Rule(f"/{table}/<row_id>", endpoint=f"item/{table}", methods=_ITEM),
        ]
    rules += [
        Rule("/auc/imsi/<imsi>", endpoint="auc_by/imsi", methods=["GET", "OPTIONS"]),
        Rule("/auc/iccid/<iccid>", endpoint="auc_by/iccid", methods=["GET", "OPTIONS"]),
        Rule("/subscriber/imsi/<imsi>", endpoint="subscriber_by/imsi", methods=["GET", "OPTIONS"]),
        Rule("/subscriber/msisdn/<msisdn>", endpoint="subscriber_by/msisdn", methods=["GET", "OPTIONS"]),
        Rule("/subscriber/routing/", endpoint="create/subscriber_routing", methods=["PUT", "OPTIONS"]),
        Rule("/subscriber/routing/<sub_id>/<apn_id>", endpoint="routing", methods=["GET", "DELETE", "OPTIONS"]),
        Rule("/subscriber/routing/<row_id>", endpoint="patch/subscriber_routing", methods=["PATCH", "OPTIONS"]),
        Rule("/ims_subscriber/ims_subscriber_imsi/<imsi>", endpoint="ims_by/imsi", methods=["GET", "OPTIONS"]),
        Rule(
            "/ims_subscriber/ims_subscriber_msisdn/<msisdn>",
            endpoint="ims_by/msisdn",
            methods=["GET", "OPTIONS"],
        ),
        Rule("/subscriber_attributes/", endpoint="create/subscriber_attributes", methods=["PUT", "OPTIONS"]),
        Rule("/subscriber_attributes/list", endpoint="list/subscriber_attributes", methods=["GET", "OPTIONS"]),
        # Two resources share this path: GET takes a subscriber_id, PATCH/DELETE an attribute id.
        Rule("/subscriber_attributes/<sub_id>", endpoint="attributes_of", methods=["GET", "OPTIONS"]),
        Rule("/subscriber_attributes/<row_id>", endpoint="item/subscriber_attributes", methods=_ITEM[1:]),
    ]
    return Map(rules)


class FakePyHSS(FakeServer):
    """Fake PyHSS REST API (PUT /subscriber/, GET /subscriber/imsi/{imsi}, …)."""

    name = "pyhss"
    default_port = 8080
    url_map = _routes()

    def __init__(
        self,
        *,
        origin_host: str = "hss01",
        provisioning_key: str | None = None,
        insecure_auc: bool = False,
        page_size: int = 100,
    ) -> None:
        self.origin_host = origin_host
        self.provisioning_key = provisioning_key  # set → hss.lock_provisioning is on
        self.insecure_auc = insecure_auc
        self.page_size = page_size
        super().__init__()

    # -- state ----------------------------------------------------------------------------------------------
    def reset_state(self) -> None:
        self.store = Store()
        self.events: list[dict[str, Any]] = []

    @property
    def state(self) -> Store:
        """``fake.state.rows["subscriber"]`` maps subscriber_id → row."""
        return self.store

    def rows(self, table: str) -> list[dict[str, Any]]:
        with self.lock:
            return self.store.table_rows(table)

    def snapshot(self) -> dict[str, Any]:
        return {"tables": {name: self.store.table_rows(name) for name in TABLES}, "events": list(self.events)}

    def attach(self, imsi: str, serving_mme: str = "mme01.example", realm: str = "epc.example") -> None:
        """Simulate an attach (what the Diameter side writes), so a later disable triggers a CLR."""
        with self.lock:
            row = self.store.find("subscriber", imsi=imsi)[0]
            changes = {
                "serving_mme": serving_mme,
                "serving_mme_realm": realm,
                "serving_mme_peer": serving_mme,
            }
            changes["serving_mme_timestamp"] = datetime.now(UTC).replace(tzinfo=None)
            self.store.update("subscriber", row["subscriber_id"], changes)

    # -- HTTP -----------------------------------------------------------------------------------------------
    def dispatch(self, request: Request) -> Response:
        response = self._respond(request)
        response.headers["HSS"] = self.origin_host
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Allow-Methods"] = "GET,PUT,POST,DELETE,PATCH,OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = (
            "Content-Type, Authorization, Content-Length, X-Requested-With, Provisioning-Key"
        )
        return response

    def _respond(self, request: Request) -> Response:
        if request.method == "OPTIONS" and not request.path.startswith("/docs"):
            return Response("", status=200, mimetype="text/html")
        adapter = self.url_map.bind_to_environ(request.environ)
        try:
            endpoint, args = adapter.match()
        except RequestRedirect as exc:
            return redirect(exc.new_url, code=308)
        except MethodNotAllowed as exc:
            allowed = ", ".join(sorted({*(exc.valid_methods or []), "OPTIONS"}))
            return _json({"message": "The method is not allowed for the requested URL."}, 405, {"Allow": allowed})
        except NotFound:
            return Response('{"Result":"Not Found"}\n', status=404, mimetype="application/json")
        if self._locked_out(request):
            return _json({"Result": "Unauthorized - Provisioning-Key Invalid"}, 401)
        try:
            with self.lock:
                body, status = self._handle(endpoint, args, request)
        except _Failure as failure:
            body, status = failure.reply
        if isinstance(body, Response):
            return body
        return _json(body, status)

    def _locked_out(self, request: Request) -> bool:
        if self.provisioning_key is None or request.method == "GET":
            return False
        return request.headers.get("Provisioning-Key") != self.provisioning_key

    def _handle(self, endpoint: str, args: dict[str, str], request: Request) -> tuple[Any, int]:
        kind, _, table = endpoint.partition("/")
        handlers = {
            "root": lambda: (redirect("/docs/", code=302), 302),
            "docs": lambda: (
                Response("<html><body>PyHSS API (fake)</body></html>", mimetype="text/html"),
                200,
            ),
            "ping": lambda: ({"result": "OK"}, 200),
            "create": lambda: self._create(table, request),
            "list": lambda: self._list(table, request),
            "item": lambda: self._item(table, args["row_id"], request),
            "patch": lambda: self._patch(table, args["row_id"], request),
            "auc_by": lambda: self._auc_by(table, args[table]),
            "subscriber_by": lambda: self._subscriber_by(table, args[table]),
            "ims_by": lambda: self._ims_by(table, args[table]),
            "attributes_of": lambda: (self._attributes_of(args["sub_id"]), 200),
            "routing": lambda: self._routing(args["sub_id"], args["apn_id"], request),
        }
        return handlers[kind]()

    # -- resource methods -----------------------------------------------------------------------------------
    def _create(self, table: str, request: Request) -> tuple[Any, int]:
        data = _json_body(request)
        _strip_plus(table, data)
        if not isinstance(data, dict):
            raise _server_error("list indices must be integers or slices, not str")
        data["last_modified"] = _now_text()
        for key in data:
            if TABLES[table].column(key) is None:
                raise _server_error(f"{key!r} is an invalid keyword argument for {TABLES[table].class_name}")
        return self._write(lambda: self.store.insert(table, data)), 200

    def _write(self, operation: Any) -> dict[str, Any] | None:
        try:
            return operation()
        except IntegrityFailed as exc:
            raise _integrity_error(str(exc)) from None
        except StatementFailed:
            return None  # PyHSS's handler has no branch for it: 200 null

    def _list(self, table: str, request: Request) -> tuple[Any, int]:
        try:
            page = int(request.args.get("page", 0))
            page_size = int(request.args.get("page_size", self.page_size))
        except ValueError:
            raise _server_error(_BAD_REQUEST) from None
        rows = self.store.table_rows(table)
        if page_size != 0:
            start = max(page * page_size, 0)
            rows = rows[start:] if page_size < 0 else rows[start : start + page_size]
        rows = [self._readable(table, row) for row in rows]
        return rows, 200

    def _item(self, table: str, row_id: str, request: Request) -> tuple[Any, int]:
        if request.method == "GET":
            row = self.store.get(table, row_id)
            return (self._readable(table, row) if row else None), 200
        if request.method == "DELETE":
            row = self.store.get(table, row_id)
            if row is None:
                return None, 200
            self.store.delete(table, row[TABLES[table].pk])
            return {"Result": "OK"}, 200
        return self._patch(table, row_id, request)

    def _patch(self, table: str, row_id: str, request: Request) -> tuple[Any, int]:
        data = _json_body(request)
        _strip_plus(table, data)
        row = self.store.get(table, row_id)
        if row is None or not isinstance(data, dict):
            return None, 200
        changes = {key: value for key, value in data.items() if TABLES[table].column(key) is not None}
        if changes:
            changes["last_modified"] = _now_text()
        updated = self._write(lambda: self.store.update(table, row[TABLES[table].pk], changes))
        if updated is None:
            return None, 200
        if table == "subscriber":
            self._subscriber_side_effects(updated)
        return self._readable(table, updated), 200

    def _subscriber_side_effects(self, row: dict[str, Any]) -> None:
        """PyHSS pushes a GSUP ISD after every PATCH of an enabled subscriber, and a Diameter CLR when a
        disabled subscriber still has a serving MME."""
        if row["enabled"] is True:
            self.events.append({"type": "gsup_isd", "imsi": row["imsi"]})
        elif row["enabled"] is False and row["serving_mme"]:
            self.events.append(
                {
                    "type": "clr",
                    "imsi": row["imsi"],
                    "serving_mme": row["serving_mme"],
                    "realm": row["serving_mme_realm"],
                    "cancellation_type": 1,
                }
            )

    def _auc_by(self, column: str, value: str) -> tuple[Any, int]:
        rows = self.store.find("auc", **{column: value})
        return (self._readable("auc", rows[0]) if len(rows) == 1 else None), 200

    def _subscriber_by(self, column: str, value: str) -> tuple[Any, int]:
        rows = self.store.find("subscriber", **{column: value})
        if len(rows) != 1:
            return None, 200
        row = self._readable("subscriber", rows[0])
        row["attributes"] = self._attributes_of(row["subscriber_id"])
        return row, 200

    def _ims_by(self, column: str, value: str) -> tuple[Any, int]:
        rows = self.store.find("ims_subscriber", **{column: value})
        if len(rows) != 1:
            return None, 400  # these two lookups answer "return handle_exception(E), 400"
        return self._readable("ims_subscriber", rows[0]), 200

    def _attributes_of(self, subscriber_id: Any) -> list[dict[str, Any]]:
        rows = self.store.find("subscriber_attributes", subscriber_id=subscriber_id)
        return [self._readable("subscriber_attributes", row) for row in rows]

    def _routing(self, subscriber_id: str, apn_id: str, request: Request) -> tuple[Any, int]:
        rows = self.store.find("subscriber_routing", subscriber_id=subscriber_id, apn_id=apn_id)
        if len(rows) != 1:
            return None, 200
        if request.method == "DELETE":
            self.store.delete("subscriber_routing", rows[0]["subscriber_routing_id"])
            return {"Result": "OK"}, 200
        return self._readable("subscriber_routing", rows[0]), 200

    def _readable(self, table: str, row: dict[str, Any]) -> dict[str, Any]:
        """GetObj's view: timestamps formatted, AUC secrets dropped unless api.enable_insecure_auc."""
        row = {key: _timestamp_text(key, value) for key, value in row.items()}
        if table == "auc" and not self.insecure_auc:
            for secret in AUC_SECRETS:
                row.pop(secret, None)
        return row

    # -- control API / CLI ----------------------------------------------------------------------------------
    def extra_control_routes(self) -> dict[tuple[str, str], ControlHandler]:
        return {("GET", "events"): lambda _r: list(self.events)}

    @classmethod
    def add_cli_arguments(cls, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--origin-host", default="hss01", help="value of the HSS response header")
        parser.add_argument("--provisioning-key", default=None, help="enable hss.lock_provisioning")
        parser.add_argument("--insecure-auc", action="store_true", help="api.enable_insecure_auc")

    @classmethod
    def options_from_cli(cls, args: argparse.Namespace) -> dict[str, Any]:
        return {
            "origin_host": args.origin_host,
            "provisioning_key": args.provisioning_key,
            "insecure_auc": args.insecure_auc,
        }


def _json(body: Any, status: int, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(body) + "\n", status=status, mimetype="application/json", headers=headers)


def _json_body(request: Request) -> Any:
    """``request.get_json(force=True)``: a body that is not JSON fails the whole call with a 500."""
    try:
        return json.loads(request.get_data(as_text=True))
    except ValueError as exc:
        raise _server_error(f"400 Bad Request: Failed to decode JSON object: {exc}") from None


def _strip_plus(table: str, data: Any) -> None:
    if not isinstance(data, dict):
        return
    for key in _PLUS_STRIPPED.get(table, ()):
        if key in data:
            if not isinstance(data[key], str):
                raise _server_error(f"'{type(data[key]).__name__}' object has no attribute 'replace'")
            data[key] = data[key].replace("+", "")


def _now_text() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S") + "Z"


def _timestamp_text(key: str, value: Any) -> Any:
    if "timestamp" in key and isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    return value


if __name__ == "__main__":
    FakePyHSS.main()
