"""Delivery analysis on hand-written timed transcripts: every filler type, each context rule both ways,
pace, pauses, STAR beats, numbers, hedges, I/we, repeats."""

from __future__ import annotations

import pytest

from prepdeck.recordings.analysis import analyze, tokenize


def timed(
    text: str, wpm: float = 150.0, start: float = 0.0, pauses: dict[int, float] | None = None
) -> list[dict]:
    """Words of `text` at an even pace; `pauses` maps a word index to extra silence before it."""
    step = 60.0 / wpm
    words, t = [], start
    for i, token in enumerate(text.split()):
        t += (pauses or {}).get(i, 0.0)
        words.append({"text": token, "start": round(t, 3), "end": round(t + step * 0.8, 3), "prob": 0.9})
        t += step
    return words


def fillers(text: str) -> dict[str, int]:
    words = timed(text)
    return analyze(words, words[-1]["end"] + 0.5)["fillers"]["by_type"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Um, I built it. Uh, then I shipped it. Hmm, it worked. Er, mostly.", {"um": 2, "uh": 2}),
        ("It was basically a rewrite and it literally took a day.", {"basically": 1, "literally": 1}),
        # like: filler
        ("We had, like, a huge backlog.", {"like": 1}),
        ("It took like three hours to run.", {"like": 1}),
        ("The job was like failing every night.", {"like": 1}),
        ("Like, nobody owned the pipeline.", {"like": 1}),
        # like: not a filler
        ("I would like to own the migration.", {}),
        ("It looks like a skew problem.", {}),
        ("Something like that happens weekly.", {}),
        ("We built it like a state machine.", {}),
        ("I really like data modelling.", {}),
        # so
        ("So, we had a backlog.", {"so": 1}),
        ("So the first thing was the schema.", {"so": 1}),
        ("We had a backlog. Um so we triaged it.", {"um": 1, "so": 1}),
        ("I partitioned the table so that scans were cheap.", {}),
        ("The job was slow so we rewrote it.", {}),
        ("We are at three tables so far.", {}),
        ("I think so.", {}),
        # actually
        ("Actually, the fix was simple.", {"actually": 1}),
        ("The fix, actually, was simple.", {"actually": 1}),
        ("What actually happened was a retry.", {}),
        ("It actually worked on the first run.", {}),
        # right
        ("We needed a dedupe step, right?", {"right": 1}),
        ("Right, so the job failed.", {"right": 1, "so": 1}),  # "so" next to a filler counts too
        ("We fixed it right now.", {}),
        ("That was the right answer.", {}),
        ("I called them right after the outage.", {}),
        # you know / I mean
        ("The numbers were, you know, wrong.", {"you know": 1}),
        ("You know, finance panics when numbers change.", {"you know": 1}),
        ("Do you know the lineage tool?", {}),
        ("As you know the data was late.", {}),
        ("You know that the job was late.", {}),
        ("I mean, it was simple.", {"i mean": 1}),
        ("What I mean is the join exploded.", {}),
        ("I mean it when I say tests matter.", {}),
        ("It took an hour, I mean it was simple but slow.", {"i mean": 1}),
        ("I mean this was the whole problem.", {"i mean": 1}),
        ("I really mean it.", {}),
        # kind of / sort of
        ("It was kind of slow.", {"kind of": 1}),
        ("They were sort of lost.", {"sort of": 1}),
        ("This kind of data needs a contract.", {}),
        ("What sort of problem was it?", {}),
        ("We had kind of data issues everywhere.", {}),
    ],
)
def test_filler_rules(text: str, expected: dict[str, int]) -> None:
    assert fillers(text) == expected


def test_multi_word_filler_is_one_entry_and_marks_each_word() -> None:
    words = timed("The numbers were, you know, wrong and I mean, it was kind of slow.")
    result = analyze(words, 10.0)
    assert result["fillers"]["by_type"] == {"you know": 1, "i mean": 1, "kind of": 1}
    assert result["fillers"]["count"] == 3
    flagged = [w["text"].strip(",.").lower() for w in result["words"] if w["filler"]]
    assert flagged == ["you", "know", "i", "mean", "kind", "of"]
    assert all(w["filler_type"] == "kind of" for w in result["words"] if w["text"] in ("kind", "of"))


def test_filler_rate_and_share() -> None:
    words = timed("Um, I built it. Uh, I shipped it. So, it worked basically.")
    result = analyze(words, 60.0)
    f = result["fillers"]
    assert f["count"] == 4
    assert f["per_minute"] == 4.0
    assert f["share"] == round(4 / len(words), 3)


def test_pace_counts_words_not_um_over_the_speaking_span() -> None:
    text = " ".join(["word"] * 150)
    words = timed(text, wpm=150, start=5.0)  # five seconds of silence before speech
    result = analyze(words, 70.0)
    assert result["wpm"] == pytest.approx(150, rel=0.02)
    with_ums = timed("um " + " ".join(["word"] * 30) + " uh", wpm=120)
    # um/uh take time but are not words of the answer
    assert analyze(with_ums, 20)["wpm"] == pytest.approx(
        30 / (with_ums[-1]["end"] - with_ums[0]["start"]) * 60, rel=0.01
    )


@pytest.mark.parametrize(("wpm", "warned"), [(100, "slow"), (145, None), (200, "fast")])
def test_pace_warnings(wpm: float, warned: str | None) -> None:
    words = timed(" ".join(["data"] * 60), wpm=wpm)
    warnings = analyze(words, words[-1]["end"])["warnings"]
    pace = [w for w in warnings if "wpm" in w]
    assert (pace[0].split()[4] if pace else None) == warned


