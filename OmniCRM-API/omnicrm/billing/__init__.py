"""Billing: transactions (the charge and credit lines invoices are later made of)."""
