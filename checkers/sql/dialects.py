"""The SQL dialects the judge reads, and the names people use for them."""

from __future__ import annotations

DIALECTS: tuple[str, ...] = ("duckdb", "bigquery", "spark", "postgres", "snowflake", "mysql")
_ALIASES = {
    "postgresql": "postgres",
    "pg": "postgres",
    "psql": "postgres",
    "sparksql": "spark",
    "spark-sql": "spark",
    "spark_sql": "spark",
    "bq": "bigquery",
    "duck": "duckdb",
}


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
