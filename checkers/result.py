"""Verdicts shared by every judge; `to_json` is the shape `prepdeck check --json` prints (cli.md)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# one value in `check --json`: whole up to this, then cut and said so (an answer can return 50 MB in a cell)
JSON_VALUE_LIMIT = 10_000


def capped(value: Any) -> Any:
    """A JSON-ready value with every string longer than JSON_VALUE_LIMIT cut, saying how much is left out."""
    if isinstance(value, str) and len(value) > JSON_VALUE_LIMIT:
        return f"{value[:JSON_VALUE_LIMIT]}… ({len(value) - JSON_VALUE_LIMIT:,} more characters)"
    if isinstance(value, list):
        return [capped(v) for v in value]
    return value


@dataclass
class CaseResult:
    name: str
    hidden: bool
    passed: bool
    error: str | None = None  # the answer failed on this case (runtime error, time limit)
    message: str = ""  # one line a learner can act on: "2 rows missing, 1 unexpected", "wrong order at row 3"
    missing: list[list[Any]] = field(default_factory=list)  # first 20 rows expected but absent
    unexpected: list[list[Any]] = field(default_factory=list)  # first 20 rows present but not expected
    order_mismatch_at: int | None = None  # ordered cards: first 1-based row position that differs
    expected_rows: list[list[Any]] | None = None  # for the UI; hidden until the card is done
    actual_rows: list[list[Any]] | None = None
    columns: list[str] = field(default_factory=list)

    def to_json(self, reveal_hidden: bool = True) -> dict[str, Any]:
        d = {
            "name": self.name,
            "hidden": self.hidden,
            "passed": self.passed,
            "error": capped(self.error),
            "message": capped(self.message),
            "missing": capped(self.missing),
            "unexpected": capped(self.unexpected),
        }
        if self.order_mismatch_at is not None:
            d["order_mismatch_at"] = self.order_mismatch_at
        if self.hidden and not reveal_hidden:
            d["missing"], d["unexpected"] = [], []
        return d


@dataclass
class CheckResult:
    card: str  # global card id
    answer: str  # answer file name (CLI) or "editor"
    dialect: str | None
    passed: bool
    elapsed_ms: float
    error: str | None = None  # the answer could not run at all: syntax error, not a query, time limit
    cases: list[CaseResult] = field(default_factory=list)
    translated: str | None = None  # the answer as DuckDB SQL, for "show translation"
    plan: str | None = None  # EXPLAIN / explain() output when asked for
    # what ran the answer, with its real version: "postgresql 18.6", "spark 4.3", "duckdb 1.4",
    # "duckdb 1.4 (translated from mysql)"; a fallback from a native engine says why (cli.md)
    engine: str | None = None

    def to_json(self, reveal_hidden: bool = True) -> dict[str, Any]:
        return {
            "card": self.card,
            "answer": self.answer,
            "dialect": self.dialect,
            "engine": self.engine,
            "passed": self.passed,
            "elapsed_ms": round(self.elapsed_ms, 1),
            "error": capped(self.error),
            "cases": [c.to_json(reveal_hidden) for c in self.cases],
        }

    def summary(self) -> str:
        if self.error:
            return f"failed: {self.error}"
        ok = sum(c.passed for c in self.cases)
        return f"{'passed' if self.passed else 'failed'}: {ok}/{len(self.cases)} cases"

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> CheckResult:
        cases = [CaseResult(**c) for c in d.get("cases", [])]
        rest = {k: v for k, v in d.items() if k != "cases"}
        return cls(cases=cases, **rest)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)
