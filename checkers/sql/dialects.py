"""The SQL dialects the judge reads, and the names people use for them."""

from __future__ import annotations

from prepdeck.decks.loader import ANSWER_DIALECTS, SQL_DIALECT_ALIASES

# kept with the deck format (the lowest layer), so config.toml's [sql].dialect is checked against the same list
DIALECTS: tuple[str, ...] = ANSWER_DIALECTS
_ALIASES = SQL_DIALECT_ALIASES


def normalize_dialect(name: str | None, default: str = "duckdb") -> str:
    """A dialect name as sqlglot knows it; raises ValueError naming the supported ones."""
    if name is None or not str(name).strip():
        return default
    key = str(name).strip().lower()
    key = _ALIASES.get(key, key)
    if key in DIALECTS:
        return key
    # sqlglot reads more (oracle, tsql, …), but answers are only judged and translated as tested for these
    raise ValueError(f"unknown SQL dialect '{name}' (use one of: {', '.join(DIALECTS)})")
