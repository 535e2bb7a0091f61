"""A whole provisioning system for integration tests and benchmarks: the application on a committed database,
served over HTTP (the playbooks call it), the CGRateS and PyHSS fakes, demo-like stock and a job worker."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from flask import Flask
from sqlalchemy import select
from werkzeug.serving import WSGIRequestHandler, make_server

from omnicrm.app import app_state, create_app
from omnicrm.core.db import Database
from omnicrm.core.jobs import Worker
from omnicrm.provisioning.models import Provision
from tests.support.catalogue import KI, NUMBER_TEMPLATE, OPC, SIM_TEMPLATE

FAILURE_LIST = ["noc@example.com", "ops@example.com"]


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass


@dataclass
class ProvisioningSystem:
    app: Flask
    db: Database
    url: str
    admin: dict[str, str]
    sims: list[int] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)
    products: dict[str, int] = field(default_factory=dict)
    customer_id: int = 0
    modem: int = 0

    @property
    def client(self) -> Any:
        return self.app.test_client()

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = getattr(self.client, method)(path, headers=self.admin, **kwargs)
        assert response.status_code < 300, (path, response.status_code, response.get_data(as_text=True))
        return response.json

    def worker(self, worker_id: str | None = None) -> Worker:
        state = app_state(self.app)
        return Worker(self.db, settings=state.settings, app=self.app, worker_id=worker_id, heartbeat_seconds=30,
                      run_scheduler=False, poll_interval=0.05)

    def run_jobs(self) -> int:
        return self.worker().run_until_idle()

    def provision(self, product: str = "sim", **body: Any) -> int:
        payload = {"product_id": self.products[product], "customer_id": self.customer_id, **body}
        return int(self.call("put", "/crm/provision/", json=payload)["provision_id"])

    def provision_sim(self, n: int = 0, **body: Any) -> int:
        return self.provision("sim", **{"SIM Card": self.sims[n], "Mobile Number": self.numbers[n], **body})

    def job(self, provision_id: int) -> dict[str, Any]:
        return self.call("get", f"/crm/provision/provision_id/{provision_id}")  # type: ignore[no-any-return]

    def item(self, inventory_id: int) -> dict[str, Any]:
        return self.call("get", f"/crm/inventory/inventory_id/{inventory_id}")  # type: ignore[no-any-return]

    def services(self) -> list[dict[str, Any]]:
        return self.call("get", f"/crm/service/customer_id/{self.customer_id}")  # type: ignore[no-any-return]

    def provisions(self) -> list[Provision]:
        with self.db.transaction() as session:
            rows = list(session.scalars(select(Provision).order_by(Provision.provision_id)))
            session.expunge_all()
        return rows


PRODUCTS = {
    "sim": {"product_slug": "mobile-sim", "product_name": "Mobile SIM Only", "category": "standalone",
            "service_type": "mobile", "provisioning_play": "play_psim_only", "retail_cost": 20,
            "wholesale_cost": 5, "retail_setup_cost": 10, "wholesale_setup_cost": 3, "tax_percentage": 10,
            "provisioning_json_vars": json.dumps({"data_gb": 20, "days": 30}),
            "inventory_items_list": ["SIM Card", "Mobile Number"], "icon": "fa-solid fa-sim-card"},
    "addon": {"product_slug": "data-boost", "product_name": "5GB Data Boost", "category": "addon",
              "service_type": "mobile", "provisioning_play": "play_local_data_addon", "retail_cost": 5,
              "wholesale_cost": 1, "tax_percentage": 10,
              "provisioning_json_vars": json.dumps({"data_gb": 5, "days": 7})},
    "monthly": {"product_slug": "monthly-30gb", "product_name": "Mobile 30GB Monthly", "category": "standalone",
                "service_type": "mobile", "provisioning_play": "play_simple_service", "retail_cost": 30,
                "wholesale_cost": 12, "tax_percentage": 10, "auto_renew": "true", "allow_auto_renew": True,
                "provisioning_json_vars": json.dumps({"data_gb": 30, "days": 30})},
    "topup": {"product_slug": "topup-10", "product_name": "$10 Top-up", "category": "addon",
              "service_type": "mobile", "provisioning_play": "play_topup_monetary", "retail_cost": 10,
              "wholesale_cost": 0, "tax_percentage": 0},
    "modem": {"product_slug": "modem-rental", "product_name": "Modem Rental", "category": "addon",
              "service_type": "mobile", "provisioning_play": "play_addon_assign_modem", "retail_cost": 8,
              "wholesale_cost": 2, "tax_percentage": 10, "inventory_items_list": ["Modem Router"]},
    "hotspot": {"product_slug": "hotspot-days", "product_name": "Hotspot Days", "category": "addon",
                "service_type": "mobile", "provisioning_play": "play_topup_hotspot", "retail_cost": 0,
                "wholesale_cost": 0, "tax_percentage": 0,
                "provisioning_json_vars": json.dumps({"days": 3, "price_per_day": 2.5})},
    "paid": {"product_slug": "50gb-data-pack", "product_name": "50GB Data Pack", "category": "addon",
             "service_type": "mobile", "provisioning_play": "play_topup_charge_then_action", "retail_cost": 15,
             "wholesale_cost": 4, "tax_percentage": 10},
}


def stock_up(system: ProvisioningSystem, sims: int = 3) -> None:
    for template in (SIM_TEMPLATE, NUMBER_TEMPLATE):
        system.call("put", "/crm/inventory/item_template", json=template)
    for n in range(1, sims + 1):
        system.sims.append(system.call("put", "/crm/inventory/", json={
            "item": "SIM Card", "iccid": f"89610000000000{n:05d}", "imsi": f"00101000000{n:04d}", "ki": KI,
            "opc": OPC, "item_state": "In Stock"})["inventory_id"])
        system.numbers.append(system.call("put", "/crm/inventory/", json={
            "item": "Mobile Number", "msisdn": f"+614000{n:05d}", "item_state": "In Stock"})["inventory_id"])
    system.call("put", "/crm/inventory/item_template",
                json={"item": "Modem Router", "itemtext1_label": "Serial Number"})
    system.modem = system.call("put", "/crm/inventory/", json={"item": "Modem Router", "serial_number": "MR-0001",
                                                               "item_state": "In Stock"})["inventory_id"]
    for key, values in PRODUCTS.items():
        system.products[key] = system.call("put", "/crm/product", json={"enabled": True, **values})["product_id"]
    system.customer_id = system.call("put", "/crm/customer/", json={
        "customer_name": "Jane Citizen", "customer_account_type": "Individual",
        "contacts": [{"contact_firstname": "Jane", "contact_lastname": "Citizen",
                      "contact_email": "jane@example.com", "contact_types": ["primary"]}]})["customer_id"]


@contextmanager
def provisioning_system(database_url: str, db: Database, settings_factory: Any, *, cgrates: Any, hss_peers: list[Any],
                        sims: int = 3, timeout: int = 120, **overrides: Any) -> Iterator[ProvisioningSystem]:
    settings = settings_factory(database_url, ocs={"cgrates": cgrates.url.removeprefix("http://")},
                                hss={"hss_peers": [peer.url for peer in hss_peers]},
                                provisioning={"failure_list": FAILURE_LIST, "job_timeout_seconds": timeout},
                                **overrides)
    app = create_app(settings, db=db, configure_logs=False)
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    url = f"http://127.0.0.1:{server.server_port}"
    state = app_state(app)
    state.settings = settings.model_copy(update={"crm": settings.crm.model_copy(update={"base_url": url})})
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        from tests.conftest import Identities

        system = ProvisioningSystem(app=app, db=db, url=url, admin=Identities(app).admin())
        stock_up(system, sims)
        yield system
    finally:
        server.shutdown()
        thread.join(timeout=5)
