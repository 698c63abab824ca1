"""Hostile input, one case a line of a small dataset: what must be refused, and where.

Every case is the same valid file with one line changed, marked `#<`; the error must name
that line, the field, words of the message and (for text) the column of the character.
"""

from __future__ import annotations

from dataclasses import dataclass

BASE = """\
version: 1
entities:
  - {id: hostco, name: HostCo}
  - id: targetco
    name: TargetCo
    financials:
      - metric: equity
        usd: 2e9
        as_of: 2025-12-31
        source: {url: "https://example.com/f", publisher: Example}
commitments:
  - id: hostco-targetco-loan
    from: hostco
    to: targetco
    kind: loan
    amount: {usd: 5e9}
    announced: 2025-05-01
    status: [{date: 2025-05-01, status: signed}]
    sources: [{url: "https://example.com/x", publisher: Example}]
    notes: A loan.
"""
BASE_ENTITIES = ("hostco", "targetco")
BASE_COMMITMENT = "hostco-targetco-loan"


@dataclass(frozen=True)
class Case:
    """`old` in BASE becomes `new`; the error names `field` and holds `words`; for a
    character, `at` is the text in the new line where the column must point."""

    id: str
    old: str
    new: str
    field: str | None
    words: str
    at: str | None = None

    @property
    def text(self) -> str:
        assert BASE.count(self.old) == 1, self.old
        text = BASE.replace(self.old, self.new)
        if "#<" in self.new:
            return text
        end = text.index("\n", text.index(self.new) + len(self.new))
        return text[:end] + " #<" + text[end:]

    @property
    def line(self) -> int:
        return next(i for i, line in enumerate(self.text.splitlines(), 1) if "#<" in line)

    @property
    def column(self) -> int | None:
        if self.at is None:
            return None
        return self.text.splitlines()[self.line - 1].index(self.at) + 1


AMOUNT = "    amount: {usd: 5e9}"
NAME = "    name: TargetCo"
ONE = "entities[1].name"
URL = '[{url: "https://example.com/x", publisher: Example}]'
USD = "commitments[0].amount.usd"

NUMBERS = [
    Case("exponent 1e1000000", AMOUNT, '    amount: {usd: "1e1000000"}', USD, "digits"),
    Case("exponent 1e4400", AMOUNT, "    amount: {usd: '1e4400'}", USD, "digits"),
    Case("4000 hex digits", AMOUNT, "    amount: {usd: 0x" + "f" * 4000 + "}", USD, "characters"),
    Case("5000 digits", AMOUNT, "    amount: {usd: " + "9" * 5000 + "}", USD, "characters"),
    Case("5000 digits quoted", AMOUNT, "    amount: {usd: '" + "9" * 5000 + "'}", USD, "digits"),
    Case("1.7e308", AMOUNT, "    amount: {usd: 1.7e308}", USD, "digits"),
    Case("infinity", AMOUNT, "    amount: {usd: .inf}", USD, "finite"),
    Case("overflowing float", AMOUNT, "    amount: {usd: 2e400}", USD, "finite"),
    Case("nan", AMOUNT, "    amount: {usd: .nan}", USD, "finite"),
    Case("negative", AMOUNT, "    amount: {usd: -5e9}", USD, "greater than or equal to 0"),
    Case("at the ceiling", AMOUNT, "    amount: {usd: 1e15}", USD, "15 digits"),
    Case("sixteen digits", AMOUNT, "    amount: {usd: 123456789012.3456}", USD, "15 digits"),
    Case("tiny", AMOUNT, "    amount: {usd: 1e-16}", USD, "15 digits"),
    Case(
        "range high",
        AMOUNT,
        "    amount: {low: 1, high: '1e4400'}",
        "commitments[0].amount.high",
        "digits",
    ),
    Case(
        "financial usd",
        "        usd: 2e9",
        "        usd: '2e400'",
        "entities[1].financials[0].usd",
        "digits",
    ),
    Case(
        "term years",
        AMOUNT,
        "    amount: {usd: 5e9, basis: per_year}\n    term_years: 1e6 #<",
        "commitments[0].term_years",
        "less than 1000",
    ),
    Case(
        "capacity",
        AMOUNT,
        "    amount: {usd: 5e9}\n    capacity_gw: 1e300 #<",
        "commitments[0].capacity_gw",
        "digits",
    ),
    Case(
        "overlap",
        AMOUNT,
        "    amount: {usd: 5e9}\n    overlaps: [{commitment: other, usd: 1e20}] #<",
        "commitments[0].overlaps[0].usd",
        "digits",
    ),
    Case(
        "round terms",
        AMOUNT,
        "    amount: {usd: 5e9}\n    round: {name: Series A, post_money_usd: '1e1000000'} #<",
        "commitments[0].round.post_money_usd",
        "digits",
    ),
    Case(
        "foreign fraction",
        AMOUNT,
        "    amount: {usd: 5.025e9, original: {currency: JPY, value: '750000000000.00001', "
        'usd_per_unit: 0.0067, rate_date: 2025-05-01, rate_source: {url: "https://example.com/fx", '
        "publisher: X}}} #<",
        "commitments[0].amount.original.value",
        "15 significant digits",
    ),
]

