"""Mutation testing of the built-in judged cards: do the cases catch wrong answers?

For each `sql` card, wrong variants ("mutants") of the reference solution are generated with sqlglot, one
small change each (ASC↔DESC, ROW_NUMBER↔RANK↔DENSE_RANK, `<`↔`<=`, a WHERE/ON/HAVING conjunct dropped,
INNER↔LEFT, DISTINCT dropped, COUNT(x)→COUNT(*), ROWS↔RANGE, NULLS FIRST↔LAST, an ORDER BY key dropped).
A mutant is *distinguishable* when its result differs from the solution's on random data generated from
the card's tables; it is *killed* when it fails at least one of the card's own cases. A distinguishable
mutant that survives is a hole in the cases.

Random data: each column's values are drawn from what the card's cases use for that column (text values,
the numeric and date ranges, whether NULL occurs), so the data respects what the prompt promises (a column
that is never NULL in the cases is never NULL here). A card can override per column under
`[cards.x.mutation]`: `rows = 200`, `values.<column> = [...]` (the pool to draw from), `unique = ["col"]`
(distinct values per row), `range.<column> = [lo, hi]`. `equivalent = ["<mutant sql>"]` lists mutants
that are not wrong answers under the prompt's promises (each with the reason in a comment in the deck).

Run: `.venv/bin/python -m benchmarks.mutation [CARD_ID…] [--write]` (sql and python cards).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import sqlglot
from sqlglot import exp

from benchmarks.mutation_score import CardScore, mutation_settings
from prepdeck.checkers.sql import check_sql
from prepdeck.checkers.sql.errors import CardProblem
from prepdeck.core.config import SqlConfig
from prepdeck.decks.loader import load_decks
from prepdeck.decks.model import Card, Case
from prepdeck.decks.tabular import parse_columns, read_csv

START, END = "<!-- mutation:start -->", "<!-- mutation:end -->"
SEEDS = (1, 2, 3)  # three random datasets: a mutant is distinguishable when any of them tells it apart
ROWS = (8, 40, 200)  # small tables expose different bugs than big ones (empty groups vs ties)

# ------------------------------------------------------------------------------------------------
# mutants


Mutation = Callable[[exp.Expression], bool]  # mutates the node in place; False = not applicable


def _toggle_desc(node: exp.Expression) -> bool:
    if not isinstance(node, exp.Ordered):
        return False
    node.set("desc", not node.args.get("desc"))
    return True


def _toggle_nulls(node: exp.Expression) -> bool:
    if not isinstance(node, exp.Ordered):
        return False
    node.set("nulls_first", not node.args.get("nulls_first"))
    return True


_RANKS = (exp.RowNumber, exp.Rank, exp.DenseRank)


def _rank_to(target: type) -> Mutation:
    def mutate(node: exp.Expression) -> bool:
        if not isinstance(node, _RANKS) or isinstance(node, target):
            return False
        node.replace(target())
        return True

    return mutate


_FLIPS = {exp.LT: exp.LTE, exp.LTE: exp.LT, exp.GT: exp.GTE, exp.GTE: exp.GT}


def _flip_comparison(node: exp.Expression) -> bool:
    target = _FLIPS.get(type(node))
    if target is None:
        return False
    node.replace(target(this=node.this, expression=node.expression))
    return True


def _conjuncts(node: exp.Expression) -> list[exp.Expression]:
    if isinstance(node, exp.And):
        return _conjuncts(node.this) + _conjuncts(node.expression)
    if isinstance(node, exp.Paren) and isinstance(node.this, exp.And):
        return _conjuncts(node.this)
    return [node]


def _drop_conjunct(i: int) -> Mutation:
    def mutate(node: exp.Expression) -> bool:
        if isinstance(node, (exp.Where, exp.Having)):
            holder, key = node, "this"
        elif isinstance(node, exp.Join) and node.args.get("on") is not None:
            holder, key = node, "on"
        else:
            return False
        parts = _conjuncts(holder.args[key])
        if len(parts) < 2 or i >= len(parts):
            return False
        rest = [p for j, p in enumerate(parts) if j != i]
        holder.set(key, exp.and_(*rest))
        return True

    return mutate


def _join_kind(node: exp.Expression) -> bool:
    if not isinstance(node, exp.Join) or node.args.get("on") is None:
        return False
    side = (node.args.get("side") or "").upper()
    kind = (node.args.get("kind") or "").upper()
    if side == "LEFT":
        node.set("side", None)
        node.set("kind", "INNER")
    elif not side and kind in ("", "INNER"):
        node.set("kind", None)
        node.set("side", "LEFT")
    else:
        return False
    return True


def _drop_distinct(node: exp.Expression) -> bool:
    if isinstance(node, exp.Select) and node.args.get("distinct"):
        node.set("distinct", None)
        return True
    if isinstance(node, exp.Distinct) and isinstance(node.parent, exp.Count):
        inner = node.expressions
        if len(inner) != 1:
            return False
        node.replace(inner[0])
        return True
    return False


def _count_star(node: exp.Expression) -> bool:
    if not isinstance(node, exp.Count) or isinstance(node.this, exp.Star) or node.this is None:
        return False
    if isinstance(node.this, exp.Distinct):
        return False
    node.set("this", exp.Star())
    return True


def _rows_range(node: exp.Expression) -> bool:
    if not isinstance(node, exp.WindowSpec):
        return False
    kind = (node.args.get("kind") or "").upper()
    if kind not in ("ROWS", "RANGE"):
        return False
    start = node.args.get("start")
    if kind == "ROWS" and isinstance(start, exp.Literal) and not start.is_string:
        return False  # RANGE with a numeric offset needs a numeric ORDER BY: an error, not a wrong answer
    node.set("kind", "RANGE" if kind == "ROWS" else "ROWS")
    return True


def _drop_order_key(i: int) -> Mutation:
    def mutate(node: exp.Expression) -> bool:
        if not isinstance(node, exp.Order) or len(node.expressions) < 2 or i >= len(node.expressions):
            return False
        node.set("expressions", [e for j, e in enumerate(node.expressions) if j != i])
        return True

    return mutate


def _literal_step(delta: int) -> Mutation:
    def mutate(node: exp.Expression) -> bool:
        if not isinstance(node, exp.Literal) or node.is_string or not node.this.lstrip("-").isdigit():
            return False
        if isinstance(node.parent, (exp.Limit, exp.Offset)):
            return False
        node.replace(exp.Literal.number(int(node.this) + delta))
        return True

    return mutate


def _drop_coalesce(node: exp.Expression) -> bool:
    if not isinstance(node, exp.Coalesce):
        return False
    node.replace(node.this.copy())
    return True


def _flip_is_null(node: exp.Expression) -> bool:
    if isinstance(node, exp.Not) and isinstance(node.this, exp.Is):
        node.replace(node.this.copy())
        return True
    if isinstance(node, exp.Is) and not isinstance(node.parent, exp.Not):
        node.replace(exp.Not(this=node.copy()))
        return True
    return False


OPERATORS: list[tuple[str, Mutation]] = [
    ("ASC↔DESC", _toggle_desc),
    ("NULLS FIRST↔LAST", _toggle_nulls),
    ("→ROW_NUMBER", _rank_to(exp.RowNumber)),
    ("→RANK", _rank_to(exp.Rank)),
    ("→DENSE_RANK", _rank_to(exp.DenseRank)),
    ("<↔<=", _flip_comparison),
    *[(f"drop conjunct {i + 1}", _drop_conjunct(i)) for i in range(6)],
    ("INNER↔LEFT", _join_kind),
    ("DISTINCT dropped", _drop_distinct),
    ("COUNT(x)→COUNT(*)", _count_star),
    ("ROWS↔RANGE", _rows_range),
    *[(f"ORDER BY key {i + 1} dropped", _drop_order_key(i)) for i in range(6)],
    ("integer literal +1", _literal_step(1)),
    ("integer literal -1", _literal_step(-1)),
    ("COALESCE dropped", _drop_coalesce),
    ("IS NULL↔IS NOT NULL", _flip_is_null),
]


@dataclass
class Mutant:
    operator: str
    sql: str


def sql_mutants(solution: str, dialect: str) -> list[Mutant]:
    """Every single-change variant of `solution`, rendered in its dialect, without duplicates."""
    tree = sqlglot.parse_one(solution, read=dialect)
    original = tree.sql(dialect=dialect)
    count = sum(1 for _ in tree.walk())
    seen = {original}
    out: list[Mutant] = []
    for name, mutate in OPERATORS:
        for index in range(count):
            copy = tree.copy()
            node = next(n for i, n in enumerate(copy.walk()) if i == index)
            if not mutate(node):
                continue
            try:
                sql = copy.sql(dialect=dialect)
            except Exception:  # a mutation sqlglot cannot render is not a mutant we can run
                continue
            if sql not in seen:
                seen.add(sql)
                out.append(Mutant(name, sql))
    return out


# ------------------------------------------------------------------------------------------------
# random data from the card's tables


@dataclass
class ColumnDomain:
    type: str
    values: list[Any] = field(default_factory=list)  # observed non-NULL values (text as written)
    nullable: bool = False


def _observed(card: Card) -> dict[tuple[str, str], ColumnDomain]:
    domains: dict[tuple[str, str], ColumnDomain] = {}
    for table, spec in card.tables.items():
        for col in parse_columns(spec):
            domains[(table, col.name.lower())] = ColumnDomain(col.type.upper())
    for case in card.cases:
        for table, text in case.data.items():
            if not text or not text.strip():
                continue
            parsed = read_csv(text)
            header = [h.lower() for h in parsed.header]
            for row in parsed.rows:
                for name, value in zip(header, row, strict=False):
                    dom = domains.get((table, name))
                    if dom is None:
                        continue
                    if value is None:
                        dom.nullable = True
                    else:
                        dom.values.append(value)
            for (t, name), dom in domains.items():  # a column the case leaves out is NULL in every row
                if t == table and name not in header:
                    dom.nullable = True
    return domains


def _parse_temporal(text: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _draw(dom: ColumnDomain, rng: random.Random, override: dict[str, Any], wide: int = 0) -> str:
    """One value; `wide` > 0 for a single-column key: draw among that many values so that rows survive."""
    kind = dom.type.split("(")[0].strip()
    pool = override.get("values")
    if wide and not pool and kind not in ("DATE", "TIMESTAMP", "TIMESTAMPTZ", "DATETIME", "BOOLEAN"):
        if kind in _NUMERIC:
            return str(rng.randint(1, wide))
        base = dom.values[0] if dom.values else "k"
        return f"{base}-{rng.randint(1, wide)}"
    if pool:
        return str(rng.choice(pool))
    observed = dom.values
    if kind in _NUMERIC:
        nums = [n for n in (_number(v) for v in observed) if n is not None]
        lo, hi = override.get("range") or ((min(nums), max(nums)) if nums else (0, 10))
        lo, hi = float(lo), float(hi)
        if kind in ("INTEGER", "INT", "BIGINT", "SMALLINT", "TINYINT", "HUGEINT"):
            return str(rng.randint(int(lo), int(hi)))
        if rng.random() < 0.3 and nums:  # repeat observed values: ties and boundaries matter
            return str(rng.choice(nums))
        return str(Decimal(rng.uniform(lo, hi)).quantize(Decimal("0.01")))
    if kind in ("DATE", "TIMESTAMP", "TIMESTAMPTZ", "DATETIME"):
        stamps = [t for t in (_parse_temporal(v) for v in observed) if t is not None]
        if not stamps:
            stamps = [dt.datetime(2026, 1, 1)]
        lo, hi = min(stamps), max(stamps)
        if rng.random() < 0.3:
            value = rng.choice(stamps)
        else:
            span = max(int((hi - lo).total_seconds()), 1)
            step = 86_400 if kind == "DATE" else 600  # coarse steps make equal timestamps likely
            value = lo + dt.timedelta(seconds=rng.randrange(0, span + 1, step) if span > step else 0)
        return value.date().isoformat() if kind == "DATE" else value.isoformat(sep=" ")
    if kind == "BOOLEAN":
        return rng.choice(["true", "false"])
    if not observed:
        return rng.choice(["a", "b", "c"])
    return rng.choice(observed)


_NUMERIC = {
    "INTEGER",
    "INT",
    "BIGINT",
    "SMALLINT",
    "TINYINT",
    "HUGEINT",
    "DECIMAL",
    "NUMERIC",
    "DOUBLE",
    "FLOAT",
    "REAL",
}


def _below(fields: list[str | None], names: list[str], a: str, b: str) -> bool:
    """True unless both columns are in this table, set, and fields[a] >= fields[b]."""
    if a not in names or b not in names:
        return True
    x, y = fields[names.index(a)], fields[names.index(b)]
    if x is None or y is None:
        return True
    nx, ny = _number(x), _number(y)
    return nx < ny if nx is not None and ny is not None else x < y


def _csv_field(value: str) -> str:
    if any(ch in value for ch in ',"\n') or value == "":
        return '"' + value.replace('"', '""') + '"'
    return value


def random_case(card: Card, seed: int, rows: int) -> Case:
    """One case with `rows` random rows per table, drawn from the card's observed (or declared) domains."""
    rng = random.Random(f"{card.global_id}:{seed}:{rows}")
    settings = mutation_settings(card)
    values = {k.lower(): v for k, v in settings.get("values", {}).items()}
    ranges = {k.lower(): v for k, v in settings.get("range", {}).items()}
    keys = [[k.lower()] if isinstance(k, str) else [c.lower() for c in k] for k in settings.get("unique", [])]
    never_null = {c for key in keys for c in key}
    order_pairs = [(a.lower(), b.lower()) for a, b in settings.get("ordered", [])]
    single = {key[0] for key in keys if len(key) == 1}
    domains = _observed(card)
    data: dict[str, str] = {}
    for table, spec in card.tables.items():
        cols = parse_columns(spec)
        names = [c.name.lower() for c in cols]
        table_keys = [[names.index(c) for c in key] for key in keys if all(c in names for c in key)]
        seen: list[set[tuple[str, ...]]] = [set() for _ in table_keys]
        lines = [",".join(c.name for c in cols)]
        for _ in range(rows):
            fields: list[str | None] = []
            for name in names:
                dom = domains[(table, name)]
                override = {"values": values.get(name), "range": ranges.get(name)}
                if dom.nullable and name not in never_null and rng.random() < 0.08:
                    fields.append(None)
                else:
                    fields.append(_draw(dom, rng, override, 4 * rows if name in single else 0))
            if not all(_below(fields, names, a, b) for a, b in order_pairs):
                continue
            tuples = [tuple(fields[i] for i in key) for key in table_keys]
            if any(t in s for t, s in zip(tuples, seen, strict=True)):
                continue
            for t, s in zip(tuples, seen, strict=True):
                s.add(t)
            lines.append(",".join("" if f is None else _csv_field(f) for f in fields))
        data[table] = "\n".join(lines) + "\n"
    return Case(name=f"mutation-random-{seed}-{rows}", data=data, hidden=True)


