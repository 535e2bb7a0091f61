"""Inventory rules: templates, items, their lifecycle, exclusive assignment and the picker.

Plain functions taking an explicit session and principal; they add and flush, never commit.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from omnicrm.core import facts
from omnicrm.core.api import ListQuery, ListSpec, Page, bool_filter, escape_like, paginate
from omnicrm.core.auth import Principal
from omnicrm.core.errors import Conflict, Forbidden, NotFound, ValidationFailed, field_error
from omnicrm.core.patching import check_path_id
from omnicrm.inventory import states
from omnicrm.inventory.labels import ITEMTEXT_SLOTS, Shape, Slot, label_key, normalise, shape_of
from omnicrm.inventory.models import InventoryIdentifier, InventoryItem, InventoryTemplate
from omnicrm.inventory.schemas import ItemCreate, ItemOut
from omnicrm.utilities import search

STAFF, SELF_CARE = "staff", "self-care"
SECRET_PERMISSION = "update_inventory"
VIEW_PERMISSION = "view_inventory"
ITEMTEXT_COLUMNS = tuple(f"itemtext{n}" for n in ITEMTEXT_SLOTS)
ITEMTEXT_COLUMN_SET = frozenset(ITEMTEXT_COLUMNS)
LABEL_COLUMNS = tuple(f"itemtext{n}_label" for n in ITEMTEXT_SLOTS)
# Item fields a template label may not shadow when exposed under its lowercased name.
RESERVED_KEYS = frozenset(ItemCreate.model_fields) | frozenset(ItemOut.model_fields) | frozenset(
    {"label", "import_id", "version_id", "itemtext_secrets", "management_password", "identifiers", "template"})


# --------------------------------------------------------------------------------------------------
# Templates


def list_templates(session: Session) -> list[InventoryTemplate]:
    return list(session.scalars(select(InventoryTemplate).order_by(InventoryTemplate.inventory_template_id)))


TEMPLATE_LIST = ListSpec(
    sortable={"inventory_template_id": InventoryTemplate.inventory_template_id, "item": InventoryTemplate.item,
              "created": InventoryTemplate.created},
    filterable={"allow_dropdown_staff": InventoryTemplate.allow_dropdown_staff,
                "allow_dropdown_customer": InventoryTemplate.allow_dropdown_customer},
    searchable=[InventoryTemplate.item],
    default_sort=InventoryTemplate.inventory_template_id,
)


def page_templates(session: Session, query: ListQuery) -> Page:
    return paginate(session, select(InventoryTemplate), query, TEMPLATE_LIST)


def get_template(session: Session, template_id: int) -> InventoryTemplate:
    template = session.get(InventoryTemplate, template_id)
    if template is None:
        raise NotFound(f"Inventory template {template_id} not found", code="inventory_template_not_found")
    return template


def find_template(session: Session, reference: str | int) -> InventoryTemplate | None:
    """A template by id, or by its item name (case-insensitive)."""
    text = str(reference).strip()
    if text.isdigit():
        by_id = session.get(InventoryTemplate, int(text))
        if by_id is not None:
            return by_id
    return session.scalar(select(InventoryTemplate).where(func.lower(InventoryTemplate.item) == text.lower()))


def template_names(session: Session) -> dict[str, str]:
    """Lowercased item name -> the template's own spelling (products name inventory types this way)."""
    return {name.lower(): name for name in session.scalars(select(InventoryTemplate.item))}


def template_view(template: InventoryTemplate) -> dict[str, Any]:
    return {column.key: getattr(template, column.key) for column in InventoryTemplate.__table__.columns}


def create_template(session: Session, principal: Principal, values: Mapping[str, Any]) -> InventoryTemplate:
    staff_only(principal)
    template = InventoryTemplate(**values)
    _check_template(session, template)
    session.add(template)
    _flush(session, duplicate=f"An inventory template named {template.item} already exists")
    return template


