"""Verdicts shared by every judge; `to_json` is the shape `prepdeck check --json` prints (cli.md)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


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
            "error": self.error,
            "message": self.message,
            "missing": self.missing,
            "unexpected": self.unexpected,
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
            "error": self.error,
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
