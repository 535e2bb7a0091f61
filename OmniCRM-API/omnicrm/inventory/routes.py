"""Inventory endpoints: item templates, items, lifecycle actions, picker, eSIM QR, CSV import and export."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, Response, request, stream_with_context

from omnicrm.core import audit
from omnicrm.core.api import db_session, operation
from omnicrm.core.auth import authenticated, current_principal, require
from omnicrm.core.errors import Forbidden, field_error
from omnicrm.inventory import bulk, rentals, service
from omnicrm.inventory.schemas import (
    AssignIn,
    ExportQuery,
    ImportOut,
    ImportQuery,
    ItemCreate,
    ItemListQuery,
    ItemOut,
    ItemPatch,
    ItemsOut,
    PickerQuery,
    PickerRowOut,
    QrQuery,
    TemplateCreate,
    TemplateListQuery,
    TemplateOut,
    TemplatePatch,
)

bp = Blueprint("inventory", __name__)
TAGS = ["inventory"]


def _item(item: Any) -> dict[str, Any]:
    return service.item_view(item, show_secrets=service.can_see_secrets(current_principal()))


def _changes_and_labels(body: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    extras = dict(body.model_extra or {})
    changes = {k: v for k, v in body.model_dump(exclude_unset=True).items() if k not in extras}
    return changes, extras


# --------------------------------------------------------------------------------------------------
# Templates


@bp.get("/crm/inventory/item_template")
@bp.get("/crm/inventory/item_template/")
@require("view_inventory_template")
@operation(query=TemplateListQuery, response=list[TemplateOut], tags=TAGS,
           summary="Inventory templates: a bare array (as the seed's scripts read it), or a page with ?page=")
def list_templates(query: TemplateListQuery) -> Any:
    if query.page is None:
        return [service.template_view(t) for t in service.list_templates(db_session())]
    return service.page_templates(db_session(), query).as_dict(service.template_view)


@bp.put("/crm/inventory/item_template")
@bp.put("/crm/inventory/item_template/")
@bp.post("/crm/inventory/item_template")
@bp.post("/crm/inventory/item_template/")
@require("create_inventory_template")
@operation(body=TemplateCreate, response=TemplateOut, tags=TAGS, summary="Create an inventory template")
def create_template(body: Any) -> dict[str, Any]:
    template = service.create_template(db_session(), current_principal(), body.model_dump())
    return service.template_view(template)


@bp.get("/crm/inventory/item_template/<int:template_id>")
@require("view_inventory_template")
@operation(response=TemplateOut, tags=TAGS, summary="One inventory template")
def get_template(template_id: int) -> dict[str, Any]:
    return service.template_view(service.get_template(db_session(), template_id))


@bp.patch("/crm/inventory/item_template/<int:template_id>")
@require("update_inventory_template")
@operation(body=TemplatePatch, response=TemplateOut, tags=TAGS, summary="Change an inventory template")
def update_template(template_id: int, body: Any) -> dict[str, Any]:
    template = service.update_template(db_session(), current_principal(), template_id,
                                       body.model_dump(exclude_unset=True))
    return service.template_view(template)


@bp.delete("/crm/inventory/item_template/<int:template_id>")
@require("delete_inventory_template")
@operation(tags=TAGS, summary="Delete an inventory template (409 while items or products use it)")
def delete_template(template_id: int) -> dict[str, Any]:
    service.delete_template(db_session(), current_principal(), template_id)
    return {"success": True, "message": f"Inventory template {template_id} deleted"}


# --------------------------------------------------------------------------------------------------
# Items


@bp.put("/crm/inventory")
@bp.put("/crm/inventory/")
@bp.post("/crm/inventory")
@bp.post("/crm/inventory/")
@require("create_inventory")
@operation(body=ItemCreate, response=ItemOut, tags=TAGS,
           summary="Create an inventory item (labelled fields may be sent as iccid, imsi, ki, opc, msisdn, ...)")
def create_item(body: Any) -> dict[str, Any]:
    return _item(service.create_item(db_session(), current_principal(), body))


@bp.get("/crm/inventory")
@bp.get("/crm/inventory/")
@require("view_inventory")
@operation(query=ItemListQuery, tags=TAGS,
           summary="Inventory items, paginated; filters item, inventory_template_id, item_state, item_location, "
                   "customer_id, service_id, import_id, awaiting_return (true/false); search in itemtext1/2, "
                   "location and notes")
def list_items(query: ItemListQuery) -> dict[str, Any]:
    return service.page_items(db_session(), current_principal(), query).as_dict(_item)


@bp.get("/crm/inventory/inventory_id/<int:inventory_id>")
@require("view_inventory")
@operation(response=ItemOut, tags=TAGS, summary="One inventory item")
def get_item(inventory_id: int) -> dict[str, Any]:
    return _item(service.get_item(db_session(), current_principal(), inventory_id))


@bp.patch("/crm/inventory/inventory_id/<int:inventory_id>")
@require("update_inventory")
@operation(body=ItemPatch, response=ItemOut, tags=TAGS,
           summary="Change an item; item_state follows the lifecycle (422 on an illegal move, 409 when taken)")
def update_item(inventory_id: int, body: Any) -> dict[str, Any]:
    changes, labels = _changes_and_labels(body)
    return _item(service.update_item(db_session(), current_principal(), inventory_id, changes, labels))


@bp.delete("/crm/inventory/inventory_id/<int:inventory_id>")
@require("delete_inventory")
@operation(tags=TAGS, summary="Delete an inventory item (409 while assigned)")
def delete_item(inventory_id: int) -> dict[str, Any]:
    service.delete_item(db_session(), current_principal(), inventory_id)
    return {"success": True, "message": f"Inventory item {inventory_id} deleted"}


@bp.post("/crm/inventory/inventory_id/<int:inventory_id>/assign")
@require("update_inventory")
@operation(body=AssignIn, response=ItemOut, tags=TAGS,
           summary="Assign a free item to a customer/service (409 with the item id when not free or of "
                   "another type)")
def assign_item(inventory_id: int, body: AssignIn) -> dict[str, Any]:
    item = service.assign_item(db_session(), current_principal(), inventory_id, customer_id=body.customer_id,
                               service_id=body.service_id, expected_item=body.item)
    return _item(item)


@bp.post("/crm/inventory/inventory_id/<int:inventory_id>/await_return")
@require("update_inventory")
@operation(response=ItemOut, tags=TAGS,
           summary="Take rented equipment off its service: it stays Assigned to the customer until it is back "
                   "(In Stock) or, after inventory.rental_return_days, Lost (409 unless Assigned; idempotent)")
def await_return(inventory_id: int) -> dict[str, Any]:
    return _item(rentals.await_return(db_session(), current_principal(), inventory_id))


@bp.get("/crm/inventory/inventory_id/<int:inventory_id>/qr")
@authenticated
@operation(query=QrQuery, content_type="image/png", tags=TAGS,
           summary="The eSIM activation code (LPA string in management_url) as a QR PNG; staff need "
                   "view_inventory, customers get their own items")
def item_qr(inventory_id: int, query: QrQuery) -> Response:
    png = service.lpa_qr_png(db_session(), current_principal(), inventory_id, query.box_size)
    return Response(png, mimetype="image/png", headers={"Cache-Control": "no-store"})


@bp.get("/crm/inventory/customer_id/<int:customer_id>")
@require("view_inventory")
@operation(response=ItemsOut, tags=TAGS, summary="A customer's inventory items as {\"data\": [...]}")
def customer_items(customer_id: int) -> dict[str, Any]:
    items = service.items_of_customer(db_session(), current_principal(), customer_id)
    return {"data": [_item(item) for item in items]}


@bp.get("/crm/inventory/picker")
@require("view_inventory", "view_product", any_of=True)
@operation(query=PickerQuery, tags=TAGS,
           summary="Free items of one inventory type for a provisioning picker (label = id - itemtext1 - location)")
def picker(query: PickerQuery) -> dict[str, Any]:
    page = service.picker(db_session(), current_principal(), query)
    return page.as_dict(lambda item: PickerRowOut.model_validate(service.picker_row(item)).model_dump())


# --------------------------------------------------------------------------------------------------
# CSV


@bp.post("/crm/inventory/import")
@bp.put("/crm/inventory/import")
@require("create_inventory")
@operation(query=ImportQuery, response=ImportOut, status=202, tags=TAGS,
           summary="Import items from CSV (text/csv body or multipart field 'file'); all rows or none, as a job")
def import_items(query: ImportQuery) -> dict[str, Any]:
    request.max_content_length = bulk.IMPORT_MAX_BYTES
    upload = request.files.get("file")
    raw = upload.read() if upload is not None else request.get_data(cache=False)
    if not raw.strip():
        raise field_error("file", "send the CSV as the request body or as the multipart field 'file'")
    filename = query.filename or (upload.filename if upload is not None else None)
    session = db_session()
    record = bulk.start_import(session, current_principal(), raw, template=query.template, filename=filename)
    return bulk.import_view(session, record)


@bp.get("/crm/inventory/import/<int:import_id>")
@require("view_inventory")
@operation(response=ImportOut, tags=TAGS, summary="An import's status, progress and per-row report")
def get_import(import_id: int) -> dict[str, Any]:
    session = db_session()
    return bulk.import_view(session, bulk.get_import(session, import_id))


@bp.get("/crm/inventory/export")
@require("view_inventory")
@operation(query=ExportQuery, content_type="text/csv", tags=TAGS,
           summary="Items matching the list's filters as CSV; Ki/OPc and passwords with include_secrets=true "
                   "(needs update_inventory)")
def export_items(query: ExportQuery) -> Response:
    principal = current_principal()
    session = db_session()
    if query.include_secrets:
        if not service.can_see_secrets(principal):
            raise Forbidden("Missing permission: update_inventory", code="permission_denied")
        audit.record(session, action="export", entity="inventory", note="CSV export including secrets",
                     changes={"filters": query.filters, "search": query.search})
        session.commit()
    lines = bulk.export_csv(session, principal, query, include_secrets=query.include_secrets)
    return Response(stream_with_context(lines), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="inventory.csv"'})


def register(app: Flask) -> None:
    rentals.configure(rental_return_days=app.extensions["omnicrm"].settings.inventory.rental_return_days)
    app.register_blueprint(bp)
