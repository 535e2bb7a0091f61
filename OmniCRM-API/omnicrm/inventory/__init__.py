"""Inventory: item templates, items (SIMs, numbers, CPE, ...), their lifecycle, picker and bulk CSV."""
