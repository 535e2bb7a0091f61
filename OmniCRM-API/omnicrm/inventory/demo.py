"""Demo inventory: the seed's example templates, a few hundred SIMs and numbers, some CPE and ONTs."""

from __future__ import annotations

import secrets
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from omnicrm.core.auth import SYSTEM
from omnicrm.inventory import service
from omnicrm.inventory.models import InventoryItem
from omnicrm.inventory.schemas import ItemCreate

DEMO_SIMS = 300
DEMO_ESIMS = 3
DEMO_NUMBERS = 300
DEMO_DEVICES = 5

TEMPLATES: list[dict[str, Any]] = [
    {"item": "SIM Card", "itemtext1_label": "ICCID", "itemtext2_label": "IMSI", "itemtext3_label": "Ki",
     "itemtext4_label": "OPc", "wholesale_cost": Decimal("2.50"), "retail_cost": Decimal("10.00"),
     "allow_dropdown_staff": True, "allow_dropdown_customer": True, "icon": "fa-solid fa-sim-card"},
    {"item": "Mobile Number", "itemtext1_label": "MSISDN", "itemtext2_label": "Type",
     "wholesale_cost": Decimal("0.20"), "retail_cost": Decimal("3.00"), "allow_dropdown_staff": True,
     "allow_dropdown_customer": True, "icon": "fa-solid fa-phone"},
    {"item": "CPE", "itemtext1_label": "Serial Number", "itemtext2_label": "MAC Address",
     "itemtext3_label": "Firmware", "itemtext4_label": "Model", "wholesale_cost": Decimal("250.00"),
     "retail_cost": Decimal("450.00"), "allow_dropdown_staff": True, "allow_dropdown_customer": False,
     "icon": "fa-solid fa-wifi"},
    {"item": "ONT", "itemtext1_label": "Serial Number", "itemtext2_label": "MAC Address",
     "itemtext3_label": "Model", "wholesale_cost": Decimal("45.00"), "retail_cost": Decimal("0.00"),
     "allow_dropdown_staff": True, "allow_dropdown_customer": False, "icon": "fa-solid fa-network-wired"},
]


def seed_inventory(session: Session) -> list[str]:
    lines = []
    for values in TEMPLATES:
        if service.find_template(session, values["item"]) is None:
            service.create_template(session, SYSTEM, values)
            lines.append(f"inventory template {values['item']}")
    for item, rows in (("SIM Card", _sims()), ("Mobile Number", _numbers()), ("CPE", _devices("CPE")),
                       ("ONT", _devices("ONT"))):
        template = service.find_template(session, item)
        assert template is not None
        if _item_count(session, template.inventory_template_id):
            continue
        for row in rows:
            service.create_item(session, SYSTEM, ItemCreate.model_validate({"item": item, **row}))
        lines.append(f"inventory: {len(rows)} x {item}")
    return lines


def _item_count(session: Session, template_id: int) -> int:
    return session.scalar(select(func.count()).select_from(InventoryItem).where(
        InventoryItem.inventory_template_id == template_id)) or 0


def _sims() -> list[dict[str, Any]]:
    # Test-network identities (MCC 001 / MNC 01) and throw-away keys: demo data only.
    rows = [{"iccid": f"8900101{n:012d}", "imsi": f"001010{n:09d}", "ki": secrets.token_hex(16).upper(),
             "opc": secrets.token_hex(16).upper(), "item_location": "Warehouse A, Shelf 3", "item_state": "In Stock"}
            for n in range(1, DEMO_SIMS + 1)]
    rows += [{"iccid": f"8900102{n:012d}", "imsi": f"001011{n:09d}", "ki": secrets.token_hex(16).upper(),
              "opc": secrets.token_hex(16).upper(), "item_location": "Virtual Inventory", "item_state": "New",
              "management_url": f"LPA:1$smdp.example.com$DEMO-ESIM-ACTIVATION-{n:04d}",
              "inventory_notes": "eSIM (scan the QR code)"} for n in range(1, DEMO_ESIMS + 1)]
    return rows


def _numbers() -> list[dict[str, Any]]:
    return [{"msisdn": f"+6140000{n:04d}", "type": "Mobile", "item_location": "Virtual Inventory",
             "item_state": "In Stock"} for n in range(1, DEMO_NUMBERS + 1)]


def _devices(kind: str) -> list[dict[str, Any]]:
    return [{"serial_number": f"{kind}-2024-{n:05d}", "mac_address": f"AA:BB:CC:00:{n // 256:02X}:{n % 256:02X}",
             "model": "Ubiquiti LiteBeam AC Gen2" if kind == "CPE" else "Nokia G-010G-Q",
             "item_location": "Warehouse B", "item_state": "In Stock"} for n in range(1, DEMO_DEVICES + 1)]