def update_template(session: Session, principal: Principal, template_id: int,
                    changes: Mapping[str, Any]) -> InventoryTemplate:
    staff_only(principal)
    template = get_template(session, template_id)
    changes = dict(changes)
    check_path_id(changes.pop("inventory_template_id", None), template_id, "inventory_template_id")
    old_name, old_slots = template.item, _sensitive_slots(template)
    with session.no_autoflush:
        for key, value in changes.items():
            setattr(template, key, value)
        _check_template(session, template)
        if template.item != old_name:
            _refuse_if_products_use(session, old_name, "renamed")
        if _sensitive_slots(template) != old_slots and _item_count(session, template_id):
            raise Conflict("This template has items: the fields labelled ICCID, IMSI, MSISDN, Ki or OPc cannot "
                           "change while items exist", code="inventory_template_in_use")
    _flush(session, duplicate=f"An inventory template named {template.item} already exists")
    return template


def delete_template(session: Session, principal: Principal, template_id: int) -> None:
    staff_only(principal)
    template = get_template(session, template_id)
    count = _item_count(session, template_id)
    if count:
        raise Conflict(f"Inventory template {template_id} has {count} item(s); delete or move them first",
                       code="inventory_template_in_use")
    _refuse_if_products_use(session, template.item, "deleted")
    session.delete(template)
    _flush(session, duplicate="The template is still referenced")


def _check_template(session: Session, template: InventoryTemplate) -> None:
    clash = session.scalar(select(InventoryTemplate.inventory_template_id).where(
        func.lower(InventoryTemplate.item) == template.item.lower(),
        InventoryTemplate.inventory_template_id != (template.inventory_template_id or 0)))
    if clash is not None:
        raise Conflict(f"An inventory template named {template.item} already exists",
                       code="duplicate_inventory_template", inventory_template_id=clash,
                       errors=[{"field": "item", "message": "already exists"}])
    seen: dict[str, str] = {}
    for column in LABEL_COLUMNS:
        label = getattr(template, column)
        if not label or not label.strip():
            continue
        key = label_key(label)
        if key in seen:
            raise field_error(column, f"'{label.strip()}' means the same as {seen[key]}")
        seen[key] = column


def _sensitive_slots(template: InventoryTemplate) -> frozenset[tuple[int, str]]:
    return frozenset((s.index, s.key) for s in item_shape(template).slots if s.secret or s.identifier)


def _item_count(session: Session, template_id: int) -> int:
    return session.scalar(select(func.count()).select_from(InventoryItem).where(
        InventoryItem.inventory_template_id == template_id)) or 0


def _refuse_if_products_use(session: Session, item_name: str, action: str) -> None:
    products = facts.products_using_inventory_type(session, item_name)
    if products:
        listed = ", ".join(str(p) for p in products)
        raise Conflict(f"Inventory type {item_name} is required by product(s) {listed} and cannot be {action}",
                       code="inventory_template_in_use", product_ids=products)


# --------------------------------------------------------------------------------------------------
# Item values: labelled slots, secrets, identifiers


@dataclass
class SlotValues:
    """itemtext values by slot index, with the field name the client used for each (for error messages)."""

    values: dict[int, str | None] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)


def item_shape(template: InventoryTemplate) -> Shape:
    return shape_of(template, RESERVED_KEYS)


def collect_slot_values(shape: Shape, fields: Mapping[str, Any], extras: Mapping[str, Any]) -> SlotValues:
    """Merge itemtextN fields and label-keyed fields (iccid, ki, ...) and validate them by label."""
    result = SlotValues()
    errors: list[dict[str, str]] = []
    for column, value in fields.items():
        index = int(column[len("itemtext"):])
        result.values[index], result.names[index] = value, column
    for key, raw in extras.items():
        slot = shape.by_key.get(key)
        if slot is None:
            errors.append({"field": key, "message": f"unknown field (not a label of template {shape.item})"})
            continue
        value = _as_text(raw)
        if value is _INVALID:
            errors.append({"field": key, "message": "must be text"})
            continue
        if result.values.get(slot.index) not in (None, value):
            errors.append({"field": key, "message": f"conflicts with {slot.column}"})
            continue
        result.values[slot.index], result.names[slot.index] = value, key  # type: ignore[assignment]
    for index, value in list(result.values.items()):
        result.values[index] = _normalised_slot_value(shape.by_index.get(index), value, result.names[index], errors)
    if errors:
        raise ValidationFailed("Validation failed: " + "; ".join(f"{e['field']}: {e['message']}" for e in errors[:5]),
                               errors=errors)
    return result


