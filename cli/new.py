"""`aifg new commitment|entity`: a commented dataset file to start a record from.

Every value to fill in is a `<placeholder>`; importing the file before all are replaced
fails at each one left, with its line and what to write (graph.messages). The allowed
values in the comments come from schemas.enums, so they cannot drift from the schema.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from enum import StrEnum

from graph.settings import Settings
from schemas.enums import CommitmentKind, EntityKind, Status

WIDTH = 88


def _one_of(field: str, kinds: type[StrEnum], indent: str) -> str:
    """A comment listing a field's allowed values, wrapped, to go above the field."""
    words = f"{field}: one of " + ", ".join(member.value for member in kinds)
    prefix = f"{indent}# "
    return textwrap.fill(words, WIDTH, initial_indent=prefix, subsequent_indent=prefix + "  ")


_HOW = """\
# Replace every <...> with what the source says and delete the optional lines you do
# not need (those starting with #). Then: aifg validate --with-store FILE, aifg import FILE.
# Ids: lower-case letters a-z and digits, words joined by single hyphens (thrive-capital).
# Dates: YYYY-MM-DD. Every figure needs a source.
"""

COMMITMENT = f"""\
# A new commitment: money (or a claim to it) going `from` the payer or investor `to` the
# recipient (the seller, the investee, the borrower).
{_HOW}version: 1
commitments:
  - id: <payer-recipient-what-year>  # e.g. microsoft-openai-azure-2026
    from: <payer-id>  # an entity id already in the store or in this file
    to: <recipient-id>
{_one_of("kind", CommitmentKind, "    ")}
    kind: <kind>
    amount: {{usd: <figure>, as_written: "<the figure as the source writes it>"}}
    # amount: {{low: 200e9, high: 300e9, as_written: "$200-300 billion"}}  # a range
    # amount: {{usd: 100e9, up_to: true, as_written: "up to $100 billion"}}
    # (leave amount out when no figure was disclosed; 10e9 is ten billion dollars)
    announced: <YYYY-MM-DD>  # the first public report
    # binding: true  # true or false, only when a source says so
    status:  # dated changes, oldest first
{_one_of("status", Status, "      ")}
      - {{date: <YYYY-MM-DD>, status: <status>}}
    sources:
      - url: <https://...>
        publisher: <publisher>
        date: <YYYY-MM-DD>
        # quote: "<the sentence the figure was read from>"
"""

ENTITY = f"""\
# A new entity: a company, fund, government, project or commodity that commitments name.
{_HOW}version: 1
entities:
  - id: <id>  # e.g. thrive-capital
    name: <name>  # as it names itself, e.g. Thrive Capital
{_one_of("kind", EntityKind, "    ")}
    kind: company
    # sectors: [ai-lab]  # ids, e.g. cloud, semiconductors, ai-lab
    # aliases: [<another name, in any language>]
    # country: US  # ISO 3166-1 alpha-2
    # ticker: MSFT
"""

TEMPLATES = {"commitment": COMMITMENT, "entity": ENTITY}
HELP = "print a commented dataset file to start a new commitment or entity from"


def cmd_new(args: argparse.Namespace, settings: Settings) -> int:
    sys.stdout.write(TEMPLATES[args.record])
    return 0


def add_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "new", help=HELP, description=f"{HELP}, e.g. aifg new commitment > deal.yaml"
    )
    p.set_defaults(handler=cmd_new)
    p.add_argument("record", choices=sorted(TEMPLATES))
