"""The inventory item lifecycle of SPEC D6 (seed-extract-5 §8.2, seed-extract-1 §7.7).

New / In Stock are free stock (no customer, no service); the picker offers only those. Assigned items belong
to a customer (and usually a service). A deprovisioned SIM becomes Used (its keys were live in the HSS) and is
never re-issued; numbers and rental equipment go back In Stock; rentals not returned become Lost.
"""

from __future__ import annotations

from omnicrm.core.errors import BusinessRule

NEW, IN_STOCK, ASSIGNED, USED = "New", "In Stock", "Assigned", "Used"
DAMAGED, LOST, DECOMMISSIONED = "Damaged", "Lost", "Decommissioned"
ITEM_STATES = (NEW, IN_STOCK, ASSIGNED, USED, DAMAGED, LOST, DECOMMISSIONED)
FREE_STATES = frozenset({NEW, IN_STOCK})

TRANSITIONS: dict[str, frozenset[str]] = {
    NEW: frozenset({IN_STOCK, ASSIGNED, DAMAGED, LOST, DECOMMISSIONED}),
    IN_STOCK: frozenset({ASSIGNED, DAMAGED, LOST, DECOMMISSIONED}),
    ASSIGNED: frozenset({IN_STOCK, USED, DAMAGED, LOST, DECOMMISSIONED}),
    USED: frozenset({DAMAGED, LOST, DECOMMISSIONED}),
    DAMAGED: frozenset({IN_STOCK, DECOMMISSIONED}),
    LOST: frozenset({IN_STOCK, DECOMMISSIONED}),
    DECOMMISSIONED: frozenset(),
}

# The seed's playbooks release items with item_state "Available" (SPEC D6 calls it In Stock).
_BY_LOWER = {state.lower(): state for state in ITEM_STATES} | {"available": IN_STOCK, "instock": IN_STOCK,
                                                                 "in_stock": IN_STOCK}


def canonical_state(value: object) -> object:
    """Case-insensitive state names (and the seed's "Available") to their canonical spelling."""
    if isinstance(value, str):
        return _BY_LOWER.get(value.strip().lower(), value)
    return value


def can_move(current: str, new: str) -> bool:
    return current == new or new in TRANSITIONS.get(current, frozenset())


def check_transition(current: str, new: str, inventory_id: int | None = None) -> None:
    if can_move(current, new):
        return
    allowed = ", ".join(sorted(TRANSITIONS.get(current, ()))) or "none (final state)"
    raise BusinessRule(f"item_state: an item in state {current} cannot become {new} (allowed: {allowed})",
                       code="illegal_state_transition", inventory_id=inventory_id,
                       errors=[{"field": "item_state", "message": f"{current} -> {new} is not allowed"}])
