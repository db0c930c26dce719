"""Validation of a person's answers against the contract's input keys.

Unknown keys, wrong types and out-of-range values are refused with a message that names
the field and says what is allowed. Messages never repeat the value that was given, so an
error can be shown or logged without leaking what a person answered.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import pydantic
from pydantic import ConfigDict, Field, TypeAdapter
from typing_extensions import TypedDict

from backstride.domain.contract import FieldSpec, Kind
from backstride.domain.expressions import Value


@dataclass(frozen=True, slots=True)
class FieldError:
    """What is wrong with one field."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class ContractError(ValueError):
    """Input that breaks the assessment contract. Names every offending field."""

    def __init__(self, errors: tuple[FieldError, ...], where: str = "") -> None:
        self.errors = errors
        self.where = where
        prefix = f"{where}: " if where else ""
        super().__init__(prefix + "; ".join(str(e) for e in errors))

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(e.field for e in self.errors)


ROOT = "(answers)"

#: The functional TypedDict form, called with keys known only at run time (content packs
#: add instrument items). Typed as Any because mypy wants a literal dict here.
_make_typed_dict: Any = TypedDict


def _annotation(spec: FieldSpec) -> Any:
    if spec.kind is Kind.BOOL:
        base: Any = bool
    elif spec.kind is Kind.CHOICE:
        base = Literal[spec.choices]
    else:
        python_type = int if spec.kind is Kind.INT else float
        base = Annotated[python_type, Field(ge=spec.minimum, le=spec.maximum, allow_inf_nan=False)]
    return base | None if spec.nullable else base


class AnswerValidator:
    """Checks raw answers (decoded JSON) and returns only the answered keys."""

    def __init__(self, fields: tuple[FieldSpec, ...]) -> None:
        self._specs = {spec.key: spec for spec in fields}
        answers_type = _make_typed_dict(
            "Answers", {spec.key: _annotation(spec) for spec in fields}, total=False
        )
        answers_type.__pydantic_config__ = ConfigDict(extra="forbid", strict=True)
        self._adapter: TypeAdapter[dict[str, Value]] = TypeAdapter(answers_type)

    @property
    def specs(self) -> Mapping[str, FieldSpec]:
        return self._specs

    def validate(self, raw: object, where: str = "") -> dict[str, Value]:
        """The answered keys with their values; raises ``ContractError`` naming each bad field."""
        if not isinstance(raw, dict):
            raise ContractError((FieldError(ROOT, "must be one JSON object of answers"),), where)
        try:
            return self._adapter.validate_python(raw)
        except pydantic.ValidationError as exc:
            raise ContractError(self._errors(exc), where) from None

    def _errors(self, exc: pydantic.ValidationError) -> tuple[FieldError, ...]:
        errors: dict[str, FieldError] = {}
        for error in exc.errors(include_input=False, include_url=False):
            location = error["loc"]
            key = str(location[0]) if location else ROOT
            spec = self._specs.get(key)
            if spec is None:
                message = "unknown key: not a question of the assessment contract"
            else:
                message = f"must be {spec.describe_type()}"
            errors[key] = FieldError(key, message)
        return tuple(errors[k] for k in sorted(errors))