TEXT = [
    Case("ESC escape", NAME, '    name: "Target\\e[2JCo"', ONE, "U+001B", at="\\e"),
    Case("hex escape", NAME, '    name: "Target\\x01Co"', ONE, "U+0001", at="\\x01"),
    Case("BEL escape", NAME, '    name: "Target\\aCo"', ONE, "U+0007", at="\\a"),
    Case("C1 escape", NAME, '    name: "Target\\u009bCo"', ONE, "U+009B", at="\\u"),
    Case("NEL escape", NAME, '    name: "Target\\NCo"', ONE, "U+0085", at="\\N"),
    Case("U+FFFE escape", NAME, '    name: "Target\\uFFFECo"', ONE, "U+FFFE", at="\\u"),
    Case("U+FFFF escape", NAME, '    name: "Target\\uffffCo"', ONE, "U+FFFF", at="\\u"),
    Case("U+FDD0 escape", NAME, '    name: "Target\\uFDD0Co"', ONE, "U+FDD0", at="\\u"),
    Case(
        "plane end escape",
        NAME,
        '    name: "Target\\U0010FFFFCo"',
        "entities[1].name",
        "U+10FFFF",
        at="\\U",
    ),
    Case("raw U+FDD0", NAME, "    name: Target\ufdd0Co", ONE, "U+FDD0", at="\ufdd0"),
    Case(
        "raw U+1FFFE",
        NAME,
        "    name: Target\U0001fffeCo",
        "entities[1].name",
        "U+1FFFE",
        at="\U0001fffe",
    ),
    Case("tab in a name", NAME, '    name: "Target\\tCo"', ONE, "a tab", at="\\t"),
    Case(
        "newline in a name",
        NAME,
        '    name: "Target\\nCo"',
        "entities[1].name",
        "line break",
        at="\\n",
    ),
    Case(
        "ESC in a publisher",
        URL,
        '[{url: "https://example.com/x", publisher: "Ex\\eample"}]',
        "commitments[0].sources[0].publisher",
        "U+001B",
        at="\\e",
    ),
    Case(
        "BEL in notes",
        "    notes: A loan.",
        '    notes: "A \\a loan."',
        "commitments[0].notes",
        "U+0007",
        at="\\a",
    ),
    Case(
        "CR in notes",
        "    notes: A loan.",
        '    notes: "A\\r\\nloan."',
        "commitments[0].notes",
        "U+000D",
        at="\\r",
    ),
    Case("raw NUL", NAME, "    name: Target\x00Co", None, "U+0000 (NUL)", at="\x00"),
    Case("raw BEL", NAME, "    name: Target\x07Co", None, "U+0007 (BEL)", at="\x07"),
    Case("raw U+0001", NAME, "    name: Target\x01Co", None, "U+0001", at="\x01"),
    Case("raw ESC", NAME, "    name: Target\x1b[2JCo", None, "U+001B", at="\x1b"),
    Case("raw C1", NAME, "    name: Target\x9bCo", None, "U+009B", at="\x9b"),
    Case("raw U+FFFE", NAME, "    name: Target\ufffeCo", None, "U+FFFE", at="\ufffe"),
    Case(
        "escaped key",
        NAME,
        '    name: TargetCo\n    "\\e[2J": x #<',
        "entities[1].\\x1b[2J",
        "unknown field",
    ),
]

