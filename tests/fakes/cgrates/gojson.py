"""Go ``encoding/json`` semantics for the CGRateS fake.

Decoding into a declared Go struct shape: keys match field names exactly or else case-insensitively, unknown
keys are ignored, ``null`` leaves a field at its zero value, and a JSON value of the wrong kind fails with
Go's
error text (``json: cannot unmarshal string into Go struct field V1TPAction.Actions.Units of type float64``).
Numbers decoded into ``interface{}`` become floats, as in Go.

Encoding: struct fields keep their declared order, maps (``GoMap``) are written with sorted keys, floats use
Go's shortest formatting (``5368709120``, not ``5368709120.0``) and ``<``, ``>``, ``&`` are escaped.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from .gotime import GoTimeError, parse_rfc3339, rfc3339


class GoJSONError(ValueError):
    pass


class _ZeroTime:
    """Go's zero ``time.Time`` (encoded as 0001-01-01T00:00:00Z, unlike a nil pointer's null)."""

    def __repr__(self) -> str:
        return "ZERO_TIME"


ZERO_TIME = _ZeroTime()


def time_or_zero(value: datetime | None) -> Any:
    return value if isinstance(value, datetime) else ZERO_TIME


@dataclass
class _Context:
    struct: str = ""
    fields: tuple[str, ...] = ()

    def enter(self, struct: str, field_name: str) -> _Context:
        return _Context(struct, (*self.fields, field_name))


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _type_error(what: str, go_type: str, ctx: _Context) -> GoJSONError:
    where = f"Go struct field {ctx.struct}.{'.'.join(ctx.fields)}" if ctx.fields else "Go value"
    return GoJSONError(f"json: cannot unmarshal {what} into {where} of type {go_type}")


class GoType:
    go_name = "?"

    def zero(self) -> Any:
        return None

    def decode(self, value: Any, ctx: _Context) -> Any:
        if value is None:
            return self.zero()
        return self.decode_present(value, ctx)

    def decode_present(self, value: Any, ctx: _Context) -> Any:
        raise NotImplementedError


class _Scalar(GoType):
    def __init__(self, go_name: str, accepts: tuple[type, ...], zero: Any, convert: Any = None) -> None:
        self.go_name = go_name
        self._accepts = accepts
        self._zero = zero
        self._convert = convert or (lambda v: v)

    def zero(self) -> Any:
        return self._zero

    def decode_present(self, value: Any, ctx: _Context) -> Any:
        if isinstance(value, bool) and bool not in self._accepts:
            raise _type_error("bool", self.go_name, ctx)
        if not isinstance(value, self._accepts):
            raise _type_error(_kind(value), self.go_name, ctx)
        return self._convert(value)


class _Integer(GoType):
    def __init__(self, go_name: str) -> None:
        self.go_name = go_name

    def zero(self) -> int:
        return 0

    def decode_present(self, value: Any, ctx: _Context) -> int:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise _type_error(_kind(value), self.go_name, ctx)
        if isinstance(value, float):
            raise _type_error(f"number {value!r}", self.go_name, ctx)
        return value


class _AnyType(GoType):
    go_name = "interface {}"

    def decode_present(self, value: Any, ctx: _Context) -> Any:
        return as_go_any(value)


def as_go_any(value: Any) -> Any:
    """Go decodes every JSON number held in ``interface{}`` as float64."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return float(value)
    if isinstance(value, list):
        return [as_go_any(item) for item in value]
    if isinstance(value, dict):
        return {key: as_go_any(item) for key, item in value.items()}
    return value


class _TimeType(GoType):
    go_name = "time.Time"

    def zero(self) -> Any:
        return ZERO_TIME

    def decode_present(self, value: Any, ctx: _Context) -> Any:
        if not isinstance(value, str):
            raise GoJSONError("Time.UnmarshalJSON: input is not a JSON string")
        if value == "0001-01-01T00:00:00Z":
            return ZERO_TIME
        try:
            return parse_rfc3339(value)
        except GoTimeError as exc:
            raise GoJSONError(str(exc)) from None


class Slice(GoType):
    def __init__(self, elem: GoType, go_name: str | None = None) -> None:
        self.elem = elem
        self.go_name = go_name or "[]" + elem.go_name

    def decode_present(self, value: Any, ctx: _Context) -> list[Any]:
        if not isinstance(value, list):
            raise _type_error(_kind(value), self.go_name, ctx)
        return [self.elem.decode(item, ctx) for item in value]


class Map(GoType):
    def __init__(self, elem: GoType) -> None:
        self.elem = elem
        self.go_name = "map[string]" + elem.go_name

    def decode_present(self, value: Any, ctx: _Context) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise _type_error(_kind(value), self.go_name, ctx)
        return {key: self.elem.decode(item, ctx) for key, item in value.items()}


