"""Read YAML dataset files and folders into validated Datasets; every problem located.

The happy path is one C-backed parse and one Pydantic validation of the whole file.
Only when something is wrong is the file composed again to turn a field path into a
line and column, so errors cost time, valid files do not; and only the first
MAX_PROBLEMS problems are located and worded, the rest counted, so a file of a million
wrong entries costs about what its parse costs.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails
from yaml import MarkedYAMLError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.reader import Reader, ReaderError

from graph import messages
from graph.errors import MAX_PROBLEMS, DataError, Problems
from graph.yaml12 import Loader12, construct, duplicate_keys, expanded_size, walk
from schemas.commitments import Commitment
from schemas.common import forbidden_character, text_rule_of, visible
from schemas.dataset import Dataset
from schemas.entities import Entity
from schemas.events import Event
from schemas.problems import Problem

DEFAULT_MAX_BYTES = 32 * 1024 * 1024
YAML_SUFFIXES = (".yaml", ".yml")
# An alias may stand for a shared source or two; a document whose aliases multiply it
# far beyond its written size is an attack (billion laughs), not a dataset.
ALIAS_EXPANSION_FACTOR = 10
ALIAS_EXPANSION_SLACK = 10_000

SECTIONS: dict[str, type[BaseModel]] = {
    "entities": Entity,
    "commitments": Commitment,
    "events": Event,
}

FieldPath = tuple[str | int, ...]


class _Locator:
    """Field paths to nodes of one text, its node tree composed once, on first use."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._root: Node | None = None
        self._composed = False

    def root(self) -> Node | None:
        if not self._composed:
            self._composed = True
            try:
                self._root = Loader12(self.text).get_single_node()
            except (MarkedYAMLError, ReaderError, RecursionError):
                self._root = None
        return self._root

    def node(self, path: FieldPath) -> Node | None:
        root = self.root()
        return _find_node(root, path) if root is not None else None

    def problem(self, name: str, path: FieldPath, message: str) -> Problem:
        node = self.node(path)
        return Problem(
            file=name,
            line=node.start_mark.line + 1 if node else None,
            column=node.start_mark.column + 1 if node else None,
            field=format_field(path) or None,
            message=message,
        )


@dataclass(frozen=True)
class LoadedFile:
    """A validated dataset with the text it came from, to locate later problems."""

    name: str
    text: str
    dataset: Dataset
    _locator: _Locator | None = field(default=None, compare=False, repr=False)

    def problem(self, path: FieldPath, message: str) -> Problem:
        if self._locator is None:  # composed at the first problem, then kept
            object.__setattr__(self, "_locator", _Locator(self.text))
        assert self._locator is not None
        return self._locator.problem(self.name, path, message)


@dataclass(frozen=True)
class RejectedFile:
    """A file that cannot be imported as it is: its problems so far (`error`), and its data
    as read (None when it could not be read at all), so graph.validate can still check the
    references it makes and report them in the same run."""

    name: str
    error: DataError
    text: str = ""
    data: dict[Any, Any] | None = None
    _locator: _Locator | None = field(default=None, compare=False, repr=False)

    def problem(self, path: FieldPath, message: str) -> Problem:
        locator = self._locator or _Locator(self.text)
        return locator.problem(self.name, path, message)


ReadFile = LoadedFile | RejectedFile


def format_field(path: FieldPath) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return visible(out)


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


