"""Answer checkers: run a user's SQL (DuckDB) or PySpark answer on a card's cases and compare results."""

# how many cards ahead of the one on screen the review starts a judge's engine (Spark, PostgreSQL, the
# DuckDB worker), so it is warm when the card comes; here, not in checkers/spark, so the review screen
# can read it without importing the engines
PREWARM_LOOKAHEAD = 3
