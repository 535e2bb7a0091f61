"""Inventory at scale: importing 100 000 SIMs from CSV and picking free stock among them.

Ratios against baselines measured in the same run on the same database:
- import: the whole job (parse, validate every row, duplicate checks, encrypt Ki/OPc, write items and
  identifiers in one transaction) vs a raw executemany INSERT of the same rows (no checks, no encryption);
  the search indexing job that follows it is timed on its own.
- picker: GET /crm/inventory/picker (free SIMs, searched) vs GET /crm/inventory/inventory_id/{id} through the
  same HTTP, auth and serialisation stack.

    python -m benchmarks inventory            (OMNICRM_BENCH_SIMS=20000 for a quicker run)

Runs on SQLite and, when Debian's mariadb-server is installed, on a throw-away MariaDB as well.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


def _measure(url: str) -> dict[str, Any]:
    from omnicrm.app import app_state
    from omnicrm.core.jobs import Worker

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
    # The import job writes the items (usable from then on); a follow-up job indexes them for the global search.
    Worker(app_state(app).db, app=app, run_scheduler=False, kinds=["inventory.import"]).run_until_idle()
    import_seconds = time.perf_counter() - started
    indexing_started = time.perf_counter()
    Worker(app_state(app).db, app=app, run_scheduler=False).run_until_idle()
    index_seconds = time.perf_counter() - indexing_started
    result = client.get(f"/crm/inventory/import/{queued.json['import_id']}", headers=headers).json
    assert result["status"] == "imported", result

    first = result["first_inventory_id"]
    picker = latency_summary(time_calls(lambda: client.get(
        "/crm/inventory/picker?item=SIM%20Card&per_page=20&search=0004217", headers=headers), 30))
    browse = latency_summary(time_calls(lambda: client.get(
        "/crm/inventory/picker?item=SIM%20Card&per_page=20&page=3", headers=headers), 30))
    by_id = latency_summary(time_calls(lambda: client.get(f"/crm/inventory/inventory_id/{first}", headers=headers), 30))
    app_state(app).db.engine.dispose()
    return {
        "upload_seconds": round(upload_seconds, 2), "import_seconds": round(import_seconds, 2),
        "search_index_seconds": round(index_seconds, 2), "raw_insert_baseline_seconds": round(baseline, 2),
        "import_vs_raw_insert_ratio": round(import_seconds / baseline, 1),
        "rows_per_second": round(SIMS / import_seconds), "picker_search_latency": picker, "picker_page_latency": browse,
        "get_by_id_latency": by_id,
        "picker_search_vs_get_by_id_p50_ratio": round(picker["p50_ms"] / by_id["p50_ms"], 2),
        "picker_page_vs_get_by_id_p50_ratio": round(browse["p50_ms"] / by_id["p50_ms"], 2),
    }


def _backends(tmp: str) -> Iterator[tuple[str, str]]:
    yield "sqlite", f"sqlite:///{Path(tmp) / 'bench.db'}"
    if shutil.which("mariadbd") or Path("/usr/sbin/mariadbd").exists():
        from tests.support.mariadb import running_mariadb

        with running_mariadb() as server:
            yield "mariadb", server.create_database("omnicrm_bench_inventory")


def run() -> Report:
    report = Report("inventory")
    report.add("sims", SIMS)
    with tempfile.TemporaryDirectory() as tmp:
        for backend, url in _backends(tmp):
            results = _measure(url)
            report.add(backend, results)
            report.target(f"{backend}: importing every SIM within 20x a raw INSERT of the same rows",
                          results["import_vs_raw_insert_ratio"] <= 20)
            report.target(f"{backend}: picker page p50 within 3x a read by id",
                          results["picker_page_vs_get_by_id_p50_ratio"] <= 3)
            report.target(f"{backend}: picker search (a substring of the ICCID) p50 within 20x a read by id",
                          results["picker_search_vs_get_by_id_p50_ratio"] <= 20)
    report.notes.append("The import validates, de-duplicates and encrypts every row and writes ICCID/IMSI "
                        "identifiers; the baseline writes plain rows only. search_index_seconds is the follow-up "
                        "job that makes the items findable in the global search and the picker's search.")
    report.notes.append("A picker search is a substring match served by the global search index (one range "
                        "seek); browsing pages uses the picker index alone.")
    return report