_INVALID = object()


def _as_text(raw: Any) -> Any:
    if raw is None or isinstance(raw, str):
        return raw
    if isinstance(raw, int) and not isinstance(raw, bool):
        return str(raw)
    return _INVALID


def _normalised_slot_value(slot: Slot | None, value: str | None, name: str,
                           errors: list[dict[str, str]]) -> str | None:
    if value is None or not value.strip():
        return None
    text = value.strip()
    if slot is not None:
        try:
            text = normalise(slot.key, text)
        except ValueError as exc:
            errors.append({"field": name, "message": str(exc)})
            return None
    if len(text) > 255:
        errors.append({"field": name, "message": "must be at most 255 characters"})
    return text


def slot_columns(shape: Shape, slot_values: SlotValues, stored_secrets: str | None) -> dict[str, Any]:
    """Column values for the given slots: secret slots go (encrypted) into itemtext_secrets."""
    secrets = json.loads(stored_secrets) if stored_secrets else {}
    columns: dict[str, Any] = {}
    for index, value in slot_values.values.items():
        if index in shape.secret_indexes:
            if value is None:
                secrets.pop(str(index), None)
            else:
                secrets[str(index)] = value
            columns[f"itemtext{index}"] = None
        else:
            columns[f"itemtext{index}"] = value
    columns["itemtext_secrets"] = json.dumps(secrets, sort_keys=True) if secrets else None
    return columns


def identifiers_of(shape: Shape, columns: Mapping[str, Any]) -> dict[str, str]:
    """kind -> value of the ICCID / IMSI / MSISDN slots in a row's column values."""
    return {slot.key: columns[slot.column] for slot in shape.identifier_slots if columns.get(slot.column)}


def item_view(item: InventoryItem, *, show_secrets: bool) -> dict[str, Any]:
    """An item as the API returns it (SPEC D20): seed field names plus lowercased label keys."""
    view: dict[str, Any] = {"inventory_id": item.inventory_id, "item": item.template.item}
    for column in InventoryItem.__table__.columns:
        if column.key not in ("inventory_id", "itemtext_secrets", "version_id", "management_password"):
            view[column.key] = getattr(item, column.key)
    secrets = json.loads(item.itemtext_secrets) if item.itemtext_secrets else {}
    for slot in item_shape(item.template).slots:
        if slot.secret:
            if show_secrets:
                view[slot.column] = view[slot.key] = secrets.get(str(slot.index))
            else:
                view.pop(slot.column, None)
            continue
        view[slot.key] = view.get(slot.column)
    if show_secrets:
        view["management_password"] = item.management_password
    return view


def can_see_secrets(principal: Principal) -> bool:
    return principal.can(SECRET_PERMISSION) and not principal.is_self_care


# --------------------------------------------------------------------------------------------------
# Lifecycle: state and assignment


@dataclass(frozen=True)
class Placement:
    state: str
    customer_id: int | None
    service_id: int | None


def next_placement(current: Placement, changes: Mapping[str, Any], *, creating: bool = False,
                   inventory_id: int | None = None) -> Placement:
    """The state, customer and service an item ends up with after a change (SPEC D6).

    Setting a customer or service on free stock assigns it; free stock never belongs to anyone; Assigned
    needs a customer; an item assigned to one customer/service is not silently moved to another (409).
    """
    customer = changes.get("customer_id", current.customer_id)
    service = changes.get("service_id", current.service_id)
    requested = changes.get("item_state")
    if requested is None:
        takes_owner = current.state in states.FREE_STATES and (customer is not None or service is not None)
        state = states.ASSIGNED if takes_owner else current.state
    else:
        state = requested
    if not creating:
        states.check_transition(current.state, state, inventory_id)
    if state in states.FREE_STATES:
        for name in ("customer_id", "service_id"):
            if changes.get(name) is not None:
                raise field_error(name, f"an item in state {state} cannot belong to a customer or service; "
                                        "set item_state to Assigned")
        return Placement(state, None, None)
    if service is not None and customer is None:
        raise field_error("customer_id", "is required when service_id is set")
    if state == states.ASSIGNED:
        if customer is None:
            raise field_error("customer_id", "is required to assign an item")
        _refuse_reassignment(current, customer, service, inventory_id)
    return Placement(state, customer, service)


