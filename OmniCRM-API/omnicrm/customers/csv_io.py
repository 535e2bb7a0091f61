"""CSV export and import of customers with their contacts and sites.

One row carries a customer plus at most one contact and one site; a customer with several contacts or sites
spans several rows. Rows belong to the same customer when they share `customer_id` (an existing customer) or
`customer_ref` (any label, for new customers); otherwise every row is a customer of its own. A row with
`contact_id` / `site_id` updates that contact/site, without one it adds a new one. Empty cells mean "not
given": they never clear a stored value. An export can therefore be edited and imported back.

Import is all-or-nothing: every row is validated first (nothing is written while any row is wrong, and the
answer lists each row's errors). Small files are then written in the request's transaction. Big files run as
a `customer_import` job whose progress is on the job record (`GET /crm/jobs/{id}`): it writes in chunks (so
SQLite, one writer at a time, stays usable meanwhile) and, should it fail, takes back what it wrote.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from omnicrm.core.api import apply_filters, validation_failed
from omnicrm.core.audit import AuditLog
from omnicrm.core.auth import Principal
from omnicrm.core.db import UTCDateTime
from omnicrm.core.errors import AppError, ValidationFailed, field_error
from omnicrm.core.jobs import Job, JobContext, PermanentFailure, enqueue, job_handler
from omnicrm.core.types import format_datetime
from omnicrm.customers import service
from omnicrm.customers.models import ARCHIVED, CLOSED, Contact, Customer, CustomerImport, Site
from omnicrm.customers.schemas import (
    ContactFields,
    ContactPatch,
    CustomerIn,
    CustomerListQuery,
    CustomerPatch,
    SiteFields,
    SitePatch,
)

CUSTOMER_COLUMNS = ("customer_name", "customer_account_type", "customer_status", "customer_payment_type",
                    "customer_enabled", "tax_identifier", "contract_start_date", "contract_end_date")
CONTACT_COLUMNS = ("contact_firstname", "contact_lastname", "contact_email", "contact_phone", "contact_types")
SITE_COLUMNS = ("site_name", "address_line_1", "address_line_2", "city", "state", "zip_code", "country",
                "latitude", "longitude", "google_maps_place_id", "plus_code")
COLUMNS = ("customer_id", "customer_ref", *CUSTOMER_COLUMNS, "contact_id", *CONTACT_COLUMNS, "site_id",
           *SITE_COLUMNS)

INLINE_MAX_ROWS = 1000  # bigger files are imported by a job
MAX_ROWS = 200_000
MAX_UPLOAD_BYTES = 64 * 1024 * 1024
MAX_REPORTED_ERRORS = 1000
EXPORT_BATCH = 200
WRITE_CHUNK = 1000  # customers per transaction in an import job
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
JOB_KIND = "customer_import"


# --------------------------------------------------------------------------------------------------
# Export


def export_rows(session: Session, principal: Principal, query: CustomerListQuery) -> Iterator[str]:
    """The CSV text (filters are checked now, before anything is streamed)."""
    stmt = apply_filters(service.customer_query(principal, query), query.model_copy(update={"search": None}),
                         service.CUSTOMER_LIST)
    return _stream(session, stmt)


def _stream(session: Session, stmt: Any) -> Iterator[str]:
    """A few hundred customers at a time, each batch in its own short read transaction."""
    yield _csv_line(COLUMNS)
    last_id = 0
    while True:
        batch = list(session.scalars(
            stmt.where(Customer.customer_id > last_id).order_by(Customer.customer_id).limit(EXPORT_BATCH)
            .options(selectinload(Customer.contacts), selectinload(Customer.sites))))
        session.rollback()  # end the read transaction: on SQLite every transaction holds the write lock
        if not batch:
            return
        yield "".join(_csv_line(row) for customer in batch for row in _customer_rows(customer))
        last_id = batch[-1].customer_id


def _customer_rows(customer: Customer) -> Iterator[list[Any]]:
    customer_part = [customer.customer_id, "", *(getattr(customer, c) for c in CUSTOMER_COLUMNS)]
    for index in range(max(1, len(customer.contacts), len(customer.sites))):
        contact = customer.contacts[index] if index < len(customer.contacts) else None
        site = customer.sites[index] if index < len(customer.sites) else None
        yield [*customer_part, *_part(contact, "contact_id", CONTACT_COLUMNS), *_part(site, "site_id", SITE_COLUMNS)]


def _part(row: Any, id_column: str, columns: tuple[str, ...]) -> list[Any]:
    if row is None:
        return [""] * (len(columns) + 1)
    return [getattr(row, id_column), *(getattr(row, c) for c in columns)]


def _csv_line(values: Any) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([_cell(v) for v in values])
    return buffer.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(value)
    if hasattr(value, "tzinfo"):
        return format_datetime(value)
    text = str(value)
    # Spreadsheets run cells starting with these as formulas; a leading quote neutralises them (and import
    # removes it again), except for plain numbers such as "+61412345678" or "-33.86".
    if text.startswith(_FORMULA_START) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text.replace(" ", ""))
    except ValueError:
        return False
    return True


# --------------------------------------------------------------------------------------------------
# Parsing and validation


@dataclass
class RowError:
    row: int  # line number in the file (the header is line 1)
    field: str
    message: str


@dataclass
class CustomerPlan:
    first_row: int
    customer_id: int | None = None  # an existing customer to update; None: create one
    values: dict[str, Any] = field(default_factory=dict)  # create: CustomerIn fields; update: the changes
    new_contacts: list[Contact] = field(default_factory=list)
    contact_updates: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    new_sites: list[dict[str, Any]] = field(default_factory=list)
    site_updates: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    raw_customer: dict[str, str] = field(default_factory=dict)
    row_count: int = 0


@dataclass
class ImportPlan:
    rows: int
    customers: list[CustomerPlan]
    errors: list[RowError]

    def summary(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "customers_created": sum(1 for c in self.customers if c.customer_id is None),
            "customers_updated": sum(1 for c in self.customers if c.customer_id is not None),
            "contacts_created": sum(len(c.new_contacts) for c in self.customers),
            "contacts_updated": sum(len(c.contact_updates) for c in self.customers),
            "sites_created": sum(len(c.new_sites) for c in self.customers),
            "sites_updated": sum(len(c.site_updates) for c in self.customers),
        }

    def error_report(self) -> dict[str, Any]:
        shown = self.errors[:MAX_REPORTED_ERRORS]
        by_row: dict[int, list[dict[str, str]]] = {}
        for error in shown:
            by_row.setdefault(error.row, []).append({"field": error.field, "message": error.message})
        return {"rows": self.rows, "error_count": len(self.errors), "errors_truncated": len(self.errors) > len(shown),
                "row_errors": [{"row": row, "errors": errors} for row, errors in by_row.items()]}


def parse_csv(content: bytes) -> list[tuple[int, dict[str, str]]]:
    """(line number, {column: cell}) for every non-empty data row; 422 for files that are not our CSV."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationFailed("The file is not UTF-8 text", code="invalid_csv",
                               errors=[{"field": "file", "message": "must be UTF-8 encoded CSV"}]) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise _file_error("the file is empty (a header row is required)") from None
    except csv.Error as exc:
        raise _file_error(f"unreadable CSV: {exc}") from None
    _check_header(header)
    rows = []
    try:
        for cells in reader:
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(cells) > len(header):
                rows.append((line, {"__extra__": "x"}))
                continue
            rows.append((line, {name: _unescape(cell.strip()) for name, cell in zip(header, cells, strict=False)}))
            if len(rows) > MAX_ROWS:
                raise _file_error(f"the file has more than {MAX_ROWS} rows; split it")
    except csv.Error as exc:
        raise _file_error(f"unreadable CSV at line {reader.line_num}: {exc}") from None
    if not rows:
        raise _file_error("the file has no data rows")
    return rows


