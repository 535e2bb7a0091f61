"""Customer rules: customers, contacts, sites, attributes, tags and the activity log.

Every function takes an explicit session and principal, adds/flushes and never commits. Self-care principals
(`principal.customer_id` set) only ever reach their own customer: any other id answers 404, as if it did not
exist, whatever the path or body says.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

import phonenumbers
from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from omnicrm.core import audit, facts
from omnicrm.core.api import ListQuery, ListSpec, Page, bool_filter, paginate
from omnicrm.core.audit import AuditLog
from omnicrm.core.auth import Principal
from omnicrm.core.db import utcnow
from omnicrm.core.errors import AppError, BusinessRule, Conflict, Forbidden, ValidationFailed, field_error, not_found
from omnicrm.customers.models import (
    ARCHIVED,
    CLOSED,
    TAG_DEFAULT_DEACTIVATE,
    Attribute,
    Contact,
    Customer,
    Site,
    Tag,
)
from omnicrm.customers.schemas import (
    ActivityNoteIn,
    AttributeIn,
    AttributePatch,
    ContactFields,
    ContactIn,
    ContactPatch,
    CustomerIn,
    CustomerListQuery,
    CustomerPatch,
    SiteIn,
    SitePatch,
    TagIn,
    TagPatch,
)
from omnicrm.utilities import search

_settings = {"phone_region": "AU"}


def configure(*, phone_region: str) -> None:
    """The region used to read phone numbers written without a country code (`crm.default_country`)."""
    _settings["phone_region"] = phone_region.upper()


# --------------------------------------------------------------------------------------------------
# The "active services" hook: the services domain registers how to count a customer's active services.

ActiveServicesCheck = Callable[[Session, int], int]
_active_service_checks: list[ActiveServicesCheck] = []


def register_active_services_check(check: ActiveServicesCheck) -> None:
    if check not in _active_service_checks:
        _active_service_checks.append(check)


def unregister_active_services_check(check: ActiveServicesCheck) -> None:
    if check in _active_service_checks:
        _active_service_checks.remove(check)


def active_service_count(session: Session, customer_id: int) -> int:
    return sum(check(session, customer_id) for check in _active_service_checks)


def _refuse_if_active_services(session: Session, customer: Customer, new_status: str, *, force: bool,
                               error: type[AppError]) -> None:
    if force:
        return
    count = active_service_count(session, customer.customer_id)
    if count:
        raise error(f"Customer {customer.customer_id} has {count} active service(s); deactivate them first or "
                    f"send force=true to set the status to {new_status} anyway",
                    code="customer_has_active_services", active_services=count)


# --------------------------------------------------------------------------------------------------
# Access


def own_customer_id(principal: Principal) -> int | None:
    """The only customer a self-care principal may reach (None for staff)."""
    return principal.customer_id if principal.is_self_care else None


def scoped(stmt: Select[Any], customer_column: Any, principal: Principal) -> Select[Any]:
    """Restrict a query to the principal's own customer when it is a self-care principal."""
    own = own_customer_id(principal)
    return stmt if own is None else stmt.where(customer_column == own)


def get_customer(session: Session, principal: Principal, customer_id: int) -> Customer:
    customer = session.get(Customer, customer_id)
    own = own_customer_id(principal)
    if customer is None or (own is not None and customer_id != own):
        raise not_found("Customer", customer_id)
    return customer


def _visible(session: Session, principal: Principal, model: type, entity_id: int, label: str) -> Any:
    row = session.get(model, entity_id)
    own = own_customer_id(principal)
    if row is None or (own is not None and row.customer_id != own):
        raise not_found(label, entity_id)
    return row


def ensure_staff(principal: Principal, what: str) -> None:
    if principal.is_self_care:
        raise Forbidden(f"Self-care accounts cannot {what}", code="self_care_forbidden")


def _flush(session: Session, conflict_message: str, code: str) -> None:
    try:
        session.flush()
    except IntegrityError:
        raise Conflict(conflict_message, code=code) from None