def _refuse_reassignment(current: Placement, customer: int, service: int | None, inventory_id: int | None) -> None:
    if current.state != states.ASSIGNED:
        return
    moved_customer = current.customer_id is not None and customer != current.customer_id
    moved_service = current.service_id is not None and service is not None and service != current.service_id
    if moved_customer or moved_service:
        raise not_free(inventory_id, f"is already assigned to customer {current.customer_id}"
                                     + (f", service {current.service_id}" if current.service_id else ""))


def not_free(inventory_id: int | None, why: str) -> Conflict:
    return Conflict(f"Inventory item {inventory_id} {why}", code="inventory_not_free", inventory_id=inventory_id)


def is_free(item: InventoryItem) -> bool:
    return item.item_state in states.FREE_STATES and item.customer_id is None and item.service_id is None


def check_owner_facts(session: Session, placement: Placement) -> None:
    """With the customers/services domains present, the customer and service must exist and match."""
    if placement.customer_id is not None and facts.is_provided(facts.CUSTOMER) \
            and facts.customer_facts(session, placement.customer_id) is None:
        raise field_error("customer_id", f"customer {placement.customer_id} does not exist")
    if placement.service_id is None or not facts.is_provided(facts.SERVICE):
        return
    service = facts.service_facts(session, placement.service_id)
    if service is None:
        raise field_error("service_id", f"service {placement.service_id} does not exist")
    if service.customer_id != placement.customer_id:
        raise field_error("service_id", f"service {placement.service_id} belongs to another customer")


# --------------------------------------------------------------------------------------------------
# Items: create, read, update, delete


@dataclass
class NewItem:
    template: InventoryTemplate
    columns: dict[str, Any]
    identifiers: dict[str, str]


TemplateLookup = Callable[[str], "InventoryTemplate | None"]


def resolve_item_template(lookup: TemplateLookup, fields: Mapping[str, Any]) -> InventoryTemplate:
    """The template a new item names by inventory_template_id or by item (its name); both must agree."""
    template_id, name = fields.get("inventory_template_id"), fields.get("item")
    if template_id is None and not name:
        raise field_error("inventory_template_id", "inventory_template_id or item (the template name) is required")
    reference = str(template_id) if template_id is not None else str(name)
    template = lookup(reference)
    if template is None:
        which = "inventory_template_id" if template_id is not None else "item"
        raise field_error(which, f"no inventory template {reference}")
    if name and template.item.lower() != str(name).strip().lower():
        raise field_error("item", f"does not match inventory_template_id {template_id} ({template.item})")
    return template


def prepare_new_item(template: InventoryTemplate, fields: Mapping[str, Any], extras: Mapping[str, Any],
                     state_given: bool, shape: Shape | None = None) -> NewItem:
    """Column values of a new item from a validated create body (no database access)."""
    shape = shape or item_shape(template)
    values = {k: v for k, v in fields.items() if k not in ("item", "inventory_template_id")
              and k not in ITEMTEXT_COLUMN_SET}
    changes = {k: values[k] for k in ("customer_id", "service_id")}
    if state_given:
        changes["item_state"] = values["item_state"]
    placement = next_placement(Placement(states.NEW, None, None), changes, creating=True)
    values.update(item_state=placement.state, customer_id=placement.customer_id, service_id=placement.service_id)
    if values.get("wholesale_cost") is None:
        values["wholesale_cost"] = template.wholesale_cost
    if values.get("retail_cost") is None:
        values["retail_cost"] = template.retail_cost
    itemtexts = {k: v for k, v in fields.items() if k in ITEMTEXT_COLUMN_SET and v is not None}
    slot_values = collect_slot_values(shape, itemtexts, extras)
    values.update(dict.fromkeys(ITEMTEXT_COLUMNS))
    values.update(slot_columns(shape, slot_values, None))
    values["inventory_template_id"] = template.inventory_template_id
    return NewItem(template, values, identifiers_of(shape, values))


