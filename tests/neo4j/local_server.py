"""A Neo4j of the test's own from neo4j/local/run, for faults that must not touch the
shared server: killed, restarted on the same ports and data directory."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.api.support import free_port
from tests.helpers import ROOT

RUN = ROOT / "neo4j" / "local" / "run"


def require_java() -> None:
    if not (os.environ.get("JAVA_HOME") or shutil.which("java")):
        pytest.skip("Java 17+ is needed to start a Neo4j of the test's own (neo4j/local/run)")


@dataclass(frozen=True)
class Ports:
    bolt: int
    http: int

    @classmethod
    def free(cls) -> Ports:
        return cls(bolt=free_port(), http=free_port())

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt}"


@contextmanager
def local_neo4j(
    data: Path, ports: Ports, log: Path, *, heap: str = "512m"
) -> Iterator[subprocess.Popen[str]]:
    """A real Neo4j on `ports` keeping its database in `data`, until the block ends."""
    require_java()
    env = {
        **os.environ,
        "NEO4J_LOCAL_BOLT_PORT": str(ports.bolt),
        "NEO4J_LOCAL_HTTP_PORT": str(ports.http),
        "NEO4J_LOCAL_DATA": str(data),
        "NEO4J_LOCAL_HEAP": heap,
    }
    with log.open("a") as err:
        proc = subprocess.Popen([str(RUN)], env=env, stdout=subprocess.PIPE, stderr=err, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()  # the launcher's one line, once Bolt accepts connections
        if not line.startswith("ready "):
            proc.wait(timeout=30)
            raise RuntimeError(f"neo4j/local/run did not start:\n{log.read_text()[-3000:]}")
        yield proc
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()
