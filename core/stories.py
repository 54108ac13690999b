"""The story bank: the user's own behavioral stories, as first-class objects.

A story is a title, the STAR fields and its numbers, and the competencies it can answer (the ten the
behavioral round asks about, plus the company's principles from `[stories] principles`). A star card is
answered *from* a story by copying it into the card's notes, which keep the story's id: the bank then knows
which questions each story has answered and the delivery of its latest spoken answer.

The matrix (competencies × stories) shows the gaps — a competency with fewer than two stories, so one
follow-up question leaves nothing to tell — and the over-used stories (answering many more questions than
the others: interviewers across a loop compare notes).
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from typing import Any

from prepdeck.core.store import Store, to_iso, utcnow

COMPETENCIES = (
    "ownership",
    "conflict",
    "failure",
    "ambiguity",
    "influence",
    "deadline",
    "technical depth",
    "mentoring",
    "customer",
    "prioritization",
)
STORY_FIELDS = ("situation", "task", "action", "result", "numbers")
MIN_STORIES = 2  # per competency: one story and a follow-up question leaves the candidate with nothing
MAX_TITLE = 120


class StoryError(ValueError):
    """A story that cannot be saved; one line saying what to fix."""


@dataclass
class Story:
    id: int
    uid: str
    title: str
    body: dict[str, str]
    competencies: tuple[str, ...]
    updated_at: str
    questions: list[str] = field(default_factory=list)  # star cards whose notes come from this story
    delivery: dict[str, Any] | None = None  # the latest spoken answer from it: fillers, pace, STAR beats


@dataclass
class Matrix:
    competencies: tuple[str, ...]
    stories: list[Story]
    cover: dict[str, list[int]]  # competency -> ids of the stories tagged with it
    gaps: list[str]  # competencies with fewer than MIN_STORIES stories
    overused: list[int]  # ids of stories answering far more questions than the rest


def competencies_for(principles: list[str] | tuple[str, ...] = ()) -> tuple[str, ...]:
    extra = [p for p in principles if p.strip().lower() not in COMPETENCIES]
    return COMPETENCIES + tuple(dict.fromkeys(extra))


def _story(row: tuple[Any, ...]) -> Story:
    story_id, uid, title, body, competencies, updated_at = row
    return Story(story_id, uid, title, json.loads(body), tuple(json.loads(competencies)), updated_at)


def list_stories(store: Store) -> list[Story]:
    """Every story (not deleted), oldest first, with the questions answered from it and its last delivery."""
    conn = store.db.conn
    stories = [
        _story(row)
        for row in conn.execute(
            "SELECT id, uid, title, body, competencies, updated_at FROM stories WHERE deleted = 0 ORDER BY id"
        )
    ]
    by_uid = {s.uid: s for s in stories}
    for card_id, uid in conn.execute(
        "SELECT card_id, json_extract(body, '$.story') FROM notes WHERE json_extract(body, '$.story') IS NOT NULL"
    ):
        if uid in by_uid:
            by_uid[uid].questions.append(card_id)
    for story in stories:
        if not story.questions:
            continue
        marks = ",".join("?" for _ in story.questions)
        row = conn.execute(
            f"SELECT analysis, at FROM recordings WHERE status = 'transcribed' AND card_id IN ({marks}) "
            "ORDER BY at DESC LIMIT 1",
            story.questions,
        ).fetchone()
        if row and row[0]:
            story.delivery = delivery_summary(json.loads(row[0]), row[1])
    return stories


def delivery_summary(analysis: dict[str, Any], at: str) -> dict[str, Any]:
    """The figures of a spoken answer the bank shows beside its story."""
    star = analysis.get("star") or {}
    fillers = analysis.get("fillers") or {}
    return {
        "at": at,
        "fillers_per_minute": fillers.get("per_minute"),
        "wpm": analysis.get("wpm"),
        "missing": list(star.get("missing") or []),
        "quantified_result": analysis.get("quantified_result"),
    }


def save_story(
    store: Store,
    title: str,
    body: dict[str, str],
    competencies: list[str] | tuple[str, ...],
    known: tuple[str, ...] = COMPETENCIES,
    story_id: int | None = None,
) -> int:
    """Create (story_id None) or update a story; returns its id. StoryError on a bad title or competency."""
    title = " ".join(title.split())
    if not title:
        raise StoryError("a story needs a title (a few words you would recognise it by)")
    if len(title) > MAX_TITLE:
        raise StoryError(f"the title is longer than {MAX_TITLE} characters; shorten it")
    lookup = {c.lower(): c for c in known}
    chosen: list[str] = []
    for name in competencies:
        match = lookup.get(name.strip().lower())
        if match is None:
            raise StoryError(f"unknown competency {name.strip()!r}: use {', '.join(known)}")
        if match not in chosen:
            chosen.append(match)
    clean = {f: str(body.get(f, "")).strip() for f in STORY_FIELDS}
    now = to_iso(utcnow())
    with store.transaction() as conn:
        if story_id is None:
            cur = conn.execute(
                "INSERT INTO stories (uid, title, body, competencies, updated_at) VALUES (?, ?, ?, ?, ?)",
                (secrets.token_hex(8), title, json.dumps(clean), json.dumps(chosen), now),
            )
            return int(cur.lastrowid or 0)
        cur = conn.execute(
            "UPDATE stories SET title = ?, body = ?, competencies = ?, updated_at = ? WHERE id = ? AND deleted = 0",
            (title, json.dumps(clean), json.dumps(chosen), now, story_id),
        )
        if not cur.rowcount:
            raise StoryError(f"no story {story_id}")
        return story_id


def delete_story(store: Store, story_id: int) -> None:
    with store.transaction() as conn:
        conn.execute(
            "UPDATE stories SET deleted = 1, updated_at = ? WHERE id = ?", (to_iso(utcnow()), story_id)
        )


def use_story(store: Store, story: Story, card_id: str) -> dict[str, Any]:
    """Answer a star card from a story: its notes become the story's fields, marked with the story's id."""
    body: dict[str, Any] = {f: story.body.get(f, "") for f in STORY_FIELDS}
    body["story"] = story.uid
    store.put_note(card_id, body)
    return body


def matrix(stories: list[Story], competencies: tuple[str, ...]) -> Matrix:
    cover = {c: [s.id for s in stories if c in s.competencies] for c in competencies}
    gaps = [c for c, ids in cover.items() if len(ids) < MIN_STORIES]
    uses = [len(s.questions) for s in stories]
    mean = sum(uses) / len(uses) if uses else 0.0
    # over-used: at least three questions, and twice what a story answers on average
    overused = [s.id for s in stories if len(s.questions) >= 3 and len(s.questions) >= 2 * mean]
    return Matrix(competencies, stories, cover, gaps, overused)