def create_item(session: Session, principal: Principal, body: Any) -> InventoryItem:
    staff_only(principal)
    fields = body.model_dump(exclude={*body.model_extra})
    template = resolve_item_template(lambda reference: find_template(session, reference), fields)
    new = prepare_new_item(template, fields, body.model_extra or {}, "item_state" in body.model_fields_set)
    check_owner_facts(session, Placement(new.columns["item_state"], new.columns["customer_id"],
                                          new.columns["service_id"]))
    check_identifiers_free(session, new.identifiers)
    item = InventoryItem(**new.columns)
    item.identifiers = [InventoryIdentifier(kind=k, value=v) for k, v in new.identifiers.items()]
    session.add(item)
    _flush(session, duplicate="An item with the same ICCID, IMSI or MSISDN already exists")
    return item


def get_item(session: Session, principal: Principal, inventory_id: int) -> InventoryItem:
    item = session.get(InventoryItem, inventory_id)
    if item is None or (principal.is_self_care and item.customer_id != principal.customer_id):
        raise NotFound(f"Inventory item {inventory_id} not found", code="inventory_not_found")
    return item


def update_item(session: Session, principal: Principal, inventory_id: int, changes: Mapping[str, Any],
                extras: Mapping[str, Any]) -> InventoryItem:
    staff_only(principal)
    item = get_item(session, principal, inventory_id)
    changes = dict(changes)
    check_path_id(changes.pop("inventory_id", None), inventory_id, "inventory_id")
    _check_same_template(item, changes.pop("inventory_template_id", None), changes.pop("item", None))
    current = Placement(item.item_state, item.customer_id, item.service_id)
    placement = next_placement(current, changes, inventory_id=inventory_id)
    if placement != current:
        check_owner_facts(session, placement)
    slot_fields = {k: changes.pop(k) for k in list(changes) if k in ITEMTEXT_COLUMN_SET}
    shape = item_shape(item.template)
    slot_values = collect_slot_values(shape, slot_fields, extras)
    with session.no_autoflush:
        for key, value in changes.items():
            setattr(item, key, value)
        item.item_state, item.customer_id, item.service_id = placement.state, placement.customer_id, \
            placement.service_id
        if placement.state != states.ASSIGNED or placement.service_id is not None:
            item.return_due = None  # back, lost or on a service again: no longer awaiting return
        if slot_values.values:
            for key, value in slot_columns(shape, slot_values, item.itemtext_secrets).items():
                setattr(item, key, value)
            identifiers = identifiers_of(shape, {c: getattr(item, c) for c in ITEMTEXT_COLUMNS})
            check_identifiers_free(session, identifiers, own_id=inventory_id)
            _sync_identifiers(item, identifiers)
    flush_item(session, inventory_id)
    return item


def flush_item(session: Session, inventory_id: int) -> None:
    """Flush an item's changes: a concurrent change of the same item is a 409."""
    _flush(session, duplicate="An item with the same ICCID, IMSI or MSISDN already exists", inventory_id=inventory_id)


def assign_item(session: Session, principal: Principal, inventory_id: int, *, customer_id: int,
                service_id: int | None = None, expected_item: str | None = None) -> InventoryItem:
    """Give a free item to a customer (and service); exactly one of two concurrent callers wins."""
    ensure_free(session, inventory_id, expected_item)
    return update_item(session, principal, inventory_id,
                       {"customer_id": customer_id, "service_id": service_id, "item_state": states.ASSIGNED}, {})


def ensure_free(session: Session, inventory_id: int, expected_item: str | None = None) -> InventoryItem:
    """409 unless the item exists (404), is of the expected template and is free stock."""
    item = session.get(InventoryItem, inventory_id)
    if item is None:
        raise NotFound(f"Inventory item {inventory_id} not found", code="inventory_not_found")
    if expected_item and item.template.item.lower() != expected_item.strip().lower():
        raise Conflict(f"Inventory item {inventory_id} is a {item.template.item}, not a {expected_item}",
                       code="inventory_wrong_template", inventory_id=inventory_id)
    if not is_free(item):
        raise not_free(inventory_id, f"is not free (state {item.item_state}"
                                     + (f", customer {item.customer_id}" if item.customer_id else "") + ")")
    return item


