"""Services API (`/crm/service/...`): CRUD, status changes that drive the OCS, and the live OCS/HSS views.

Paths follow the seed (SPEC D1): `PUT /crm/service/` creates (POST too), `/crm/service/service_id/{id}`
reads/updates/deletes one, `/crm/service/customer_id/{id}` lists a customer's services as a bare array, and
`GET /crm/service/{id}` is the service with its live OCS block.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, current_app

from omnicrm.core import facts
from omnicrm.core.api import db_session, operation
from omnicrm.core.auth import current_principal, require
from omnicrm.core.config import Settings
from omnicrm.core.types import Paginated
from omnicrm.customers import service as customers
from omnicrm.ocs import ocs_client
from omnicrm.services import facts_providers, service
from omnicrm.services.schemas import (
    ExpiringQuery,
    ServiceIn,
    ServiceListQuery,
    ServiceOut,
    ServicePatch,
)

bp = Blueprint("services", __name__)
TAGS = ["services"]


def _settings() -> Settings:
    return current_app.extensions["omnicrm"].settings  # type: ignore[no-any-return]


@bp.put("/crm/service/")
@bp.post("/crm/service/")
@require("create_customer_service")
@operation(body=ServiceIn, response=ServiceOut, tags=TAGS,
           summary="Create a service (service_uuid is the OCS account id; generated when left out)")
def create_service(body: ServiceIn) -> Any:
    return service.create_service(db_session(), current_principal(), _settings(), body)


@bp.get("/crm/service/")
@require("view_customer_service")
@operation(query=ServiceListQuery, response=Paginated[ServiceOut], tags=TAGS,
           summary="List services (status tab, service_type, customer_id; search: name, uuid, phone digits or id)")
def list_services(query: ServiceListQuery) -> Any:
    return service.list_services(db_session(), current_principal(), query).as_dict()


@bp.get("/crm/service/expiring")
@require("view_customer_service")
@operation(query=ExpiringQuery, response=list[ServiceOut], tags=TAGS,
           summary="Services whose service_deactivate_date falls within the next `threshold` days (bare array)")
def expiring_services(query: ExpiringQuery) -> Any:
    return service.expiring_services(db_session(), current_principal(), query.threshold)


@bp.get("/crm/service/service_id/<int:service_id>")
@require("view_customer_service")
@operation(response=ServiceOut, tags=TAGS, summary="A service (without the OCS block)")
def get_service(service_id: int) -> Any:
    return service.get_service(db_session(), current_principal(), service_id)


@bp.get("/crm/service/service_uuid/<string:service_uuid>")
@require("view_customer_service")
@operation(response=ServiceOut, tags=TAGS, summary="A service by its service_uuid (404 when none)")
def get_service_by_uuid(service_uuid: str) -> Any:
    return service.get_service_by_uuid(db_session(), current_principal(), service_uuid)


@bp.get("/crm/service/customer_id/<int:customer_id>")
@require("view_customer_service")
@operation(response=list[ServiceOut], tags=TAGS, summary="A customer's services (bare array)")
def customer_services(customer_id: int) -> Any:
    return service.services_of(db_session(), current_principal(), customer_id)


@bp.patch("/crm/service/<int:service_id>")
@bp.patch("/crm/service/service_id/<int:service_id>")
@require("update_customer_service")
@operation(body=ServicePatch, response=ServiceOut, tags=TAGS,
           summary="Update the editable fields of a service (read-only fields are a 422); Suspended/Active "
                   "disable/enable the OCS account, and an OCS failure saves nothing (503 ocs_unavailable)")
def update_service(service_id: int, body: ServicePatch) -> Any:
    return service.update_service(db_session(), current_principal(), _settings(), ocs_client(), service_id, body)


@bp.delete("/crm/service/service_id/<int:service_id>")
@require("delete_customer_service")
@operation(tags=TAGS, summary="Delete a service")
def delete_service(service_id: int) -> Any:
    service.delete_service(db_session(), current_principal(), service_id)
    return {"success": True, "message": f"Service {service_id} deleted"}


def register(app: Flask) -> None:
    facts.provide(app, facts.SERVICE, facts_providers.service_facts)
    facts.provide(app, facts.CUSTOMER_SERVICES, facts_providers.customer_services)
    facts.provide(app, facts.PRODUCT_SERVICE_COUNT, facts_providers.product_service_count)
    customers.register_active_services_check(facts_providers.active_service_count)
    app.register_blueprint(bp)