def apply_changes(row: Any, changes: dict[str, Any]) -> None:
    for name, value in changes.items():
        setattr(row, name, value)


# --------------------------------------------------------------------------------------------------
# Customers


def _tag_filter(stmt: Select[Any], values: list[Any]) -> Select[Any]:
    texts = [str(v).strip().lower() for v in values if v is not None]
    now = utcnow()
    tagged = select(Tag.customer_id).where(func.lower(Tag.tag_text).in_(texts), Tag.tag_active_date <= now,
                                           Tag.tag_deactivate_date > now)
    return stmt.where(Customer.customer_id.in_(tagged))


CUSTOMER_LIST = ListSpec(
    sortable={name: getattr(Customer, name) for name in (
        "customer_id", "customer_name", "customer_status", "customer_account_type", "customer_payment_type",
        "created", "last_modified", "contract_start_date", "contract_end_date")},
    filterable={
        "customer_status": Customer.customer_status, "status": Customer.customer_status,
        "customer_account_type": Customer.customer_account_type, "account_type": Customer.customer_account_type,
        "customer_payment_type": Customer.customer_payment_type, "payment_type": Customer.customer_payment_type,
        "customer_enabled": bool_filter(Customer.customer_enabled, "customer_enabled"), "tag": _tag_filter,
    },
    default_sort=Customer.customer_id,
)


def customer_query(principal: Principal, query: CustomerListQuery) -> Select[Any]:
    """The customers a list (or an export) shows: scoped, archived hidden by default, searched by the index."""
    stmt = scoped(select(Customer), Customer.customer_id, principal)
    status_filtered = any(key in (query.filters or {}) for key in ("customer_status", "status"))
    if not query.include_archived and not status_filtered:
        stmt = stmt.where(Customer.customer_status != ARCHIVED)
    if query.search:
        stmt = stmt.where(_customer_search(query.search))
    return stmt


def _customer_search(text: str) -> Any:
    by_id = Customer.customer_id == int(text) if text.strip().isdigit() and len(text.strip()) < 10 else None
    try:
        by_name = Customer.customer_id.in_(search.matching_entity_ids("customer", text))
    except search.QueryTooShort as exc:
        if by_id is None:
            raise field_error("search", str(exc)) from None
        return by_id
    return by_name if by_id is None else or_(by_id, by_name)


def list_customers(session: Session, principal: Principal, query: CustomerListQuery) -> Page:
    stmt = customer_query(principal, query).options(selectinload(Customer.contacts))
    return paginate(session, stmt, _without_search(query), CUSTOMER_LIST)


def _without_search(query: ListQuery) -> ListQuery:
    """The index already applied `search`; the generic list helper must not add a LIKE scan."""
    return query.model_copy(update={"search": None})


def create_customer(session: Session, principal: Principal, body: CustomerIn) -> Customer:
    ensure_staff(principal, "create customers")
    fields = body.model_dump(exclude={"contacts", "sites"})
    customer = Customer(**fields)
    for index, contact in enumerate(body.contacts):
        customer.contacts.append(new_contact(contact, field_prefix=f"contacts.{index}."))
    customer.sites = [Site(**site.model_dump()) for site in body.sites]
    session.add(customer)
    session.flush()
    return customer


SELF_CARE_CUSTOMER_FIELDS = {"customer_name", "tax_identifier"}


def update_customer(session: Session, principal: Principal, customer_id: int, body: CustomerPatch) -> Customer:
    customer = get_customer(session, principal, customer_id)
    changes = body.model_dump(exclude_unset=True, exclude={"force"})
    if principal.is_self_care and set(changes) - SELF_CARE_CUSTOMER_FIELDS:
        raise Forbidden("Self-care accounts may only change customer_name and tax_identifier",
                        code="self_care_forbidden")
    new_status = changes.get("customer_status", customer.customer_status)
    if new_status in (CLOSED, ARCHIVED) and new_status != customer.customer_status:
        _refuse_if_active_services(session, customer, new_status, force=body.force, error=BusinessRule)
    check_contract_dates(customer, changes)
    apply_changes(customer, changes)
    session.flush()
    return customer


