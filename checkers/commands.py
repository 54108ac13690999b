"""`prepdeck check CARD_ID ANSWER_FILE… [--dialect D] [--json]` (docs/cli.md).

Judges answers without recording anything. Exit 0 when every answer passed, 1 when any failed, 2 for an
unknown card, a card that is not sql/pyspark/python, an unreadable file, an unknown dialect, a card that cannot
be judged, or an engine that is not available. Light on imports: no Textual on this path.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from prepdeck.core.commands import warn_skipped
from prepdeck.core.context import Context
from prepdeck.decks.text import block, json_text, one_line

if TYPE_CHECKING:
    from prepdeck.checkers.result import CheckResult
    from prepdeck.core.config import Config
    from prepdeck.decks.model import Card, DeckSet

JUDGED = ("sql", "pyspark", "python")
SHOWN_DIFF_ROWS = 5  # per side, per visible case, in the human summary


def _fail(message: str, status: int = 2) -> int:
    print(f"prepdeck: {message}", file=sys.stderr)
    return status


def find_card(decks: DeckSet, card_id: str) -> Card | None:
    """A card by global id; a bare card id is accepted when exactly one deck has it."""
    return decks.find(card_id)


def _unknown_card(decks: DeckSet, card_id: str) -> str:
    ids = [c.global_id for c in decks.all_cards() if c.type in JUDGED]
    close = difflib.get_close_matches(card_id, ids, n=3, cutoff=0.5)
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    return f"unknown card '{card_id}'{hint}"


def read_answers(paths: list[str]) -> list[tuple[str, bytes]]:
    """Each answer file's bytes ('-' is standard input); OSError names the file that cannot be read."""
    from prepdeck.checkers.sql.answer import MAX_ANSWER_CHARS
    from prepdeck.core.paths import read_capped

    answers = []
    for name in paths:
        if name != "-" and Path(name).is_dir():
            raise OSError(f"cannot read {name}: it is a folder")
        try:
            # UTF-8 takes at most 4 bytes a character (+ a BOM): more is surely over the answer limit
            answers.append((name, read_capped(name, 4 * MAX_ANSWER_CHARS + 3)))
        except OSError as exc:
            reason = exc.strerror or exc
            if exc.errno == 0:  # read_capped: too large
                reason = f"an answer is at most {MAX_ANSWER_CHARS // 1000} KB"
            raise OSError(f"cannot read {name}: {reason}") from None
    return answers


def check(args: argparse.Namespace) -> int:
    ctx = Context.create(getattr(args, "home", None), getattr(args, "deck_dirs", None))
    for problem in ctx.config.problems:
        print(f"prepdeck: warning: {problem}", file=sys.stderr)
    decks = ctx.decks()
    warn_skipped(decks)
    card = find_card(decks, args.card_id)
    if card is None:
        return _fail(_unknown_card(decks, args.card_id))
    if card.type not in JUDGED:
        return _fail(
            f"card '{card.global_id}' is a {card.type} card: only sql, pyspark and python cards are judged"
        )
    refused = _untrusted(decks, card, ctx)
    if refused:
        return _fail(refused)
    try:
        answers = read_answers(list(args.answers))
    except OSError as exc:
        return _fail(str(exc))

    if card.type == "sql":
        results = _check_sql(card, answers, args, ctx.config)
    else:
        results = _check_code(card, answers, args, ctx.config)
    if isinstance(results, int):
        return results

    if getattr(args, "json", False):
        print(json_text([r.to_json(reveal_hidden=False) for r in results]))
    else:
        for r in results:
            print_result(r)
    return 0 if all(r.passed for r in results) else 1


def _untrusted(decks: DeckSet, card: Card, ctx: Context) -> str | None:
    """The refusal line when judging this card would run code from a deck the user has not trusted."""
    from prepdeck.core.trust import CODE_CARD_TYPES, is_trusted, refusal

    deck = decks.deck(card.deck_id)
    if card.type in CODE_CARD_TYPES and deck is not None and not is_trusted(deck, ctx.home):
        return refusal(deck)
    return None