# ------------------------------------------------------------------------------------------------
# scoring


CONFIG = SqlConfig(time_limit_s=20.0, max_rows=100_000)


def _random_card(card: Card) -> Card:
    cases = tuple(random_case(card, seed, rows) for seed, rows in zip(SEEDS, ROWS, strict=True))
    return dataclasses.replace(card, cases=cases, ordered=card.ordered)


def score_sql_card(card: Card) -> CardScore[Mutant]:
    score: CardScore[Mutant] = CardScore(card.global_id)
    declared = {" ".join(s.split()) for s in mutation_settings(card).get("equivalent", [])}
    probe = _random_card(card)
    try:
        check_sql(probe, card.solution or "", dialect=card.dialect, config=CONFIG)
    except (
        CardProblem
    ) as exc:  # the random data breaks a promise of the prompt: say which card needs settings
        score.problem = str(exc)
        return score
    for mutant in sql_mutants(card.solution or "", card.dialect or "duckdb"):
        score.generated += 1
        if " ".join(mutant.sql.split()) in declared:
            score.equivalent_declared += 1
            continue
        differs = not check_sql(probe, mutant.sql, dialect=card.dialect, config=CONFIG).passed
        if not differs:
            continue
        score.distinguishable += 1
        if check_sql(card, mutant.sql, dialect=card.dialect, config=CONFIG).passed:
            score.survivors.append(mutant)
        else:
            score.killed += 1
    return score