def test_pauses_of_a_second_or_more_with_positions() -> None:
    words = timed("I owned the pipeline. It failed nightly and I fixed it.", pauses={4: 2.0, 7: 0.6, 8: 1.1})
    pauses = analyze(words, 20.0)["pauses"]
    assert [p["seconds"] for p in pauses] == pytest.approx([2.08, 1.18], abs=0.01)
    first = pauses[0]
    assert (first["after"], first["before"], first["word_index"]) == ("pipeline", "it", 4)
    assert first["start"] == words[3]["end"] and first["end"] == words[4]["start"]


def test_duration_against_target() -> None:
    words = timed(" ".join(["word"] * 100), wpm=150)  # 40 s
    short = analyze(words, 41.0, target=(90, 180))
    assert short["duration"]["status"] == "short"
    assert any("short" in w for w in short["warnings"])
    assert analyze(words, 41.0, target=(30, 60))["duration"]["status"] == "ok"
    assert analyze(words, 41.0, target=(10, 20))["duration"]["status"] == "long"


def test_hedges_and_i_versus_we() -> None:
    words = timed(
        "I think we maybe fixed it. I guess we were kind of lucky. We probably saved our team time."
    )
    result = analyze(words, 30)
    assert result["hedges"]["by_type"] == {
        "i think": 1,
        "maybe": 1,
        "i guess": 1,
        "probably": 1,
        "kind of": 1,
    }
    assert result["i_we"]["i"] == 2 and result["i_we"]["we"] == 4
    many_we = timed("We built it. We shipped it. We tested it. We fixed it. Our team won and I watched.")
    assert any("'we'" in w for w in analyze(many_we, 20)["warnings"])


def test_numbers_and_units() -> None:
    words = timed(
        "We cut costs by 40% and saved $2M. It took 3 hours instead of two days, "
        "across two thousand rows and forty percent fewer jobs, a 10x speedup in 2023."
    )
    found = {(n["text"], n["value"], n["unit"]) for n in analyze(words, 30)["numbers"]}
    assert ("40%", 40, "%") in found
    assert ("$2M", 2_000_000, "$") in found
    assert ("3 hours", 3, "h") in found
    assert ("two days", 2, "days") in found
    assert ("two thousand rows", 2000, "rows") in found
    assert ("forty percent", 40, "%") in found
    assert ("10x", 10, "x") in found
    year = next(n for n in analyze(words, 30)["numbers"] if n["value"] == 2023)
    assert year["impact"] is False  # a number without a unit is not quantified impact
    none = analyze(
        timed(
            "The nightly job was slow. I rewrote the join. It ran much faster after that and everyone was happy."
        ),
        10,
    )
    assert none["numbers"] == [] and none["quantified_result"] is False
    assert any("quantify the result" in w for w in none["warnings"])


def test_star_beats_in_order_with_seconds() -> None:
    text = (
        "At my last job our team ran a nightly pipeline that loaded two thousand tables. "
        "The problem was it missed the six AM deadline and I was asked to fix it. "
        "I decided to profile every stage, then I partitioned the input and I added a broadcast join. "
        "As a result the runtime dropped from five hours to forty minutes. "
        "I learned to measure before optimising."
    )
    words = timed(text)
    star = analyze(words, words[-1]["end"])["star"]
    assert star["order"] == ["situation", "task", "action", "result", "reflection"]
    assert star["missing"] == []
    beats = star["beats"]
    assert beats["situation"]["start"] == 0.0
    assert beats["situation"]["end"] == beats["task"]["start"]
    assert beats["action"]["seconds"] > beats["result"]["seconds"] > 0
    assert [s["beat"] for s in star["sentences"]] == ["situation", "task", "action", "result", "reflection"]


def test_star_reports_missing_result() -> None:
    words = timed(
        "At my last job we had a slow pipeline. I was asked to speed it up. "
        "I decided to rewrite the join and I tested it carefully."
    )
    star = analyze(words, 20)["star"]
    assert "result" in star["missing"]
    assert star["beats"]["action"]["found"]


def test_repeated_phrases_and_restarts() -> None:
    words = timed(
        "At the end of the day the pipeline worked. At the end of the day we we shipped. "
        "The pipeline worked and the pipeline worked."
    )
    repeats = analyze(words, 20)["repeats"]
    phrases = {p["phrase"]: p["count"] for p in repeats["phrases"]}
    assert phrases.get("at the end of") == 2 or phrases.get("end of the day") == 2
    assert phrases.get("the pipeline worked") == 3
    assert [r["word"] for r in repeats["restarts"]] == ["we"]


def test_no_words_says_no_speech() -> None:
    result = analyze([], 3.0)
    assert result["warnings"] == ["no speech found"]
    assert result["wpm"] is None and result["fillers"]["count"] == 0 and result["pauses"] == []


def test_cli_shape_keys_and_word_objects() -> None:
    result = analyze(timed("Um, it worked."), 2.0)
    for key in (
        "words",
        "fillers",
        "wpm",
        "pauses",
        "hedges",
        "i_we",
        "numbers",
        "star",
        "repeats",
        "warnings",
    ):
        assert key in result
    assert set(result["fillers"]) >= {"count", "per_minute", "by_type"}
    word = result["words"][0]
    assert set(word) >= {"text", "start", "end", "filler"} and word["filler"] is True


def test_tokenize_accepts_objects_and_ignores_punctuation_only_words() -> None:
    class W:
        def __init__(self, text: str, start: float, end: float):
            self.text, self.start, self.end, self.prob = text, start, end, 0.5

    toks = tokenize([W("Hello,", 0, 0.3), W("—", 0.3, 0.4), W("world.", 0.5, 0.9)])
    assert [t.norm for t in toks] == ["hello", "world"]
    assert toks[0].comma_after and toks[1].sentence_end
