"""PATCH bodies derived from create bodies, so each resource declares its fields (and their rules) once."""

from __future__ import annotations

import typing
from typing import Annotated, Any, Optional, TypeVar

from pydantic import BaseModel, BeforeValidator, Field, create_model

M = TypeVar("M", bound=BaseModel)


def _reject_null(value: Any) -> Any:
    if value is None:
        raise ValueError("may not be null")
    return value


def _allows_none(annotation: Any) -> bool:
    return annotation is type(None) or type(None) in typing.get_args(annotation)


def patch_model(create: type[M], name: str | None = None, **extra_fields: Any) -> type[M]:
    """The same fields and validators as `create`, every one optional and unset by default.

    Read the change with `body.model_dump(exclude_unset=True)`. An explicit `null` is accepted only for
    fields the create body allows to be null; cross-field rules belong in the service, which checks the
    merged result.
    """
    fields: dict[str, Any] = {}
    for field_name, info in create.model_fields.items():
        inner: Any = Annotated[info.annotation, *info.metadata] if info.metadata else info.annotation
        optional: Any = Optional[inner]  # noqa: UP045 (inner is a runtime value, not an annotation)
        annotation = optional if _allows_none(info.annotation) else Annotated[optional, BeforeValidator(_reject_null)]
        fields[field_name] = (annotation, Field(None, alias=info.alias, description=info.description))
    fields.update(extra_fields)
    model: type[M] = create_model(name or f"{create.__name__}Patch", __base__=create, **fields)
    return model


def check_path_id(given: Any, expected: int, field: str) -> None:
    """A PATCH body may repeat the resource's own id (the seed's upsert scripts do); any other id is refused."""
    if given is not None and given != expected:
        from omnicrm.core.errors import field_error

        raise field_error(field, f"does not match the id in the path ({expected})")
