"""Inventory at scale: importing 100 000 SIMs from CSV and picking free stock among them.

Ratios against baselines measured in the same run on the same database:
- import: the whole job (parse, validate every row, duplicate checks, encrypt Ki/OPc, write items and
  identifiers in one transaction) vs a raw executemany INSERT of the same rows (no checks, no encryption).
- picker: GET /crm/inventory/picker (free SIMs, searched) vs GET /crm/inventory/inventory_id/{id} through the
  same HTTP, auth and serialisation stack.

    python -m benchmarks inventory            (OMNICRM_BENCH_SIMS=20000 for a quicker run)
"""

from __future__ import annotations

import os
import secrets
import tempfile
import time
from pathlib import Path

from sqlalchemy import delete, insert

from benchmarks.common import Report, latency_summary, time_calls

SIMS = int(os.environ.get("OMNICRM_BENCH_SIMS", "100000"))
KI = "465B5CE8B199B49FAA5F0A2EE238A6BC"
OPC = "E8ED289DEBA952E4283B54E88E6183CA"


def _app(url: str):  # type: ignore[no-untyped-def]
    from omnicrm.app import create_app
    from omnicrm.core.config import PROJECT_ROOT, load_settings
    from omnicrm.core.migrate import upgrade

    upgrade(url)
    settings = load_settings(PROJECT_ROOT / "crm_config.yaml", env={}, overrides={
        "environment": "test", "database_url": url, "jwt_secret": secrets.token_hex(32),
        "encryption_key": secrets.token_hex(32), "jobs": {"embedded_worker": False},
        "logging": {"json": False, "level": "WARNING"}})
    app = create_app(settings, configure_logs=False)
    app.testing = True
    return app


def _csv(count: int, offset: int = 0) -> bytes:
    rows = ["iccid,imsi,ki,opc,item_location,item_state"]
    rows += [f"8961{offset + n:015d},{310120000000000 + offset + n},{KI},{OPC},Warehouse A,In Stock"
             for n in range(count)]
    return ("\n".join(rows) + "\n").encode()


def _admin_headers(app) -> dict[str, str]:  # type: ignore[no-untyped-def]
    from omnicrm.app import app_state
    from omnicrm.auth import service as auth

    state = app_state(app)
    with app.app_context(), state.db.transaction() as session:
        user = auth.create_user(session, email="bench@example.com", password="Bench123!", roles=["Admin"])
        issued = auth.start_session(session, state.settings, user)
    return {"Authorization": f"Bearer {issued.access_token}"}


def _raw_insert_seconds(app, template_id: int, count: int) -> float:  # type: ignore[no-untyped-def]
    from omnicrm.app import app_state
    from omnicrm.core.db import utcnow
    from omnicrm.inventory.models import InventoryItem

    now = utcnow()
    rows = [{"inventory_template_id": template_id, "item_state": "In Stock", "item_location": "Warehouse A",
             "itemtext1": f"8962{n:015d}", "itemtext2": str(320120000000000 + n), "itemtext3": KI, "itemtext4": OPC,
             "created": now, "last_modified": now, "version_id": 1} for n in range(count)]
    db = app_state(app).db
    started = time.perf_counter()
    with db.transaction() as session:
        for start in range(0, count, 1000):
            session.execute(insert(InventoryItem), rows[start:start + 1000])
    elapsed = time.perf_counter() - started
    with db.transaction() as session:
        session.execute(delete(InventoryItem).where(InventoryItem.itemtext1.like("8962%")))
    return elapsed


def run() -> Report:
    from omnicrm.app import app_state
    from omnicrm.core.jobs import Worker

    report = Report("inventory")
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("OMNICRM_BENCH_DATABASE_URL") or f"sqlite:///{Path(tmp) / 'bench.db'}"
        app = _app(url)
        client = app.test_client()
        headers = _admin_headers(app)
        template = client.put("/crm/inventory/item_template", headers=headers, json={
            "item": "SIM Card", "itemtext1_label": "ICCID", "itemtext2_label": "IMSI", "itemtext3_label": "Ki",
            "itemtext4_label": "OPc"}).json
        baseline = _raw_insert_seconds(app, template["inventory_template_id"], SIMS)

        started = time.perf_counter()
        queued = client.post("/crm/inventory/import?template=SIM%20Card", data=_csv(SIMS), content_type="text/csv",
                             headers=headers)
        upload_seconds = time.perf_counter() - started
        Worker(app_state(app).db, app=app, run_scheduler=False).run_until_idle()
        import_seconds = time.perf_counter() - started
        result = client.get(f"/crm/inventory/import/{queued.json['import_id']}", headers=headers).json
        assert result["status"] == "imported", result

        picker = time_calls(lambda: client.get("/crm/inventory/picker?item=SIM%20Card&per_page=20&search=0004217",
                                               headers=headers), 50)
        first = result["first_inventory_id"]
        by_id = time_calls(lambda: client.get(f"/crm/inventory/inventory_id/{first}", headers=headers), 50)

    ratio = import_seconds / baseline
    report.add("database", url.split(":")[0])
    report.add("sims", SIMS)
    report.add("upload_seconds", round(upload_seconds, 2))
    report.add("import_seconds", round(import_seconds, 2))
    report.add("raw_insert_baseline_seconds", round(baseline, 2))
    report.add("import_vs_raw_insert_ratio", round(ratio, 1))
    report.add("rows_per_second", round(SIMS / import_seconds))
    picker_stats, by_id_stats = latency_summary(picker), latency_summary(by_id)
    report.add("picker_latency", picker_stats)
    report.add("get_by_id_latency", by_id_stats)
    report.add("picker_vs_get_by_id_p95_ratio", round(picker_stats["p95_ms"] / by_id_stats["p95_ms"], 2))
    report.target("import of every SIM within 20x a raw INSERT of the same rows", ratio <= 20)
    report.target("picker p95 within 5x a read by id at this stock size",
                  picker_stats["p95_ms"] <= 5 * by_id_stats["p95_ms"])
    report.notes.append("The import validates, de-duplicates and encrypts every row and writes ICCID/IMSI "
                        "identifiers; the baseline writes plain rows only.")
    return report
