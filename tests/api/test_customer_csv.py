"""CSV export (streamed) and import (validate everything, then all or nothing; big files as a job)."""

import csv
import io

import pytest
from sqlalchemy import func, select

from omnicrm.core.jobs import Worker
from omnicrm.customers import csv_io
from omnicrm.customers.models import Contact, Customer, CustomerImport, Site

HEADER = "customer_ref,customer_name,customer_account_type,contact_firstname,contact_email,contact_phone,site_name,city"


@pytest.fixture
def headers(identities):
    return identities.headers(
        "view_customer", "create_customer", "update_customer", "delete_customer", "view_customer_contact",
        "create_customer_contact", "view_customer_site", "create_customer_site")


def count(session, model):
    return session.scalar(select(func.count()).select_from(model))


def post_csv(client, headers, text, **params):
    return client.post("/crm/customer/import", query_string=params, data=text.encode(), content_type="text/csv",
                       headers=headers)


def read_csv(response):
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


# --------------------------------------------------------------------------------------------------
# Export


def test_export_streams_one_row_per_contact_or_site(client, headers):
    client.put("/crm/customer/", json={
        "customer_name": "Exported Ltd", "customer_account_type": "Business",
        "contacts": [{"contact_firstname": "A", "contact_phone": "+61 412 345 678", "contact_types": ["billing"]},
                     {"contact_firstname": "B"}],
        "sites": [{"site_name": "HQ", "latitude": -33.86, "longitude": 151.2}]}, headers=headers)
    client.put("/crm/customer/", json={"customer_name": "=HYPERLINK(\"x\")"}, headers=headers)
    response = client.get("/crm/customer/export.csv", headers=headers)
    assert response.status_code == 200
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    assert response.is_streamed
    rows = read_csv(response)
    assert list(rows[0]) == list(csv_io.COLUMNS)
    exported = [r for r in rows if r["customer_name"] == "Exported Ltd"]
    assert [(r["contact_firstname"], r["site_name"]) for r in exported] == [("A", "HQ"), ("B", "")]
    assert exported[0]["contact_phone"] == "+61 412 345 678" and exported[0]["contact_types"] == "billing"
    assert exported[0]["latitude"] == "-33.86" and exported[0]["customer_enabled"] == "true"
    assert any(r["customer_name"] == "'=HYPERLINK(\"x\")" for r in rows)  # no formula injection


def test_export_uses_the_list_filters_and_hides_archived(client, headers):
    kept = client.put("/crm/customer/", json={"customer_name": "Kept", "customer_payment_type": "postpaid"},
                      headers=headers).json["customer_id"]
    gone = client.put("/crm/customer/", json={"customer_name": "Gone"}, headers=headers).json["customer_id"]
    client.delete(f"/crm/customer/customer_id/{gone}", headers=headers)
    names = {r["customer_name"] for r in read_csv(client.get("/crm/customer/export.csv", headers=headers))}
    assert "Kept" in names and "Gone" not in names
    postpaid = read_csv(client.get("/crm/customer/export.csv", query_string={
        "filters": '{"customer_payment_type": ["postpaid"]}'}, headers=headers))
    assert [int(r["customer_id"]) for r in postpaid] == [kept]
    bad = client.get("/crm/customer/export.csv", query_string={"filters": '{"nope": [1]}'}, headers=headers)
    assert bad.status_code == 422


def test_export_needs_contact_and_site_permissions(client, identities):
    assert client.get("/crm/customer/export.csv", headers=identities.headers("view_customer")).status_code == 403


# --------------------------------------------------------------------------------------------------
# Import


GOOD = f"""{HEADER}
acme,Acme Corp,Business,Wile,wile@acme.example,+61 412 345 678,HQ,Sydney
acme,,,Road,road@acme.example,,Depot,Melbourne
,Jane Citizen,Individual,Jane,jane@example.com,0412 000 111,,
"""


def test_import_creates_customers_grouped_by_ref(client, headers, session):
    response = post_csv(client, headers, GOOD)
    assert response.status_code == 200, response.json
    assert {k: response.json[k] for k in ("customers_created", "contacts_created", "sites_created")} == {
        "customers_created": 2, "contacts_created": 3, "sites_created": 2}
    acme = session.scalar(select(Customer).where(Customer.customer_name == "Acme Corp"))
    assert acme.customer_account_type == "Business"
    assert sorted(c.contact_email for c in acme.contacts) == ["road@acme.example", "wile@acme.example"]
    assert sorted(s.city for s in acme.sites) == ["Melbourne", "Sydney"]
    jane = session.scalar(select(Customer).where(Customer.customer_name == "Jane Citizen"))
    assert jane.contacts[0].contact_phone_e164 == "+61412000111"
    assert sorted(response.json["customer_ids"]) == sorted([acme.customer_id, jane.customer_id])


