"""Mutation testing of the built-in `pyspark` cards on a real local Spark (slow: a benchmark, not a CI test).

The AST mutants of benchmarks/mutation_python.py (plus asc↔desc, row_number→rank→dense_rank, isNull↔isNotNull,
countDistinct→approx_count_distinct, explode_outer→explode, rowsBetween→rangeBetween, join kinds) are judged
in two batched runs per card: on random tables drawn from the card's cases (benchmarks/mutation.py's
generator, honouring the card's `[cards.x.mutation]` settings) to decide which mutants are distinguishable,
then on the card's own cases to see which are killed. `equivalent = [...]` lists mutants that are not wrong
under the prompt's promises.

Run: `.venv/bin/python -m benchmarks.mutation_pyspark [CARD_ID…] [--write]`.
"""

from __future__ import annotations

import ast
import dataclasses
import sys
import tempfile
from pathlib import Path

from benchmarks.mutation import ROWS, SEEDS, random_case
from benchmarks.mutation_python import Mutant, python_mutants
from benchmarks.mutation_score import CardScore, mutation_settings
from prepdeck.checkers.spark import check_pyspark_answers, service
from prepdeck.core.config import Config
from prepdeck.decks import BUILTIN_DECKS
from prepdeck.decks.loader import load_decks
from prepdeck.decks.model import Card

START, END = "<!-- mutation-pyspark:start -->", "<!-- mutation-pyspark:end -->"


def score_pyspark_card(card: Card, config: Config) -> CardScore[Mutant]:
    score: CardScore[Mutant] = CardScore(card.global_id)
    declared = {ast.unparse(ast.parse(s)) for s in mutation_settings(card).get("equivalent", [])}
    mutants = python_mutants(card.solution or "")
    score.generated = len(mutants)
    score.equivalent_declared = sum(m.source in declared for m in mutants)
    mutants = [m for m in mutants if m.source not in declared]
    if not mutants:
        return score
    probe = dataclasses.replace(
        card, cases=tuple(random_case(card, seed, rows) for seed, rows in zip(SEEDS, ROWS, strict=True))
    )
    answers = [(f"m{i}.py", m.source) for i, m in enumerate(mutants)]
    on_random = check_pyspark_answers(probe, answers, config)
    candidates = [(m, a) for m, a, r in zip(mutants, answers, on_random, strict=True) if not r.passed]
    score.distinguishable = len(candidates)
    if not candidates:
        return score
    on_cases = check_pyspark_answers(card, [a for _, a in candidates], config)
    for (mutant, _), result in zip(candidates, on_cases, strict=True):
        if result.passed:
            score.survivors.append(mutant)
        else:
            score.killed += 1
    return score


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    ids = [a for a in argv if not a.startswith("-")]
    home = Path(tempfile.mkdtemp(prefix="prepdeck-mutation-"))
    config = Config(path=home / "config.toml")
    config.spark.time_limit_s = 120
    svc = service(config)
    svc.start()
    totals = [0, 0, 0, 0]
    try:
        deck = load_decks([BUILTIN_DECKS]).deck("pyspark-exercises")
        assert deck is not None
        for card in deck.cards:
            if ids and card.id not in ids:
                continue
            s = score_pyspark_card(card, config)
            totals = [
                totals[0] + s.generated,
                totals[1] + s.distinguishable,
                totals[2] + s.killed,
                totals[3] + s.equivalent_declared,
            ]
            print(
                f"{card.global_id}: {s.generated} generated, {s.distinguishable} distinguishable, {s.killed} killed"
            )
            for m in s.survivors:
                print(f"  SURVIVES [{m.operator}]:\n{m.source}", flush=True)
    finally:
        svc.stop()
    print(
        f"pyspark: {totals[0]} generated, {totals[3]} declared equivalent, {totals[1]} distinguishable, {totals[2]} killed"
    )
    if "--write" in argv and not ids:
        from benchmarks import write_section

        g, d, k, e = totals
        block = "\n".join(
            [
                START,
                "### PySpark cards (content)",
                "",
                "`.venv/bin/python -m benchmarks.mutation_pyspark --write` — the AST mutants above plus Spark swaps, judged",
                "on a real local Spark; a benchmark, not part of CI except two cards (tests/test_mutation.py).",
                "",
                "| cards | generated | declared equivalent | distinguishable | killed | surviving |",
                "|---|---|---|---|---|---|",
                f"| {len(deck.cards)} pyspark | {g} | {e} | {d} | {k} | {d - k} |",
                "",
                END,
            ]
        )
        write_section(block + "\n", START, END)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
