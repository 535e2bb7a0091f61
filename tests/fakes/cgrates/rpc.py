"""JSON-RPC method registry with net/rpc lookup rules, service aliases and struct embedding.

``APIerSv2`` embeds ``APIerSv1``: a method missing from v2 falls through to v1. ``ApierV1``/``ApierV2`` are
the legacy names of the same services.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .errors import RPCError, mandatory_missing
from .gojson import ANY, GoType, Struct
from .mandatory import missing_fields

Handler = Callable[[Any, Any], Any]

SERVICE_ALIASES = {"ApierV1": "APIerSv1", "ApierV2": "APIerSv2"}
EMBEDDED = {"APIerSv2": "APIerSv1", "CDRsV2": "CDRsV1"}


@dataclass(frozen=True)
class Method:
    service: str  # the service that implements it
    name: str
    arg: GoType
    handler: Handler

    @property
    def full_name(self) -> str:
        return f"{self.service}.{self.name}"


class Registry:
    def __init__(self) -> None:
        self._services: dict[str, dict[str, Method]] = {}

    def method(self, service: str, name: str, arg: GoType) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self._services.setdefault(service, {})[name] = Method(service, name, arg, handler)
            return handler

        return register

    def resolve(self, service_method: str) -> tuple[str, Method]:
        """(canonical "Service.Method" as called, implementing Method) or net/rpc's lookup error."""
        service, dot, name = service_method.rpartition(".")
        if not dot:
            raise RPCError(f"rpc: service/method request ill-formed: {service_method}")
        canonical = SERVICE_ALIASES.get(service, service)
        if canonical not in self._services:
            raise RPCError(f"rpc: can't find service {service_method}")
        if name == "Ping":  # registered on every service (engine/libengine.go)
            return f"{canonical}.Ping", Method(canonical, "Ping", ANY, _pong)
        lookup: str | None = canonical
        while lookup is not None:
            method = self._services.get(lookup, {}).get(name)
            if method is not None:
                return f"{canonical}.{name}", method
            lookup = EMBEDDED.get(lookup)
        raise RPCError(f"rpc: can't find method {service_method}")

    def names(self) -> list[str]:
        return sorted(f"{s}.{m}" for s, methods in self._services.items() for m in methods)


def _pong(_engine: Any, _arg: Any) -> str:
    return "Pong"


registry = Registry()


def require(struct: Struct, value: dict[str, Any], names: list[str]) -> None:
    missing = missing_fields(struct, value, names)
    if missing:
        raise mandatory_missing(*missing)


def paginate(items: list[Any], limit: int | None, offset: int | None) -> list[Any]:
    """``Paginator.PaginateStringSlice``."""
    limit = limit if limit and limit > 0 else 0
    offset = offset if offset and offset > 0 else 0
    if not limit and not offset:
        return items
    if offset > len(items):
        return []
    end = len(items) if not limit else min(offset + limit, len(items))
    return items[offset:end]
