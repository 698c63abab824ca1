"""The README's notebook example runs as written and prints the answers it says it does.

The figures are the README's first look and the seed scenario, worked by hand in
tests/analysis/test_seed_scenario.py; the count of live commitments into CoreWeave is
checked against the commitments listing, a different path through the code.
"""

from __future__ import annotations

import contextlib
import io
import os
import re

import aifg
from tests.helpers import ROOT

SECTION = "## In a notebook: `import aifg`"


def readme_example() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)
    assert len(blocks) == 1, "the section holds one example"
    return blocks[0]


def test_readme_example_runs_and_prints_its_answers() -> None:
    printed = io.StringIO()
    namespace: dict[str, object] = {}
    cwd = os.getcwd()
    os.chdir(ROOT)  # the example reads seeds/ from the repository root
    try:
        with contextlib.redirect_stdout(printed):
            exec(compile(readme_example(), "README.md", "exec"), namespace)
    finally:
        os.chdir(cwd)
    lines = printed.getvalue().splitlines()
    assert lines[0] == "300000000000.0"
    stargate = next(line for line in lines if "stargate" in line)
    assert stargate.split()[-2:] == ["<NA>", "<NA>"]  # undisclosed: no usd, no share
    assert "nvidia -> openai -> oracle -> nvidia" in lines
    assert "['amd', 'oracle']" in lines
    received = namespace["received"]
    assert isinstance(received, list) and received[0][0] == "coreweave"
    live_into_coreweave = [
        c
        for c in aifg.read(ROOT / "seeds")
        .commitments(entity="coreweave", as_of="2026-01-29", limit=1000)
        .items
        if c.to == "coreweave"
    ]
    assert received[0][1] == len(live_into_coreweave) == 19
