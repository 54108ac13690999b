"""Shared test setup. Every test gets its own PREPDECK_HOME, so no test can touch a real user's data."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("prepdeck-home")
    monkeypatch.setenv("PREPDECK_HOME", str(home))
    monkeypatch.delenv("PREPDECK_DECKS", raising=False)
    return home


@pytest.fixture(autouse=True, scope="session")
def _postgres_home() -> Iterator[None]:
    """One embedded PostgreSQL for the whole run (started only if a test needs it), in a folder of its
    own: pytest resets its base temp folder to 0700 at every session start, which would lock out the
    server's system user when the tests run as root; stopped before the folder goes."""
    from prepdeck.checkers.sql import postgres_engine

    home = Path(tempfile.mkdtemp(prefix="prepdeck-pg-"))
    postgres_engine.service(home)
    yield
    postgres_engine.stop_all()
    shutil.rmtree(home, ignore_errors=True)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that checks an answer in the spark dialect (parametrized so, or named test_spark_…) starts
    the real Spark (the native Spark SQL judge): it is slow."""
    for item in items:
        params = getattr(item, "callspec", None)
        values = list(params.params.values()) if params is not None else []
        spark = "spark" in getattr(item, "originalname", item.name).split("_")
        if spark or any(
            v == "spark" or (isinstance(v, dict) and v.get("dialect") == "spark") for v in values
        ):
            item.add_marker(pytest.mark.slow)
