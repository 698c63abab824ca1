"""The README's "A first look", run as written with the real curl against a server seeded
from seeds/: every command succeeds, and each answers what the comment under it shows."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.api.support import run_server
from tests.helpers import ROOT, SEEDS

README = ROOT / "README.md"
README_PORT = "localhost:8000"
COUNTED = re.compile(r"# (\d+) (entries|loops)\b")


def first_look() -> list[str]:
    """The lines of the first bash block under "## A first look"."""
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## A first look\n", 1)[1]
    block = section.split("```bash\n", 1)[1].split("\n```", 1)[0]
    return block.splitlines()


def excerpts(lines: list[str]) -> list[tuple[str, list[str]]]:
    """Each curl line with the JSON fragments of the comment under it (split on "…")."""
    pairs: list[tuple[str, list[str]]] = []
    for line in lines:
        if line.startswith("curl "):
            pairs.append((line, []))
        elif line.startswith(("# {", "# [")):
            fragments = (part.strip().strip(",") for part in line[2:].split("…"))
            pairs[-1][1].extend(f for f in fragments if f)
    return pairs


def assert_in_order(body: str, fragments: list[str]) -> None:
    at = 0
    for fragment in fragments:
        found = body.find(fragment, at)
        assert found >= 0, f"{fragment!r} not in the answer (after offset {at}): {body[:600]}"
        at = found + len(fragment)


def count_of(answer: Any) -> int:
    return len(answer) if isinstance(answer, list) else len(answer["cycles"])


def test_the_block_waits_for_the_server_and_encodes_its_query() -> None:
    lines = first_look()
    assert lines[0].startswith("./scripts/serve &")
    assert lines[1].startswith(f"until curl -sf {README_PORT}/health")
    assert lines[-1].startswith("kill %1")
    non_ascii = [line for line in lines if line.startswith("curl") and not line.isascii()]
    get_flag = re.compile(r"\s-[a-zA-Z]*G")  # -G, alone or with others (-sG)
    assert non_ascii
    assert all(get_flag.search(line) and "--data-urlencode" in line for line in non_ascii)
    assert all(fragments for _, fragments in excerpts(lines)), "a curl without its answer"


@pytest.mark.slow
def test_every_curl_answers_what_the_readme_shows(tmp_path: Path) -> None:
    if shutil.which("curl") is None:
        pytest.skip("curl is not on PATH")
    env = {"AIFG_SEED_DIR": str(SEEDS), "AIFG_SEED_ON_START": "true"}
    with run_server(tmp_path, env=env) as server:
        host = server.url.removeprefix("http://")
        lines = first_look()

        def run(line: str) -> str:
            command = line.replace(README_PORT, host)
            done = subprocess.run(
                ["bash", "-c", command], capture_output=True, text=True, timeout=60
            )
            assert done.returncode == 0, f"{command}: {done.stderr}"
            return done.stdout

        run(lines[1])  # the wait: answers at once, the server is up
        for line, fragments in excerpts(lines):
            body = run(line)
            assert_in_order(body, fragments)
            counted = COUNTED.search(line)
            if counted:
                assert count_of(json.loads(body)) == int(counted[1]), line
