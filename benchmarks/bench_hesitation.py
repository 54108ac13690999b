"""Precision of the acoustic hesitation detector alone (recordings/hesitation.py) on any corpus with annotated
filled-pause spans (speech_corpus's espeak variants, natural_corpus): how many hesitations the default
transcriber added from the audio, and how many of them lie at an annotated one (within 0.6 s).

    .venv/bin/python -m benchmarks.bench_hesitation CORPUS_DIR [CORPUS_DIR ...]

Only counts are printed for held-out clips (their errors are not for tuning); dev clips' false ones are listed.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from benchmarks.speech_corpus import load

TOLERANCE_S = 0.6  # Whisper places fillers late; bench_natural's "in place" column uses the same


def main(argv: list[str] | None = None) -> int:
    from prepdeck.recordings.transcribe import Transcriber

    tr = Transcriber("tiny.en", home=Path(tempfile.gettempdir()) / "prepdeck-bench")
    for corpus in map(Path, argv if argv is not None else sys.argv[1:]):
        counts: dict[str, list[int]] = {}
        for clip in load(corpus):
            for w in tr.transcribe(corpus / f"{clip.name}.wav").words:
                if w.source != "acoustic":
                    continue
                mid = (w.start + w.end) / 2
                real = any(s - TOLERANCE_S <= mid <= e + TOLERANCE_S for _k, s, e in clip.filled_pauses)
                added = counts.setdefault(clip.split, [0, 0])
                added[0] += 1
                added[1] += real
                if not real and clip.split == "dev":
                    print(f"  not at an annotated hesitation: {clip.name} {w.text} {w.start:.2f}-{w.end:.2f}")
        summary = ", ".join(
            f"{split}: {n} added, {ok} at an annotated one" for split, (n, ok) in counts.items()
        )
        print(f"{corpus}: {summary or 'none added'}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
