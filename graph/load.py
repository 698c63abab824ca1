"""Read YAML dataset files and folders into validated Datasets; every problem located.

The happy path is one C-backed parse and one Pydantic validation of the whole file.
Only when something is wrong is the file composed again to turn a field path into a
line and column, so errors cost time, valid files do not.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from yaml import MarkedYAMLError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from graph.errors import DataError
from graph.yaml12 import Loader12, construct, expanded_size
from schemas.dataset import Dataset
from schemas.problems import Problem

DEFAULT_MAX_BYTES = 32 * 1024 * 1024
YAML_SUFFIXES = (".yaml", ".yml")
# An alias may stand for a shared source or two; a document whose aliases multiply it
# far beyond its written size is an attack (billion laughs), not a dataset.
ALIAS_EXPANSION_FACTOR = 10
ALIAS_EXPANSION_SLACK = 10_000

FieldPath = tuple[str | int, ...]


@dataclass(frozen=True)
class LoadedFile:
    """A validated dataset with the text it came from, to locate later problems."""

    name: str
    text: str
    dataset: Dataset

    def problem(self, path: FieldPath, message: str) -> Problem:
        return located_problem(self.name, self.text, path, message)


def format_field(path: FieldPath) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _find_node(root: Node, path: FieldPath) -> Node:
    """The deepest node along `path` (the parent when a field is missing)."""
    node = root
    for part in path:
        child: Node | None = None
        if isinstance(node, MappingNode):
            for key, value in node.value:
                if isinstance(key, ScalarNode) and key.value == str(part):
                    child = value
                    break
        elif isinstance(node, SequenceNode) and isinstance(part, int) and part < len(node.value):
            child = node.value[part]
        if child is None:
            break
        node = child
    return node


def located_problem(name: str, text: str, path: FieldPath, message: str) -> Problem:
    line = column = None
    try:
        root = Loader12(text).get_single_node()
    except (MarkedYAMLError, RecursionError):
        root = None
    if root is not None:
        node = _find_node(root, path)
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
    return Problem(
        file=name, line=line, column=column, field=format_field(path) or None, message=message
    )


def _yaml_problem(name: str, error: MarkedYAMLError) -> Problem:
    mark = error.problem_mark or error.context_mark
    message = " ".join(str(p) for p in (error.context, error.problem) if p)
    return Problem(
        file=name,
        line=mark.line + 1 if mark else None,
        column=mark.column + 1 if mark else None,
        message=f"invalid YAML: {message}",
    )


def decode(data: bytes, name: str) -> str:
    """UTF-8 text (a BOM is allowed); anything else is a located problem."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise DataError(
            [
                Problem(
                    file=name,
                    line=line,
                    column=column,
                    message=f"file is not UTF-8 text (byte 0x{data[error.start]:02x})",
                )
            ]
        ) from None


def parse_yaml(text: str, name: str) -> Any:
    """The document as Python data under YAML 1.2 rules, or a DataError naming the line."""
    loader = Loader12(text)
    try:
        root = loader.get_single_node()
        if root is None:
            raise DataError(
                [
                    Problem(
                        file=name,
                        line=1,
                        message="file is empty: expected a mapping with "
                        "`entities`, `commitments` or `events`",
                    )
                ]
            )
        if "*" in text:  # only a document with aliases can expand
            sizes = expanded_size(root, limit=10**9)
            limit = ALIAS_EXPANSION_FACTOR * sizes.distinct + ALIAS_EXPANSION_SLACK
            if sizes.expanded > limit:
                raise DataError(
                    [
                        Problem(
                            file=name,
                            line=1,
                            message=(
                                f"aliases expand the document to over {limit:,} nodes from "
                                f"{sizes.distinct:,} written: refusing it (alias bomb?)"
                            ),
                        )
                    ]
                )
        return construct(loader, root, text)
    except MarkedYAMLError as error:
        raise DataError([_yaml_problem(name, error)]) from None
    except RecursionError:
        raise DataError([Problem(file=name, message="YAML nested too deeply")]) from None
    finally:
        loader.dispose()


def _pydantic_problems(name: str, text: str, error: ValidationError) -> list[Problem]:
    root = Loader12(text).get_single_node()
    problems = []
    for item in error.errors(include_url=False):
        path: FieldPath = tuple(item["loc"])
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "extra_forbidden":
            message = "unknown field (not in the schema; is it a typo?)"
        node = _find_node(root, path) if root is not None else None
        problems.append(
            Problem(
                file=name,
                line=node.start_mark.line + 1 if node else None,
                column=node.start_mark.column + 1 if node else None,
                field=format_field(path) or None,
                message=message,
            )
        )
    return problems


def parse_text(text: str, name: str) -> LoadedFile:
    data = parse_yaml(text, name)
    if not isinstance(data, dict):
        raise DataError(
            [
                Problem(
                    file=name,
                    line=1,
                    message="the top level must be a mapping with "
                    "`version`, `entities`, `commitments` or `events`",
                )
            ]
        )
    try:
        dataset = Dataset.model_validate(data)
    except ValidationError as error:
        raise DataError(_pydantic_problems(name, text, error)) from None
    return LoadedFile(name=name, text=text, dataset=dataset)


def parse_bytes(data: bytes, name: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> LoadedFile:
    if len(data) > max_bytes:
        raise DataError([_too_large(name, len(data), max_bytes)])
    return parse_text(decode(data, name), name)


def _too_large(name: str, size: int, max_bytes: int) -> Problem:
    return Problem(
        file=name,
        message=(
            f"file is {size / 2**20:.1f} MiB, over the {max_bytes / 2**20:.0f} MiB limit "
            "(split it, or raise AIFG_MAX_FILE_MB)"
        ),
    )


def yaml_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Files as given, folders expanded to their YAML files in name order."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.suffix in YAML_SUFFIXES)
        else:
            yield path


def parse_files(paths: Sequence[Path], *, max_bytes: int = DEFAULT_MAX_BYTES) -> list[LoadedFile]:
    """Parse every file, collecting the problems of all before raising."""
    loaded: list[LoadedFile] = []
    problems: list[Problem] = []
    for path in yaml_files(paths):
        name = str(path)
        try:
            if not path.exists():
                raise DataError([Problem(file=name, message="no such file or folder")])
            size = path.stat().st_size
            if size > max_bytes:
                raise DataError([_too_large(name, size, max_bytes)])
            loaded.append(parse_bytes(path.read_bytes(), name, max_bytes=max_bytes))
        except DataError as error:
            problems.extend(error.problems)
    if problems:
        raise DataError(problems)
    return loaded
