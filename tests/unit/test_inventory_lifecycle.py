"""Inventory item lifecycle (SPEC D6) and SIM labels (SPEC D20), without a database."""

import json
from types import SimpleNamespace

import pytest

from omnicrm.core.errors import BusinessRule, Conflict, ValidationFailed
from omnicrm.inventory import labels, states
from omnicrm.inventory.service import (
    Placement,
    collect_slot_values,
    identifiers_of,
    item_shape,
    next_placement,
    slot_columns,
)

FREE = Placement(states.IN_STOCK, None, None)
ASSIGNED = Placement(states.ASSIGNED, 5, 50)


@pytest.mark.parametrize(("current", "new"), [
    ("New", "In Stock"), ("New", "Assigned"), ("In Stock", "Assigned"), ("Assigned", "In Stock"),
    ("Assigned", "Used"), ("Assigned", "Lost"), ("Assigned", "Damaged"), ("Used", "Decommissioned"),
    ("Damaged", "In Stock"), ("Lost", "In Stock"), ("Lost", "Decommissioned"), ("Assigned", "Assigned"),
])
def test_allowed_transitions(current, new):
    assert states.can_move(current, new)


@pytest.mark.parametrize(("current", "new"), [
    ("Lost", "Assigned"), ("Used", "Assigned"), ("Used", "In Stock"), ("Damaged", "Assigned"),
    ("Decommissioned", "In Stock"), ("Decommissioned", "Assigned"), ("In Stock", "New"), ("New", "Used"),
])
def test_illegal_transitions_are_422_naming_the_move(current, new):
    with pytest.raises(BusinessRule) as raised:
        states.check_transition(current, new, 9)
    assert raised.value.status == 422 and raised.value.code == "illegal_state_transition"
    assert raised.value.extra["inventory_id"] == 9
    assert raised.value.errors[0]["field"] == "item_state"


def test_every_state_has_a_transition_row_and_decommissioned_is_final():
    assert set(states.TRANSITIONS) == set(states.ITEM_STATES)
    assert states.TRANSITIONS[states.DECOMMISSIONED] == frozenset()


@pytest.mark.parametrize(("text", "state"), [("available", "In Stock"), ("IN STOCK", "In Stock"),
                                              ("assigned", "Assigned"), ("Lost", "Lost")])
def test_state_names_are_case_insensitive_and_the_seeds_available_means_in_stock(text, state):
    assert states.canonical_state(text) == state


def test_setting_a_customer_on_free_stock_assigns_it():
    assert next_placement(FREE, {"customer_id": 5}) == Placement(states.ASSIGNED, 5, None)


def test_assigned_needs_a_customer():
    with pytest.raises(ValidationFailed) as raised:
        next_placement(FREE, {"item_state": "Assigned"})
    assert raised.value.errors[0]["field"] == "customer_id"


def test_releasing_to_stock_clears_customer_and_service():
    assert next_placement(ASSIGNED, {"item_state": "In Stock"}) == FREE
    # the seed's rescue task sends the nulls explicitly (and "Available")
    released = {"customer_id": None, "service_id": None, "item_state": states.canonical_state("Available")}
    assert next_placement(ASSIGNED, released) == FREE


def test_free_stock_cannot_belong_to_anyone():
    with pytest.raises(ValidationFailed):
        next_placement(ASSIGNED, {"item_state": "In Stock", "customer_id": 5})


def test_an_assigned_item_is_not_moved_to_another_customer_or_service():
    with pytest.raises(Conflict) as raised:
        next_placement(ASSIGNED, {"customer_id": 6}, inventory_id=3)
    assert raised.value.code == "inventory_not_free" and raised.value.extra["inventory_id"] == 3
    with pytest.raises(Conflict):
        next_placement(ASSIGNED, {"service_id": 51})


def test_an_assigned_item_gets_its_service_later_and_repeating_the_assignment_is_harmless():
    first = next_placement(FREE, {"customer_id": 5, "item_state": "Assigned"})
    assert next_placement(first, {"service_id": 50}) == ASSIGNED
    assert next_placement(ASSIGNED, {"customer_id": 5, "service_id": 50, "item_state": "Assigned"}) == ASSIGNED