def _file_error(message: str) -> ValidationFailed:
    return ValidationFailed(f"file: {message}", code="invalid_csv", errors=[{"field": "file", "message": message}])


def _check_header(header: list[str]) -> None:
    unknown = [h for h in header if h not in COLUMNS]
    duplicated = sorted({h for h in header if header.count(h) > 1})
    if unknown or duplicated:
        problems = ([f"unknown column(s): {', '.join(unknown)}"] if unknown else []) + (
            [f"repeated column(s): {', '.join(duplicated)}"] if duplicated else [])
        raise _file_error("; ".join(problems) + f" (columns: {', '.join(COLUMNS)})")


def _unescape(cell: str) -> str:
    return cell[1:] if cell[:1] == "'" and cell[1:2] and cell[1:2] in _FORMULA_START else cell


class _Validator:
    """Turns rows into a plan, collecting every problem instead of stopping at the first.

    Everything it needs from the database is read up front (`prefetch`), so the row loop holds no
    transaction open and a job can report progress while it runs, even on SQLite.
    """

    def __init__(self, principal: Principal):
        self.principal = principal
        self.errors: list[RowError] = []
        self.plans: dict[str, CustomerPlan] = {}
        self.rejected: set[str] = set()  # customers whose first row failed: later rows only check their parts
        self.existing: dict[int, Customer] = {}
        self.active_services: dict[int, int] = {}

    def prefetch(self, session: Session, rows: list[tuple[int, dict[str, str]]]) -> None:
        ids = {int(v["customer_id"]) for _, v in rows if v.get("customer_id", "").isdigit()}
        own = service.own_customer_id(self.principal)
        self.existing = {cid: customer for cid, customer in service.customers_by_id(session, ids).items()
                         if own is None or cid == own}
        closing = {int(v["customer_id"]) for _, v in rows if v.get("customer_id", "").isdigit()
                   and v.get("customer_status", "").strip().lower() in (CLOSED.lower(), ARCHIVED.lower())}
        closing &= set(self.existing)
        self.active_services = {cid: service.active_service_count(session, cid) for cid in closing}

    def add(self, line: int, values: dict[str, str]) -> None:
        if "__extra__" in values:
            self.errors.append(RowError(line, "row", "more cells than header columns"))
            return
        plan = self._plan_for(line, values)
        if plan is None:
            return
        plan.row_count += 1
        self._contact(line, values, plan)
        self._site(line, values, plan)

    def _error(self, line: int, section: str, exc: Exception) -> None:
        if isinstance(exc, ValidationError):
            exc = validation_failed(exc)
        errors = exc.errors if isinstance(exc, AppError) and exc.errors else [{"field": section, "message": str(exc)}]
        for error in errors:
            name = error["field"]
            self.errors.append(RowError(line, section if name in ("body", "") else name, error["message"]))

    def _plan_for(self, line: int, values: dict[str, str]) -> CustomerPlan | None:
        raw_id, ref = values.get("customer_id", ""), values.get("customer_ref", "")
        customer_values = {c: values[c] for c in CUSTOMER_COLUMNS if values.get(c)}
        key = f"id:{raw_id}" if raw_id else f"ref:{ref}" if ref else f"row:{line}"
        if key in self.rejected:
            return CustomerPlan(first_row=line)  # a stand-in, so this row's contact and site are still checked
        plan = self.plans.get(key)
        if plan is not None:
            for column, value in customer_values.items():
                if plan.raw_customer.setdefault(column, value) != value:
                    self.errors.append(RowError(line, column, f"differs from row {plan.first_row} of this customer"))
            return plan
        plan = self._new_plan(line, raw_id, customer_values)
        if plan is None:
            self.rejected.add(key)
            return None
        plan.raw_customer = dict(customer_values)
        self.plans[key] = plan
        return plan

    def _new_plan(self, line: int, raw_id: str, customer_values: dict[str, str]) -> CustomerPlan | None:
        if not raw_id:
            try:
                customer = CustomerIn.model_validate(customer_values)
            except ValidationError as exc:
                self._error(line, "customer", exc)
                return None
            return CustomerPlan(first_row=line, values=customer.model_dump(exclude={"contacts", "sites"}))
        existing = self.existing.get(int(raw_id)) if raw_id.isdigit() else None
        if existing is None:
            self.errors.append(RowError(line, "customer_id", f"customer {raw_id} not found"))
            return None
        try:
            changes = CustomerPatch.model_validate(customer_values).model_dump(exclude_unset=True, exclude={"force"})
            service.check_contract_dates(existing, changes)
        except (ValidationError, AppError) as exc:
            self._error(line, "customer", exc)
            return None
        if changes and not self.principal.can("update_customer"):
            self.errors.append(RowError(line, "customer_id", "changing existing customers needs update_customer"))
        status = changes.get("customer_status")
        if status != existing.customer_status and self.active_services.get(existing.customer_id):
            count = self.active_services[existing.customer_id]
            self.errors.append(RowError(line, "customer_status", f"the customer has {count} active service(s)"))
        return CustomerPlan(first_row=line, customer_id=existing.customer_id, values=changes)

    def _contact(self, line: int, values: dict[str, str], plan: CustomerPlan) -> None:
        given = {c: values[c] for c in CONTACT_COLUMNS if values.get(c)}
        if "contact_types" in given:
            given["contact_types"] = given["contact_types"].replace(";", ",")
        raw_id = values.get("contact_id", "")
        if not given and not raw_id:
            return
        try:
            if raw_id:
                contact_id = self._owned_id(plan, "contacts", "contact_id", raw_id)
                changes = ContactPatch.model_validate(given).model_dump(exclude_unset=True)
                if "contact_phone" in changes:
                    changes["contact_phone_e164"] = service.normalise_phone(changes["contact_phone"])
                plan.contact_updates.append((contact_id, changes))
            else:
                fields = ContactFields.model_validate(given)
                plan.new_contacts.append(service.new_contact(fields))
        except (ValidationError, AppError) as exc:
            self._error(line, "contact", exc)

    def _site(self, line: int, values: dict[str, str], plan: CustomerPlan) -> None:
        given = {c: values[c] for c in SITE_COLUMNS if values.get(c)}
        raw_id = values.get("site_id", "")
        if not given and not raw_id:
            return
        try:
            if raw_id:
                site_id = self._owned_id(plan, "sites", "site_id", raw_id)
                plan.site_updates.append((site_id, SitePatch.model_validate(given).model_dump(exclude_unset=True)))
            else:
                plan.new_sites.append(SiteFields.model_validate(given).model_dump())
        except (ValidationError, AppError) as exc:
            self._error(line, "site", exc)

    def _owned_id(self, plan: CustomerPlan, relation: str, column: str, raw_id: str) -> int:
        customer = self.existing.get(plan.customer_id or 0)
        owned = {getattr(row, column) for row in getattr(customer, relation, [])}
        if not raw_id.isdigit() or int(raw_id) not in owned:
            raise field_error(column, f"{raw_id} is not one of this row's customer's {relation}")
        return int(raw_id)


