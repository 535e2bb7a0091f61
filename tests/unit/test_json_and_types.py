import datetime as dt
import json
from decimal import Decimal

import pytest
from pydantic import ValidationError

from omnicrm.core.types import MoneyIn, Schema, StrList, UTCDateTimeIn, round_money


class Example(Schema):
    amount: MoneyIn
    when: UTCDateTimeIn | None = None
    items: StrList = []
    flag: bool = False


def test_money_is_exact_decimal_from_numbers_and_strings():
    assert Example(amount=0.1).amount == Decimal("0.1")
    assert Example(amount="19.99").amount == Decimal("19.99")
    with pytest.raises(ValidationError):
        Example(amount="ten")
    with pytest.raises(ValidationError):
        Example(amount=True)


def test_round_half_up_to_cents():
    assert round_money(Decimal("2.345")) == Decimal("2.35")
    assert round_money(Decimal("-2.345")) == Decimal("-2.35")
    assert round_money(Decimal("2.344")) == Decimal("2.34")


def test_seed_datetime_form_and_naive_values_are_utc():
    value = Example(amount=1, when="2025-01-04 10:30:00").when
    assert value == dt.datetime(2025, 1, 4, 10, 30, tzinfo=dt.UTC)
    assert Example(amount=1, when="2025-01-04T12:30:00+02:00").when == value


def test_list_fields_accept_arrays_json_strings_and_python_literals():
    assert Example(amount=1, items=["SIM Card"]).items == ["SIM Card"]
    assert Example(amount=1, items='["SIM Card", "Mobile Number"]').items == ["SIM Card", "Mobile Number"]
    assert Example(amount=1, items="['SIM Card']").items == ["SIM Card"]


@pytest.mark.parametrize("text", ["true", "True", "false", "False"])
def test_boolean_strings(text):
    assert Example(amount=1, flag=text).flag is (text.lower() == "true")


def test_json_provider_emits_decimals_as_exact_numbers_and_utc_z(app):
    body = app.json.dumps({"a": Decimal("10.50"), "b": dt.datetime(2025, 1, 1, 12, 0, tzinfo=dt.UTC),
                           "c": [Decimal("-0.01")], "d": "plain \u0000dec: text"})
    assert '"a": 10.50' in body
    assert '"b": "2025-01-01T12:00:00Z"' in body
    parsed = json.loads(body)
    assert parsed["c"] == [-0.01]
    assert parsed["d"] == "plain \u0000dec: text"
