"""The `prepdeck` command line (docs/cli.md).

Each sub-command's work lives with its capability and is imported only when that command runs,
so `prepdeck check` never pays for Textual, and `prepdeck decks list` never pays for DuckDB.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sqlite3
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

# command name -> "module:function"; each function takes the parsed args and returns the exit status
HANDLERS: dict[str, str] = {
    "app": "prepdeck.tui.launch:run_app",
    "review": "prepdeck.tui.launch:run_review",
    "decks list": "prepdeck.core.commands:decks_list",
    "decks check": "prepdeck.core.commands:decks_check",
    "decks trust": "prepdeck.core.trust_commands:decks_trust",
    "decks untrust": "prepdeck.core.trust_commands:decks_untrust",
    "grade": "prepdeck.core.commands:grade",
    "optimize": "prepdeck.core.commands:optimize",
    "sync": "prepdeck.core.commands:sync",
    "plan": "prepdeck.reports.readiness:plan",
    "check": "prepdeck.checkers.commands:check",
    "record": "prepdeck.recordings.commands:record",
    "transcribe": "prepdeck.recordings.commands:transcribe",
    "analyze": "prepdeck.recordings.commands:analyze_command",
    "report": "prepdeck.reports.commands:report",
    "mock": "prepdeck.tui.launch:run_mock",
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # usage errors exit 2 with one line, as argparse does
        from prepdeck.decks.text import visible  # the message quotes arguments: a file name from a glob

        self.print_usage(sys.stderr)
        self.exit(2, f"prepdeck: error: {visible(message)}\n")


def _global_options(parser: argparse.ArgumentParser, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--home", metavar="DIR", default=default, help="user data folder (same as PREPDECK_HOME)"
    )
    parser.add_argument(
        "--decks",
        metavar="DIR",
        action="append",
        dest="deck_dirs",
        default=default,
        help="an extra deck folder (repeatable)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="prepdeck", description="Interview prep for data engineers, in the terminal.")
    parser.add_argument("--version", action="version", version=f"prepdeck {_version()}")
    _global_options(parser, suppress=False)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        _global_options(p, suppress=True)
        return p

    def add_speech_options(p: argparse.ArgumentParser) -> None:
        """The options of the commands that transcribe audio (record, transcribe)."""
        p.add_argument("--model", metavar="M", help="Whisper model: tiny.en, base, a folder or a model name")
        p.add_argument("--json", action="store_true")

    p = add("review", "open the app straight into a review of what is due")
    p.add_argument("deck_id", nargs="?", metavar="DECK_ID")

    p = add("decks", "list, validate or trust decks")
    decks_sub = p.add_subparsers(dest="decks_command", metavar="ACTION", parser_class=_Parser, required=True)

    def add_decks(action: str, help_text: str) -> argparse.ArgumentParser:
        q = decks_sub.add_parser(action, help=help_text)
        _global_options(q, suppress=True)
        return q

    add_decks("list", "each deck: id, title, round, cards, due now, new").add_argument(
        "--json", action="store_true"
    )
    add_decks("check", "validate deck files; prints PATH:LINE: message per problem").add_argument(
        "paths", nargs="*", metavar="PATH"
    )
    add_decks("trust", "let a deck file (at its current content) or a folder run its code").add_argument(
        "targets", nargs="+", metavar="PATH_OR_DECK_ID"
    )
    add_decks("untrust", "withdraw the trust given to a deck file or a folder").add_argument(
        "targets", nargs="+", metavar="PATH_OR_DECK_ID"
    )

    p = add("check", "judge answers to a sql, pyspark or python card, without recording a review")
    p.add_argument("card_id", metavar="CARD_ID")
    p.add_argument("answers", nargs="+", metavar="ANSWER_FILE")
    p.add_argument("--dialect", metavar="D", help="dialect of the SQL answers (default: config sql.dialect)")
    p.add_argument("--spark-remote", metavar="URL", help="run PySpark checks on this Spark Connect server")
    p.add_argument("--json", action="store_true")

    p = add("grade", "record a review made elsewhere")
    p.add_argument("card_id", metavar="CARD_ID")
    p.add_argument("rating", metavar="RATING", help="again, hard, good, easy or 1-4")
    p.add_argument("--at", metavar="ISO_DATETIME", help="when the review happened (default: now)")
    p.add_argument("--json", action="store_true")

    p = add("optimize", "fit FSRS parameters to your own review history")
    p.add_argument("--json", action="store_true")

    p = add("plan", "set or show the interview plan: date, rounds, minutes a day, readiness forecast")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="the interview date")
    p.add_argument("--rounds", metavar="R,…", help="rounds it includes: sql,pyspark,design,behavioral")
    p.add_argument("--minutes", type=float, metavar="N", help="minutes a day you have (default 30)")
    p.add_argument("--clear", action="store_true", help="end the plan")
    p.add_argument("--json", action="store_true")

    p = add("sync", "share this machine's history through a folder you already sync")
    p.add_argument("folder", metavar="DIR")
    p.add_argument("--json", action="store_true")

    p = add("record", "answer a star or design card aloud, transcribe it and analyse the delivery")
    p.add_argument("card_id", metavar="CARD_ID")
    p.add_argument(
        "--from", dest="from_file", metavar="AUDIO_FILE", help="use this audio file, not the microphone"
    )
    add_speech_options(p)

    p = add("transcribe", "transcribe and analyse audio files without storing anything")
    p.add_argument("audio", nargs="+", metavar="AUDIO_FILE")
    add_speech_options(p)

    p = add("analyze", "analyse a written or pasted answer as a spoken one is (STAR or design structure)")
    p.add_argument("files", nargs="+", metavar="TEXT_FILE", help="plain text; - reads standard input")
    p.add_argument("--card", metavar="CARD_ID", help="analyse for this card's type (design or star)")
    p.add_argument("--json", action="store_true")

    p = add("report", "write the weekly report (HTML and Markdown)")
    p.add_argument("--week", metavar="YYYY-Www", help="ISO week (default: the current one)")
    p.add_argument("--out", metavar="DIR", help="output folder (default: $PREPDECK_HOME/reports)")
    p.add_argument("--json", action="store_true")

    p = add("mock", "a timed mock interview round, scored against the rubric")
    p.add_argument(
        "round",
        choices=["sql", "pyspark", "design", "behavioral", "full"],
        metavar="ROUND",
        help="sql, pyspark, design, behavioral or full",
    )
    return parser


def _version() -> str:
    from prepdeck import __version__

    return __version__


def resolve(name: str) -> Callable[[argparse.Namespace], int]:
    module, _, func = HANDLERS[name].partition(":")
    return getattr(importlib.import_module(module), func)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    command = args.command or "app"
    if getattr(args, "home", None):  # one home for this process and its children (runners read their trust)
        os.environ["PREPDECK_HOME"] = os.path.expanduser(args.home)
    if command == "decks":
        command = f"decks {args.decks_command}"
    streams = sys.stdout, sys.stderr
    if not HANDLERS[command].startswith("prepdeck.tui."):  # the app draws its own screen
        from prepdeck.decks.text import VisibleStream

        sys.stdout, sys.stderr = VisibleStream(sys.stdout), VisibleStream(sys.stderr)
    try:
        return int(resolve(command)(args) or 0)
    except KeyboardInterrupt:
        print("prepdeck: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:
        problem = _database_problem(exc)
        if problem is None:
            raise
        print(f"prepdeck: {problem}", file=sys.stderr)
        return 2
    finally:
        sys.stdout, sys.stderr = streams


def _database_problem(exc: Exception) -> str | None:
    """A damaged, locked, full or unwritable database met mid-command: its one line, else None."""
    if not isinstance(exc, sqlite3.Error) and "prepdeck.core.store" not in sys.modules:
        return None
    from prepdeck.core.paths import data_home, database_path
    from prepdeck.core.store import StoreError, diagnose

    if isinstance(exc, StoreError):
        return str(exc)
    if isinstance(exc, sqlite3.Error):
        return str(diagnose(exc, database_path(data_home())))
    return None


if __name__ == "__main__":
    raise SystemExit(main())
