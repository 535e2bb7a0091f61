"""Provisioning endpoints (`/crm/provision/...`, SPEC F6)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, current_app

from omnicrm.core.api import db_session, operation
from omnicrm.core.auth import auth_registry, current_principal, require
from omnicrm.core.config import Settings
from omnicrm.core.types import Paginated
from omnicrm.provisioning import addons, credentials, runner, service
from omnicrm.provisioning.models import Provision
from omnicrm.provisioning.schemas import (
    AddonListQuery,
    AddonOut,
    ProvisionCreatedOut,
    ProvisionIn,
    ProvisionListQuery,
    ProvisionOut,
    RunPlaybookIn,
)

bp = Blueprint("provisioning", __name__)
TAGS = ["provisioning"]
VIEW = ("view_provision", "view_own_provision")


def _settings() -> Settings:
    return current_app.extensions["omnicrm"].settings


def _created(provision: Provision) -> dict[str, Any]:
    return {"provision_id": provision.provision_id, "provisioning_status": provision.provisioning_status,
            "message": service.CREATED_MESSAGE}


@bp.put("/crm/provision/")
@bp.post("/crm/provision/")
@require("create_provision")
@operation(body=ProvisionIn, response=ProvisionCreatedOut, tags=TAGS,
           summary="Start a provisioning job for a product (the playbook runs in a worker; poll the job)")
def create_provision(body: ProvisionIn) -> dict[str, Any]:
    return _created(service.create_provision(db_session(), current_principal(), _settings(), body))


@bp.get("/crm/provision/")
@require(*VIEW, any_of=True)
@operation(query=ProvisionListQuery, response=Paginated[ProvisionOut], tags=TAGS,
           summary="Provisioning jobs, newest first (filters: provisioning_status, customer_id, product_id, ...)")
def list_provisions(query: ProvisionListQuery) -> dict[str, Any]:
    session, principal = db_session(), current_principal()
    page = service.list_provisions(session, principal, query)
    return page.as_dict(lambda p: service.provision_view(session, principal, p, with_events=False))


@bp.get("/crm/provision/provision_id/<int:provision_id>")
@require(*VIEW, any_of=True)
@operation(response=ProvisionOut, tags=TAGS, summary="One job with its task events (provisioning_result_json)")
def get_provision(provision_id: int) -> dict[str, Any]:
    session, principal = db_session(), current_principal()
    provision = service.get_provision(session, principal, provision_id)
    return service.provision_view(session, principal, provision, with_events=True)


@bp.post("/crm/provision/run_playbook")
@require("create_provision")
@operation(body=RunPlaybookIn, response=ProvisionCreatedOut, tags=TAGS,
           summary="Run a service's playbook again, e.g. action=deprovision")
def run_playbook(body: RunPlaybookIn) -> dict[str, Any]:
    return _created(service.run_playbook(db_session(), current_principal(), _settings(), body))


@bp.post("/crm/provision/provision_id/<int:provision_id>/retry")
@require("create_provision")
@operation(response=ProvisionCreatedOut, tags=TAGS, summary="Run a failed job again as a new job")
def retry_provision(provision_id: int) -> dict[str, Any]:
    return _created(service.retry_provision(db_session(), current_principal(), _settings(), provision_id))


@bp.post("/crm/provision/provision_id/<int:provision_id>/cancel")
@require("create_provision")
@operation(response=ProvisionOut, tags=TAGS, summary="Cancel a queued or running job")
def cancel_provision(provision_id: int) -> dict[str, Any]:
    session, principal = db_session(), current_principal()
    provision = service.cancel_provision(session, principal, provision_id)
    return service.provision_view(session, principal, provision, with_events=False)


@bp.post("/crm/provision/simple_provision_addon/service_id/<int:service_id>/product_id/<int:product_id>")
@bp.get("/crm/provision/simple_provision_addon/service_id/<int:service_id>/product_id/<int:product_id>")
@require("create_provision")
@operation(response=ProvisionCreatedOut, tags=TAGS, commit=True,
           summary="OCS callback (auto-renew *http_post): queue the product's playbook for the service")
def ocs_callback(service_id: int, product_id: int) -> dict[str, Any]:
    return _created(service.ocs_callback(db_session(), current_principal(), _settings(), service_id, product_id))


@bp.get("/crm/service/service_id/<int:service_id>/addons")
@require("view_customer_service")
@operation(query=AddonListQuery, response=list[AddonOut], tags=TAGS,
           summary="The add-ons on a service, newest first (bare array; include_removed=true adds removed ones)")
def list_service_addons(service_id: int, query: AddonListQuery) -> list[dict[str, Any]]:
    session = db_session()
    found = service.service_addons(session, current_principal(), service_id, include_removed=query.include_removed)
    return [addons.addon_view(session, addon) for addon in found]


@bp.delete("/crm/service/service_id/<int:service_id>/addons/<int:addon_id>")
@require("create_provision")
@operation(response=ProvisionCreatedOut, status=202, tags=TAGS,
           summary="Remove an add-on: runs its playbook with action=deprovision (poll the job it returns)")
def remove_service_addon(service_id: int, addon_id: int) -> dict[str, Any]:
    return _created(service.remove_addon(db_session(), current_principal(), _settings(), service_id, addon_id))


def register(app: Flask) -> None:
    app.register_blueprint(bp)
    auth_registry(app).add(credentials.job_credential_authenticator, order=5)
    runner.register(app)