def test_imported_records_are_searchable_and_audited(client, headers, identities):
    post_csv(client, headers, GOOD)
    search = client.get("/utilities/search_everything?search=wile", headers=headers).json
    assert ("contact", "Wile") in [(r["type"], r["name"]) for r in search["data"]]
    cid = search["data"][0]["customer_id"]
    log = client.get(f"/crm/customer/customer_id/{cid}/activity",
                     headers=identities.headers("view_customer_activity")).json
    assert {e["entity"] for e in log["data"]} == {"customer", "customer_contact", "customer_site"}


def test_invalid_rows_are_reported_per_row_and_nothing_is_written(client, headers, session):
    text = f"""{HEADER}
ok,Fine Ltd,Business,Al,al@fine.example,,,
,,,,,,,
bad,Bad Ltd,Corporation,Bo,not-an-email,12,,
,,Individual,Cy,cy@example.com,,,
ok,Other Name,,Di,di@fine.example,,,
"""
    before = (count(session, Customer), count(session, Contact))
    response = post_csv(client, headers, text)
    assert response.status_code == 422
    body = response.json
    assert body["code"] == "import_rejected"
    by_row = {r["row"]: {e["field"] for e in r["errors"]} for r in body["row_errors"]}
    assert by_row == {4: {"customer_account_type"}, 5: {"customer_name"}, 6: {"customer_name"}}
    assert {e["field"] for e in body["errors"]} >= {"rows.4.customer_account_type", "rows.5.customer_name"}
    assert (count(session, Customer), count(session, Contact)) == before


def test_contact_errors_name_the_row_and_column(client, headers, session):
    text = f"""{HEADER}
a,Alpha,Business,Al,not-an-email,,,
b,Beta,Business,Bo,bo@example.com,12,,
"""
    body = post_csv(client, headers, text).json
    assert {(r["row"], e["field"]) for r in body["row_errors"] for e in r["errors"]} == {
        (2, "contact_email"), (3, "contact_phone")}
    assert count(session, Customer) == 0


def test_dry_run_validates_without_writing(client, headers, session):
    response = post_csv(client, headers, GOOD, dry_run="true")
    assert response.status_code == 200
    assert response.json["dry_run"] is True and response.json["customers_created"] == 2
    assert count(session, Customer) == 0


@pytest.mark.parametrize(("data", "content_type", "field"), [
    (b"customer_name,favourite_colour\nA,blue\n", "text/csv", "file"),
    (b"", "text/csv", "file"),
    (b"customer_name\n", "text/csv", "file"),
    (b"customer_name\n\xff\xfe\n", "text/csv", "file"),
    (b'{"customer_name": "A"}', "application/json", "file"),
    (b"customer_name,customer_name\nA,B\n", "text/csv", "file"),
])
def test_unreadable_files_are_422(client, headers, data, content_type, field):
    response = client.post("/crm/customer/import", data=data, content_type=content_type, headers=headers)
    assert response.status_code == 422
    assert response.json["errors"][0]["field"] == field


def test_multipart_upload(client, headers, session):
    response = client.post("/crm/customer/import", data={"file": (io.BytesIO(GOOD.encode()), "customers.csv")},
                           content_type="multipart/form-data", headers=headers)
    assert response.status_code == 200 and response.json["customers_created"] == 2


def test_round_trip_export_edit_import_updates_instead_of_duplicating(client, headers, session):
    made = client.put("/crm/customer/", json={
        "customer_name": "Round Trip", "contacts": [{"contact_firstname": "Old", "contact_email": "old@rt.example"}],
        "sites": [{"site_name": "Old Site"}]}, headers=headers).json
    rows = [r for r in read_csv(client.get("/crm/customer/export.csv", headers=headers))
            if r["customer_id"] == str(made["customer_id"])]
    rows[0].update(customer_name="Round Trip Renamed", contact_firstname="New", site_name="New Site")
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=csv_io.COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    before = (count(session, Customer), count(session, Contact), count(session, Site))
    response = post_csv(client, headers, buffer.getvalue())
    assert response.status_code == 200, response.json
    assert response.json["customers_updated"] == 1 and response.json["contacts_updated"] == 1
    assert (count(session, Customer), count(session, Contact), count(session, Site)) == before
    customer = client.get(f"/crm/customer/{made['customer_id']}", headers=headers).json
    assert customer["customer_name"] == "Round Trip Renamed"
    assert customer["contacts"][0]["contact_firstname"] == "New"
    assert customer["contacts"][0]["contact_email"] == "old@rt.example"


