"""Transaction money: tax per line = retail x pct / 100, ROUND_HALF_UP to cents (SPEC D4), month boundaries."""

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from omnicrm.billing.money import line_amount, tax_amount
from omnicrm.billing.service import month_start

cents = st.integers(min_value=-10**12, max_value=10**12).map(lambda c: Decimal(c).scaleb(-2))
percentages = st.integers(min_value=0, max_value=100 * 10**4).map(lambda p: Decimal(p).scaleb(-4))


def reference_tax(retail: Decimal, percentage: Decimal) -> Decimal:
    """An independent oracle: exact rational arithmetic, halves rounded away from zero, in whole cents."""
    exact_cents = Fraction(retail) * Fraction(percentage)  # retail x pct / 100, times 100 cents
    magnitude = abs(exact_cents)
    whole = int(magnitude)
    rounded = whole + (1 if magnitude - whole >= Fraction(1, 2) else 0)
    return Decimal(rounded if exact_cents >= 0 else -rounded).scaleb(-2)


@pytest.mark.parametrize(("retail", "percentage", "tax"), [
    ("50.00", "10", "5.00"),     # the seed's example
    ("0.05", "10", "0.01"),      # a half cent rounds up, not to even
    ("0.15", "10", "0.02"),      # 0.015 (binary floats would give 0.01)
    ("-0.05", "10", "-0.01"),    # credits mirror debits
    ("19.99", "12.5", "2.50"),
    ("100", "0", "0.00"),
    ("1234567.89", "100", "1234567.89"),
])
def test_known_values(retail, percentage, tax):
    assert tax_amount(Decimal(retail), Decimal(percentage)) == Decimal(tax)


@given(cents, percentages)
def test_tax_matches_the_exact_rational_oracle(retail, percentage):
    assert tax_amount(retail, percentage) == reference_tax(retail, percentage)


@given(cents, percentages)
def test_tax_is_whole_cents_within_half_a_cent_of_the_exact_value(retail, percentage):
    tax = tax_amount(retail, percentage)
    assert tax == tax.quantize(Decimal("0.01"))
    assert abs(Fraction(tax) - Fraction(retail) * Fraction(percentage) / 100) <= Fraction(1, 200)


@given(cents, percentages)
def test_a_credit_cancels_its_charge_to_the_cent(retail, percentage):
    assert tax_amount(-retail, percentage) == -tax_amount(retail, percentage)


@given(cents, percentages)
def test_tax_never_exceeds_the_amount_and_keeps_its_sign(retail, percentage):
    tax = tax_amount(retail, percentage)
    assert abs(tax) <= abs(retail)
    assert tax == 0 or (tax > 0) == (retail > 0)


@given(st.integers(min_value=-10**15, max_value=10**15).map(lambda m: Decimal(m).scaleb(-4)))
def test_line_amounts_are_cents_rounded_half_up(amount):
    stored = line_amount(amount)
    assert stored == stored.quantize(Decimal("0.01"))
    assert abs(stored - amount) <= Decimal("0.005")
    assert line_amount(-amount) == -stored


def test_line_amounts_accept_strings():
    assert line_amount("10.005") == Decimal("10.01")
    assert line_amount("-10.005") == Decimal("-10.01")


@pytest.mark.parametrize(("moment", "back", "expected"), [
    (dt.datetime(2026, 12, 5, 20, 0, tzinfo=dt.UTC), 0, dt.datetime(2026, 12, 1, tzinfo=dt.UTC)),
    (dt.datetime(2026, 12, 5, 20, 0, tzinfo=dt.UTC), 1, dt.datetime(2026, 11, 1, tzinfo=dt.UTC)),
    (dt.datetime(2027, 1, 31, 23, 59, tzinfo=dt.UTC), 1, dt.datetime(2026, 12, 1, tzinfo=dt.UTC)),
    (dt.datetime(2027, 3, 1, 0, 0, tzinfo=dt.UTC), 14, dt.datetime(2026, 1, 1, tzinfo=dt.UTC)),
])
def test_month_start(moment, back, expected):
    assert month_start(moment, back) == expected

