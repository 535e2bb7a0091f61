"""Template labels give meaning to an item's itemtext1..20 (SPEC D20).

Reads expose every labelled field also under its lowercased label (`iccid`, `imsi`, `ki`, `opc`, `msisdn`),
as the seed's playbooks read `json.iccid`. Fields labelled Ki or OPc are secrets: they are stored encrypted and
only shown to principals holding `update_inventory`. ICCID, IMSI and MSISDN are validated, normalised and
unique across the whole inventory.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

ITEMTEXT_SLOTS = tuple(range(1, 21))
SECRET_KEYS = frozenset({"ki", "opc"})
IDENTIFIER_KEYS = frozenset({"iccid", "imsi", "msisdn"})
# The seed's template script labels the Mobile Number as "E.164 Mobile Number"; its playbooks read msisdn.
LABEL_ALIASES = {"e.164 mobile number": "msisdn", "e164 mobile number": "msisdn"}

_NON_WORD = re.compile(r"[^a-z0-9]+")
_FORMATS = {
    "iccid": (re.compile(r"^[0-9]{18,22}$"), "must be 18 to 22 digits"),
    "imsi": (re.compile(r"^[0-9]{6,15}$"), "must be 6 to 15 digits"),
    "ki": (re.compile(r"^[0-9A-Fa-f]{32}$"), "must be 32 hexadecimal characters"),
    "opc": (re.compile(r"^[0-9A-Fa-f]{32}$"), "must be 32 hexadecimal characters"),
    "msisdn": (re.compile(r"^\+[1-9][0-9]{6,14}$"), "must be an E.164 number, e.g. +61412345678"),
}
_MSISDN_SEPARATORS = re.compile(r"[\s\-().]")


def label_key(label: str) -> str:
    """"ICCID" -> iccid, "OPc" -> opc, "MAC Address" -> mac_address, "E.164 Mobile Number" -> msisdn."""
    lowered = " ".join(label.strip().lower().split())
    if lowered in LABEL_ALIASES:
        return LABEL_ALIASES[lowered]
    return _NON_WORD.sub("_", lowered).strip("_")


@dataclass(frozen=True)
class Slot:
    index: int
    label: str
    key: str

    @property
    def column(self) -> str:
        return f"itemtext{self.index}"

    @property
    def secret(self) -> bool:
        return self.key in SECRET_KEYS

    @property
    def identifier(self) -> bool:
        return self.key in IDENTIFIER_KEYS


@dataclass(frozen=True)
class Shape:
    """What one template's labels mean: its labelled slots, by key and by index, secrets and identifiers."""

    item: str
    slots: tuple[Slot, ...]
    by_key: Mapping[str, Slot]
    by_index: Mapping[int, Slot]
    secret_indexes: frozenset[int]
    identifier_slots: tuple[Slot, ...]


def shape_of(template: Any, reserved: Iterable[str] = ()) -> Shape:
    labels = tuple(getattr(template, f"itemtext{index}_label", None) for index in ITEMTEXT_SLOTS)
    return _shape(template.item, labels, frozenset(reserved))


@lru_cache(maxsize=1024)
def _shape(item: str, labels: tuple[str | None, ...], reserved: frozenset[str]) -> Shape:
    taken = set(reserved)
    slots = []
    for index, label in zip(ITEMTEXT_SLOTS, labels, strict=True):
        if not label or not label.strip():
            continue
        key = label_key(label)
        # Labels whose key would shadow a real field are not exposed under it.
        if not key or key in taken or key.startswith("itemtext"):
            continue
        taken.add(key)
        slots.append(Slot(index, label.strip(), key))
    return Shape(item=item, slots=tuple(slots), by_key={s.key: s for s in slots}, by_index={s.index: s for s in slots},
                 secret_indexes=frozenset(s.index for s in slots if s.secret),
                 identifier_slots=tuple(s for s in slots if s.identifier))


def slots_of(template: Any, reserved: Iterable[str] = ()) -> tuple[Slot, ...]:
    return shape_of(template, reserved).slots


def normalise(key: str, value: str) -> str:
    """Validate and normalise a labelled value; raises ValueError with a message for the caller."""
    text = value.strip()
    if key == "msisdn":
        text = _MSISDN_SEPARATORS.sub("", text)
        if text and not text.startswith("+"):
            text = "+" + text
    rule = _FORMATS.get(key)
    if rule is not None and not rule[0].match(text):
        raise ValueError(rule[1])
    return text