def check_contract_dates(customer: Customer, changes: dict[str, Any]) -> None:
    """The contract may not end before it starts, counting the stored date a change leaves alone."""
    start = changes.get("contract_start_date", customer.contract_start_date)
    end = changes.get("contract_end_date", customer.contract_end_date)
    if start is not None and end is not None and end < start:
        raise field_error("contract_end_date", "must not be before contract_start_date")


def archive_customer(session: Session, principal: Principal, customer_id: int, *, force: bool = False) -> Customer:
    """DELETE archives (SPEC D18): hidden from lists and search, reversible by PATCHing the status back."""
    ensure_staff(principal, "archive customers")
    customer = get_customer(session, principal, customer_id)
    if customer.customer_status != ARCHIVED:
        _refuse_if_active_services(session, customer, ARCHIVED, force=force, error=Conflict)
        customer.customer_status = ARCHIVED
        session.flush()
    return customer


# --------------------------------------------------------------------------------------------------
# Contacts


def normalise_phone(raw: str | None, *, field: str = "contact_phone", region: str | None = None) -> str | None:
    """E.164 form of a phone number; numbers without a country code are read in the configured region."""
    if not raw:
        return None
    try:
        number = phonenumbers.parse(raw, region or _settings["phone_region"])
    except phonenumbers.NumberParseException:
        raise field_error(field, "is not a phone number") from None
    if phonenumbers.is_possible_number_with_reason(number) != phonenumbers.ValidationResult.IS_POSSIBLE:
        raise field_error(field, "is not a possible phone number (check the digits and the country code)")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def new_contact(fields: ContactFields, *, field_prefix: str = "") -> Contact:
    data = fields.model_dump(exclude={"customer_id"})
    return Contact(**data, contact_phone_e164=normalise_phone(fields.contact_phone,
                                                             field=f"{field_prefix}contact_phone"))


def create_contact(session: Session, principal: Principal, body: ContactIn) -> Contact:
    customer = get_customer(session, principal, body.customer_id)
    contact = new_contact(body)
    customer.contacts.append(contact)
    session.flush()
    return contact


def get_contact(session: Session, principal: Principal, contact_id: int) -> Contact:
    return _visible(session, principal, Contact, contact_id, "Contact")  # type: ignore[no-any-return]


def update_contact(session: Session, principal: Principal, contact_id: int, body: ContactPatch) -> Contact:
    contact = get_contact(session, principal, contact_id)
    changes = body.model_dump(exclude_unset=True)
    if "contact_phone" in changes:
        changes["contact_phone_e164"] = normalise_phone(changes["contact_phone"])
    apply_changes(contact, changes)
    if not (contact.contact_firstname or contact.contact_lastname or contact.contact_email or contact.contact_phone):
        raise ValidationFailed("a contact needs a name, an e-mail address or a phone number",
                               errors=[{"field": "body", "message": "a contact needs a name, e-mail or phone"}])
    session.flush()
    return contact


def delete_contact(session: Session, principal: Principal, contact_id: int) -> None:
    session.delete(get_contact(session, principal, contact_id))
    session.flush()


def contacts_of(session: Session, principal: Principal, customer_id: int) -> list[Contact]:
    get_customer(session, principal, customer_id)
    return list(session.scalars(select(Contact).where(Contact.customer_id == customer_id)
                                .order_by(Contact.contact_id)))


CONTACT_LIST = ListSpec(
    sortable={name: getattr(Contact, name) for name in (
        "contact_id", "customer_id", "contact_firstname", "contact_lastname", "contact_email", "created")},
    filterable={"customer_id": Contact.customer_id},
    default_sort=Contact.contact_id,
)


def list_contacts(session: Session, principal: Principal, query: ListQuery) -> Page:
    stmt = scoped(select(Contact), Contact.customer_id, principal)
    if query.search:
        stmt = stmt.where(Contact.contact_id.in_(_index_search("contact", query.search)))
    return paginate(session, stmt, _without_search(query), CONTACT_LIST)