def _line_and_column(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of the character at `index`."""
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


def _yaml_problem(name: str, text: str, error: MarkedYAMLError | ReaderError) -> Problem:
    if isinstance(error, ReaderError):
        # The C reader gives a byte offset; the character it refused is the file's first
        # one outside what YAML allows, so find that instead.
        found = Reader.NON_PRINTABLE.search(text)
        line, column = _line_and_column(text, found.start()) if found else (None, None)
        char = chr(error.character) if isinstance(error.character, int) else "\ufffd"
        what = (forbidden_character(char) or (0, f"the character U+{ord(char):04X}"))[1]
        return Problem(
            file=name,
            line=line,
            column=column,
            message=f"invalid YAML: {what} cannot be in a YAML file: delete it",
        )
    mark = error.problem_mark or error.context_mark
    message = " ".join(str(p) for p in (error.context, error.problem) if p)
    return Problem(
        file=name,
        line=mark.line + 1 if mark else None,
        column=mark.column + 1 if mark else None,
        message=visible(f"invalid YAML: {message}"),
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


def parse_yaml(text: str, name: str) -> tuple[Any, list[Problem]]:
    """The document as Python data under YAML 1.2 rules, with the keys written twice (the
    first value kept), or a DataError naming the line where it cannot be read."""
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
        data = construct(loader, root, text)
        return data, _duplicates(name, root) if loader.found_duplicate_keys else []
    except (MarkedYAMLError, ReaderError) as error:
        raise DataError([_yaml_problem(name, text, error)]) from None
    except RecursionError:
        raise DataError([Problem(file=name, message="YAML nested too deeply")]) from None
    finally:
        loader.dispose()


def _duplicates(name: str, root: Node) -> list[Problem]:
    return [
        Problem(
            file=name,
            line=key.again.start_mark.line + 1,
            column=key.again.start_mark.column + 1,
            field=format_field(key.path),
            message=f"duplicate key {key.path[-1]!r} (first on line "
            f"{key.first.start_mark.line + 1}): write each key once; delete one of them",
        )
        for key in duplicate_keys(root)
    ]


_ESCAPE = re.compile(r"\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)", re.DOTALL)
_SHORT_ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "t": "\t", "n": "\n", "v": "\v"}
_SHORT_ESCAPES |= {"f": "\f", "r": "\r", "e": "\x1b", "N": "\x85", "_": "\xa0"}
_SHORT_ESCAPES |= {"L": "\u2028", "P": "\u2029"}


def _char_position(text: str, node: Node, char: str) -> int | None:
    """Where in `text` the scalar `node` holds `char`: the character itself, or the
    double-quoted escape (`\\e`, `\\x1b`, `\\u001B`) that wrote it."""
    start, end = node.start_mark.index, node.end_mark.index
    raw = text.find(char, start, end)
    if raw >= 0:
        return raw
    for escape in _ESCAPE.finditer(text, start, end):
        code = escape.group(1)
        decoded = chr(int(code[1:], 16)) if len(code) > 1 else _SHORT_ESCAPES.get(code)
        if decoded == char:
            return escape.start()
    return None


def _problem(name: str, item: ErrorDetails, locator: _Locator) -> Problem:
    """One Pydantic error as a located problem, worded by graph.messages; a character the
    text rule refuses is located at the character itself."""
    path: FieldPath = tuple(item["loc"])
    value = item.get("input")
    node = locator.node(path)
    line = node.start_mark.line + 1 if node else None
    column = node.start_mark.column + 1 if node else None
    if item["type"] == "string_pattern_mismatch" and isinstance(value, str) and node:
        free_text = text_rule_of(str(item.get("ctx", {}).get("pattern")))
        found = forbidden_character(value, free_text=free_text) if free_text is not None else None
        position = _char_position(locator.text, node, value[found[0]]) if found else None
        if position is not None:
            line, column = _line_and_column(locator.text, position)
    return Problem(
        file=name,
        line=line,
        column=column,
        field=format_field(path) or None,
        message=visible(messages.message(item)),
    )


def _first_errors(data: dict[Any, Any], error: ValidationError) -> Iterator[ErrorDetails]:
    """The errors in `error`, in order, without materialising them all: a million wrong
    records make a million error dicts (about 1 KB each), so past MAX_PROBLEMS the records
    are validated again one by one, and the caller stops after MAX_PROBLEMS."""
    if error.error_count() <= MAX_PROBLEMS:
        yield from error.errors(include_url=False)
        return
    sections = {k: v for k, v in data.items() if k in SECTIONS and isinstance(v, list)}
    try:
        Dataset.model_validate({**data, **{key: [] for key in sections}})
    except ValidationError as top:
        yield from top.errors(include_url=False)
    for section, records in sections.items():
        model = SECTIONS[section]
        for index, record in enumerate(records):
            try:
                model.model_validate(record)
            except ValidationError as inner:
                for item in inner.errors(include_url=False):
                    yield {**item, "loc": (section, index, *item["loc"])}


def _placeholders(locator: _Locator) -> dict[FieldPath, str]:
    """Values still `<...>` as `aifg new` wrote them, by path (composing the file only when
    its text holds something like one)."""
    if not messages.PLACEHOLDER.search(locator.text):
        return {}
    root = locator.root()
    if root is None:
        return {}
    return {
        path: node.value
        for path, node in walk(root)
        if isinstance(node, ScalarNode) and messages.PLACEHOLDER.fullmatch(node.value)
    }


def read_text(text: str, name: str) -> ReadFile:
    """The file validated, or rejected with every problem it has on its own: each schema
    error (the first MAX_PROBLEMS located and worded), keys written twice, placeholders
    left unfilled. A file that cannot be read at all raises a DataError."""
    data, problems = parse_yaml(text, name)
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
    locator = _Locator(text)
    placeholders = _placeholders(locator)
    total = len(problems)
    try:
        dataset = Dataset.model_validate(data)
    except ValidationError as error:
        for item in itertools.islice(_first_errors(data, error), MAX_PROBLEMS):
            problems.append(_problem(name, item, locator))
            placeholders.pop(tuple(item["loc"]), None)  # its message names the placeholder
        total += error.error_count()
    else:
        if not problems and not placeholders:
            return LoadedFile(name=name, text=text, dataset=dataset, _locator=locator)
    for path, value in placeholders.items():
        problems.append(locator.problem(name, path, messages.placeholder(path, value)))
    total += len(placeholders)
    return RejectedFile(
        name=name, error=DataError(problems, total=total), text=text, data=data, _locator=locator
    )


def parse_text(text: str, name: str) -> LoadedFile:
    """The file validated on its own (references unchecked), or a DataError."""
    return _loaded(read_text(text, name))


def _loaded(file: ReadFile) -> LoadedFile:
    if isinstance(file, RejectedFile):
        raise file.error
    return file


def read_bytes(data: bytes, name: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ReadFile:
    if len(data) > max_bytes:
        raise DataError([_too_large(name, len(data), max_bytes)])
    return read_text(decode(data, name), name)


def parse_bytes(data: bytes, name: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> LoadedFile:
    return _loaded(read_bytes(data, name, max_bytes=max_bytes))


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


def read_files(paths: Sequence[Path], *, max_bytes: int = DEFAULT_MAX_BYTES) -> list[ReadFile]:
    """Every file read, each validated or rejected with its problems; none raises."""
    files: list[ReadFile] = []
    for path in yaml_files(paths):
        name = str(path)
        try:
            if not path.exists():
                raise DataError([Problem(file=name, message="no such file or folder")])
            size = path.stat().st_size
            if size > max_bytes:
                raise DataError([_too_large(name, size, max_bytes)])
            files.append(read_bytes(path.read_bytes(), name, max_bytes=max_bytes))
        except DataError as error:
            files.append(RejectedFile(name=name, error=error))
    return files


def parse_files(paths: Sequence[Path], *, max_bytes: int = DEFAULT_MAX_BYTES) -> list[LoadedFile]:
    """Every file validated on its own (references unchecked), or a DataError listing the
    problems of all."""
    files = read_files(paths, max_bytes=max_bytes)
    problems = Problems()
    for file in files:
        if isinstance(file, RejectedFile):
            problems.extend(file.error)
    problems.raise_if_any()
    return [_loaded(file) for file in files]
