"""The counting rules every answer shares: which commitments count at a date, and who
stands to lose if whom fails.

A commitment counts at date D by its status then (`Commitment.counts_at`, README "as_of"),
and only if it moves money: a stock merger changes owners, not balances. Everything that
sums money (exposure, loops, concentration, stress, the page) goes through here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from schemas.commitments import Commitment
from schemas.enums import CONTRACT_KINDS, MONEY_FLOW_KINDS


def counted(commitments: Iterable[Commitment], as_of: dt.date) -> Iterator[Commitment]:
    """The commitments that count at `as_of` as money owed or at stake."""
    for commitment in commitments:
        if commitment.kind in MONEY_FLOW_KINDS and commitment.counts_at(as_of):
            yield commitment


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