URLS = [
    Case(
        "URL with a newline",
        URL,
        '[{url: "https://example.com/x\\nSet-Cookie: a=b", publisher: Example}]',
        "commitments[0].sources[0].url",
        "no whitespace",
    ),
    Case(
        "URL with a space",
        URL,
        '[{url: "https://example.com/a b", publisher: Example}]',
        "commitments[0].sources[0].url",
        "no whitespace",
    ),
    Case(
        "URL with ESC",
        URL,
        '[{url: "https://example.com/\\e[2J", publisher: Example}]',
        "commitments[0].sources[0].url",
        "control",
    ),
    Case(
        "javascript URL",
        URL,
        '[{url: "javascript:alert(1)//xx", publisher: Example}]',
        "commitments[0].sources[0].url",
        "http(s) URL",
    ),
]

ALL = NUMBERS + TEXT + URLS
RAW_CONTROL = [c for c in TEXT if c.id in ("raw NUL", "raw BEL", "raw U+0001")]
# A few of each kind, for the slower paths (a process or a server per case).
SAMPLE = [
    c
    for c in ALL
    if c.id
    in (
        "exponent 1e1000000",
        "exponent 1e4400",
        "4000 hex digits",
        "5000 digits",
        "1.7e308",
        "ESC escape",
        "U+FFFE escape",
        "raw NUL",
        "raw BEL",
        "raw U+0001",
        "URL with a newline",
    )
]

# Accepted, however odd: the model keeps them, a store reloads them and every export
# stays well formed (XML specials, bidirectional overrides, an emoji, separators, CJK).
ODD_NAME = 'Ev<il> & "Co" ]]> \u202e\u2066 \U0001f600 \xa0 \u2028 英偉達'
ODD_NAME_YAML = r'"Ev<il> & \"Co\" ]]> \u202e\u2066 \U0001F600 \_ \L 英偉達"'
ODD_NOTES = "Two lines,\n\tone indented."
ODD_BUT_FINE_YAML = f"""\
version: 1
entities:
  - {{id: oddco, name: {ODD_NAME_YAML}, notes: "Two lines,\\n\\tone indented."}}
  - {{id: evenco, name: EvenCo}}
commitments:
  - id: oddco-evenco-loan
    from: oddco
    to: evenco
    kind: loan
    amount: {{usd: 999999999999999, basis: per_year}}
    term_years: 0.000000000000001
    announced: 2025-05-01
    status: [{{date: 2025-05-01, status: signed}}]
    sources: [{{url: "https://example.com/odd?q=%20&x=<y>", publisher: {ODD_NAME_YAML}}}]
"""


def many_wrong_entries(count: int = 1_000_000) -> bytes:
    """About 4 bytes an entry: a file of `count` entities that are each wrong."""
    return b"version: 1\nentities:\n" + b"- 1\n" * count


def unknown_references(count: int = 1000, known: int = 2000) -> bytes:
    """`known` entities and `count` commitments, each to an entity nobody defined."""
    lines = ["version: 1", "entities:"]
    lines += [f"  - {{id: ent-{i}, name: Entity {i}}}" for i in range(known)]
    lines.append("commitments:")
    lines += [
        f"  - {{id: c{i}, from: ent-{i % known}, to: unknown-ent-{i}, kind: loan, "
        "amount: {usd: 5e9}, announced: 2025-01-01, status: [{date: 2025-01-01, "
        f"status: signed}}], sources: [{{url: 'https://example.com/{i}', publisher: X}}]}}"
        for i in range(count)
    ]
    return ("\n".join(lines) + "\n").encode()
