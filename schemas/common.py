"""Building blocks shared by the dataset models: ids, clean text, sources, the strict base."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Annotated, Any, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)

from schemas.enums import SourceKind

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

Slug = Annotated[
    str,
    StringConstraints(pattern=SLUG_PATTERN, min_length=1, max_length=120),
    Field(description="Lower-case slug: letters a-z, digits and single hyphens, e.g. `openai`."),
]

# Examples shown in the JSON Schema and in the loader's messages ("write sources: [...]").
DATE_EXAMPLE = "2026-01-05"
SOURCE_EXAMPLE = {
    "url": "https://www.reuters.com/...",
    "publisher": "Reuters",
    "date": DATE_EXAMPLE,
}

# The one rule for text. No text may hold C0 or C1 controls (DEL included), surrogates or
# Unicode noncharacters (U+FDD0..U+FDEF and the last two code points of every plane): they
# break terminals (an ESC sequence), XML exports (NUL, U+FFFE) and drivers, and no source
# writes them. Tab and newline are allowed in free text (notes, quotes) only.
_FREE_TEXT_FORBIDS: tuple[tuple[int, int], ...] = (
    (0x00, 0x08),
    (0x0B, 0x1F),
    (0x7F, 0x9F),
    (0xFDD0, 0xFDEF),
    *((plane + 0xFFFE, plane + 0xFFFF) for plane in range(0, 0x110000, 0x10000)),
)
_LINE_TEXT_FORBIDS = ((0x09, 0x0A), *_FREE_TEXT_FORBIDS)
_SURROGATES = (0xD800, 0xDFFF)  # Pydantic refuses these before any pattern runs
# Shown escaped on a terminal besides the above: bidirectional overrides, line separators.
_MISLEADING = ((0x061C, 0x061C), (0x200E, 0x200F), (0x2028, 0x202E), (0x2066, 0x2069))


def _rust_class(ranges: Sequence[tuple[int, int]]) -> str:
    return "".join(rf"\x{{{a:x}}}-\x{{{b:x}}}" for a, b in ranges)


def _python_class(ranges: Sequence[tuple[int, int]]) -> str:
    return "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)


# Pydantic checks these in Rust: a Python validator on every text field would cost about
# a tenth of a record's validation. graph/load.py words the error, with the column.
LINE_TEXT_PATTERN = f"^[^{_rust_class(_LINE_TEXT_FORBIDS)}]*$"
FREE_TEXT_PATTERN = f"^[^{_rust_class(_FREE_TEXT_FORBIDS)}]*$"
_FIND = {
    False: re.compile(f"[{_python_class((*_LINE_TEXT_FORBIDS, _SURROGATES))}]"),
    True: re.compile(f"[{_python_class((*_FREE_TEXT_FORBIDS, _SURROGATES))}]"),
}
_UNSAFE_TO_SHOW = re.compile(
    f"[{_python_class((*_LINE_TEXT_FORBIDS, _SURROGATES, (0x0D, 0x0D), *_MISLEADING))}]"
)
_CONTROL_NAMES = {0x00: "NUL", 0x07: "BEL", 0x08: "BS", 0x0D: "CR", 0x1B: "ESC", 0x7F: "DEL"}


def forbidden_character(text: str, *, free_text: bool = False) -> tuple[int, str] | None:
    """The offset of the first character `text` may not hold, and what it is; None if clean.

    >>> forbidden_character("Nvidia\x1b[2J")
    (6, 'the control character U+001B (ESC)')
    """
    found = _FIND[free_text].search(text)
    if found is None:
        return None
    code = ord(found.group())
    if code in (0x09, 0x0A):
        what = "a tab" if code == 0x09 else "a line break"
        return found.start(), f"{what} (only notes and quotes may hold one)"
    if _SURROGATES[0] <= code <= _SURROGATES[1]:
        return found.start(), f"the lone surrogate U+{code:04X}"
    if code >= 0xFDD0:
        return found.start(), f"the Unicode noncharacter U+{code:04X}"
    name = _CONTROL_NAMES.get(code)
    return found.start(), f"the control character U+{code:04X}" + (f" ({name})" if name else "")


def text_rule_of(pattern: str) -> bool | None:
    """Whether a Pydantic pattern error is the text rule's: True for free text, False for a
    line of text, None for some other pattern."""
    return {FREE_TEXT_PATTERN: True, LINE_TEXT_PATTERN: False}.get(pattern)


def visible(text: str) -> str:
    """`text` safe to print on a terminal: controls, noncharacters and bidirectional
    overrides as Python escapes (`\x1b` shown as the four characters `\\x1b`)."""
    if text.isascii() and text.isprintable():
        return text
    return _UNSAFE_TO_SHOW.sub(lambda m: ascii(m.group())[1:-1], text)


# The patterns are Rust regex syntax, which editors' ECMA regexes would misread: the JSON
# Schema states the rule in words instead.
_LINE_JSON_SCHEMA = {"type": "string", "$comment": "One line: no control or noncharacters."}
_FREE_JSON_SCHEMA = {"type": "string", "$comment": "No control characters but tab, newline."}
Text = Annotated[
    str, StringConstraints(pattern=LINE_TEXT_PATTERN), WithJsonSchema(_LINE_JSON_SCHEMA)
]
"""One line of text: names, titles, figures as written."""
NonEmptyText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, pattern=LINE_TEXT_PATTERN),
    WithJsonSchema({**_LINE_JSON_SCHEMA, "minLength": 1}),
]
"""One line with something in it once stripped: names, publishers, labels."""
FreeText = Annotated[
    str, StringConstraints(pattern=FREE_TEXT_PATTERN), WithJsonSchema(_FREE_JSON_SCHEMA)
]
"""Text that may span lines and hold tabs: notes and quotes."""
NonEmptyFreeText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, pattern=FREE_TEXT_PATTERN),
    WithJsonSchema({**_FREE_JSON_SCHEMA, "minLength": 1}),
]


Flag = Annotated[bool, Strict()]
"""`true` or `false` as written. Pydantic's lax mode reads the text `yes`, `on` or `1` as
true; the files are YAML 1.2, where those are text, so a flag takes only a boolean."""


class StrictModel(BaseModel):
    """Input models forbid unknown fields, so a typo in a YAML key fails loudly."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        # Register the field names in the class's shared instance keys (PEP 412) while no
        # instance exists yet: CPython stops adding to them once a few dozen instances
        # were made, and graph.compact relies on them to store a snapshot's models small.
        probe = object.__new__(cls)
        for name in cls.model_fields:
            object.__setattr__(probe, name, None)


