"""The counting rules every answer shares: which commitments count at a date, for how
much, and who stands to lose if whom fails.

A commitment counts at date D by its status then (`Commitment.counts_at`, README "as_of";
a `replaced_by` commitment stops counting on its replacement's date), and only if it
moves money: a stock merger changes owners, not balances. The same money is never
counted twice:

- a whole with parts (`part_of`: a round and its named participants, a programme and
  its tranches) counts only its remainder beyond the parts that count at D; the parts
  count in full. A whole without a figure stays without one (its remainder is unknown);
- a commitment that `overlaps` another by a stated amount counts that much less while
  the other counts too.

Both floor at zero. An undisclosed amount is None here and in every answer built on
these: unknown, never zero. Everything that sums money (exposure, loops, concentration,
stress, exports) goes through `counted`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal

from schemas.commitments import Commitment, Overlap
from schemas.enums import CONTRACT_KINDS, MONEY_FLOW_KINDS, ValueBasis

ZERO = Decimal(0)


@dataclass(frozen=True)
class Counted:
    """A commitment as it counts at a date and basis: `usd` None when undisclosed, and
    `rule` saying why it is less than the commitment's own amount (None when it is not)."""

    commitment: Commitment
    usd: Decimal | None
    rule: str | None = None


def counts(commitment: Commitment, as_of: dt.date) -> bool:
    """Whether it counts at `as_of` as money owed or at stake."""
    return commitment.kind in MONEY_FLOW_KINDS and commitment.counts_at(as_of)


def counted(
    commitments: Mapping[str, Commitment], as_of: dt.date, basis: ValueBasis = ValueBasis.POINT
) -> Iterator[Counted]:
    """Every commitment that counts at `as_of`, in the order given, with the amount that
    counts on `basis`.

    >>> def deal(id, usd, part_of=None):
    ...     return Commitment.model_validate({
    ...         "id": id, "from": "x", "to": "y", "kind": "equity_investment",
    ...         "amount": {"usd": usd}, "announced": "2026-01-01", "part_of": part_of,
    ...         "status": [{"date": "2026-01-01", "status": "signed"}],
    ...         "sources": [{"url": "https://example.com/a", "publisher": "Example"}]})
    >>> web = {"round": deal("round", 30), "pledge": deal("pledge", 10, part_of="round")}
    >>> {c.commitment.id: c.usd for c in counted(web, dt.date(2026, 2, 1))}
    {'round': Decimal('20'), 'pledge': Decimal('10')}
    """
    live = {i: c for i, c in commitments.items() if counts(c, as_of)}
    # What each whole's counting parts with a figure add up to.
    parts: dict[str, Decimal] = {}
    for c in live.values():
        if c.part_of is not None and c.part_of in live and c.amount is not None:
            parts[c.part_of] = parts.get(c.part_of, ZERO) + c.total_usd(basis)
    for c in live.values():
        yield counted_as(c, basis, parts.get(c.id), [o for o in c.overlaps if o.commitment in live])


def counted_as(
    commitment: Commitment, basis: ValueBasis, parts_usd: Decimal | None, shared: list[Overlap]
) -> Counted:
    """One counting commitment as it counts, given what its counting parts with a figure
    add up to (None: it has none that count) and its overlaps with commitments that count."""
    usd = commitment.amount_usd(basis)
    rule = None
    if usd is not None and parts_usd is not None:
        usd = max(ZERO, usd - parts_usd)
        rule = "the remainder beyond its parts that count (part_of)"
    if usd is not None and shared:
        usd = max(ZERO, usd - sum((o.usd for o in shared), ZERO))
        named = ", ".join(o.commitment for o in shared)
        rule = (rule + "; " if rule else "") + f"less the money it shares with {named}"
    return Counted(commitment, usd, rule)


def exposure_pair(commitment: Commitment) -> tuple[str, str]:
    """(exposed, counterparty): who stands to lose if whom fails, by commitment kind.

    A contract's recipient holds a receivable from the payer; an investor, lender,
    warrant holder or guarantor holds a stake in the recipient.

    >>> from schemas.enums import CommitmentKind as K
    >>> contract = Commitment.model_construct(kind=K.CLOUD_CONTRACT, from_="openai", to="oracle")
    >>> exposure_pair(contract)
    ('oracle', 'openai')
    >>> exposure_pair(Commitment.model_construct(kind=K.WARRANT, from_="openai", to="amd"))
    ('openai', 'amd')
    """
    if commitment.kind in CONTRACT_KINDS:
        return commitment.to, commitment.from_
    return commitment.from_, commitment.to
