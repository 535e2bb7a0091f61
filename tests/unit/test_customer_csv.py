"""CSV parsing, cell escaping and validation progress of the customer import."""

import pytest

from omnicrm.core.auth import SYSTEM
from omnicrm.core.errors import ValidationFailed
from omnicrm.customers import csv_io


def test_formula_cells_are_neutralised_on_export_and_restored_on_import():
    assert csv_io._cell("=SUM(A1)") == "'=SUM(A1)"
    assert csv_io._cell("@cmd") == "'@cmd"
    assert csv_io._cell("+61 412 345 678") == "+61 412 345 678"  # a number stays as it is
    assert csv_io._cell(-33.86) == "-33.86"
    rows = csv_io.parse_csv(b"customer_name,contact_phone\n'=SUM(A1),+61 412 345 678\n")
    assert rows == [(2, {"customer_name": "=SUM(A1)", "contact_phone": "+61 412 345 678"})]


def test_rows_with_more_cells_than_columns_are_reported():
    rows = csv_io.parse_csv(b"customer_name\nA,B\n")
    plan = csv_io.validate_prefetched(csv_io._Validator(SYSTEM), rows)
    assert [(e.row, e.field) for e in plan.errors] == [(2, "row")]


def test_byte_order_mark_and_blank_lines_are_ignored():
    rows = csv_io.parse_csv("\ufeffcustomer_name\n\nAcme\n,\n".encode())
    assert rows == [(3, {"customer_name": "Acme"})]


def test_too_many_rows_are_refused(monkeypatch):
    monkeypatch.setattr(csv_io, "MAX_ROWS", 2)
    with pytest.raises(ValidationFailed):
        csv_io.parse_csv(b"customer_name\nA\nB\nC\n")


def test_validation_reports_progress_every_thousand_rows(session):
    content = "customer_name\n" + "".join(f"Customer {i}\n" for i in range(2500))
    rows = csv_io.parse_csv(content.encode())
    seen = []
    plan = csv_io.validate_prefetched(csv_io.prefetched_validator(session, SYSTEM, rows), rows, seen.append)
    assert seen == [1000, 2000] and plan.errors == [] and len(plan.customers) == 2500
