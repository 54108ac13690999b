"""The default transcriber adds the um/uh of a second model (tiny.en) to the main model's (base) words:
each misses hesitations the other hears (benchmarks/RESULTS.md, "Fillers on natural voices")."""

from __future__ import annotations

from pathlib import Path

import pytest

from prepdeck.recordings.transcribe import (
    SECOND_TOLERANCE_S,
    Transcriber,
    Word,
    is_vocal_filler,
    merge_fillers,
)

FIXTURES = Path(__file__).parent / "fixtures" / "audio"


def timed(*items: tuple[str, float, float]) -> list[Word]:
    return [Word(text, start, end, 0.9) for text, start, end in items]


def test_a_hesitation_only_the_second_model_heard_is_added_and_its_neighbour_shrunk() -> None:
    # base: "every table before the switch" with "before" stretched over the uh; tiny.en: "table, uh, before"
    main = timed(("every", 1.0, 1.3), ("table", 1.3, 1.8), ("before", 1.8, 2.5), ("the", 2.5, 2.6))
    other = timed(
        ("every", 1.1, 1.5), ("table,", 1.5, 2.2), ("uh,", 2.26, 2.3), ("before", 2.5, 2.6), ("the", 2.6, 2.7)
    )
    merged, status = merge_fillers(main, other, SECOND_TOLERANCE_S)
    assert [w.text for w in merged] == ["every", "table", "before", "uh,", "the"] and status == "merged"
    assert merged[3].source == "filler-pass" and merged[2].end == pytest.approx(2.26)


def test_one_hesitation_placed_a_word_apart_by_the_two_models_stays_one() -> None:
    # "So, um, at my last job": base times the um at 1.0 s, tiny.en after "at", 0.54 s later
    main = timed(("So,", 0.28, 0.6), ("um,", 1.0, 1.2), ("at", 1.54, 1.7), ("my", 1.72, 1.86))
    other = timed(("So,", 0.28, 0.6), ("at", 1.2, 1.5), ("um,", 1.54, 1.6), ("my", 1.86, 2.0))
    merged, _ = merge_fillers(main, other, SECOND_TOLERANCE_S)
    assert [w.text for w in merged] == ["So,", "um,", "at", "my"]
    # a second hesitation further away is its own
    later = [*other, *timed(("uh,", 3.0, 3.1))]
    assert sum(is_vocal_filler(w.text) for w in merge_fillers(main, later, SECOND_TOLERANCE_S)[0]) == 2


def test_the_second_models_fillers_count_only_where_it_still_followed_the_speech() -> None:
    main = timed(*[(f"w{i}", i * 0.5, i * 0.5 + 0.4) for i in range(10)])
    # the second pass stopped after three words, then wrote an "um" into the rest: not trusted
    other = timed(("w0", 0.0, 0.4), ("w1", 0.5, 0.9), ("w2", 1.0, 1.4), ("um,", 3.2, 3.3))
    merged, status = merge_fillers(main, other, SECOND_TOLERANCE_S)
    assert status == "partial" and not any(is_vocal_filler(w.text) for w in merged)


@pytest.mark.slow
@pytest.mark.whisper
def test_a_second_models_uh_is_kept_where_the_main_one_dropped_it(tmp_path: Path) -> None:
    # festival slt: "I wrote a comparison job that checked every table, uh, before the switch." tiny.en alone
    # writes "every table before the switch"; base (as the second model, with the short prompt) hears the uh
    clip = FIXTURES / "uh_tiny_drops.flac"
    alone = Transcriber("tiny.en").transcribe(clip)
    assert "switch" in alone.text and not [w for w in alone.words if is_vocal_filler(w.text)]
    t = Transcriber("tiny.en", home=tmp_path, second_opinion="base").transcribe(clip)
    fillers = [w for w in t.words if is_vocal_filler(w.text)]
    assert [(w.text.strip(","), w.source) for w in fillers] == [("uh", "filler-pass")]
    assert 3.0 <= fillers[0].start <= 3.4  # between "table" and "before the switch"
    assert [w.start for w in t.words] == sorted(w.start for w in t.words)


@pytest.mark.slow
@pytest.mark.whisper
def test_the_default_transcriber_counts_a_hesitation_both_models_heard_once(tmp_path: Path) -> None:
    default = Transcriber(home=tmp_path)
    assert default.model_name == "base"
    # both models hear the um of "So, um, at my last job", 0.54 s apart: it is counted once
    both = default.transcribe(FIXTURES / "answer_pause.flac")
    assert [w.text.strip(",") for w in both.words if is_vocal_filler(w.text)] == ["um"]
