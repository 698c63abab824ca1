"""docker-compose.yml validates with Debian's docker-compose 1.29 (no Docker engine needed)
and says what the rest of the repository says; the Dockerfile agrees with pyproject.toml."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helpers import ROOT

COMPOSE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
DOCKERFILE = ROOT / "Dockerfile"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def compose(*args: str) -> subprocess.CompletedProcess[str]:
    """docker-compose in the repository, with none of our settings from the caller's env."""
    binary = shutil.which("docker-compose")
    if binary is None:
        pytest.skip("docker-compose is not on PATH: apt-get install docker-compose (1.29)")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "AIFG_", "COMPOSE_"))}
    return subprocess.run(
        [binary, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def env_example() -> dict[str, str]:
    lines = ENV_EXAMPLE.read_text(encoding="utf-8").splitlines()
    pairs = (line.split("=", 1) for line in lines if line.strip() and not line.startswith("#"))
    return {key: value for key, value in pairs}


@pytest.fixture(scope="module")
def config() -> dict[str, Any]:
    """The configuration as docker-compose resolves it, with .env.example as the .env."""
    result = compose("--env-file", str(ENV_EXAMPLE), "-f", str(COMPOSE), "config")
    assert result.returncode == 0, result.stderr
    loaded: dict[str, Any] = yaml.safe_load(result.stdout)
    return loaded


def test_compose_file_validates(config: dict[str, Any]) -> None:
    assert set(config["services"]) == {"neo4j", "api"}


def test_secrets_are_required_not_defaulted(tmp_path: Path) -> None:
    empty = tmp_path / "empty.env"
    empty.write_text("", encoding="utf-8")
    result = compose("--env-file", str(empty), "-f", str(COMPOSE), "config")
    assert result.returncode != 0
    assert ".env.example" in result.stderr


def test_neo4j_service(config: dict[str, Any]) -> None:
    neo4j = config["services"]["neo4j"]
    assert neo4j["image"] == "neo4j:5.26-community"
    published = {str(port).split(":")[-1].split("/")[0] for port in neo4j["ports"]}
    assert published == {"7474", "7687"}
    (volume,) = neo4j["volumes"]
    assert volume.split(":")[:2] == ["neo4j-data", "/data"]
    assert "neo4j-data" in config["volumes"]
    check = " ".join(neo4j["healthcheck"]["test"])
    assert "cypher-shell" in check and "curl" not in check  # the image has no curl
    password = env_example()["NEO4J_PASSWORD"]
    assert neo4j["environment"]["NEO4J_AUTH"] == f"neo4j/{password}"
    assert len(password) >= 8  # the image exits on a shorter one


def test_neo4j_browser_gets_the_generated_post_connect_command(config: dict[str, Any]) -> None:
    # The container's env file: neo4j/browser.env without the guide, which it cannot serve.
    env = (ROOT / "neo4j" / "browser-docker.env").read_text(encoding="utf-8")
    (command,) = re.findall(r"^NEO4J_browser_post__connect__cmd=(.*)$", env, re.MULTILINE)
    setting = config["services"]["neo4j"]["environment"]["NEO4J_browser_post__connect__cmd"]
    assert setting == command
    assert "guide " not in setting


def test_api_service(config: dict[str, Any]) -> None:
    api = config["services"]["api"]
    assert api["build"]["context"] == str(ROOT)
    assert api["depends_on"] == {"neo4j": {"condition": "service_healthy"}}
    env = api["environment"]
    assert env["AIFG_STORE"] == "neo4j"
    assert env["NEO4J_URI"] == "bolt://neo4j:7687"
    assert env["NEO4J_PASSWORD"] == env_example()["NEO4J_PASSWORD"]
    assert env["AIFG_API_KEY"] == env_example()["AIFG_API_KEY"]
    (port,) = api["ports"]
    assert str(port).split(":")[-1].split("/")[0] == dockerfile_instructions("EXPOSE")[-1]


def dockerfile_instructions(name: str) -> list[str]:
    """Arguments of every `name` instruction, continuation lines joined."""
    text = re.sub(r"\\\n\s*", " ", DOCKERFILE.read_text(encoding="utf-8"))
    return [
        line.split(None, 1)[1].strip()
        for line in text.splitlines()
        if line.split(None, 1)[:1] == [name]
    ]


def test_dockerfile_python_is_the_projects() -> None:
    (base,) = dockerfile_instructions("FROM")
    match = re.fullmatch(r"python:(\d+)\.(\d+)-slim(-\w+)?", base)
    assert match, base
    version = f"{match[1]}.{match[2]}"
    assert PYPROJECT["project"]["requires-python"] == f">={version}"
    assert PYPROJECT["tool"]["ruff"]["target-version"] == f"py{match[1]}{match[2]}"


def test_dockerfile_runs_as_a_user_not_root() -> None:
    user = dockerfile_instructions("USER")[-1]
    assert user not in ("root", "0") and not user.startswith(("root:", "0:"))


def test_dockerfile_installs_the_pinned_dependencies_and_serves() -> None:
    runs = " ".join(dockerfile_instructions("RUN"))
    assert "['project']['dependencies']" in runs  # read from pyproject.toml, all pinned
    assert all("==" in dep for dep in PYPROJECT["project"]["dependencies"])
    assert "pip install --no-deps ." in runs
    assert "aifg" in PYPROJECT["project"]["scripts"]
    (cmd,) = dockerfile_instructions("CMD")
    assert cmd.startswith('["aifg", "serve", "--host", "0.0.0.0"')
    copied = [line.split()[-1] for line in dockerfile_instructions("COPY")]
    assert "./seeds" in copied
    assert "AIFG_SEED_DIR=/app/seeds" in " ".join(dockerfile_instructions("ENV"))


def test_dockerignore_keeps_secrets_and_clutter_out() -> None:
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    for entry in (".env", ".git", ".venv", "neo4j/local/target"):
        assert entry in ignored
