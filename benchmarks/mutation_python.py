"""Mutation testing of the built-in `python` cards (the AST counterpart of benchmarks/mutation.py).

Mutants of each reference solution, one change each: a comparison's boundary (`<`↔`<=`, `>`↔`>=`,
`==`↔`!=`), an integer constant ±1, `min`↔`max`, `nsmallest`↔`nlargest`, `and`↔`or`, a comprehension's
`if` dropped, an `if`/`while` condition negated, `reverse=` flipped. *Distinguishable*: the mutant's
result differs from the solution's on inputs fuzzed from the card's cases (lists with elements repeated or
dropped, integers nudged by one); *killed*: it fails at least one of the card's cases. Built-in solutions
are trusted code, so mutants run in-process under a per-call time limit.

A card can constrain the fuzzing under `[cards.x.mutation]`: `sorted = ["times"]` (arguments the prompt
promises are sorted are re-sorted after fuzzing), `fuzz = false` (its inputs have invariants a fuzzer would
break: only the cases are used, so nothing can be called distinguishable that the cases don't show), and
`equivalent = ["<mutant source>"]`.
"""

from __future__ import annotations

import ast
import copy
import json
import random
import signal
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from benchmarks.mutation_score import CardScore, mutation_settings
from prepdeck.checkers.python_judge import values_match
from prepdeck.decks.model import Card

CALL_LIMIT_S = 2.0
FUZZ_PER_CASE = 12

_SWAPS: dict[type, type] = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
}
_NAMES = {"min": "max", "max": "min", "nsmallest": "nlargest", "nlargest": "nsmallest"}
# PySpark's counterparts of the SQL operators (methods and functions of DataFrames and Columns)
_SPARK_NAMES = {
    "asc": "desc",
    "desc": "asc",
    "row_number": "rank",
    "rank": "dense_rank",
    "dense_rank": "row_number",
    "isNull": "isNotNull",
    "isNotNull": "isNull",
    "countDistinct": "approx_count_distinct",
    "explode_outer": "explode",
    "rowsBetween": "rangeBetween",
    "desc_nulls_last": "desc_nulls_first",
    "asc_nulls_first": "asc_nulls_last",
}
_JOIN_KINDS = {"left": "inner", "inner": "left", "left_anti": "left_semi", "left_semi": "left_anti"}

Mutation = Callable[[ast.AST], bool]


def _compare(i: int) -> Mutation:
    def mutate(node: ast.AST) -> bool:
        if not isinstance(node, ast.Compare) or i >= len(node.ops) or type(node.ops[i]) not in _SWAPS:
            return False
        node.ops[i] = _SWAPS[type(node.ops[i])]()
        return True

    return mutate


def _constant(delta: int) -> Mutation:
    def mutate(node: ast.AST) -> bool:
        if not isinstance(node, ast.Constant) or type(node.value) is not int:
            return False
        node.value += delta
        return True

    return mutate


def _rename(node: ast.AST) -> bool:
    if isinstance(node, ast.Name) and node.id in _NAMES:
        node.id = _NAMES[node.id]
        return True
    if isinstance(node, ast.Attribute) and node.attr in _NAMES:
        node.attr = _NAMES[node.attr]
        return True
    return False


def _spark_rename(node: ast.AST) -> bool:
    if isinstance(node, ast.Attribute) and node.attr in _SPARK_NAMES:
        node.attr = _SPARK_NAMES[node.attr]
        return True
    return False


def _join_kind(node: ast.AST) -> bool:
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "join"):
        return False
    for i, arg in enumerate(node.args[2:3], start=2):
        if isinstance(arg, ast.Constant) and arg.value in _JOIN_KINDS:
            node.args[i] = ast.Constant(_JOIN_KINDS[arg.value])
            return True
    return False


def _bool_op(node: ast.AST) -> bool:
    if not isinstance(node, ast.BoolOp):
        return False
    node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
    return True


def _drop_comprehension_if(node: ast.AST) -> bool:
    if not isinstance(node, ast.comprehension) or not node.ifs:
        return False
    node.ifs = []
    return True


def _negate_condition(node: ast.AST) -> bool:
    if not isinstance(node, (ast.If, ast.While, ast.IfExp)):
        return False
    node.test = ast.UnaryOp(op=ast.Not(), operand=node.test)
    return True


