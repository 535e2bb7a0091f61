"""CSV import (all-or-nothing, per-row report, a job with progress) and CSV export of inventory."""

import csv
import io
import json

import pytest
from sqlalchemy import text

from omnicrm.core.jobs import Worker
from tests.conftest import count_rows
from tests.support.catalogue import KI, NUMBER_TEMPLATE, OPC, SIM_TEMPLATE, ok, sim


@pytest.fixture
def admin(identities):
    return identities.admin()


@pytest.fixture
def templates(client, admin):
    for template in (SIM_TEMPLATE, NUMBER_TEMPLATE):
        ok(client.put("/crm/inventory/item_template", json=template, headers=admin))


def sims_csv(count, start=1, header="iccid,imsi,ki,opc,item_location,item_state"):
    lines = [header]
    lines += [f"89610000000{n:08d},3101200{n:08d},{KI},{OPC},Warehouse A,In Stock" for n in range(start, start + count)]
    return "\n".join(lines) + "\n"


def upload(client, headers, body, query="?template=SIM%20Card", status=202):
    response = client.post(f"/crm/inventory/import{query}", data=body.encode(), content_type="text/csv",
                           headers=headers)
    assert response.status_code == status, response.get_data(as_text=True)
    return response.json


def run_jobs(app, db):
    return Worker(db, app=app, run_scheduler=False).run_until_idle()


def test_import_writes_every_row_as_a_job_with_progress(app, db, client, admin, templates, session):
    queued = upload(client, admin, sims_csv(1500))
    assert queued["status"] == "queued" and queued["row_count"] == 1500 and queued["job_id"]
    sealed = session.execute(text("SELECT content FROM inventory_import WHERE import_id = :id"),
                             {"id": queued["import_id"]}).scalar_one()
    assert KI.encode() not in bytes(sealed)  # the upload holds SIM keys: stored compressed and encrypted
    assert run_jobs(app, db) == 2  # the import, then indexing the new items for the global search
    done = ok(client.get(f"/crm/inventory/import/{queued['import_id']}", headers=admin))
    assert done["status"] == "imported" and done["imported_count"] == 1500 and done["error_count"] == 0
    assert done["progress"] == {"current": 3000, "total": 3000, "job_status": "succeeded", "percent": 100.0}
    assert done["last_inventory_id"] - done["first_inventory_id"] == 1499
    assert count_rows(session, "inventory") == 1500 and count_rows(session, "inventory_identifier") == 3000
    item = ok(client.get(f"/crm/inventory/inventory_id/{done['first_inventory_id']}", headers=admin))
    assert (item["iccid"], item["ki"], item["opc"], item["item_state"]) == ("8961000000000000001", KI, OPC, "In Stock")
    assert item["import_id"] == queued["import_id"] and item["wholesale_cost"] == 2.5
    secrets = session.execute(text("SELECT itemtext_secrets FROM inventory LIMIT 1")).scalar_one()
    assert secrets.startswith("enc1:") and KI not in secrets
    assert session.execute(text("SELECT content FROM inventory_import")).scalar_one() is None
    audit = session.execute(text("SELECT changes FROM audit_log WHERE action = 'import'")).scalar_one()
    assert json.loads(audit)["created"] == 1500
    found = ok(client.get("/utilities/search_everything", query_string={"search": "8961000000000001499"},
                          headers=admin))
    assert [(hit["type"], hit["id"]) for hit in found["data"]][:1] == [
        ("inventory", done["first_inventory_id"] + 1498)]


def test_a_bad_row_rejects_the_whole_file_with_a_report_per_row(app, db, client, admin, templates, session):
    ok(client.put("/crm/inventory/", json=sim(1, iccid="8961000000000000777", imsi="310120000000777"), headers=admin))
    rows = sims_csv(6).splitlines()
    rows[2] = f"123,310120000000002,{KI},{OPC},Warehouse A,In Stock"  # bad ICCID (line 3)
    rows[3] = rows[1].replace("310120000000001", "310120000000099")  # ICCID repeats line 2
    rows[4] = f"8961000000000000777,310120000000004,{KI},{OPC},Warehouse A,In Stock"  # already in the inventory
    rows[5] = rows[5].replace("In Stock", "Borrowed")
    queued = upload(client, admin, "\n".join(rows))
    run_jobs(app, db)
    report = ok(client.get(f"/crm/inventory/import/{queued['import_id']}", headers=admin))
    assert report["status"] == "rejected" and report["imported_count"] == 0 and report["error_count"] == 4
    assert [(e["row"], e["field"]) for e in report["errors"]] == [
        (3, "iccid"), (4, "iccid"), (5, "iccid"), (6, "item_state")]
    assert "repeats row 2" in report["errors"][1]["message"]
    assert "already used by inventory item" in report["errors"][2]["message"]
    assert count_rows(session, "inventory") == 1