def delete_item(session: Session, principal: Principal, inventory_id: int) -> None:
    staff_only(principal)
    item = get_item(session, principal, inventory_id)
    if item.item_state == states.ASSIGNED or item.customer_id is not None or item.service_id is not None:
        raise Conflict(f"Inventory item {inventory_id} is assigned; release it first", code="inventory_assigned",
                       inventory_id=inventory_id)
    session.delete(item)
    _flush(session, duplicate="The item is still referenced", inventory_id=inventory_id)


def check_identifiers_free(session: Session, identifiers: Mapping[str, str], own_id: int | None = None) -> None:
    for kind, value in identifiers.items():
        holder = session.scalar(select(InventoryIdentifier.inventory_id).where(
            InventoryIdentifier.kind == kind, InventoryIdentifier.value == value))
        if holder is not None and holder != own_id:
            raise Conflict(f"{kind.upper()} {value} already belongs to inventory item {holder}",
                           code=f"duplicate_{kind}", inventory_id=holder,
                           errors=[{"field": kind, "message": f"already used by inventory item {holder}"}])


def _sync_identifiers(item: InventoryItem, identifiers: Mapping[str, str]) -> None:
    current = {identifier.kind: identifier for identifier in item.identifiers}
    for kind, identifier in current.items():
        if identifiers.get(kind) != identifier.value:
            item.identifiers.remove(identifier)
    for kind, value in identifiers.items():
        if kind not in current or current[kind].value != value:
            item.identifiers.append(InventoryIdentifier(kind=kind, value=value))


def _check_same_template(item: InventoryItem, template_id: int | None, name: str | None) -> None:
    if template_id is not None and template_id != item.inventory_template_id:
        raise field_error("inventory_template_id", "an item's template cannot change")
    if name is not None and name.strip().lower() != item.template.item.lower():
        raise field_error("item", "an item's template cannot change")


# --------------------------------------------------------------------------------------------------
# Lists, picker


def _in_template_named(stmt: Select[Any], values: list[Any]) -> Select[Any]:
    names = [str(v).lower() for v in values]
    return stmt.where(InventoryItem.inventory_template_id.in_(
        select(InventoryTemplate.inventory_template_id).where(func.lower(InventoryTemplate.item).in_(names))))


ITEM_LIST = ListSpec(
    sortable={name: getattr(InventoryItem, name) for name in (
        "inventory_id", "item_state", "item_location", "itemtext1", "itemtext2", "customer_id", "service_id",
        "created", "last_modified", "return_due")},
    filterable={"inventory_template_id": InventoryItem.inventory_template_id, "item": _in_template_named,
                "item_state": InventoryItem.item_state, "item_location": InventoryItem.item_location,
                "customer_id": InventoryItem.customer_id, "service_id": InventoryItem.service_id,
                "import_id": InventoryItem.import_id,
                # rented items taken off their service and not yet back
                "awaiting_return": bool_filter(InventoryItem.return_due.is_not(None), "awaiting_return")},
    searchable=[InventoryItem.itemtext1, InventoryItem.itemtext2, InventoryItem.item_location,
                InventoryItem.inventory_notes],
    default_sort=InventoryItem.inventory_id,
)


def scoped_items(principal: Principal) -> Select[Any]:
    stmt = select(InventoryItem)
    if principal.is_self_care:
        stmt = stmt.where(InventoryItem.customer_id == principal.customer_id)
    return stmt


def page_items(session: Session, principal: Principal, query: ListQuery) -> Page:
    return paginate(session, scoped_items(principal), query, ITEM_LIST)


def items_of_customer(session: Session, principal: Principal, customer_id: int) -> list[InventoryItem]:
    if principal.is_self_care and customer_id != principal.customer_id:
        raise NotFound(f"Customer {customer_id} not found", code="customer_not_found")
    return list(session.scalars(select(InventoryItem).where(InventoryItem.customer_id == customer_id)
                                .order_by(InventoryItem.inventory_id)))


