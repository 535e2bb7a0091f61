"""A big customer import as a real job on a committed database (SQLite and MariaDB): all rows or none."""

from sqlalchemy import event, func, select

from omnicrm.core.auth import Principal
from omnicrm.core.jobs import Job, Worker
from omnicrm.customers import csv_io
from omnicrm.customers.models import Contact, Customer
from omnicrm.utilities.search import SearchDocument

IMPORTER = Principal(kind="user", user_id=None, username="importer",
                     permissions=frozenset({"create_customer", "update_customer", "create_customer_contact",
                                            "create_customer_site"}))


def _csv(rows: int, bad_row: int | None = None) -> bytes:
    lines = ["customer_name,customer_account_type,contact_firstname,contact_phone,site_name,city"]
    for i in range(rows):
        kind = "Nonsense" if i == bad_row else "Business"
        lines.append(f"Company {i},{kind},Person {i},+61 412 {i % 1000:03d} {i % 997:03d},Site {i},Sydney")
    return ("\n".join(lines) + "\n").encode()


def _enqueue(db, content: bytes) -> int:
    with db.transaction() as session:
        rows = csv_io.parse_csv(content)
        return csv_io.enqueue_import(session, IMPORTER, content, filename="big.csv", dry_run=False,
                                     row_count=len(rows))["job_id"]


def _count(db, model) -> int:
    with db.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(model)))


def test_a_big_import_job_writes_everything_and_ends_with_full_progress(committed_db):
    job_id = _enqueue(committed_db, _csv(1200))
    Worker(committed_db, heartbeat_seconds=30, run_scheduler=False).run_until_idle()
    with committed_db.transaction() as session:
        job = session.get(Job, job_id)
        assert job.status == "succeeded", job.error
        assert job.progress_current == job.progress_total == 2400
        assert job.result["customers_created"] == 1200 and job.result["contacts_created"] == 1200
    assert _count(committed_db, Customer) == 1200 and _count(committed_db, Contact) == 1200


def test_one_bad_row_in_a_big_import_writes_nothing(committed_db):
    job_id = _enqueue(committed_db, _csv(1200, bad_row=1100))
    Worker(committed_db, heartbeat_seconds=30, run_scheduler=False).run_until_idle()
    with committed_db.transaction() as session:
        job = session.get(Job, job_id)
        assert job.result["valid"] is False
        assert job.result["row_errors"] == [{"row": 1102, "errors": [
            {"field": "customer_account_type", "message": "Input should be 'Individual' or 'Business'"}]}]
    assert _count(committed_db, Customer) == 0


def test_a_job_that_fails_half_way_takes_back_what_it_wrote(committed_db, monkeypatch):
    with committed_db.transaction() as session:
        existing = Customer(customer_name="Before Import", customer_payment_type="prepaid")
        session.add(existing)
        session.flush()
        existing_id = existing.customer_id
    header, *lines = _csv(300).decode().splitlines()
    content = "\n".join([header.replace("customer_name", "customer_id,customer_name"),
                         f"{existing_id},Renamed By Import,Business,,,,",
                         *(f",{line}" for line in lines)]) + "\n"

    def fail_late(_mapper, _connection, customer):
        if customer.customer_name == "Company 250":
            raise RuntimeError("disk full")

    monkeypatch.setattr(csv_io, "WRITE_CHUNK", 100)
    event.listen(Customer, "before_insert", fail_late)
    try:
        job_id = _enqueue(committed_db, content.encode())
        Worker(committed_db, heartbeat_seconds=30, run_scheduler=False).run_until_idle()
    finally:
        event.remove(Customer, "before_insert", fail_late)
    with committed_db.transaction() as session:
        job = session.get(Job, job_id)
        assert job.status == "failed" and "disk full" in job.error
        assert job.result["rolled_back_changes"] > 200
        assert session.get(Customer, existing_id).customer_name == "Before Import"
        assert session.scalar(select(func.count()).select_from(SearchDocument)) == 1  # only "Before Import"
    assert _count(committed_db, Customer) == 1 and _count(committed_db, Contact) == 0
