"""Customer, contact, site, attribute, tag and activity endpoints; customer CSV export/import.

Paths follow the seed (SPEC D1): `PUT /crm/<entity>/` creates (POST too), `/crm/<entity>/<entity>_id/{id}`
reads/updates/deletes one, `/crm/<entity>/customer_id/{id}` lists a customer's rows as a bare array.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, Response, current_app, request, stream_with_context

from omnicrm.core import facts
from omnicrm.core.api import ListQuery, db_session, operation
from omnicrm.core.auth import current_principal, require
from omnicrm.core.errors import ValidationFailed
from omnicrm.core.types import Paginated
from omnicrm.customers import csv_io, service
from omnicrm.customers.schemas import (
    ActivityNoteIn,
    ActivityOut,
    AttributeIn,
    AttributeOut,
    AttributePatch,
    ContactIn,
    ContactOut,
    ContactPatch,
    CustomerIn,
    CustomerListQuery,
    CustomerOut,
    CustomerPatch,
    ForceQuery,
    ImportQuery,
    NearbySiteOut,
    NearQuery,
    SiteIn,
    SiteOut,
    SitePatch,
    TagIn,
    TagListQuery,
    TagOut,
    TagPatch,
)

bp = Blueprint("customers", __name__)


def _deleted(entity: str, entity_id: int) -> dict[str, Any]:
    return {"success": True, "message": f"{entity} {entity_id} deleted"}


# --------------------------------------------------------------------------------------------------
# Customers


@bp.put("/crm/customer/")
@bp.post("/crm/customer/")
@require("create_customer")
@operation(body=CustomerIn, response=CustomerOut, summary="Create a customer (optionally with contacts and sites)",
           tags=["customers"])
def create_customer(body: CustomerIn) -> Any:
    return service.create_customer(db_session(), current_principal(), body)


@bp.get("/crm/customer/")
@bp.get("/crm/customers")
@bp.get("/crm/customers/")
@require("view_customer")
@operation(query=CustomerListQuery, response=Paginated[CustomerOut],
           summary="List customers (filters: customer_status, customer_account_type, customer_payment_type, "
                   "customer_enabled, tag; search: name or id)", tags=["customers"])
def list_customers(query: CustomerListQuery) -> Any:
    return service.list_customers(db_session(), current_principal(), query).as_dict()


@bp.get("/crm/customer/customer_id/<int:customer_id>")
@bp.get("/crm/customer/<int:customer_id>")
@require("view_customer")
@operation(response=CustomerOut, summary="A customer with its contacts", tags=["customers"])
def get_customer(customer_id: int) -> Any:
    return service.get_customer(db_session(), current_principal(), customer_id)


@bp.patch("/crm/customer/customer_id/<int:customer_id>")
@require("update_customer")
@operation(body=CustomerPatch, response=CustomerOut,
           summary="Update a customer (closing/archiving with active services needs force=true)", tags=["customers"])
def update_customer(customer_id: int, body: CustomerPatch) -> Any:
    return service.update_customer(db_session(), current_principal(), customer_id, body)


@bp.delete("/crm/customer/customer_id/<int:customer_id>")
@require("delete_customer")
@operation(query=ForceQuery, response=CustomerOut,
           summary="Archive a customer (reversible; 409 with active services unless force=true)", tags=["customers"])
def archive_customer(customer_id: int, query: ForceQuery) -> Any:
    return service.archive_customer(db_session(), current_principal(), customer_id, force=query.force)


# --------------------------------------------------------------------------------------------------
# Activity


@bp.get("/crm/customer/customer_id/<int:customer_id>/activity")
@require("view_customer_activity")
@operation(query=ListQuery, response=Paginated[ActivityOut],
           summary="Everything that happened to a customer and its records, newest first (filters: entity, action, "
                   "actor_user_id)", tags=["customers"])
def customer_activity(customer_id: int, query: ListQuery) -> Any:
    return service.activity_of(db_session(), current_principal(), customer_id, query).as_dict()


@bp.post("/crm/customer/customer_id/<int:customer_id>/activity")
@require("create_customer_activity")
@operation(body=ActivityNoteIn, response=ActivityOut, status=201, summary="Add a note to a customer's activity log",
           tags=["customers"])
def add_activity_note(customer_id: int, body: ActivityNoteIn) -> Any:
    return service.add_note(db_session(), current_principal(), customer_id, body)


# --------------------------------------------------------------------------------------------------
# CSV export / import


@bp.get("/crm/customer/export.csv")
@require("view_customer", "view_customer_contact", "view_customer_site")
@operation(query=CustomerListQuery, content_type="text/csv",
           summary="Export customers with contacts and sites as CSV (streamed; same filters as the list)",
           tags=["customers"])
def export_customers(query: CustomerListQuery) -> Response:
    service.ensure_staff(current_principal(), "export customers")
    rows = csv_io.export_rows(db_session(), current_principal(), query)
    return Response(stream_with_context(rows), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="customers.csv"'})


@bp.post("/crm/customer/import")
@require("create_customer", "create_customer_contact", "create_customer_site")
@operation(query=ImportQuery,
           summary="Import customers/contacts/sites from CSV (multipart `file` or a text/csv body): all rows are "
                   "validated, then all are imported or none; big files become a job", tags=["customers"])
def import_customers(query: ImportQuery) -> Any:
    principal = current_principal()
    service.ensure_staff(principal, "import customers")
    content, filename = _uploaded_csv()
    rows = csv_io.parse_csv(content)
    session = db_session()
    if query.background or len(rows) > csv_io.INLINE_MAX_ROWS:
        accepted = csv_io.enqueue_import(session, principal, content, filename=filename, dry_run=query.dry_run,
                                         row_count=len(rows))
        session.commit()
        return current_app.response_class(current_app.json.dumps(accepted), status=202, mimetype="application/json")
    return csv_io.import_inline(session, principal, rows, dry_run=query.dry_run)


def _uploaded_csv() -> tuple[bytes, str | None]:
    request.max_content_length = csv_io.MAX_UPLOAD_BYTES
    if request.mimetype == "multipart/form-data":
        upload = request.files.get("file")
        if upload is None:
            raise ValidationFailed("file: a CSV file is required", errors=[{"field": "file", "message": "required"}])
        return upload.read(), upload.filename
    if request.mimetype not in ("text/csv", "application/csv", "text/plain", "application/octet-stream"):
        raise ValidationFailed("Send the CSV as multipart/form-data (field `file`) or as a text/csv body",
                               code="unsupported_media_type",
                               errors=[{"field": "file", "message": "multipart `file` or text/csv body"}])
    return request.get_data(), None


# --------------------------------------------------------------------------------------------------
# Contacts


@bp.put("/crm/contact/")
@bp.post("/crm/contact/")
@require("create_customer_contact")
@operation(body=ContactIn, response=ContactOut, summary="Create a contact", tags=["contacts"])
def create_contact(body: ContactIn) -> Any:
    return service.create_contact(db_session(), current_principal(), body)


@bp.get("/crm/contact/")
@require("view_customer_contact")
@operation(query=ListQuery, response=Paginated[ContactOut], summary="List contacts (filters: customer_id)",
           tags=["contacts"])
def list_contacts(query: ListQuery) -> Any:
    return service.list_contacts(db_session(), current_principal(), query).as_dict()


@bp.get("/crm/contact/contact_id/<int:contact_id>")
@require("view_customer_contact")
@operation(response=ContactOut, summary="A contact", tags=["contacts"])
def get_contact(contact_id: int) -> Any:
    return service.get_contact(db_session(), current_principal(), contact_id)


@bp.patch("/crm/contact/contact_id/<int:contact_id>")
@require("update_customer_contact")
@operation(body=ContactPatch, response=ContactOut, summary="Update a contact", tags=["contacts"])
def update_contact(contact_id: int, body: ContactPatch) -> Any:
    return service.update_contact(db_session(), current_principal(), contact_id, body)


@bp.delete("/crm/contact/contact_id/<int:contact_id>")
@require("delete_customer_contact")
@operation(summary="Delete a contact", tags=["contacts"])
def delete_contact(contact_id: int) -> Any:
    service.delete_contact(db_session(), current_principal(), contact_id)
    return _deleted("Contact", contact_id)


@bp.get("/crm/contact/customer_id/<int:customer_id>")
@require("view_customer_contact")
@operation(response=list[ContactOut], summary="A customer's contacts (bare array)", tags=["contacts"])
def customer_contacts(customer_id: int) -> Any:
    return service.contacts_of(db_session(), current_principal(), customer_id)


# --------------------------------------------------------------------------------------------------
# Sites


@bp.put("/crm/site/")
@bp.post("/crm/site/")
@require("create_customer_site")
@operation(body=SiteIn, response=SiteOut, summary="Create a site", tags=["sites"])
def create_site(body: SiteIn) -> Any:
    return service.create_site(db_session(), current_principal(), body)


@bp.get("/crm/site/")
@require("view_customer_site")
@operation(query=ListQuery, response=Paginated[SiteOut],
           summary="List sites (filters: customer_id, city, state, zip_code, country)", tags=["sites"])
def list_sites(query: ListQuery) -> Any:
    return service.list_sites(db_session(), current_principal(), query).as_dict()


@bp.get("/crm/site/near")
@require("view_customer_site")
@operation(query=NearQuery, response=Paginated[NearbySiteOut],
           summary="Sites within km of lat/lng, nearest first", tags=["sites"])
def sites_near(query: NearQuery) -> Any:
    return service.sites_near(db_session(), current_principal(), query.lat, query.lng, query.km, page=query.page,
                              per_page=query.per_page).as_dict()


@bp.get("/crm/site/site_id/<int:site_id>")
@require("view_customer_site")
@operation(response=SiteOut, summary="A site", tags=["sites"])
def get_site(site_id: int) -> Any:
    return service.get_site(db_session(), current_principal(), site_id)


@bp.patch("/crm/site/site_id/<int:site_id>")
@require("update_customer_site")
@operation(body=SitePatch, response=SiteOut, summary="Update a site", tags=["sites"])
def update_site(site_id: int, body: SitePatch) -> Any:
    return service.update_site(db_session(), current_principal(), site_id, body)


@bp.delete("/crm/site/site_id/<int:site_id>")
@require("delete_customer_site")
@operation(summary="Delete a site", tags=["sites"])
def delete_site(site_id: int) -> Any:
    service.delete_site(db_session(), current_principal(), site_id)
    return _deleted("Site", site_id)


@bp.get("/crm/site/customer_id/<int:customer_id>")
@require("view_customer_site")
@operation(response=list[SiteOut], summary="A customer's sites (bare array)", tags=["sites"])
def customer_sites(customer_id: int) -> Any:
    return service.sites_of(db_session(), current_principal(), customer_id)


# --------------------------------------------------------------------------------------------------
# Attributes


@bp.put("/crm/attribute/")
@bp.post("/crm/attribute/")
@require("create_customer_attribute")
@operation(body=AttributeIn, response=AttributeOut, summary="Create a customer attribute", tags=["attributes"])
def create_attribute(body: AttributeIn) -> Any:
    return service.create_attribute(db_session(), current_principal(), body)


@bp.get("/crm/attribute/attribute_id/<int:attribute_id>")
@require("view_customer_attribute")
@operation(response=AttributeOut, summary="A customer attribute", tags=["attributes"])
def get_attribute(attribute_id: int) -> Any:
    return service.get_attribute(db_session(), current_principal(), attribute_id)


@bp.patch("/crm/attribute/attribute_id/<int:attribute_id>")
@require("update_customer_attribute")
@operation(body=AttributePatch, response=AttributeOut, summary="Update a customer attribute", tags=["attributes"])
def update_attribute(attribute_id: int, body: AttributePatch) -> Any:
    return service.update_attribute(db_session(), current_principal(), attribute_id, body)


@bp.delete("/crm/attribute/attribute_id/<int:attribute_id>")
@require("delete_customer_attribute")
@operation(summary="Delete a customer attribute", tags=["attributes"])
def delete_attribute(attribute_id: int) -> Any:
    service.delete_attribute(db_session(), current_principal(), attribute_id)
    return _deleted("Attribute", attribute_id)


@bp.get("/crm/attribute/customer_id/<int:customer_id>")
@require("view_customer_attribute")
@operation(response=list[AttributeOut], summary="A customer's attributes (bare array)", tags=["attributes"])
def customer_attributes(customer_id: int) -> Any:
    return service.attributes_of(db_session(), current_principal(), customer_id)


# --------------------------------------------------------------------------------------------------
# Tags


@bp.put("/crm/tag/")
@bp.post("/crm/tag/")
@require("create_customer_tag")
@operation(body=TagIn, response=TagOut, summary="Create a customer tag", tags=["tags"])
def create_tag(body: TagIn) -> Any:
    return service.create_tag(db_session(), current_principal(), body)


@bp.get("/crm/tag/tag_id/<int:tag_id>")
@require("view_customer_tag")
@operation(response=TagOut, summary="A customer tag", tags=["tags"])
def get_tag(tag_id: int) -> Any:
    return service.get_tag(db_session(), current_principal(), tag_id)


@bp.patch("/crm/tag/tag_id/<int:tag_id>")
@require("update_customer_tag")
@operation(body=TagPatch, response=TagOut, summary="Update a customer tag", tags=["tags"])
def update_tag(tag_id: int, body: TagPatch) -> Any:
    return service.update_tag(db_session(), current_principal(), tag_id, body)


@bp.delete("/crm/tag/tag_id/<int:tag_id>")
@require("delete_customer_tag")
@operation(summary="Delete a customer tag", tags=["tags"])
def delete_tag(tag_id: int) -> Any:
    service.delete_tag(db_session(), current_principal(), tag_id)
    return _deleted("Tag", tag_id)


@bp.get("/crm/tag/customer_id/<int:customer_id>")
@require("view_customer_tag")
@operation(query=TagListQuery, response=list[TagOut],
           summary="A customer's tags active now (bare array; include_inactive=true for all)", tags=["tags"])
def customer_tags(customer_id: int, query: TagListQuery) -> Any:
    return service.tags_of(db_session(), current_principal(), customer_id, include_inactive=query.include_inactive)


def register(app: Flask) -> None:
    service.configure(phone_region=app.extensions["omnicrm"].settings.crm.default_country)
    facts.provide(app, facts.CUSTOMER, service.customer_facts)
    facts.provide(app, facts.CONTACT_CUSTOMER, service.contact_customer_id)
    app.register_blueprint(bp)