def _check_sql(
    card: Card, answers: list[tuple[str, bytes]], args: argparse.Namespace, config: Config
) -> list[CheckResult] | int:
    from prepdeck.checkers.sql import CardProblem, check_sql, duckdb_worker, normalize_dialect

    try:
        dialect = normalize_dialect(getattr(args, "dialect", None), normalize_dialect(config.sql.dialect))
    except ValueError as exc:
        return _fail(str(exc))
    if dialect == "spark":  # Spark SQL runs on Spark: its start takes seconds, say so before the verdict
        from prepdeck.checkers.spark.judge import announce_start

        announce_start(config)  # the service check_sql's Spark path uses: the [spark] settings ("remote")
    results = []
    for name, raw in answers:
        try:
            with duckdb_worker.in_process():  # one command, then exit: no worker to start
                results.append(check_sql(card, raw, dialect, config, answer_name=name))
        except CardProblem as exc:
            return _fail(f"the card cannot be judged: {exc}")
        except ImportError as exc:
            return _fail(f"the SQL judge is not available: {exc}")
    return results


def _check_code(
    card: Card, answers: list[tuple[str, bytes]], args: argparse.Namespace, config: Config
) -> list[CheckResult] | int:
    from prepdeck.checkers.result import CaseResult, CheckResult
    from prepdeck.checkers.sql import AnswerError, answer_text

    if getattr(args, "dialect", None):
        print(
            f"prepdeck: warning: --dialect applies to SQL answers; ignored for a {card.type} card",
            file=sys.stderr,
        )
    if getattr(args, "spark_remote", None):
        config.spark.remote = args.spark_remote
    label = "Python" if card.type == "python" else "PySpark"
    try:
        if card.type == "python":
            from prepdeck.checkers.python_judge import check_python_answers as judge
        else:
            from prepdeck.checkers.spark import check_pyspark_answers as judge
    except ImportError as exc:
        return _fail(f"the {label} judge is not available: {exc}")

    # an answer that is not text is a graded failure here; the rest go to Spark in one session
    results: dict[int, CheckResult] = {}
    texts: list[tuple[int, str, str]] = []
    for index, (name, raw) in enumerate(answers):
        try:
            texts.append((index, name, answer_text(raw)))
        except AnswerError as exc:
            results[index] = CheckResult(
                card.global_id,
                name,
                None,
                False,
                0.0,
                error=str(exc),
                cases=[CaseResult(c.name, c.hidden, False, error="not run") for c in card.cases],
            )
    if texts:
        try:
            judged = judge(card, [(name, text) for _, name, text in texts], config)
        except Exception as exc:  # Java missing, Spark failing to start: the engine is unavailable
            from prepdeck.checkers.sealed import UntrustedCode

            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            if isinstance(exc, UntrustedCode):
                return _fail(first)
            if isinstance(exc, ValueError):  # the card itself (its solution or data) is broken
                return _fail(f"the card cannot be judged: {first}")
            return _fail(f"the {label} judge could not run: {first}")
        for (index, _, _), result in zip(texts, judged, strict=False):
            results[index] = result
    return [results[i] for i in sorted(results)]


def _row(values: list[Any]) -> str:
    # each value on one line, controls visible and cut: the full values are in --json
    return " | ".join("NULL" if v is None else one_line(v) for v in values)


def print_result(result: CheckResult, out: Any = None) -> None:
    """Per answer a line, per failed case a line (hidden cases: only the kind of failure)."""
    out = out or sys.stdout
    ok = sum(c.passed for c in result.cases)
    verdict = "passed" if result.passed else "FAILED"
    dialect = f" ({result.dialect})" if result.dialect else ""
    engine = f", judged on {result.engine}" if result.engine else ""
    print(
        f"{one_line(result.answer)}{dialect}: {verdict}, {ok}/{len(result.cases)} cases, {result.elapsed_ms:.0f} ms{engine}",
        file=out,
    )
    if result.error:
        print(f"  error: {block(result.error, 2000)}", file=out)
    for case in result.cases:
        if case.passed or (result.error and case.error in ("not run", result.error)):
            continue
        label = f"hidden case '{one_line(case.name)}'" if case.hidden else f"case '{one_line(case.name)}'"
        reason = block(case.message or case.error or "failed", 2000)
        print(f"  ✗ {label}: {reason}", file=out)
        if case.hidden:
            continue
        for title, rows in (("missing", case.missing), ("unexpected", case.unexpected)):
            for values in rows[:SHOWN_DIFF_ROWS]:
                print(f"      {title:<10} {_row(values)}", file=out)
            if len(rows) > SHOWN_DIFF_ROWS:
                print(f"      {'':<10} … {len(rows) - SHOWN_DIFF_ROWS} more", file=out)
