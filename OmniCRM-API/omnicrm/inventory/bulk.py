"""Bulk CSV import (all-or-nothing, per-row report, run as a job) and CSV export of inventory items.

An upload is checked (encoding, header) at once and stored sealed (gzip + encryption: SIM files hold Ki/OPc);
the `inventory.import` job then validates every row with the same rules as `PUT /crm/inventory/`, and either
writes all rows in one transaction or none, keeping a report of the rows that failed. Progress is recorded on
the job (two steps per row: validation, then writing).
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, lazyload

from omnicrm.core import audit, crypto
from omnicrm.core.api import ListQuery, apply_filters, apply_sort, validate
from omnicrm.core.auth import Principal
from omnicrm.core.db import is_mysql, utcnow
from omnicrm.core.errors import AppError, NotFound, field_error
from omnicrm.core.jobs import Job, JobContext, PermanentFailure, enqueue, job_handler
from omnicrm.core.types import format_datetime
from omnicrm.inventory import service
from omnicrm.inventory.labels import Shape
from omnicrm.inventory.models import InventoryIdentifier, InventoryImport, InventoryItem, InventoryTemplate
from omnicrm.inventory.schemas import ItemCreate
from omnicrm.utilities import search

IMPORT_JOB = "inventory.import"
IMPORT_MAX_BYTES = 64 * 1024 * 1024
CHUNK = 1000
MAX_REPORTED_ERRORS = 1000
QUEUED, VALIDATING, WRITING = "queued", "validating", "writing"
IMPORTED, REJECTED, FAILED = "imported", "rejected", "failed"
FINISHED = (IMPORTED, REJECTED, FAILED)
# Columns an export carries that an import ignores, so an exported file can be imported elsewhere.
READ_ONLY_COLUMNS = frozenset({"inventory_id", "created", "last_modified", "import_id", "return_due"})
ITEM_COLUMNS = frozenset(ItemCreate.model_fields)


# --------------------------------------------------------------------------------------------------
# Upload


def start_import(session: Session, principal: Principal, raw: bytes, *, template: str | None = None,
                 filename: str | None = None) -> InventoryImport:
    """Check the file's shape, store it sealed and queue the import job (in the caller's transaction)."""
    service.staff_only(principal)
    text = _decode(raw)
    header, row_count = _header_and_row_count(text)
    default_template = _default_template(session, template, header)
    _check_columns(session, header)
    record = InventoryImport(status=QUEUED, filename=filename, content=_seal(raw), row_count=row_count,
                             default_template_id=default_template.inventory_template_id if default_template else None,
                             created_by=principal.username or principal.kind)
    session.add(record)
    session.flush()
    job = enqueue(session, IMPORT_JOB, {"import_id": record.import_id, "actor": session.info.get("actor")})
    session.flush()
    record.job_id = job.job_id
    session.flush()
    return record


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise field_error("file", "must be UTF-8 text (CSV)") from None


def _header_and_row_count(text: str) -> tuple[list[str], int]:
    reader = csv.reader(io.StringIO(text))
    try:
        header = _normalised_header(next(reader, []))
        rows = sum(1 for row in reader if any(cell.strip() for cell in row))
    except csv.Error as exc:
        raise field_error("file", f"is not valid CSV: {exc}") from None
    if not header:
        raise field_error("file", "is empty: the first line must name the columns")
    if rows == 0:
        raise field_error("file", "has a header but no rows")
    return header, rows


def _normalised_header(cells: list[str]) -> list[str]:
    header = [cell.strip().lower() for cell in cells]
    if any(not name for name in header):
        raise field_error("file", "every column needs a name in the first line")
    duplicates = sorted({name for name in header if header.count(name) > 1})
    if duplicates:
        raise field_error("file", f"duplicate column(s): {', '.join(duplicates)}")
    return header


def _default_template(session: Session, reference: str | None, header: list[str]) -> InventoryTemplate | None:
    if reference:
        found = service.find_template(session, reference)
        if found is None:
            raise field_error("template", f"no inventory template {reference}")
        return found
    if "item" not in header and "inventory_template_id" not in header:
        raise field_error("template", "name the template (?template=SIM Card) or give an item column")
    return None


def _check_columns(session: Session, header: list[str]) -> None:
    label_keys = {slot.key for template in service.list_templates(session)
                  for slot in service.item_shape(template).slots}
    unknown = [name for name in header if name not in ITEM_COLUMNS | READ_ONLY_COLUMNS | label_keys]
    if unknown:
        raise field_error("file", f"unknown column(s): {', '.join(unknown)}")


def _seal(raw: bytes) -> bytes:
    return crypto.encrypt_bytes(gzip.compress(raw, compresslevel=6))


def _unseal(sealed: bytes) -> str:
    return _decode(gzip.decompress(crypto.decrypt_bytes(sealed)))


# --------------------------------------------------------------------------------------------------
# The job


@dataclass
class Plan:
    items: list[service.NewItem] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)


def _mark_failed(session: Session, job: Job) -> None:
    record = session.scalar(select(InventoryImport).where(InventoryImport.job_id == job.job_id))
    if record is not None and record.status not in FINISHED:
        record.status, record.content, record.finished = FAILED, None, utcnow()


@job_handler(IMPORT_JOB, on_failed=_mark_failed)
def run_import(ctx: JobContext) -> dict[str, Any]:
    import_id = int(ctx.payload["import_id"])
    with ctx.db.transaction() as session:
        record = session.get(InventoryImport, import_id)
        if record is None:
            raise PermanentFailure(f"inventory import {import_id} does not exist")
        if record.status in FINISHED or record.content is None:
            return {"status": record.status}
        text, default_template_id, rows = _unseal(record.content), record.default_template_id, record.row_count
        record.status = VALIDATING
    ctx.progress(0, 2 * rows)
    plan = validate_file(ctx, text, default_template_id)
    if plan.errors:
        return _reject(ctx, import_id, plan.errors)
    try:
        first, last = _write(ctx, import_id, plan, ctx.payload.get("actor"))
    except IntegrityError:
        # Another request took an ICCID/IMSI/MSISDN between validation and writing: report which rows.
        plan = validate_file(ctx, text, default_template_id)
        if plan.errors:
            return _reject(ctx, import_id, plan.errors)
        raise
    with ctx.db.transaction() as session:
        search.enqueue_index_range(session, "inventory", first, last)
    ctx.progress(2 * rows, 2 * rows)
    return {"status": IMPORTED, "imported": len(plan.items), "first_inventory_id": first, "last_inventory_id": last}


def validate_file(ctx: JobContext, text: str, default_template_id: int | None) -> Plan:
    """Every row through the single-item rules, plus duplicates within the file and against the database."""
    plan = Plan()
    reader = csv.reader(io.StringIO(text))
    header = _normalised_header(next(reader))
    with ctx.db.transaction() as session:
        templates = _template_lookup(session)
    default = templates.get(str(default_template_id)) if default_template_id else None
    seen: dict[tuple[str, str], int] = {}
    chunk: list[tuple[int, dict[str, str]]] = []
    validated = 0
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        chunk.append((reader.line_num, _cells_by_column(header, cells, reader.line_num, plan)))
        if len(chunk) == CHUNK:
            validated += _validate_chunk(ctx, chunk, templates, default, seen, plan)
            ctx.progress(validated)
            chunk = []
    if chunk:
        validated += _validate_chunk(ctx, chunk, templates, default, seen, plan)
        ctx.progress(validated)
    return plan


def _template_lookup(session: Session) -> dict[str, InventoryTemplate]:
    lookup: dict[str, InventoryTemplate] = {}
    for template in service.list_templates(session):
        lookup[str(template.inventory_template_id)] = template
        lookup[template.item.lower()] = template
    return lookup


def _cells_by_column(header: list[str], cells: list[str], line: int, plan: Plan) -> dict[str, str]:
    if len(cells) > len(header) and any(cell.strip() for cell in cells[len(header):]):
        plan.errors.append({"row": line, "field": "file", "message": "more cells than columns"})
    return {name: cell.strip() for name, cell in zip(header, cells, strict=False)
            if cell.strip() and name not in READ_ONLY_COLUMNS}


def _validate_chunk(ctx: JobContext, chunk: list[tuple[int, dict[str, str]]], templates: dict[str, InventoryTemplate],
                    default: InventoryTemplate | None, seen: dict[tuple[str, str], int], plan: Plan) -> int:
    prepared: list[tuple[int, service.NewItem]] = []
    shapes = {t.inventory_template_id: service.item_shape(t) for t in templates.values()}
    with ctx.db.transaction() as session:
        for line, cells in chunk:
            try:
                new = _row_item(session, cells, templates, shapes, default)
            except AppError as exc:
                plan.errors.extend(_row_errors(line, exc))
                continue
            if _unique_in_file(line, new, seen, plan):
                prepared.append((line, new))
        taken = _taken_identifiers(session, [new for _, new in prepared])
    for line, new in prepared:
        clashes = [(kind, value) for kind, value in new.identifiers.items() if (kind, value) in taken]
        for kind, value in clashes:
            plan.errors.append({"row": line, "field": kind,
                                "message": f"{value} already used by inventory item {taken[(kind, value)]}"})
        if not clashes:
            plan.items.append(new)
    return len(chunk)


def _row_item(session: Session, cells: Mapping[str, str], templates: dict[str, InventoryTemplate],
              shapes: Mapping[int, Shape], default: InventoryTemplate | None) -> service.NewItem:
    data: dict[str, Any] = dict(cells)
    if default is not None and "item" not in data and "inventory_template_id" not in data:
        data["inventory_template_id"] = default.inventory_template_id
    body: Any = validate(ItemCreate, data)
    extras = body.model_extra or {}
    fields = body.model_dump(exclude=set(extras))
    template = service.resolve_item_template(lambda ref: templates.get(ref.strip().lower()), fields)
    new = service.prepare_new_item(template, fields, extras, "item_state" in body.model_fields_set,
                                   shape=shapes[template.inventory_template_id])
    if new.columns["customer_id"] is not None:
        service.check_owner_facts(session, service.Placement(
            new.columns["item_state"], new.columns["customer_id"], new.columns["service_id"]))
    return new


def _row_errors(line: int, exc: AppError) -> list[dict[str, Any]]:
    if exc.errors:
        return [{"row": line, "field": e.get("field"), "message": e.get("message")} for e in exc.errors]
    return [{"row": line, "field": None, "message": exc.message}]


def _unique_in_file(line: int, new: service.NewItem, seen: dict[tuple[str, str], int], plan: Plan) -> bool:
    unique = True
    for kind, value in new.identifiers.items():
        first = seen.setdefault((kind, value), line)
        if first != line:
            plan.errors.append({"row": line, "field": kind, "message": f"{value} repeats row {first}"})
            unique = False
    return unique


def _taken_identifiers(session: Session, items: list[service.NewItem]) -> dict[tuple[str, str], int]:
    wanted: dict[str, set[str]] = {}
    for new in items:
        for kind, value in new.identifiers.items():
            wanted.setdefault(kind, set()).add(value)
    taken: dict[tuple[str, str], int] = {}
    for kind, values in wanted.items():
        rows = session.execute(select(InventoryIdentifier.value, InventoryIdentifier.inventory_id).where(
            InventoryIdentifier.kind == kind, InventoryIdentifier.value.in_(values)))
        taken.update({(kind, value): inventory_id for value, inventory_id in rows})
    return taken


def _write(ctx: JobContext, import_id: int, plan: Plan, actor: dict[str, Any] | None) -> tuple[int, int]:
    """All rows in one transaction; progress is reported per chunk where the database allows a second writer."""
    total = len(plan.items)
    now = utcnow()
    with ctx.db.transaction() as session:
        if actor:
            session.info["actor"] = actor
        _set_status(session, import_id, WRITING)
        report_progress = is_mysql(session)  # SQLite has one writer: a progress update would wait for this one
        for start in range(0, total, CHUNK):
            rows = [{**new.columns, "import_id": import_id, "created": now, "last_modified": now, "version_id": 1}
                    for new in plan.items[start:start + CHUNK]]
            session.execute(insert(InventoryItem.__table__), rows)
            if report_progress:
                ctx.progress(total + start + len(rows))
        ids = list(session.scalars(select(InventoryItem.inventory_id).where(InventoryItem.import_id == import_id)
                                   .order_by(InventoryItem.inventory_id)))
        if len(ids) != total:
            raise RuntimeError(f"import {import_id}: wrote {len(ids)} rows, expected {total}")
        identifiers = [{"kind": kind, "value": value, "inventory_id": inventory_id}
                       for inventory_id, new in zip(ids, plan.items, strict=True)
                       for kind, value in new.identifiers.items()]
        for start in range(0, len(identifiers), CHUNK):
            session.execute(insert(InventoryIdentifier.__table__), identifiers[start:start + CHUNK])
        record = session.get(InventoryImport, import_id)
        assert record is not None
        record.status, record.imported_count, record.error_count, record.errors = IMPORTED, total, 0, []
        record.first_inventory_id, record.last_inventory_id = ids[0], ids[-1]
        record.content, record.finished = None, utcnow()
        audit.record(session, action="import", entity="inventory", entity_id=import_id, changes={
            "created": total, "first_inventory_id": ids[0], "last_inventory_id": ids[-1]},
            note=f"CSV import {import_id}: {total} inventory items")
    return ids[0], ids[-1]


def _set_status(session: Session, import_id: int, status: str) -> None:
    record = session.get(InventoryImport, import_id)
    if record is not None:
        record.status = status


def _reject(ctx: JobContext, import_id: int, errors: list[dict[str, Any]]) -> dict[str, Any]:
    errors = sorted(errors, key=lambda e: e["row"])
    with ctx.db.transaction() as session:
        record = session.get(InventoryImport, import_id)
        assert record is not None
        record.status, record.imported_count, record.error_count = REJECTED, 0, len(errors)
        record.errors, record.content, record.finished = errors[:MAX_REPORTED_ERRORS], None, utcnow()
    return {"status": REJECTED, "error_count": len(errors)}


# --------------------------------------------------------------------------------------------------
# Reading an import


def get_import(session: Session, import_id: int) -> InventoryImport:
    record = session.get(InventoryImport, import_id)
    if record is None:
        raise NotFound(f"Inventory import {import_id} not found", code="inventory_import_not_found")
    return record


def import_view(session: Session, record: InventoryImport) -> dict[str, Any]:
    view = {column.key: getattr(record, column.key) for column in InventoryImport.__table__.columns
            if column.key != "content"}
    job = session.get(Job, record.job_id) if record.job_id else None
    if job is not None:
        current, total = job.progress_current or 0, job.progress_total or 0
        view["progress"] = {"current": current, "total": total, "job_status": job.status,
                            "percent": round(100 * current / total, 1) if total else 0.0}
    return view


# --------------------------------------------------------------------------------------------------
# Export


def export_columns(include_secrets: bool) -> list[str]:
    columns = [c.key for c in InventoryItem.__table__.columns
               if c.key not in ("itemtext_secrets", "version_id", "management_password", "config_content")]
    columns.insert(1, "item")
    if include_secrets:
        columns += ["management_password", "config_content"]
    return columns


def export_csv(session: Session, principal: Principal, query: ListQuery, *, include_secrets: bool) -> Iterator[str]:
    """Every item matching the list's filters and search, as CSV lines (an import reads the same columns)."""
    columns = export_columns(include_secrets)
    stmt = apply_sort(apply_filters(service.scoped_items(principal), query, service.ITEM_LIST), query,
                      service.ITEM_LIST)
    stmt = stmt.options(lazyload(InventoryItem.identifiers)).execution_options(yield_per=CHUNK)

    def lines() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        for count, item in enumerate(session.scalars(stmt), start=1):
            view = service.item_view(item, show_secrets=include_secrets)
            writer.writerow(["" if view.get(c) is None else _csv_value(view.get(c)) for c in columns])
            if count % CHUNK == 0:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    return lines()


def _csv_value(value: Any) -> Any:
    return format_datetime(value) if isinstance(value, dt.datetime) else value
