"""Answer checkers: run a user's SQL (DuckDB) or PySpark answer on a card's cases and compare results."""
