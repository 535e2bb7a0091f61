"""Fixtures and helpers shared by the catalogue and inventory tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from omnicrm.app import app_state

DEFAULT_PLAYS = ("play_psim_only", "play_local_data_addon", "play_simple_service", "play_topup_charge_then_action")

SIM_TEMPLATE = {"item": "SIM Card", "itemtext1_label": "ICCID", "itemtext2_label": "IMSI", "itemtext3_label": "Ki",
                "itemtext4_label": "OPc", "wholesale_cost": 2.5, "retail_cost": 10, "allow_dropdown_staff": True,
                "allow_dropdown_customer": False, "icon": "fa-solid fa-sim-card"}
NUMBER_TEMPLATE = {"item": "Mobile Number", "itemtext1_label": "MSISDN", "itemtext2_label": "Type",
                   "wholesale_cost": 0.2, "retail_cost": 3, "allow_dropdown_staff": True,
                   "allow_dropdown_customer": True}
KI = "465B5CE8B199B49FAA5F0A2EE238A6BC"
OPC = "E8ED289DEBA952E4283B54E88E6183CA"


@pytest.fixture
def plays(app: Any, tmp_path: Path) -> Iterator[Path]:
    """A temporary plays directory (settings.provisioning.plays_directory) holding the usual plays."""
    directory = tmp_path / "plays"
    directory.mkdir()
    for name in DEFAULT_PLAYS:
        (directory / f"{name}.yaml").write_text(f"- name: {name}\n  hosts: localhost\n  tasks: []\n")
    state = app_state(app)
    original = state.settings
    state.settings = original.model_copy(update={
        "provisioning": original.provisioning.model_copy(update={"plays_directory": str(directory)})})
    try:
        yield directory
    finally:
        state.settings = original


def sim(n: int, **extra: Any) -> dict[str, Any]:
    return {"item": "SIM Card", "iccid": f"89610000000000{n:05d}", "imsi": f"3101200000{n:05d}", "ki": KI, "opc": OPC,
            "item_location": "Warehouse A", **extra}


def product(slug: str = "mobile-sim", **extra: Any) -> dict[str, Any]:
    return {"product_slug": slug, "product_name": f"Product {slug}", "category": "standalone",
            "service_type": "mobile", "provisioning_play": "play_psim_only", "enabled": True, **extra}


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.get_data(as_text=True)
    return response.json
