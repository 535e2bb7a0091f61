"""A row store with the behaviour PyHSS gets from SQLAlchemy on SQLite: type affinity, column defaults,
NOT NULL and UNIQUE checks (foreign keys are not enforced), and SQLAlchemy-style error text.

``IntegrityFailed`` becomes PyHSS's 400; ``StatementFailed`` (bad bind value) is the kind of error PyHSS's
handler does not recognise, so the API answers 200 ``null``.
"""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from .pyhss_schema import TABLES, Column, Table

_BACKGROUND = "(Background on this error at: https://sqlalche.me/e/20/gkpj)"


class IntegrityFailed(Exception):
    pass


class StatementFailed(Exception):
    pass


def _bind(column: Column, value: Any) -> Any:
    """What SQLAlchemy + SQLite store for a Python value (SQLite converts by column affinity)."""
    if value is None:
        return None
    if isinstance(value, (list, dict)):
        kind = type(value).__name__
        raise StatementFailed(f"(sqlite3.ProgrammingError) Error binding parameter: type '{kind}' is not supported")
    converters = {"bool": _to_bool, "datetime": _to_datetime, "int": _to_integer, "bigint": _to_integer}
    return converters.get(column.kind, _to_text)(value)


def _to_bool(value: Any) -> bool:
    if isinstance(value, bool) or value in (0, 1):
        return bool(value)
    raise StatementFailed(f"(builtins.TypeError) Not a boolean value: {value!r}")


def _to_datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value
    raise StatementFailed(
        "(builtins.TypeError) SQLite DateTime type only accepts Python datetime and date objects as input."
    )


def _to_integer(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            return value  # SQLite keeps text that does not look like a number
    return value


def _to_text(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    return value if isinstance(value, str) else str(value)


def _sql_param(value: Any) -> Any:
    return int(value) if isinstance(value, bool) else value


def _integrity(detail: str, sql: str, params: tuple[Any, ...]) -> IntegrityFailed:
    return IntegrityFailed(f"(sqlite3.IntegrityError) {detail}\n[SQL: {sql}]\n[parameters: {params!r}]\n{_BACKGROUND}")


class Store:
    def __init__(self) -> None:
        self.rows: dict[str, dict[int, dict[str, Any]]] = {name: {} for name in TABLES}

    def table_rows(self, table: str) -> list[dict[str, Any]]:
        return [copy.deepcopy(row) for _, row in sorted(self.rows[table].items())]

    def get(self, table: str, row_id: Any) -> dict[str, Any] | None:
        key = _integer_key(row_id)
        row = self.rows[table].get(key) if key is not None else None
        return copy.deepcopy(row) if row is not None else None

    def find(self, table: str, **criteria: Any) -> list[dict[str, Any]]:
        return [
            row
            for row in self.table_rows(table)
            if all(_sql_equal(row.get(col), value) for col, value in criteria.items())
        ]

    def delete(self, table: str, row_id: int) -> None:
        self.rows[table].pop(row_id, None)

    def insert(self, table_name: str, values: dict[str, Any]) -> dict[str, Any]:
        table = TABLES[table_name]
        row: dict[str, Any] = {}
        for column in table.columns:
            row[column.name] = _bind(column, values.get(column.name, column.default))
        inserted = [col.name for col in table.columns if row[col.name] is not None]
        sql = f"INSERT INTO {table.name} ({', '.join(inserted)}) VALUES ({', '.join('?' for _ in inserted)})"
        params = tuple(_sql_param(row[name]) for name in inserted)
        if row[table.pk] is None:
            row[table.pk] = max(self.rows[table.name], default=0) + 1
        self._check(table, row, None, sql, params)
        self.rows[table.name][row[table.pk]] = row
        return copy.deepcopy(row)

    def update(self, table_name: str, row_id: int, changes: dict[str, Any]) -> dict[str, Any]:
        table = TABLES[table_name]
        row = dict(self.rows[table_name][row_id])
        for name, value in changes.items():
            row[name] = _bind(table.column(name), value)
        assignments = ", ".join(f"{name}=?" for name in changes)
        sql = f"UPDATE {table.name} SET {assignments} WHERE {table.name}.{table.pk} = ?"
        params = (*(_sql_param(row[name]) for name in changes), row_id)
        self._check(table, row, row_id, sql, params)
        del self.rows[table_name][row_id]
        self.rows[table_name][row[table.pk]] = row
        return copy.deepcopy(row)

    def _check(self, table: Table, row: dict[str, Any], own_id: int | None, sql: str, params: tuple) -> None:
        """SQLite order: NOT NULL first, then the primary key, then UNIQUE columns and unique pairs."""
        for column in table.columns:
            if not column.nullable and row[column.name] is None:
                raise _integrity(f"NOT NULL constraint failed: {table.name}.{column.name}", sql, params)
        others = [other for key, other in self.rows[table.name].items() if key != own_id]
        unique_sets = [(table.pk,)]
        unique_sets += [(col.name,) for col in table.columns if col.unique]
        unique_sets += table.unique_together
        for columns in unique_sets:
            if any(row[c] is None for c in columns):
                continue
            if any(all(other[c] == row[c] for c in columns) for other in others):
                failed = ", ".join(f"{table.name}.{c}" for c in columns)
                raise _integrity(f"UNIQUE constraint failed: {failed}", sql, params)


def _integer_key(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def _sql_equal(stored: Any, wanted: Any) -> bool:
    """SQLite compares an INTEGER column with '5' as with 5; text compares exactly."""
    if isinstance(stored, int) and not isinstance(stored, bool):
        return _integer_key(wanted) == stored
    return stored == (wanted if isinstance(wanted, str) else str(wanted))