def validate_rows(session: Session, principal: Principal, rows: list[tuple[int, dict[str, str]]]) -> ImportPlan:
    return validate_prefetched(prefetched_validator(session, principal, rows), rows)


def prefetched_validator(session: Session, principal: Principal,
                         rows: list[tuple[int, dict[str, str]]]) -> _Validator:
    validator = _Validator(principal)
    validator.prefetch(session, rows)
    return validator


def validate_prefetched(validator: _Validator, rows: list[tuple[int, dict[str, str]]],
                        progress: Callable[[int], None] | None = None) -> ImportPlan:
    for index, (line, values) in enumerate(rows, start=1):
        validator.add(line, values)
        if progress is not None and index % 1000 == 0:
            progress(index)
    return ImportPlan(rows=len(rows), customers=list(validator.plans.values()), errors=validator.errors)


# --------------------------------------------------------------------------------------------------
# Writing


def apply_plan(session: Session, customers: Sequence[CustomerPlan]) -> list[int]:
    """Write validated customers in the caller's transaction; returns the ids of the customers written."""
    existing = service.customers_by_id(session, [c.customer_id for c in customers if c.customer_id])
    written = [_write_customer(session, item, existing) for item in customers]
    session.flush()
    return [customer.customer_id for customer in written]


def _write_customer(session: Session, item: CustomerPlan, existing: dict[int, Customer]) -> Customer:
    if item.customer_id is None:
        customer = Customer(**item.values)
        session.add(customer)
    else:
        customer = existing[item.customer_id]
        service.apply_changes(customer, item.values)
    customer.contacts.extend(item.new_contacts)
    customer.sites.extend(Site(**values) for values in item.new_sites)
    contacts = {c.contact_id: c for c in customer.contacts}
    sites = {s.site_id: s for s in customer.sites}
    for contact_id, changes in item.contact_updates:
        service.apply_changes(contacts[contact_id], changes)
    for site_id, changes in item.site_updates:
        service.apply_changes(sites[site_id], changes)
    return customer


