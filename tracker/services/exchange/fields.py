"""The domain models' own rules, one field at a time: an import checks each column's distinct
values against exactly the rules the forms use, then the models' cross-field rules."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from pydantic import BaseModel, ValidationError, create_model


@cache
def field_model(model: type[BaseModel], name: str) -> type[BaseModel]:
    """A one-field model with exactly the domain model's rules for ``name``."""
    info = model.model_fields[name]
    return create_model(f"{model.__name__}_{name}", __config__=model.model_config, **{name: (info.annotation, info)})  # type: ignore[call-overload]


@cache
def nullable(model: type[BaseModel], name: str) -> bool:
    try:
        field_model(model, name).model_validate({name: None})
        return True
    except ValidationError:
        return False


@cache
def _defaults(model: type[BaseModel]) -> dict[str, tuple[bool, Any]]:
    out: dict[str, tuple[bool, Any]] = {}
    for name, info in model.model_fields.items():
        out[name] = (False, None) if info.is_required() else (True, info.get_default(call_default_factory=True))
    return out


def default_of(model: type[BaseModel], name: str) -> tuple[bool, Any]:
    """Whether the field has a default, and a fresh copy of it."""
    has, value = _defaults(model)[name]
    return has, (list(value) if isinstance(value, list) else value)


def after_validators(model: type[BaseModel]) -> list[Callable[[Any], Any]]:
    decorators = model.__pydantic_decorators__.model_validators.values()
    return [d.func for d in decorators if d.info.mode == "after"]