_URL_FORBIDS = re.compile(f"[\\s{_python_class((*_LINE_TEXT_FORBIDS, _SURROGATES, *_MISLEADING))}]")


def _http_url(value: str) -> str:
    if not value.startswith(("http://", "https://")) or len(value) < 12:
        raise ValueError("must be an http(s) URL, e.g. https://www.reuters.com/...")
    # The regex costs microseconds a URL (its class spans the planes): ASCII goes faster.
    clean_ascii = value.isascii() and value.isprintable() and " " not in value
    bad = None if clean_ascii else _URL_FORBIDS.search(value)
    if bad is not None:
        raise ValueError(
            f"a URL holds no whitespace or control characters: {bad.group()!a} at "
            f"character {bad.start() + 1} (percent-encode a space as %20)"
        )
    return value


HttpUrlText = Annotated[str, AfterValidator(_http_url)]
"""An http(s) URL without whitespace, control characters or bidirectional overrides."""


class OriginalPage(StrictModel):
    """The page a copy reproduces: what a journalist would cite, as far as it is known."""

    publisher: NonEmptyText = Field(
        description="Who published the original, e.g. `Reuters`.", examples=["Reuters"]
    )
    title: Text | None = None
    date: dt.date | None = None
    url: HttpUrlText | None = Field(default=None, description="Where the original is, if known.")


class Source(StrictModel):
    """Where a figure was read: the page, who published it, when, and in which words.

    `publisher` is who published the page at `url`. A re-post of someone else's story
    (a syndication site, an aggregator) is `kind: copy` and names the story it copies in
    `original`, so a reader can cite that instead.
    """

    url: HttpUrlText = Field(examples=[SOURCE_EXAMPLE["url"]])
    publisher: NonEmptyText = Field(examples=["Reuters"])
    date: dt.date | None = Field(default=None, description="Publication date of the page.")
    kind: SourceKind = SourceKind.REPORTING
    title: Text | None = None
    quote: FreeText | None = Field(
        default=None, description="The sentence the figure was read from."
    )
    original: OriginalPage | None = Field(
        default=None,
        description="For `kind: copy`: the page this one reproduces.",
        examples=[{"publisher": "Reuters", "date": DATE_EXAMPLE}],
    )

    @model_validator(mode="after")
    def _copy_names_its_original(self) -> Self:
        if self.kind is SourceKind.COPY and self.original is None:
            raise ValueError(
                "a source of kind `copy` needs `original` (at least its `publisher`, e.g. "
                "original: {publisher: Reuters, title: ..., date: 2026-03-31})"
            )
        if self.original is not None and self.kind is not SourceKind.COPY:
            raise ValueError(
                "`original` is for a source of kind `copy` (a re-post): set kind: copy"
            )
        return self