def builtin_sql_cards(ids: list[str] | None = None) -> Iterator[Card]:
    from prepdeck.decks import BUILTIN_DECKS

    for card in load_decks([BUILTIN_DECKS]).all_cards():
        if card.type == "sql" and (not ids or card.id in ids or card.global_id in ids):
            yield card


def _table(scores: list[CardScore[Mutant]], py_scores: list[Any]) -> str:
    def row(kind: str, group: list[Any]) -> str:
        g = sum(s.generated for s in group)
        e = sum(s.equivalent_declared for s in group)
        d = sum(s.distinguishable for s in group)
        k = sum(s.killed for s in group)
        return f"| {len(group)} {kind} | {g} | {e} | {d} | {k} | {d - k} |"

    lines = [
        START,
        "## Mutation testing of the judged cards (content)",
        "",
        "`.venv/bin/python -m benchmarks.mutation --write`. SQL: wrong variants of each reference solution (sqlglot:",
        "ASC↔DESC, ROW_NUMBER↔RANK↔DENSE_RANK, `<`↔`<=`, a WHERE/ON/HAVING conjunct dropped, INNER↔LEFT, DISTINCT",
        "dropped, COUNT(x)→COUNT(*), ROWS↔RANGE, NULLS FIRST↔LAST, an ORDER BY key dropped, an integer literal ±1,",
        "COALESCE dropped, IS NULL↔IS NOT NULL); *distinguishable* = differs from the solution on three random",
        "datasets drawn from the card's tables (8, 40, 200 rows). Python (benchmarks/mutation_python.py, AST):",
        "comparison boundaries, integer ±1, min↔max, nsmallest↔nlargest, and↔or, a comprehension `if` dropped, a",
        "condition negated, `reverse=` flipped; distinguishable on inputs fuzzed from the cases. *Killed* = fails",
        "at least one of the card's cases. PySpark cards: benchmarks/mutation_pyspark.py (next section; real Spark,",
        "too slow for CI on this 2-core machine except a 2-card subset).",
        "CI: tests/test_mutation.py asserts 0 survivors for every built-in sql and python card.",
        "",
        "| cards | generated | declared equivalent | distinguishable | killed | surviving |",
        "|---|---|---|---|---|---|",
        row("sql", scores),
        row("python", py_scores),
        "",
        END,
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    from benchmarks.mutation_python import builtin_python_cards, score_python_card

    argv = sys.argv[1:] if argv is None else argv
    ids = [a for a in argv if not a.startswith("-")]
    scores, py_scores = [], []
    for card in builtin_sql_cards(ids):
        score = score_sql_card(card)
        scores.append(score)
        print(
            f"{card.global_id}: {score.generated} generated, {score.distinguishable} distinguishable, "
            f"{score.killed} killed",
            flush=True,
        )
        if score.problem:
            print(f"  RANDOM DATA REJECTED: {score.problem}", flush=True)
        for m in score.survivors:
            print(f"  SURVIVES [{m.operator}]: {' '.join(m.sql.split())}", flush=True)
    for card in builtin_python_cards(ids):
        py = score_python_card(card)
        py_scores.append(py)
        print(
            f"{card.global_id}: {py.generated} generated, {py.distinguishable} distinguishable, {py.killed} killed"
        )
        for pm in py.survivors:
            print(f"  SURVIVES [{pm.operator}]:\n{pm.source}", flush=True)
    print(_table(scores, py_scores))
    if "--write" in argv and not ids:
        from benchmarks import write_section

        write_section(_table(scores, py_scores), START, END)
    failed = any(s.survivors or s.problem for s in scores) or any(s.survivors for s in py_scores)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