# --------------------------------------------------------------------------------------------------
# Entry points


def import_inline(session: Session, principal: Principal, rows: list[tuple[int, dict[str, str]]], *,
                  dry_run: bool) -> dict[str, Any]:
    plan = validate_rows(session, principal, rows)
    if plan.errors:
        raise rejected(plan)
    if dry_run:
        return {"dry_run": True, "valid": True, **plan.summary()}
    customer_ids = apply_plan(session, plan.customers)
    return {"dry_run": False, "valid": True, **plan.summary(), "customer_ids": customer_ids}


def rejected(plan: ImportPlan) -> ValidationFailed:
    report = plan.error_report()
    errors = [{"field": f"rows.{row['row']}.{e['field']}", "message": e["message"]}
              for row in report["row_errors"] for e in row["errors"]]
    return ValidationFailed(f"{report['error_count']} problem(s) in {len(report['row_errors'])} row(s); "
                            "nothing was imported", code="import_rejected", errors=errors,
                            **{k: v for k, v in report.items() if k != "rows"})


def enqueue_import(session: Session, principal: Principal, content: bytes, *, filename: str | None,
                   dry_run: bool, row_count: int) -> dict[str, Any]:
    upload = CustomerImport(filename=(filename or "")[:255] or None, row_count=row_count, dry_run=dry_run,
                            content=gzip.compress(content), created_by_user_id=principal.user_id)
    session.add(upload)
    session.flush()
    job = enqueue(session, JOB_KIND, {"import_id": upload.import_id, "dry_run": dry_run,
                                      "principal": _principal_payload(principal)}, max_attempts=1)
    session.flush()
    upload.job_id = job.job_id
    return {"job_id": job.job_id, "import_id": upload.import_id, "status": job.status, "rows": row_count,
            "dry_run": dry_run, "status_url": f"/crm/jobs/{job.job_id}"}