def _flip_reverse(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    for kw in node.keywords:
        if kw.arg == "reverse":
            kw.value = ast.UnaryOp(op=ast.Not(), operand=kw.value)
            return True
    if isinstance(node.func, ast.Name) and node.func.id == "sorted":
        node.keywords.append(ast.keyword(arg="reverse", value=ast.Constant(True)))
        return True
    return False


OPERATORS: list[tuple[str, Mutation]] = [
    *[(f"comparison {i + 1} boundary", _compare(i)) for i in range(3)],
    ("integer +1", _constant(1)),
    ("integer -1", _constant(-1)),
    ("min↔max", _rename),
    ("and↔or", _bool_op),
    ("comprehension if dropped", _drop_comprehension_if),
    ("condition negated", _negate_condition),
    ("reverse flipped", _flip_reverse),
    ("Spark function/method swapped", _spark_rename),
    ("join kind swapped", _join_kind),
]


@dataclass
class Mutant:
    operator: str
    source: str


def python_mutants(solution: str) -> list[Mutant]:
    tree = ast.parse(solution)
    original = ast.unparse(tree)
    count = sum(1 for _ in ast.walk(tree))
    seen, out = {original}, []
    for name, mutate in OPERATORS:
        for index in range(count):
            copied = copy.deepcopy(tree)
            node = next(n for i, n in enumerate(ast.walk(copied)) if i == index)
            if not mutate(node):
                continue
            source = ast.unparse(ast.fix_missing_locations(copied))
            if source not in seen:
                seen.add(source)
                out.append(Mutant(name, source))
    return out


# ------------------------------------------------------------------------------------------------
# running


class _Timeout(Exception):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise _Timeout


def call(source: str, function: str, args: dict[str, Any]) -> tuple[bool, Any]:
    """(ok, JSON-normalized result) of calling `function` from `source` with a copy of `args`."""
    namespace: dict[str, Any] = {}
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, CALL_LIMIT_S)
    try:
        exec(compile(source, "<mutant>", "exec"), namespace)  # built-in, trusted solutions only
        value = namespace[function](**copy.deepcopy(args))
        return True, json.loads(json.dumps(value))
    except (_Timeout, Exception):  # a mutant that raises or hangs gives "no result"
        return False, None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _fuzz(value: Any, rng: random.Random) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, float):
        return value
    if isinstance(value, int):
        return value + rng.choice((-1, 0, 0, 1))
    if isinstance(value, list):
        out = [_fuzz(v, rng) for v in value]
        if out and rng.random() < 0.5:
            out.insert(rng.randrange(len(out) + 1), copy.deepcopy(rng.choice(out)))
        if out and rng.random() < 0.3:
            out.pop(rng.randrange(len(out)))
        return out
    if isinstance(value, dict):
        return {k: _fuzz(v, rng) for k, v in value.items()}
    return value


def fuzzed_inputs(card: Card) -> Iterator[dict[str, Any]]:
    opts = mutation_settings(card)
    rng = random.Random(card.global_id)
    keep_sorted = set(opts.get("sorted", []))
    for case in card.cases:
        args = json.loads(case.args or "{}")
        yield args
        if opts.get("fuzz", True) is False:
            continue
        for _ in range(FUZZ_PER_CASE):
            fuzzed = {k: _fuzz(v, rng) for k, v in args.items()}
            for name in keep_sorted & fuzzed.keys():
                fuzzed[name] = sorted(fuzzed[name])
            yield fuzzed


def _same(card: Card, a: Any, b: Any) -> bool:
    return values_match(a, b, card.compare, card.tolerance)


def score_python_card(card: Card) -> CardScore[Mutant]:
    score: CardScore[Mutant] = CardScore(card.global_id)
    fn, solution = card.function or "", card.solution or ""
    declared = {ast.unparse(ast.parse(s)) for s in mutation_settings(card).get("equivalent", [])}
    probes = []
    for args in fuzzed_inputs(card):
        ok, value = call(solution, fn, args)
        if ok:  # inputs the solution rejects are outside the prompt's promises
            probes.append((args, value))
    expected = []
    for case in card.cases:
        args = json.loads(case.args or "{}")
        want = json.loads(case.expected) if case.expected is not None else call(solution, fn, args)[1]
        expected.append((args, want))
    for mutant in python_mutants(solution):
        score.generated += 1
        if mutant.source in declared:
            score.equivalent_declared += 1
            continue
        differs = False
        for args, want in probes:
            ok, got = call(mutant.source, fn, args)
            if not ok or not _same(card, got, want):
                differs = True
                break
        if not differs:
            continue
        score.distinguishable += 1
        killed = False
        for args, want in expected:
            ok, got = call(mutant.source, fn, args)
            if not ok or not _same(card, got, want):
                killed = True
                break
        if killed:
            score.killed += 1
        else:
            score.survivors.append(mutant)
    return score


def builtin_python_cards(ids: list[str] | None = None) -> Iterator[Card]:
    from prepdeck.decks import BUILTIN_DECKS
    from prepdeck.decks.loader import load_decks

    for card in load_decks([BUILTIN_DECKS]).all_cards():
        if card.type == "python" and (not ids or card.id in ids or card.global_id in ids):
            yield card
