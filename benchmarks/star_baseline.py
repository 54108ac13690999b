"""The keyword baseline the STAR model is measured against: the cue-phrase scorer prepdeck used before
recordings/star.py ("at my last job", "I was asked to", "as a result", "I learned" …), with its dynamic
programme keeping beats in order and position breaking ties. Kept here, not in the product, only to show
what the content model gains."""

from __future__ import annotations

BEATS = ("situation", "task", "action", "result", "reflection")
CENTRES = (0.1, 0.25, 0.5, 0.8, 0.95)
CUES: dict[str, tuple[str, ...]] = {
    "situation": (
        "at my last job",
        "at my previous",
        "at my last company",
        "at my current",
        "when i was at",
        "when i was working",
        "i was working",
        "we had a",
        "we had an",
        "there was a",
        "our team",
        "the team was",
        "the company",
        "back in",
        "context",
        "background",
        "situation",
        "at the time",
        "years ago",
        "last year",
        "we were running",
        "we were using",
        "our pipeline",
        "the pipeline was",
        "i joined",
    ),
    "task": (
        "my task",
        "i was asked",
        "i was responsible",
        "responsible for",
        "my job was",
        "my role",
        "the goal",
        "goal was",
        "i needed to",
        "we needed to",
        "i had to",
        "we had to",
        "the challenge",
        "challenge was",
        "the problem was",
        "objective",
        "i was tasked",
        "the task",
        "deadline",
        "needed to",
        "my responsibility",
        "i owned",
        "i was in charge",
    ),
    "action": (
        "i decided",
        "so i",
        "first i",
        "then i",
        "i started",
        "i built",
        "i wrote",
        "i designed",
        "i proposed",
        "i implemented",
        "i set up",
        "i led",
        "i talked",
        "i reached out",
        "i migrated",
        "i added",
        "i created",
        "i rewrote",
        "i introduced",
        "i worked with",
        "i organized",
        "i profiled",
        "i investigated",
        "i analyzed",
        "i moved",
        "i replaced",
        "i split",
        "i automated",
        "i partitioned",
        "i convinced",
        "i scheduled",
        "what i did",
        "my approach",
        "i ran",
        "i changed",
        "i refactored",
        "i tested",
        "i measured",
        "i dug",
        "i found",
        "i broke",
        "i wrote up",
        "i paired",
        "i backfilled",
    ),
    "result": (
        "as a result",
        "the result",
        "result was",
        "in the end",
        "outcome",
        "ended up",
        "which meant",
        "led to",
        "resulted",
        "went from",
        "down from",
        "up from",
        "reduced",
        "improved",
        "saved",
        "cut the",
        "cut it",
        "dropped",
        "faster",
        "increased",
        "since then",
        "fewer",
        "no longer",
        "percent",
        "%",
        "hours to",
        "minutes to",
    ),
    "reflection": (
        "i learned",
        "learned that",
        "lesson",
        "next time",
        "in hindsight",
        "looking back",
        "i would do",
        "i'd do",
        "differently",
        "takeaway",
        "what i learned",
        "i realized",
        "if i did it again",
    ),
}


def label(sentences: list[list[str]]) -> list[str | None]:
    """A beat per sentence: the in-order assignment that best fits cues and position; a sentence with
    no cue for its beat counts as unlabelled (the old "found" rule: a beat is heard only through a cue)."""
    k, m = len(sentences), len(BEATS)
    if not k:
        return []
    cues = []
    for words in sentences:
        text = " " + " ".join(words) + " "
        cues.append([sum(f" {c} " in text or (c == "%" and "%" in text) for c in CUES[b]) for b in BEATS])

    def score(s: int, beat: int) -> float:
        mid = (s + 0.5) / k
        return 2.0 * cues[s][beat] - 1.5 * abs(mid - CENTRES[beat])

    best = [[float("-inf")] * m for _ in range(k)]
    back = [[0] * m for _ in range(k)]
    for b in range(m):
        best[0][b] = score(0, b)
    for s in range(1, k):
        for b in range(m):
            prev = max(range(b + 1), key=lambda p: best[s - 1][p])
            best[s][b] = best[s - 1][prev] + score(s, b)
            back[s][b] = prev
    assign = [0] * k
    assign[-1] = max(range(m), key=lambda b: best[k - 1][b])
    for s in range(k - 1, 0, -1):
        assign[s - 1] = back[s][assign[s]]
    return [BEATS[b] if cues[s][b] else None for s, b in enumerate(assign)]
