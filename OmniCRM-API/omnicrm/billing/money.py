"""Money arithmetic of a transaction line (SPEC D4: Decimal only, ROUND_HALF_UP to the minor unit).

Decimal's ROUND_HALF_UP rounds halves away from zero, so a credit's tax is exactly the negative of the same
debit's tax (-0.005 -> -0.01), and a credit note cancels its charge to the cent.
"""

from __future__ import annotations

from decimal import Decimal

from omnicrm.core.types import round_money

HUNDRED = Decimal(100)


def line_amount(value: Decimal | int | str) -> Decimal:
    """A charged amount as stored: rounded half-up to cents."""
    return round_money(value)


def tax_amount(retail_cost: Decimal, tax_percentage: Decimal) -> Decimal:
    """The tax of one line: retail x pct / 100, rounded half-up to cents (seed-extract-1 §7.8)."""
    return round_money(Decimal(retail_cost) * Decimal(tax_percentage) / HUNDRED)
