"""YAML 1.2 on PyYAML's C parser: core-schema scalars, duplicate keys found, safe tags only.

PyYAML follows YAML 1.1: `300e9` loads as a string, `NO` as False, a duplicate key
silently wins, and `2025-13-01` crashes inside the timestamp constructor. Here the C
parser composes the document; a YAML 1.2 core-schema resolver types the scalars;
dates stay strings so Pydantic reports a bad one with its location; and only the
safe constructors exist, so `!!python/object` is an error, never executed. A number
written with more characters than any figure needs stays unconverted (`LongNumber`):
Python refuses int() over 4300 digits, and a huge one is slow to convert anyway.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Hashable, Iterator
from typing import Any, NamedTuple

from yaml.constructor import ConstructorError, SafeConstructor
from yaml.cyaml import CParser  # type: ignore[attr-defined]
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from schemas.numbers import MAX_NUMBER_CHARS

# The tags every loaded document may use (YAML 1.2 core schema); anything else is an error.
_CORE = "tag:yaml.org,2002:"
_INT_RE = re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
_FLOAT_RE = re.compile(
    r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)


class Resolver12(BaseResolver):
    """Implicit typing of plain scalars as the YAML 1.2 core schema says."""

    def resolve(self, kind: type[Node], value: Any, implicit: tuple[bool, bool]) -> str:
        """BaseResolver.resolve for our table (no path or wildcard resolvers), without
        its per-call list building: the C parser calls this once for every node."""
        if kind is ScalarNode:
            if implicit[0]:
                for tag, regexp in _BY_FIRST_CHAR.get(value[:1], ()):
                    if regexp.match(value):
                        return tag
            return _STR
        return _SEQ if kind is SequenceNode else _MAP


Resolver12.add_implicit_resolver(
    _CORE + "bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
Resolver12.add_implicit_resolver(_CORE + "int", _INT_RE, list("-+0123456789"))
Resolver12.add_implicit_resolver(_CORE + "float", _FLOAT_RE, list("-+0123456789."))
Resolver12.add_implicit_resolver(
    _CORE + "null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)


def _resolver_table() -> dict[str, tuple[tuple[str, re.Pattern[str]], ...]]:
    table: dict[str, list[tuple[str, re.Pattern[str]]]] = Resolver12.yaml_implicit_resolvers
    return {first: tuple(resolvers) for first, resolvers in table.items()}


_BY_FIRST_CHAR = _resolver_table()
_STR, _SEQ, _MAP = _CORE + "str", _CORE + "seq", _CORE + "map"


class LongNumber:
    """A number written with over MAX_NUMBER_CHARS characters, left as its text.

    No field accepts it (it is neither a number nor a string to Pydantic), so the record
    holding it fails validation at its field, and graph.load words the error.
    """

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return f"<a number written with {len(self.text):,} characters>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LongNumber) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)


def bool12(text: str) -> bool:
    return text.lower() == "true"


def int12(text: str) -> int | LongNumber:
    if len(text) > MAX_NUMBER_CHARS:
        return LongNumber(text)
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text)


def float12(text: str) -> float | LongNumber:
    if len(text) > MAX_NUMBER_CHARS:
        return LongNumber(text)
    text = text.lower()
    if text.endswith(".inf"):
        return -math.inf if text.startswith("-") else math.inf
    if text == ".nan":
        return math.nan
    return float(text)


class Constructor12(SafeConstructor):
    """Safe constructors for the core schema; a duplicate key keeps its first value and
    sets `found_duplicate_keys`."""

    found_duplicate_keys = False

    def construct_mapping(self, node: Node, deep: bool = False) -> dict[Hashable, Any]:
        if not isinstance(node, MappingNode):
            raise ConstructorError(None, None, "expected a mapping", node.start_mark)
        mapping: dict[Hashable, Any] = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, Hashable):
                raise ConstructorError(
                    "while constructing a mapping",
                    node.start_mark,
                    "found an unhashable key",
                    key_node.start_mark,
                )
            if key in mapping:
                # An error, but not one that ends the reading: the first value is kept, so
                # the rest of the file is checked too, and graph.load reports the key
                # (`duplicate_keys` finds where).
                self.found_duplicate_keys = True
                continue
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping

    def construct_yaml_bool12(self, node: ScalarNode) -> bool:
        return bool12(str(self.construct_scalar(node)))

    def construct_yaml_int12(self, node: ScalarNode) -> int | LongNumber:
        return int12(str(self.construct_scalar(node)))

    def construct_yaml_float12(self, node: ScalarNode) -> float | LongNumber:
        return float12(str(self.construct_scalar(node)))

    def construct_undefined(self, node: Node) -> Any:
        raise ConstructorError(
            None, None, f"tag {node.tag!r} is not allowed (safe YAML only)", node.start_mark
        )


Constructor12.yaml_constructors = {
    _CORE + "null": SafeConstructor.construct_yaml_null,
    _CORE + "bool": Constructor12.construct_yaml_bool12,
    _CORE + "int": Constructor12.construct_yaml_int12,
    _CORE + "float": Constructor12.construct_yaml_float12,
    _CORE + "str": SafeConstructor.construct_yaml_str,
    _CORE + "seq": SafeConstructor.construct_yaml_seq,
    _CORE + "map": SafeConstructor.construct_yaml_map,
    None: Constructor12.construct_undefined,
}


class Loader12(CParser, Constructor12, Resolver12):
    """C-parsed, YAML 1.2 typed, safe loader."""

    def __init__(self, stream: str) -> None:
        CParser.__init__(self, stream)
        Constructor12.__init__(self)
        Resolver12.__init__(self)


class _UnusualNodeError(Exception):
    """The fast constructor met something only Constructor12 knows how to handle or report."""


def _null(text: str) -> None:
    return None


_SCALARS: dict[str, Callable[[str], Any]] = {
    _CORE + "null": _null,
    _CORE + "bool": bool12,
    _CORE + "int": int12,
    _CORE + "float": float12,
}


def construct_plain(root: Node) -> Any:
    """The document `Constructor12` would build from an alias-free node tree, built faster.

    One recursive walk with no generators, state or per-node method dispatch (PyYAML's
    constructor costs more than the C parse). Anything unusual (a tag outside the core
    schema, a duplicate or unhashable key, a non-scalar with a scalar tag) raises
    `_UnusualNodeError`, so the caller can let Constructor12 build it or word the error.
    """

    def build(node: Node) -> Any:
        tag = node.tag
        kind = node.__class__
        if kind is ScalarNode:
            if tag == _STR:
                return node.value
            convert = _SCALARS.get(tag)
            if convert is not None:
                return convert(node.value)
        elif kind is MappingNode:
            if tag == _MAP:
                mapping: dict[Any, Any] = {}
                for key_node, value_node in node.value:
                    key = build(key_node)
                    try:
                        if key in mapping:
                            raise _UnusualNodeError
                    except TypeError:  # unhashable key
                        raise _UnusualNodeError from None
                    mapping[key] = build(value_node)
                return mapping
        elif kind is SequenceNode and tag == _SEQ:
            return [build(child) for child in node.value]
        raise _UnusualNodeError

    return build(root)


def construct(loader: Loader12, root: Node, text: str) -> Any:
    """`loader.construct_document(root)`, by the fast path where it gives the same result.

    A document with aliases (`*`) shares nodes, so it goes the careful way; so does any
    document the fast path finds unusual, and Constructor12 then builds it or raises
    its located error.
    """
    if "*" not in text:
        try:
            return construct_plain(root)
        except (_UnusualNodeError, RecursionError):
            pass
    return loader.construct_document(root)


class Sizes(NamedTuple):
    expanded: int
    distinct: int


def expanded_size(root: Node, limit: int) -> Sizes:
    """Number of nodes the document has once aliases are expanded, counting up to `limit`.

    Aliases share one node object, so a billion-laughs document is small in memory but
    huge once walked; this counts each distinct node once and multiplies through.
    """
    sizes: dict[int, int] = {}

    def size(node: Node) -> int:
        known = sizes.get(id(node))
        if known is not None:
            return known
        total = 1
        if isinstance(node, SequenceNode):
            for child in node.value:
                total += size(child)
                if total > limit:
                    break
        elif isinstance(node, MappingNode):
            for key, value in node.value:
                total += size(key) + size(value)
                if total > limit:
                    break
        sizes[id(node)] = total = min(total, limit + 1)
        return total

    return Sizes(size(root), len(sizes))


Path = tuple[str | int, ...]


def walk(root: Node) -> Iterator[tuple[Path, Node]]:
    """Every distinct node of the document with its path, in document order: a node that
    aliases share comes once, and of a key written twice only the first value."""
    seen: set[int] = set()
    stack: list[tuple[Path, Node]] = [((), root)]
    while stack:
        path, node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        yield path, node
        children: list[tuple[Path, Node]] = []
        if isinstance(node, SequenceNode):
            children = [((*path, index), child) for index, child in enumerate(node.value)]
        elif isinstance(node, MappingNode):
            names: set[str] = set()
            for key, value in node.value:
                name = _key_name(key)
                if name not in names:
                    names.add(name)
                    children.append(((*path, name), value))
        stack.extend(reversed(children))


def _key_name(key: Node) -> str:
    return str(key.value) if isinstance(key, ScalarNode) else repr(key.value)


class DuplicateKey(NamedTuple):
    path: Path  # of the key, e.g. ("commitments", 0, "to")
    first: Node  # the key where it first appears
    again: Node  # the key written again


def duplicate_keys(root: Node) -> list[DuplicateKey]:
    """Every key written twice in one mapping of the document, in document order."""
    found: list[DuplicateKey] = []
    for path, node in walk(root):
        if isinstance(node, MappingNode):
            first: dict[str, Node] = {}
            for key, _value in node.value:
                name = _key_name(key)
                if name in first:
                    found.append(DuplicateKey((*path, name), first[name], key))
                else:
                    first[name] = key
    return found
