"""Command-line options made from the API's query models, and read back through them.

Each field of a query model (schemas.queries) becomes an option (`as_of` -> `--as-of`),
with the field's description and default as its help. Only the options given are passed
on, and the model validates them, so the CLI has the API's defaults and bounds and
a bad value is one line naming the option.
"""

from __future__ import annotations

import argparse
import enum
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from graph.errors import InvalidQueryError

M = TypeVar("M", bound=BaseModel)


def option_name(field: str) -> str:
    return "--" + field.replace("_", "-")


def _choices(annotation: Any) -> list[str] | None:
    """The values of an enum field (also inside `X | None`), for --help and completion."""
    candidates = typing.get_args(annotation) if isinstance(annotation, types.UnionType) else ()
    for candidate in (annotation, *candidates):
        if isinstance(candidate, type) and issubclass(candidate, enum.Enum):
            return [str(member.value) for member in candidate]
    return None


def add_model_options(
    parser: argparse.ArgumentParser, model: type[BaseModel], *, skip: tuple[str, ...] = ()
) -> None:
    for name, field in model.model_fields.items():
        if name in skip:
            continue
        default = field.get_default(call_default_factory=True)
        help_text = (field.description or "").rstrip(".")
        if default is not None:
            help_text += f" (default: {getattr(default, 'value', default)})"
        common: dict[str, Any] = {"dest": name, "default": argparse.SUPPRESS, "help": help_text}
        if field.annotation is bool:
            parser.add_argument(option_name(name), action="store_const", const=True, **common)
            continue
        choices = _choices(field.annotation)
        metavar = "{" + ",".join(choices) + "}" if choices else name.upper()
        # Counts are read as integers here (the models accept no text or fraction for them).
        if field.annotation is int:
            common["type"] = int
        parser.add_argument(option_name(name), metavar=metavar, **common)


def model_from(
    model: type[M],
    args: argparse.Namespace,
    *,
    extra: Mapping[str, Any] | None = None,
    spell: Callable[[tuple[int | str, ...]], str] | None = None,
) -> M:
    """The query the options describe, validated by its model; errors name the options."""
    values = {name: getattr(args, name) for name in model.model_fields if hasattr(args, name)}
    values.update(extra or {})
    try:
        return model.model_validate(values)
    except ValidationError as error:
        problems = []
        for item in error.errors(include_url=False):
            loc = item["loc"]
            where = spell(loc) if spell else option_name(str(loc[0])) if loc else "options"
            given = item.get("input")
            shown = f" (got {given!r})" if isinstance(given, str | int | float) else ""
            problems.append((".".join(map(str, loc)), f"{where}: {item['msg']}{shown}"))
        raise InvalidQueryError(
            "; ".join(message for _, message in problems), field=problems[0][0]
        ) from None
