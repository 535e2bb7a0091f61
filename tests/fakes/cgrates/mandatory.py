"""``utils.MissingStructFields``: which mandatory fields of a decoded struct count as missing.

Missing means an empty (or whitespace-only) string, an empty or nil slice/map, or an ``int`` equal to 0.
An int64 0, a float 0, a false bool and a nil pointer are never missing.
Like Go, string fields checked here are trimmed in place.
"""

from __future__ import annotations

from typing import Any

from .gojson import INT, Struct


def missing_fields(struct: Struct, value: dict[str, Any], names: list[str]) -> list[str]:
    types = dict(struct.fields)
    missing = []
    for name in names:
        go_type = types.get(name)
        if go_type is None or _is_empty(go_type, value, name):
            missing.append(name)
    return missing


def _is_empty(go_type: Any, value: dict[str, Any], name: str) -> bool:
    current = value.get(name)
    if isinstance(current, str):
        value[name] = current.strip()
        return value[name] == ""
    if go_type is INT:  # only Go's int kind; int64 0 is never "missing"
        return current == 0
    if isinstance(current, (list, dict)):
        return len(current) == 0
    return current is None and go_type.go_name.startswith(("[]", "map["))