def test_mixed_types_by_item_column_as_a_multipart_upload(app, db, client, admin, templates):
    body = ("item,iccid,imsi,msisdn,type,item_state\n"
            "SIM Card,8961000000000000001,310120000000001,,,New\n"
            "Mobile Number,,,+61 400 000 001,Mobile,In Stock\n")
    response = client.post("/crm/inventory/import", headers=admin, content_type="multipart/form-data",
                           data={"file": (io.BytesIO(body.encode()), "stock.csv")})
    assert response.status_code == 202 and response.json["filename"] == "stock.csv"
    run_jobs(app, db)
    items = ok(client.get("/crm/inventory/?sort=inventory_id", headers=admin))["data"]
    assert [(i["item"], i.get("iccid"), i.get("msisdn")) for i in items] == [
        ("SIM Card", "8961000000000000001", None), ("Mobile Number", None, "+61400000001")]


@pytest.mark.parametrize(("body", "query", "field"), [
    ("iccid,colour\n8961000000000000001,red\n", "?template=SIM%20Card", "file"),
    ("", "?template=SIM%20Card", "file"),
    ("iccid,imsi\n", "?template=SIM%20Card", "file"),
    ("iccid,iccid\n1,2\n", "?template=SIM%20Card", "file"),
    ("iccid\n8961000000000000001\n", "", "template"),
    ("iccid\n8961000000000000001\n", "?template=Router", "template"),
])
def test_malformed_uploads_are_refused_at_once(client, admin, templates, session, body, query, field):
    response = client.post(f"/crm/inventory/import{query}", data=body.encode(), content_type="text/csv",
                           headers=admin)
    assert response.status_code == 422 and response.json["errors"][0]["field"] == field
    assert count_rows(session, "inventory_import") == 0 and count_rows(session, "job") == 0


def test_non_utf8_upload_is_refused(client, admin, templates):
    response = client.post("/crm/inventory/import?template=SIM%20Card", data="iccid\n\xe9\n".encode("latin-1"),
                           content_type="text/csv", headers=admin)
    assert response.status_code == 422


def test_export_hides_secrets_unless_asked_by_whoever_may_see_them(client, admin, identities, templates):
    ok(client.put("/crm/inventory/", json=sim(1, management_password="pw"), headers=admin))
    ok(client.put("/crm/inventory/", json={"item": "Mobile Number", "msisdn": "+61400000001"}, headers=admin))
    response = client.get("/crm/inventory/export", headers=admin)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [row["item"] for row in rows] == ["SIM Card", "Mobile Number"]
    assert rows[0]["itemtext1"] == "8961000000000000001" and rows[0]["itemtext3"] == ""
    assert "management_password" not in rows[0] and KI not in response.get_data(as_text=True)
    filtered = client.get('/crm/inventory/export?filters={"item":["Mobile Number"]}', headers=admin)
    assert len(list(csv.DictReader(io.StringIO(filtered.get_data(as_text=True))))) == 1
    full = client.get("/crm/inventory/export?include_secrets=true", headers=admin).get_data(as_text=True)
    first = next(csv.DictReader(io.StringIO(full)))
    assert first["itemtext3"] == KI and first["management_password"] == "pw"
    viewer = identities.headers("view_inventory")
    assert client.get("/crm/inventory/export?include_secrets=true", headers=viewer).status_code == 403
    assert client.get('/crm/inventory/export?filters={"ki":[1]}', headers=admin).status_code == 422


def test_an_export_imports_back(app, db, client, admin, templates, session):
    for n in range(1, 4):
        ok(client.put("/crm/inventory/", json=sim(n, item_state="In Stock"), headers=admin))
    exported = client.get("/crm/inventory/export?include_secrets=true", headers=admin).get_data(as_text=True)
    for item in ok(client.get("/crm/inventory/", headers=admin))["data"]:
        ok(client.delete(f"/crm/inventory/inventory_id/{item['inventory_id']}", headers=admin))
    queued = upload(client, admin, exported, query="")
    run_jobs(app, db)
    assert ok(client.get(f"/crm/inventory/import/{queued['import_id']}", headers=admin))["status"] == "imported"
    items = ok(client.get("/crm/inventory/?sort=inventory_id", headers=admin))["data"]
    assert [(i["iccid"], i["ki"], i["item_state"]) for i in items] == [
        (f"896100000000000000{n}", KI, "In Stock") for n in range(1, 4)]


def test_imports_may_exceed_the_api_body_limit_up_to_their_own(app, client, admin, templates, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1024)
    body = sims_csv(60)  # about 6 KB: over the API-wide limit, under the import's
    assert client.post("/crm/product", data=body, content_type="application/json",
                       headers=admin).status_code == 413
    upload(client, admin, body)
    monkeypatch.setattr("omnicrm.inventory.bulk.IMPORT_MAX_BYTES", 2048)
    too_big = client.post("/crm/inventory/import?template=SIM%20Card", data=body.encode(), content_type="text/csv",
                          headers=admin)
    assert too_big.status_code == 413 and too_big.json["code"] == "payload_too_large"
