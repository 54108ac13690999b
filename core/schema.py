"""The database schema, one migration per version.

The review log (`reviews`) is the source of truth; `card_state` is a cache of the FSRS state that
`Scheduling.rebuild()` recomputes from the log. Timestamps are ISO-8601 strings in UTC with an
explicit offset ("2026-11-26T09:15:00.000000+00:00"), so they sort and compare as text.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

SCHEMA_VERSION = 3


def run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run DDL statement by statement: executescript() would COMMIT and break the migration's transaction."""
    lines = [line.split("--", 1)[0] for line in script.splitlines()]
    for statement in "\n".join(lines).split(";"):
        if statement.strip():
            conn.execute(statement)


def _v1(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

        -- one row per rating the user gave; never updated, deleted only by undo
        CREATE TABLE reviews (
            id INTEGER PRIMARY KEY,
            card_id TEXT NOT NULL,           -- global id: deck-id/card-id
            deck_id TEXT NOT NULL,
            reviewed_at TEXT NOT NULL,       -- UTC ISO-8601
            rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
            duration_ms INTEGER,             -- time on the card
            kind TEXT NOT NULL DEFAULT 'review',  -- review | grade (CLI) | mock
            state_before TEXT,               -- FSRS card state (JSON) before this review: makes undo exact
            state_after TEXT,                -- FSRS card state (JSON) after it
            payload TEXT                     -- JSON the judges attach: attempts, verdicts, recording ids, self-scores
        );
        CREATE INDEX reviews_card ON reviews (card_id, reviewed_at);
        CREATE INDEX reviews_time ON reviews (reviewed_at);

        -- cache of the FSRS state per card that has been reviewed at least once (new cards have no row)
        CREATE TABLE card_state (
            card_id TEXT PRIMARY KEY,
            deck_id TEXT NOT NULL,
            fsrs_id INTEGER NOT NULL,        -- the explicit integer id handed to fsrs.Card
            state INTEGER NOT NULL,          -- fsrs.State: 1 learning, 2 review, 3 relearning
            step INTEGER,
            stability REAL,
            difficulty REAL,
            due TEXT NOT NULL,
            last_review TEXT,
            reps INTEGER NOT NULL DEFAULT 0,
            lapses INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX card_state_due ON card_state (due);
        CREATE INDEX card_state_deck ON card_state (deck_id, due);

        -- suspended cards: by the user, or automatically as leeches
        CREATE TABLE suspended (
            card_id TEXT PRIMARY KEY,
            reason TEXT NOT NULL,            -- user | leech
            since TEXT NOT NULL
        );

        -- the user's own notes per card (STAR story notes: JSON with situation/task/action/result/numbers)
        CREATE TABLE notes (
            card_id TEXT PRIMARY KEY,
            body TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );

        -- the last answer typed in the editor of a sql/pyspark card, kept between sessions
        CREATE TABLE drafts (
            card_id TEXT PRIMARY KEY,
            answer TEXT NOT NULL,
            dialect TEXT,
            updated_at TEXT NOT NULL
        );

        -- every run of a judge from the app (before the rating); linked to the review once rated
        CREATE TABLE attempts (
            id INTEGER PRIMARY KEY,
            card_id TEXT NOT NULL,
            at TEXT NOT NULL,
            kind TEXT NOT NULL,              -- sql | pyspark
            answer TEXT NOT NULL,
            dialect TEXT,
            passed INTEGER NOT NULL,
            elapsed_ms REAL,
            result TEXT NOT NULL,            -- CheckResult JSON
            review_id INTEGER REFERENCES reviews (id) ON DELETE SET NULL,
            mock_id INTEGER
        );
        CREATE INDEX attempts_card ON attempts (card_id, at);

        -- spoken answers: the audio is written to disk first, the transcript and analysis added after
        CREATE TABLE recordings (
            id INTEGER PRIMARY KEY,
            card_id TEXT,
            at TEXT NOT NULL,
            path TEXT NOT NULL,              -- relative to $PREPDECK_HOME when inside it
            duration_s REAL,
            model TEXT,
            status TEXT NOT NULL DEFAULT 'saved',  -- saved | transcribed | failed
            error TEXT,
            transcript TEXT,                 -- JSON: text and timed words
            analysis TEXT,                   -- JSON: the delivery analysis (cli.md transcribe shape)
            self_score TEXT,                 -- JSON: the user's rubric self-score
            review_id INTEGER REFERENCES reviews (id) ON DELETE SET NULL,
            mock_id INTEGER
        );
        CREATE INDEX recordings_card ON recordings (card_id, at);
        CREATE INDEX recordings_time ON recordings (at);

        -- design-card self-checks: checklist ticks and capacity answers
        CREATE TABLE self_checks (
            id INTEGER PRIMARY KEY,
            card_id TEXT NOT NULL,
            at TEXT NOT NULL,
            checklist TEXT,                  -- JSON list of booleans, one per checklist item
            numbers TEXT,                    -- JSON list of {answer, correct}
            review_id INTEGER REFERENCES reviews (id) ON DELETE SET NULL,
            mock_id INTEGER
        );

        -- timed mock interviews
        CREATE TABLE mocks (
            id INTEGER PRIMARY KEY,
            round TEXT NOT NULL,             -- sql | pyspark | design | behavioral
            started_at TEXT NOT NULL,
            ended_at TEXT,
            finished INTEGER NOT NULL DEFAULT 0,
            phases TEXT,                     -- JSON: [{name, planned_s, used_s}]
            cards TEXT,                      -- JSON list of card ids
            evidence TEXT,                   -- JSON
            scores TEXT,                     -- JSON: {line: {auto, self, max}}
            total REAL,
            max_total REAL
        );

        -- optimized FSRS parameters and other settings learned from the user's history
        CREATE TABLE fsrs_params (
            id INTEGER PRIMARY KEY,
            created_at TEXT NOT NULL,
            parameters TEXT NOT NULL,        -- JSON list of 21 floats (FSRS-6)
            review_count INTEGER NOT NULL
        );
        """,
    )


def _v2(conn: sqlite3.Connection) -> None:
    """Sync between machines (`prepdeck sync`): a global id per log entry and the undos to pass on."""
    run_script(
        conn,
        """
        -- "<machine>-<local id>", given when an entry is first written to a sync folder; an entry that came
        -- from another machine keeps its own and names that machine in `origin` (NULL: made here)
        ALTER TABLE reviews ADD COLUMN uid TEXT;
        ALTER TABLE reviews ADD COLUMN origin TEXT;
        CREATE UNIQUE INDEX reviews_uid ON reviews (uid);
        ALTER TABLE recordings ADD COLUMN uid TEXT;
        ALTER TABLE recordings ADD COLUMN origin TEXT;
        CREATE UNIQUE INDEX recordings_uid ON recordings (uid);

        -- reviews undone after they had been shared: the other machines drop them too
        CREATE TABLE sync_undone (uid TEXT PRIMARY KEY, at TEXT NOT NULL);
        """,
    )


def _v3(conn: sqlite3.Connection) -> None:
    """The story bank: the user's own behavioral stories, each tagged with what it can answer."""
    run_script(
        conn,
        """
        CREATE TABLE stories (
            id INTEGER PRIMARY KEY,
            uid TEXT UNIQUE,                 -- "<machine>-<n>", the same on every machine it syncs to
            title TEXT NOT NULL,
            body TEXT NOT NULL,              -- JSON: situation, task, action, result, numbers
            competencies TEXT NOT NULL,      -- JSON list: ownership, conflict, … or the user's principles
            updated_at TEXT NOT NULL,
            deleted INTEGER NOT NULL DEFAULT 0  -- kept, so a deletion syncs too
        );
        """,
    )


# version -> migration that brings a database from version-1 to version
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _v1, 2: _v2, 3: _v3}