def test_used_sim_keeps_history_of_its_customer_unless_cleared():
    assert next_placement(ASSIGNED, {"item_state": "Used"}) == Placement(states.USED, 5, 50)
    cleared = {"item_state": "Used", "customer_id": None, "service_id": None}
    assert next_placement(ASSIGNED, cleared) == Placement(states.USED, None, None)


def test_creating_may_start_in_any_state_but_keeps_the_invariants():
    new = Placement(states.NEW, None, None)
    assert next_placement(new, {"item_state": "Damaged"}, creating=True).state == states.DAMAGED
    with pytest.raises(ValidationFailed):
        next_placement(new, {"item_state": "New", "customer_id": 3}, creating=True)


@pytest.mark.parametrize(("label", "key"), [("ICCID", "iccid"), ("OPc", "opc"), ("Ki", "ki"),
                                            ("MAC Address", "mac_address"), ("E.164 Mobile Number", "msisdn"),
                                            ("  MSISDN ", "msisdn"), ("Serial-Number", "serial_number")])
def test_label_keys(label, key):
    assert labels.label_key(label) == key


@pytest.mark.parametrize(("key", "value", "expected"), [
    ("iccid", "8961234567890123456", "8961234567890123456"),
    ("imsi", "310120123456789", "310120123456789"),
    ("ki", "465B5CE8B199B49FAA5F0A2EE238A6BC", "465B5CE8B199B49FAA5F0A2EE238A6BC"),
    ("msisdn", "+44 7700 900123", "+447700900123"),
    ("msisdn", "61412345678", "+61412345678"),
    ("serial_number", "anything goes", "anything goes"),
])
def test_labelled_values_are_normalised(key, value, expected):
    assert labels.normalise(key, value) == expected


@pytest.mark.parametrize(("key", "value"), [("iccid", "89612345"), ("imsi", "31012O123456789"), ("ki", "XYZ"),
                                            ("opc", "465B5CE8B199B49FAA5F0A2EE238A6"), ("msisdn", "0412345678")])
def test_malformed_sim_values_are_refused(key, value):
    with pytest.raises(ValueError):
        labels.normalise(key, value)


SIM = item_shape(SimpleNamespace(item="SIM Card", itemtext1_label="ICCID", itemtext2_label="IMSI", itemtext3_label="Ki",
                                 itemtext4_label="OPc", **{f"itemtext{n}_label": None for n in range(5, 21)}))


def test_ki_and_opc_go_to_the_secret_store_and_identifiers_are_collected():
    values = collect_slot_values(SIM, {}, {"iccid": "8961234567890123456", "imsi": "310120123456789",
                                           "ki": "00112233445566778899AABBCCDDEEFF",
                                           "opc": "FFEEDDCCBBAA99887766554433221100"})
    columns = slot_columns(SIM, values, None)
    assert columns["itemtext1"] == "8961234567890123456"
    assert columns["itemtext3"] is None and columns["itemtext4"] is None
    assert json.loads(columns["itemtext_secrets"]) == {"3": "00112233445566778899AABBCCDDEEFF",
                                                        "4": "FFEEDDCCBBAA99887766554433221100"}
    assert identifiers_of(SIM, columns) == {"iccid": "8961234567890123456", "imsi": "310120123456789"}


def test_label_keys_and_itemtext_fields_must_agree_and_unknown_keys_are_named():
    with pytest.raises(ValidationFailed) as raised:
        collect_slot_values(SIM, {"itemtext1": "8961234567890123456"},
                            {"iccid": "8961234567890123457", "colour": "red"})
    fields = {error["field"] for error in raised.value.errors}
    assert fields == {"iccid", "colour"}


def test_removing_a_secret_keeps_the_other():
    stored = json.dumps({"3": "00112233445566778899AABBCCDDEEFF", "4": "FFEEDDCCBBAA99887766554433221100"})
    values = collect_slot_values(SIM, {"itemtext3": None}, {})
    assert json.loads(slot_columns(SIM, values, stored)["itemtext_secrets"]) == {
        "4": "FFEEDDCCBBAA99887766554433221100"}
