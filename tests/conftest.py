"""Shared test setup. Every test gets its own PREPDECK_HOME, so no test can touch a real user's data."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("prepdeck-home")
    monkeypatch.setenv("PREPDECK_HOME", str(home))
    monkeypatch.delenv("PREPDECK_DECKS", raising=False)
    return home