def _index_search(entity_type: str, text: str) -> Any:
    try:
        return search.matching_entity_ids(entity_type, text)
    except search.QueryTooShort as exc:
        raise field_error("search", str(exc)) from None


# --------------------------------------------------------------------------------------------------
# Sites


def create_site(session: Session, principal: Principal, body: SiteIn) -> Site:
    customer = get_customer(session, principal, body.customer_id)
    site = Site(**body.model_dump(exclude={"customer_id"}))
    customer.sites.append(site)
    session.flush()
    return site


def get_site(session: Session, principal: Principal, site_id: int) -> Site:
    return _visible(session, principal, Site, site_id, "Site")  # type: ignore[no-any-return]


def update_site(session: Session, principal: Principal, site_id: int, body: SitePatch) -> Site:
    site = get_site(session, principal, site_id)
    apply_changes(site, body.model_dump(exclude_unset=True))
    if (site.latitude is None) != (site.longitude is None):
        raise ValidationFailed("latitude and longitude go together: give both or neither",
                               errors=[{"field": "latitude", "message": "give latitude and longitude together"}])
    if not (site.site_name or site.address_line_1):
        raise field_error("site_name", "a site needs a site_name or an address_line_1")
    session.flush()
    return site


def delete_site(session: Session, principal: Principal, site_id: int) -> None:
    session.delete(get_site(session, principal, site_id))
    session.flush()


def sites_of(session: Session, principal: Principal, customer_id: int) -> list[Site]:
    get_customer(session, principal, customer_id)
    return list(session.scalars(select(Site).where(Site.customer_id == customer_id).order_by(Site.site_id)))


SITE_LIST = ListSpec(
    sortable={name: getattr(Site, name) for name in (
        "site_id", "customer_id", "site_name", "city", "state", "zip_code", "country", "created")},
    filterable={name: getattr(Site, name) for name in ("customer_id", "city", "state", "zip_code", "country")},
    default_sort=Site.site_id,
)


def list_sites(session: Session, principal: Principal, query: ListQuery) -> Page:
    stmt = scoped(select(Site), Site.customer_id, principal)
    if query.search:
        stmt = stmt.where(Site.site_id.in_(_index_search("site", query.search)))
    return paginate(session, stmt, _without_search(query), SITE_LIST)


EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE = 111.32


def distance_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    half_dphi, half_dlambda = math.radians(lat2 - lat1) / 2, math.radians(lng2 - lng1) / 2
    a = math.sin(half_dphi) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(half_dlambda) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def _bounding_box(lat: float, lng: float, km: float) -> Any:
    """A box around the point served by the (latitude, longitude) index; wraps across the antimeridian."""
    dlat = km / KM_PER_DEGREE
    condition = and_(Site.latitude >= lat - dlat, Site.latitude <= lat + dlat)
    cos_lat = math.cos(math.radians(lat))
    if abs(lat) + dlat >= 90 or cos_lat <= 0:
        return condition  # the circle reaches a pole: every longitude qualifies
    dlng = km / (KM_PER_DEGREE * cos_lat)
    if dlng >= 180:
        return condition
    west, east = lng - dlng, lng + dlng
    if west < -180:
        longitudes = or_(Site.longitude >= west + 360, Site.longitude <= east)
    elif east > 180:
        longitudes = or_(Site.longitude >= west, Site.longitude <= east - 360)
    else:
        longitudes = and_(Site.longitude >= west, Site.longitude <= east)
    return and_(condition, longitudes)