class Ptr(GoType):
    """A pointer: ``None`` when absent or null, so handlers can tell "not sent" from a zero value."""

    def __init__(self, elem: GoType) -> None:
        self.elem = elem
        self.go_name = "*" + elem.go_name

    def decode_present(self, value: Any, ctx: _Context) -> Any:
        return self.elem.decode_present(value, ctx)


@dataclass
class Struct(GoType):
    """A Go struct; embedded structs are listed flattened, as encoding/json promotes their fields."""

    qualified_name: str
    fields: list[tuple[str, GoType]] = field(default_factory=list)

    @property
    def go_name(self) -> str:  # type: ignore[override]
        return self.qualified_name

    @property
    def short_name(self) -> str:
        return self.qualified_name.rsplit(".", 1)[-1]

    def zero(self) -> dict[str, Any]:
        return {name: go_type.zero() for name, go_type in self.fields}

    def decode_present(self, value: Any, ctx: _Context) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise _type_error(_kind(value), self.qualified_name, ctx)
        result = self.zero()
        for key, item in value.items():
            matched = self._field_for(key)
            if matched is None:
                continue  # Go ignores unknown keys
            name, go_type = matched
            result[name] = go_type.decode(item, ctx.enter(self.short_name, name))
        return result

    def _field_for(self, key: str) -> tuple[str, GoType] | None:
        for name, go_type in self.fields:
            if name == key:
                return name, go_type
        folded = key.casefold()
        for name, go_type in self.fields:
            if name.casefold() == folded:
                return name, go_type
        return None


STRING = _Scalar("string", (str,), "")
FLOAT64 = _Scalar("float64", (int, float), 0.0, float)
BOOL = _Scalar("bool", (bool,), False)
INT = _Integer("int")
INT64 = _Integer("int64")
ANY = _AnyType()
TIME = _TimeType()


def decode(go_type: GoType, value: Any) -> Any:
    """Decode a JSON-parsed value into the shape of ``go_type``; raises GoJSONError with Go's text."""
    return go_type.decode(value, _Context())


# -- encoding ---------------------------------------------------------------------------------------------


class GoMap(dict):  # type: ignore[type-arg]
    """A Go map in an output value: encoded with sorted keys (struct dicts keep their field order)."""


def go_float(number: float) -> str:
    """``strconv.FormatFloat(f, 'f' or 'e', -1, 64)`` as encoding/json chooses it."""
    if math.isnan(number) or math.isinf(number):
        raise ValueError(f"json: unsupported value: {number}")
    if number == 0:
        return "0"
    magnitude = abs(number)
    if 1e-6 <= magnitude < 1e21:
        if number.is_integer():
            return str(int(number))
        return format(Decimal(repr(number)), "f")
    _, digit_tuple, exp = Decimal(repr(magnitude)).normalize().as_tuple()
    digits = "".join(map(str, digit_tuple))
    exponent = exp + len(digits) - 1
    mantissa = ("-" if number < 0 else "") + digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    # encoding/json writes e-7 rather than strconv's e-07, but keeps e+21.
    return f"{mantissa}e-{abs(exponent)}" if exponent < 0 else f"{mantissa}e+{exponent:02d}"


def _go_string(text: str) -> str:
    encoded = json.dumps(text, ensure_ascii=False)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        encoded = encoded.replace(char, escape)
    return encoded.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def dumps(value: Any) -> str:
    """Serialise the way Go's json.Encoder would."""
    if value is None:
        return "null"
    if value is ZERO_TIME:
        return '"0001-01-01T00:00:00Z"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return go_float(value)
    if isinstance(value, str):
        return _go_string(value)
    if isinstance(value, datetime):
        return _go_string(rfc3339(value))
    if isinstance(value, GoMap):
        items = sorted(value.items())
        return "{" + ",".join(f"{_go_string(str(k))}:{dumps(v)}" for k, v in items) + "}"
    if isinstance(value, dict):
        return "{" + ",".join(f"{_go_string(str(k))}:{dumps(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(dumps(item) for item in value) + "]"
    raise TypeError(f"cannot encode {type(value).__name__}")


def go_sprint(value: Any) -> str:
    """``fmt.Sprintf("%+v", v)`` for the values CGRateS error messages print."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return _shortest_g(value)
    if value is None:
        return "<nil>"
    if isinstance(value, list):
        return "[" + " ".join(go_sprint(item) for item in value) + "]"
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{go_sprint(v)}" for k, v in sorted(value.items())) + "]"
    return str(value)


def _shortest_g(value: float) -> str:
    """Go's ``%v`` for float64: shortest digits, exponent form when exp < -4 or exp >= 6 (1e+06)."""
    if value == 0:
        return "0"
    _, digit_tuple, exp = Decimal(repr(abs(value))).normalize().as_tuple()
    digits = "".join(map(str, digit_tuple))
    exponent = exp + len(digits) - 1
    sign = "-" if value < 0 else ""
    if exponent < -4 or exponent >= 6:
        mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{mantissa}e{'-' if exponent < 0 else '+'}{abs(exponent):02d}"
    return sign + format(Decimal(repr(abs(value))).normalize(), "f")