def test_ids_of_other_customers_contacts_are_refused(client, headers):
    one = client.put("/crm/customer/", json={"customer_name": "One", "contacts": [{"contact_firstname": "X"}]},
                     headers=headers).json
    two = client.put("/crm/customer/", json={"customer_name": "Two"}, headers=headers).json
    text = (f"customer_id,contact_id,contact_firstname\n{two['customer_id']},{one['contacts'][0]['contact_id']},Y\n"
            "999999,,Z\n")
    body = post_csv(client, headers, text).json
    assert {(r["row"], e["field"]) for r in body["row_errors"] for e in r["errors"]} == {
        (2, "contact_id"), (3, "customer_id")}


def test_self_care_cannot_import_or_export(client, identities, headers):
    mine = client.put("/crm/customer/", json={"customer_name": "Mine"}, headers=headers).json["customer_id"]
    me = identities.headers_for(identities.user(
        permissions=["view_customer", "create_customer", "view_customer_contact", "create_customer_contact",
                     "view_customer_site", "create_customer_site"], customer_id=mine))
    assert post_csv(client, me, GOOD).status_code == 403
    assert client.get("/crm/customer/export.csv", headers=me).status_code == 403


# --------------------------------------------------------------------------------------------------
# Big imports run as a job


def run_jobs(db):
    Worker(db, heartbeat_seconds=30, run_scheduler=False).run_until_idle()


def test_big_imports_run_as_a_job_with_progress_on_the_job_record(client, headers, db, session, monkeypatch,
                                                                 identities):
    monkeypatch.setattr(csv_io, "INLINE_MAX_ROWS", 2)
    accepted = post_csv(client, headers, GOOD)
    assert accepted.status_code == 202
    job_id = accepted.json["job_id"]
    assert accepted.json["status_url"] == f"/crm/jobs/{job_id}"
    queued = client.get(f"/crm/jobs/{job_id}", headers=headers).json
    assert queued["status"] == "queued" and queued["kind"] == "customer_import"
    assert count(session, Customer) == 0
    run_jobs(db)
    done = client.get(f"/crm/jobs/{job_id}", headers=headers).json
    assert done["status"] == "succeeded"
    assert done["progress_current"] == done["progress_total"] == 6 and done["progress_percent"] == 100.0
    assert done["result"]["imported"] is True and done["result"]["customers_created"] == 2
    assert count(session, Customer) == 2
    assert session.scalar(select(CustomerImport.content)) is None  # the upload is not kept once imported
    assert client.get(f"/crm/jobs/{job_id}", headers=identities.headers("view_customer")).status_code == 404


def test_a_job_with_bad_rows_reports_them_and_writes_nothing(client, headers, db, session):
    accepted = post_csv(client, headers, f"{HEADER}\nx,Fine,Business,,,,,\ny,,Wrong,,,,,\n", background="true")
    assert accepted.status_code == 202
    run_jobs(db)
    done = client.get(f"/crm/jobs/{accepted.json['job_id']}", headers=headers).json
    assert done["status"] == "succeeded" and done["result"]["valid"] is False
    assert {e["field"] for r in done["result"]["row_errors"] for e in r["errors"]} == {"customer_name",
                                                                                     "customer_account_type"}
    assert count(session, Customer) == 0


def test_background_dry_run(client, headers, db, session):
    accepted = post_csv(client, headers, GOOD, background="true", dry_run="true").json
    run_jobs(db)
    done = client.get(f"/crm/jobs/{accepted['job_id']}", headers=headers).json
    assert done["result"]["valid"] is True and done["result"]["dry_run"] is True
    assert done["progress_current"] == done["progress_total"] == 3
    assert count(session, Customer) == 0


def test_unknown_jobs_are_404(client, identities):
    assert client.get("/crm/jobs/987654", headers=identities.admin()).status_code == 404


def test_later_rows_of_a_rejected_customer_only_report_their_own_problems(client, headers):
    text = f"""{HEADER}
g,,Business,Al,al@example.com,,,
g,,,Bo,not-an-email,,,
g,,,Cy,cy@example.com,,,
"""
    body = post_csv(client, headers, text).json
    assert {(r["row"], e["field"]) for r in body["row_errors"] for e in r["errors"]} == {
        (2, "customer_name"), (3, "contact_email")}


def test_updates_keep_the_contract_dates_in_order_and_bad_ids_are_row_errors(client, headers):
    made = client.put("/crm/customer/", json={"customer_name": "Dated", "contract_start_date": "2025-06-01"},
                      headers=headers).json
    text = f"customer_id,contract_end_date\n{made['customer_id']},2025-01-01\nabc,\n"
    body = post_csv(client, headers, text).json
    assert {(r["row"], e["field"]) for r in body["row_errors"] for e in r["errors"]} == {
        (2, "contract_end_date"), (3, "customer_id")}