def sites_near(session: Session, principal: Principal, lat: float, lng: float, km: float, *, page: int,
               per_page: int) -> Page:
    """Sites within `km` of a point, nearest first, each with its `distance_km`."""
    stmt = scoped(select(Site).where(_bounding_box(lat, lng, km)), Site.customer_id, principal)
    found = []
    for site in session.scalars(stmt):
        distance = distance_km(lat, lng, site.latitude, site.longitude)  # type: ignore[arg-type]
        if distance <= km:
            found.append((distance, site.site_id, site))
    found.sort(key=lambda item: item[:2])
    start = (page - 1) * per_page
    shown = found[start:start + per_page]
    rows = [{**_columns(site), "distance_km": round(distance, 3)} for distance, _, site in shown]
    return Page(items=rows, page=page, per_page=per_page, total=len(found))


def _columns(row: Any) -> dict[str, Any]:
    return {column.key: getattr(row, column.key) for column in row.__table__.columns}


# --------------------------------------------------------------------------------------------------
# Attributes


def _attribute_named(session: Session, customer_id: int, name: str) -> Attribute | None:
    return session.scalar(select(Attribute).where(Attribute.customer_id == customer_id,
                                                  Attribute.attribute_name == name))


def _duplicate_attribute(name: str, customer_id: int) -> Conflict:
    return Conflict(f"Customer {customer_id} already has an attribute named {name}", code="duplicate_attribute")


def create_attribute(session: Session, principal: Principal, body: AttributeIn) -> Attribute:
    customer = get_customer(session, principal, body.customer_id)
    if _attribute_named(session, customer.customer_id, body.attribute_name) is not None:
        raise _duplicate_attribute(body.attribute_name, customer.customer_id)
    attribute = Attribute(customer_id=customer.customer_id, attribute_name=body.attribute_name,
                          attribute_value=body.attribute_value)
    session.add(attribute)
    _flush(session, f"Customer {customer.customer_id} already has an attribute named {body.attribute_name}",
           "duplicate_attribute")
    return attribute


def get_attribute(session: Session, principal: Principal, attribute_id: int) -> Attribute:
    return _visible(session, principal, Attribute, attribute_id, "Attribute")  # type: ignore[no-any-return]


def update_attribute(session: Session, principal: Principal, attribute_id: int, body: AttributePatch) -> Attribute:
    attribute = get_attribute(session, principal, attribute_id)
    changes = body.model_dump(exclude_unset=True)
    name = changes.get("attribute_name")
    if name and name != attribute.attribute_name and _attribute_named(session, attribute.customer_id, name):
        raise _duplicate_attribute(name, attribute.customer_id)
    apply_changes(attribute, changes)
    _flush(session, f"Customer {attribute.customer_id} already has an attribute named {name}", "duplicate_attribute")
    return attribute


def delete_attribute(session: Session, principal: Principal, attribute_id: int) -> None:
    session.delete(get_attribute(session, principal, attribute_id))
    session.flush()


def attributes_of(session: Session, principal: Principal, customer_id: int) -> list[Attribute]:
    get_customer(session, principal, customer_id)
    return list(session.scalars(select(Attribute).where(Attribute.customer_id == customer_id)
                                .order_by(Attribute.attribute_id)))


# --------------------------------------------------------------------------------------------------
# Tags


def create_tag(session: Session, principal: Principal, body: TagIn) -> Tag:
    customer = get_customer(session, principal, body.customer_id)
    tag = Tag(customer_id=customer.customer_id, tag_text=body.tag_text, tag_hex_color=body.tag_hex_color.upper(),
              tag_link=body.tag_link, tag_active_date=body.tag_active_date or utcnow(),
              tag_deactivate_date=body.tag_deactivate_date or TAG_DEFAULT_DEACTIVATE)
    if tag.tag_deactivate_date <= tag.tag_active_date:
        raise field_error("tag_deactivate_date", "must be after tag_active_date")
    session.add(tag)
    session.flush()
    return tag


def get_tag(session: Session, principal: Principal, tag_id: int) -> Tag:
    return _visible(session, principal, Tag, tag_id, "Tag")  # type: ignore[no-any-return]


