"""Settings from the environment (prefix AIFG_), read once through get_settings()."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def default_data_dir() -> Path:
    """Per-user data directory: $XDG_DATA_HOME/aifg, else ~/.local/share/aifg."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "aifg"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AIFG_", extra="ignore", frozen=True)

    store: Literal["embedded", "neo4j"] = "embedded"
    data_dir: Path = Field(default_factory=default_data_dir)
    seed_dir: Path = REPO_SEEDS
    seed_on_start: bool = Field(default=True, description="Load seed_dir into an empty store.")
    max_file_mb: int = Field(default=32, ge=1, description="Largest YAML file an import reads.")
    max_body_mb: int = Field(default=10, ge=1, description="Largest request body the API reads.")
    api_key: SecretStr | None = Field(default=None, description="Key for POST /imports.")
    neo4j_uri: str | None = Field(
        default=None, validation_alias=AliasChoices("AIFG_NEO4J_URI", "NEO4J_URI")
    )
    neo4j_user: str = Field(
        default="neo4j", validation_alias=AliasChoices("AIFG_NEO4J_USER", "NEO4J_USER")
    )
    neo4j_password: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("AIFG_NEO4J_PASSWORD", "NEO4J_PASSWORD")
    )
    neo4j_database: str = Field(
        default="neo4j", validation_alias=AliasChoices("AIFG_NEO4J_DATABASE", "NEO4J_DATABASE")
    )
    neo4j_batch_size: int = Field(default=1000, ge=1)
    view_cache: int = Field(
        default=32,
        ge=1,
        description="Derived views (per date and basis) kept in memory, least recently used out.",
    )
    query_seconds: float = Field(
        default=10.0,
        gt=0,
        le=3600,
        description="Time budget of one heavy question (look-through, loops, stress, "
        "export): past it the computation stops and the answer is a 422 naming the "
        "parameter to change.",
    )
    query_workers: int = Field(
        default=1,
        ge=1,
        le=64,
        description="Heavy questions computed at once. Each holds Python's lock while it "
        "computes, so more of them on a small machine slow the light answers (/health).",
    )
    query_queue: int = Field(
        default=64,
        ge=0,
        description="Heavy questions that may wait for a worker; one more is refused at "
        "once with a 503 and Retry-After.",
    )
    query_wait_seconds: float = Field(
        default=5.0,
        ge=0,
        description="How long a heavy question may wait for a worker before it is refused "
        "with a 503 and Retry-After.",
    )
    neo4j_retry_seconds: float = Field(
        default=5.0,
        ge=0,
        description="How long a Neo4j query is retried while the server is unreachable.",
    )
    neo4j_lease_seconds: float = Field(
        default=60.0,
        gt=0,
        description="An import into Neo4j whose lease has not been renewed for this long "
        "(a live importer renews it every quarter of this) is taken for dead: the next "
        "import takes its lease and drops what it staged.",
    )

    @field_validator("api_key", mode="before")
    @classmethod
    def _blank_key_is_no_key(cls, value: object) -> object:
        # AIFG_API_KEY="" (a compose file with an unset variable) must not make an empty
        # X-API-Key header the key: blank means none, and writes stay refused.
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @property
    def max_file_bytes(self) -> int:
        return self.max_file_mb * 1024 * 1024


@lru_cache
def get_settings() -> Settings:
    return Settings()