PICKER_LIST = ListSpec(
    sortable={"inventory_id": InventoryItem.inventory_id, "itemtext1": InventoryItem.itemtext1,
              "item_location": InventoryItem.item_location},
    filterable={"item_location": InventoryItem.item_location},
    default_sort=InventoryItem.inventory_id,
)


def picker_channel(principal: Principal, requested: str | None) -> str:
    """Customers (and callers without view_inventory) only ever get the self-care picker."""
    if principal.is_self_care or not principal.can(VIEW_PERMISSION):
        return SELF_CARE
    return requested or STAFF


def picker(session: Session, principal: Principal, query: Any) -> Page:
    """Free stock of one inventory type (New / In Stock, no customer or service) for a provisioning picker."""
    template = find_template(session, query.item)
    if template is None:
        raise NotFound(f"No inventory template named {query.item}", code="inventory_template_not_found")
    channel = picker_channel(principal, query.channel)
    offered = template.allow_dropdown_customer if channel == SELF_CARE else template.allow_dropdown_staff
    if not offered:
        return Page(items=[], page=query.page, per_page=query.per_page, total=0)
    stmt = select(InventoryItem).where(
        InventoryItem.inventory_template_id == template.inventory_template_id,
        InventoryItem.item_state.in_(sorted(states.FREE_STATES)),
        InventoryItem.customer_id.is_(None), InventoryItem.service_id.is_(None))
    if query.search:
        stmt = stmt.where(_picker_search(query.search))
        query = query.model_copy(update={"search": None})
    return paginate(session, stmt, query, PICKER_LIST)


def _picker_search(text: str) -> Any:
    """A substring of the item's identifiers (itemtext1/2: ICCID and IMSI, MSISDN, serial and MAC) through the
    global search index: one index seek instead of a LIKE over every free item of the type (a 100k stock).
    A query of under two letters or digits falls back to that LIKE."""
    try:
        return InventoryItem.inventory_id.in_(search.matching_entity_ids("inventory", text))
    except search.QueryTooShort:
        pattern = f"%{escape_like(text)}%"
        return or_(InventoryItem.itemtext1.like(pattern, escape="\\"),
                   InventoryItem.itemtext2.like(pattern, escape="\\"))


def picker_row(item: InventoryItem) -> dict[str, Any]:
    label = " - ".join(str(part) for part in (item.inventory_id, item.itemtext1, item.item_location) if part)
    return {"inventory_id": item.inventory_id, "label": label, "item": item.template.item,
            "itemtext1": item.itemtext1, "item_location": item.item_location, "item_state": item.item_state}


# --------------------------------------------------------------------------------------------------
# eSIM QR


def is_lpa(text: str | None) -> bool:
    return bool(text) and text.strip().upper().startswith("LPA:")  # type: ignore[union-attr]


def lpa_qr_png(session: Session, principal: Principal, inventory_id: int, box_size: int = 8) -> bytes:
    """The eSIM activation code (an LPA string in management_url) as a QR code PNG."""
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    item = get_item(session, principal, inventory_id)
    if not principal.is_self_care and not principal.can(VIEW_PERMISSION):
        raise Forbidden(f"Missing permission: {VIEW_PERMISSION}", code="permission_denied")
    if not is_lpa(item.management_url):
        raise NotFound(f"Inventory item {inventory_id} has no eSIM activation (LPA) string",
                       code="no_lpa_activation_code")
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=box_size, border=4)
    code.add_data(item.management_url.strip())  # type: ignore[union-attr]
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image().save(buffer, format="PNG")
    return buffer.getvalue()


# --------------------------------------------------------------------------------------------------
# Helpers


def staff_only(principal: Principal) -> None:
    if principal.is_self_care:
        raise Forbidden("Customers cannot change the inventory", code="permission_denied")


def _flush(session: Session, *, duplicate: str, inventory_id: int | None = None) -> None:
    try:
        session.flush()
    except StaleDataError:
        raise Conflict(f"Inventory item {inventory_id} was changed by another request at the same time; "
                       "read it again and retry", code="inventory_changed", inventory_id=inventory_id) from None
    except IntegrityError:
        raise Conflict(duplicate, code="conflict") from None
