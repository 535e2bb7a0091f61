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
from omnicrm.core.errors import AppError
from omnicrm.core.types import Paginated
from omnicrm.customers import service as customers
from omnicrm.hss import hss_client
from omnicrm.ocs import display_settings, ocs_client
from omnicrm.services import facts_providers, ocs_views, service
from omnicrm.services.schemas import (
    CdrQuery,
    EditableServiceFields,
    ExpiringQuery,
    FilterIn,
    OcsProxyIn,
    ScheduledActionsQuery,
    ServiceIn,
    ServiceListQuery,
    ServiceOut,
    ServicePatch,
    ServiceWithOcsOut,
)

bp = Blueprint("services", __name__)
TAGS = ["services"]


def _settings() -> Settings:
    return current_app.extensions["omnicrm"].settings


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
def update_service(service_id: int, body: EditableServiceFields) -> Any:
    return service.update_service(db_session(), current_principal(), _settings(), ocs_client(), service_id, body)


@bp.delete("/crm/service/service_id/<int:service_id>")
@require("delete_customer_service")
@operation(tags=TAGS, summary="Delete a service")
def delete_service(service_id: int) -> Any:
    service.delete_service(db_session(), current_principal(), service_id)
    return {"success": True, "message": f"Service {service_id} deleted"}


# --------------------------------------------------------------------------------------------------
# Live OCS / HSS views


@bp.get("/crm/service/<int:service_id>")
@require("view_customer_service")
@operation(response=ServiceWithOcsOut, tags=TAGS,
           summary="A service with its live OCS block `cgrates: {BalanceMap, BalanceTotals, ActionPlans, ...}` "
                   "(`{error: ocs_unavailable}` when the OCS is down; needs view_ocs for staff)")
def get_service_with_ocs(service_id: int) -> Any:
    return ocs_views.service_with_ocs(db_session(), current_principal(), ocs_client(), display_settings(_settings()),
                                      service_id)


@bp.get("/crm/service/<int:service_id>/cdrs")
@require("view_customer_service", "view_ocs")
@operation(query=CdrQuery, tags=TAGS, summary="The service's CDRs from the OCS, newest first (paged)")
def service_cdrs(service_id: int, query: CdrQuery) -> Any:
    return ocs_views.cdrs(db_session(), current_principal(), ocs_client(), service_id, page=query.page,
                          per_page=query.per_page)


@bp.get("/crm/service/<int:service_id>/scheduled_actions")
@require("view_customer_service", "view_ocs")
@operation(tags=TAGS, summary="What the OCS scheduler will run for the service's account (bare array)")
def service_scheduled_actions(service_id: int) -> Any:
    return ocs_views.scheduled_actions(db_session(), current_principal(), ocs_client(), service_id)


@bp.get("/crm/service/<int:service_id>/attributes")
@require("view_customer_service", "view_ocs")
@operation(tags=TAGS, summary="The service's AttributeProfile ATTR_ACCOUNT_<service_uuid> (404 when none)")
def service_attributes(service_id: int) -> Any:
    return ocs_views.attribute_profile(db_session(), current_principal(), ocs_client(), service_id)


@bp.get("/crm/service/<int:service_id>/filters")
@require("view_customer_service", "view_ocs")
@operation(tags=TAGS, summary="The service's Filter FLTR_ACCOUNT_<service_uuid> (404 when none)")
def service_filter(service_id: int) -> Any:
    return ocs_views.account_filter(db_session(), current_principal(), ocs_client(), service_id)


@bp.put("/crm/service/<int:service_id>/filters")
@require("update_customer_service", "view_ocs")
@operation(body=FilterIn, tags=TAGS,
           summary="Replace the rules of the service's Filter FLTR_ACCOUNT_<service_uuid> (verified, audited)")
def set_service_filter(service_id: int, body: FilterIn) -> Any:
    rules = [rule.model_dump() for rule in body.Rules]
    return ocs_views.set_account_filter(db_session(), current_principal(), ocs_client(), service_id, rules)


@bp.get("/crm/service/<int:service_id>/hss")
@require("view_customer_service", "view_inventory")
@operation(tags=TAGS, summary="The HSS subscriber of the service's SIM (by the IMSI of its assigned inventory)")
def service_hss(service_id: int) -> Any:
    return ocs_views.hss_view(db_session(), current_principal(), hss_client(), service_id)


@bp.get("/crm/ocs/scheduled_actions")
@bp.get("/crm/service/scheduled_actions")
@require("view_customer_service", "view_ocs")
@operation(query=ScheduledActionsQuery, tags=TAGS,
           summary="Every scheduled OCS action with its CRM customer/service/product (\"N/A\" when unknown)")
def all_scheduled_actions(query: ScheduledActionsQuery) -> Any:
    customers.ensure_staff(current_principal(), "list every scheduled action")
    return ocs_views.all_scheduled_actions(db_session(), ocs_client(), page=query.page, per_page=query.per_page)


@bp.post("/crm/ocs/proxy")
@require("use_ocs_proxy")
@operation(body=OcsProxyIn, tags=TAGS,
           summary="Call an allow-listed OCS method (ocs.proxy_allowed_methods); every call is audited")
def ocs_proxy(body: OcsProxyIn) -> Any:
    session = db_session()
    try:
        return ocs_views.proxy_call(session, current_principal(), ocs_client(), body)
    except AppError:
        session.commit()  # the proxy writes nothing but its audit entry: keep it for refused and failed calls
        raise


def register(app: Flask) -> None:
    facts.provide(app, facts.SERVICE, facts_providers.service_facts)
    facts.provide(app, facts.CUSTOMER_SERVICES, facts_providers.customer_services)
    facts.provide(app, facts.PRODUCT_SERVICE_COUNT, facts_providers.product_service_count)
    customers.register_active_services_check(facts_providers.active_service_count)
    app.register_blueprint(bp)