def _principal_payload(principal: Principal) -> dict[str, Any]:
    return {"permissions": sorted(principal.permissions), "user_id": principal.user_id,
            "username": principal.username, "customer_id": principal.customer_id, "actor": principal.actor()}


def _job_principal(payload: dict[str, Any]) -> Principal:
    return Principal(kind="job", permissions=frozenset(payload["permissions"]), user_id=payload.get("user_id"),
                     username=payload.get("username"), customer_id=payload.get("customer_id"))


def _journal(import_id: int) -> str:
    """The request id the import's audit entries carry: they are also its undo journal."""
    return f"customer-import:{import_id}"


def undo_import(session: Session, import_id: int) -> int:
    """Take back what an interrupted import wrote, newest first, from its audit entries. Returns the count."""
    entries = session.scalars(select(AuditLog).where(AuditLog.request_id == _journal(import_id))
                              .order_by(AuditLog.audit_id.desc()))
    undone = 0
    for entry in list(entries):
        model = _IMPORTED_MODELS.get(entry.entity)
        row = session.get(model, int(entry.entity_id)) if model and entry.entity_id else None
        if row is None:
            continue
        if entry.action == "create":
            session.delete(row)
        elif entry.action == "update":
            for name, change in (entry.changes or {}).items():
                setattr(row, name, _from_audit(model, name, change["before"]))
        session.flush()
        undone += 1
    return undone


_IMPORTED_MODELS: dict[str, type] = {m.__tablename__: m for m in (Customer, Contact, Site)}


def _from_audit(model: type, name: str, value: Any) -> Any:
    """Audit entries keep datetimes as ISO text; the columns want datetimes back."""
    column = model.__table__.columns[name]  # type: ignore[attr-defined]
    if isinstance(value, str) and isinstance(column.type, UTCDateTime):
        return dt.datetime.fromisoformat(value)
    return value


def _undo_failed_import(session: Session, job: Job) -> None:
    import_id = (job.payload or {}).get("import_id")
    if import_id is not None and not (job.payload or {}).get("dry_run"):
        undone = undo_import(session, import_id)
        job.result = {"imported": False, "valid": True, "rolled_back_changes": undone}


@job_handler(JOB_KIND, max_attempts=1, view_permission="create_customer", on_failed=_undo_failed_import)
def run_import_job(context: JobContext) -> dict[str, Any]:
    """Validate everything, then write in chunks of WRITE_CHUNK customers, each in its own transaction.

    Short transactions keep SQLite (one writer at a time) usable for everyone else and let the progress be
    written as it goes; if the job fails or its worker dies, `_undo_failed_import` takes back what was written,
    from the audit entries tagged with the import's journal id.
    """
    payload = context.payload
    principal = _job_principal(payload["principal"])
    with context.db.transaction() as session:
        upload = session.get(CustomerImport, payload["import_id"])
        if upload is None or upload.content is None:
            raise PermanentFailure(f"import {payload['import_id']} has no file")
        rows = parse_csv(gzip.decompress(upload.content))
        validator = prefetched_validator(session, principal, rows)
    total = len(rows) * (1 if payload["dry_run"] else 2)
    context.progress(0, total)
    plan = validate_prefetched(validator, rows, context.progress)
    context.progress(len(rows))
    if plan.errors:
        return {"imported": False, "valid": False, **plan.error_report()}
    if payload["dry_run"]:
        return {"imported": False, "valid": True, "dry_run": True, **plan.summary()}
    rows_written = 0
    for chunk in _chunks(plan.customers, WRITE_CHUNK):
        with context.db.transaction() as session:
            session.info.update(actor=payload["principal"]["actor"], request_id=_journal(payload["import_id"]))
            apply_plan(session, chunk)
        rows_written += sum(item.row_count for item in chunk)
        context.progress(len(rows) + rows_written)
    with context.db.transaction() as session:
        session.execute(update(CustomerImport).where(CustomerImport.import_id == payload["import_id"])
                        .values(content=None))
    return {"imported": True, "valid": True, **plan.summary()}


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