def update_tag(session: Session, principal: Principal, tag_id: int, body: TagPatch) -> Tag:
    tag = get_tag(session, principal, tag_id)
    changes = body.model_dump(exclude_unset=True)
    if "tag_hex_color" in changes:
        changes["tag_hex_color"] = changes["tag_hex_color"].upper()
    apply_changes(tag, changes)
    if tag.tag_deactivate_date <= tag.tag_active_date:
        raise field_error("tag_deactivate_date", "must be after tag_active_date")
    session.flush()
    return tag


def delete_tag(session: Session, principal: Principal, tag_id: int) -> None:
    session.delete(get_tag(session, principal, tag_id))
    session.flush()


def tags_of(session: Session, principal: Principal, customer_id: int, *, include_inactive: bool = False) -> list[Tag]:
    get_customer(session, principal, customer_id)
    stmt = select(Tag).where(Tag.customer_id == customer_id).order_by(Tag.tag_id)
    if not include_inactive:
        now = utcnow()
        stmt = stmt.where(Tag.tag_active_date <= now, Tag.tag_deactivate_date > now)
    return list(session.scalars(stmt))


# --------------------------------------------------------------------------------------------------
# Activity (read from the core audit log, which records every ORM change with its customer_id)

ACTIVITY_LIST = ListSpec(
    sortable={"created": AuditLog.created, "activity_id": AuditLog.audit_id},
    filterable={"entity": AuditLog.entity, "action": AuditLog.action, "actor_user_id": AuditLog.actor_user_id},
    default_sort=AuditLog.audit_id.desc(),
)


def activity_of(session: Session, principal: Principal, customer_id: int, query: ListQuery) -> Page:
    get_customer(session, principal, customer_id)
    stmt = select(AuditLog).where(AuditLog.customer_id == customer_id)
    page = paginate(session, stmt, _without_search(query), ACTIVITY_LIST)
    page.items = [activity_entry(entry) for entry in page.items]
    return page


def add_note(session: Session, principal: Principal, customer_id: int, body: ActivityNoteIn) -> dict[str, Any]:
    customer = get_customer(session, principal, customer_id)
    entry = audit.record(session, action="note", entity="customer", entity_id=customer.customer_id,
                         customer_id=customer.customer_id, note=body.note)
    session.flush()
    return activity_entry(entry)


def activity_entry(entry: AuditLog) -> dict[str, Any]:
    return {
        "activity_id": entry.audit_id, "created": entry.created, "action": entry.action, "entity": entry.entity,
        "entity_id": entry.entity_id, "customer_id": entry.customer_id, "note": entry.note,
        "request_id": entry.request_id, "changes": entry.changes, "changed_fields": changed_fields(entry),
        "actor": {key: getattr(entry, key) for key in ("actor_type", "actor_user_id", "actor_api_key_id",
                                                        "actor_label", "actor_ip", "impersonator_user_id")},
    }


def changed_fields(entry: AuditLog) -> list[str]:
    changes = entry.changes or {}
    if entry.action == "create":
        return sorted(k for k, v in (changes.get("after") or {}).items() if v is not None)
    if entry.action == "update":
        return sorted(changes)
    return []


# --------------------------------------------------------------------------------------------------
# Shared by the CSV import


def customers_by_id(session: Session, ids: Iterable[int]) -> dict[int, Customer]:
    """Customers with their contacts and sites loaded (usable after the session is closed)."""
    wanted = sorted(set(ids))
    found: dict[int, Customer] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        for customer in session.scalars(select(Customer).where(Customer.customer_id.in_(chunk))
                                        .options(selectinload(Customer.contacts), selectinload(Customer.sites))):
            found[customer.customer_id] = customer
    return found


def customer_facts(session: Session, customer_id: int) -> facts.CustomerFacts | None:
    """What other domains may know about a customer (core.facts), without loading its children."""
    row = session.execute(select(Customer.customer_account_type, Customer.customer_status)
                          .where(Customer.customer_id == customer_id)).first()
    return None if row is None else facts.CustomerFacts(customer_id, row.customer_account_type, row.customer_status)


def contact_customer_id(session: Session, contact_id: int) -> int | None:
    return session.scalar(select(Contact.customer_id).where(Contact.contact_id == contact_id))
