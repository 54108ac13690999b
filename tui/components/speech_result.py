"""How the spoken view (speech_view.py) draws an analysed answer: the transcript with fillers and pauses
marked, one line per check of the delivery and the structure (scoring/feedback.py: each problem once),
and the card's last attempts. Text objects, never markup: a transcript is the user's words."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from rich.text import Text

from prepdeck.scoring.feedback import answer_checks

LAST_ATTEMPTS = 5


def transcript_text(result: dict[str, Any]) -> Text:
    """The transcript with fillers highlighted and pauses marked inline as ⏸ 2.1s."""
    text = Text()
    pauses = {p["word_index"]: p["seconds"] for p in result["pauses"]}
    for i, w in enumerate(result["words"]):
        if i in pauses:
            text.append(f" ⏸ {pauses[i]:.1f}s ", style="bold magenta")
        elif i:
            text.append(" ")
        text.append(w["text"], style="bold black on yellow" if w["filler"] else "")
    return text


def metrics_text(result: dict[str, Any], card_type: str | None = None) -> Text:
    """One line per check, each problem once; then the transcriber's own notes."""
    text = Text()
    for check in answer_checks(result, card_type):
        text.append("✓ " if check.ok else "! ", style="green" if check.ok else "yellow")
        text.append(check.text + "\n", style="" if check.ok else "yellow")
    for note in result.get("transcriber_notes") or []:
        text.append(f"! {note}\n", style="yellow")
    text.rstrip()
    return text


def trend_text(rows: Sequence[Any]) -> Text:
    """The card's last transcribed attempts (`recordings` rows): date, pace, fillers, length, self-score."""
    text = Text()
    text.append("Last attempts", style="bold")
    text.append("  date        wpm  fillers/min  length  self")
    for row in rows[-LAST_ATTEMPTS:]:
        a = json.loads(row["analysis"] or "{}")
        s = json.loads(row["self_score"] or "{}")
        total = f"{s['total']}/{s.get('max', 50)}" if "total" in s else "–"
        text.append(
            f"\n  {row['at'][:10]}  {a.get('wpm') or '–':>5}  {a.get('fillers', {}).get('per_minute', '–'):>10}"
            f"  {a.get('duration', {}).get('speaking_s', 0):5.0f}s  {total}"
        )
    return text
