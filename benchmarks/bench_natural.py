"""Fillers on natural voices (issue 16): per voice and rate, filler recall/precision, um/uh recall, word
error rate with and without the filler prompt, pauses, pace error, RTF and peak memory; dev vs held-out.

    .venv/bin/python -m benchmarks.bench_natural CORPUS_DIR [--write] [--split dev] [--voices piper,slt]
        [--setting prompt|plain|both] [--cached]

CORPUS_DIR is built by `python -m benchmarks.natural_corpus CORPUS_DIR`. Each setting runs in its own
process (its own peak memory) and saves its transcripts as CORPUS_DIR/transcripts-SETTING.json, so the
analysis can be re-scored with `--cached` without transcribing again. WER: the script's words minus its
um/uh/er/hmm against the transcript's words minus its um/uh, lower-cased, punctuation dropped, hyphens
and number formatting normalised ("2,000" = "two thousand" is NOT normalised: it counts against both
settings alike, so the difference between them is what the figure is for).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from benchmarks import write_section
from benchmarks.bench_speech import _count, _fmt, _ratio, _tally

START, END = "<!-- natural:start -->", "<!-- natural:end -->"
SETTINGS = {"prompt": True, "plain": False, "base-prompt": True, "base-plain": False}
VOCAL = {"um", "uh", "er", "hmm", "umm", "uhm", "uhh", "erm", "hm", "mm", "ah", "eh"}


def _words(text: str) -> list[str]:
    text = re.sub(r"(\d),(\d)", r"\1\2", text.lower()).replace("-", " ").replace("%", " percent")
    return [w for w in re.findall(r"[a-z0-9']+", text) if w not in VOCAL]


def wer(ref: str, hyp: str) -> tuple[int, int]:
    """(edits, reference words): word-level Levenshtein distance."""
    r, h = _words(ref), _words(hyp)
    prev = list(range(len(h) + 1))
    for i, rw in enumerate(r, 1):
        cur = [i] + [0] * len(h)
        for j, hw in enumerate(h, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (rw != hw))
        prev = cur
    return prev[-1], len(r)


def transcribe_all(corpus: Path, setting: str, names: list[str]) -> None:
    """Child process: transcribe the clips with one setting; writes transcripts-SETTING.json."""
    from prepdeck.recordings.transcribe import Transcriber

    home = Path(os.environ.get("PREPDECK_HOME") or tempfile.gettempdir()) / "prepdeck-bench"
    model = "base" if setting.startswith("base") else "tiny.en"
    tr = Transcriber(model, home=home, filler_pass=SETTINGS[setting])
    tr.transcribe(corpus / f"{names[0]}.wav")  # warm-up
    out_path = corpus / f"transcripts-{setting}.json"
    out = json.loads(out_path.read_text()) if out_path.exists() else {}
    for name in names:
        started = time.perf_counter()
        t = tr.transcribe(corpus / f"{name}.wav")
        out[name] = {
            "words": [w.to_json() for w in t.words],
            "duration_s": t.duration_s,
            "work_s": time.perf_counter() - started,
        }
    out["_peak_mb"] = max(out.get("_peak_mb", 0), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    out_path.write_text(json.dumps(out))


def score(corpus: Path, clips: list, setting: str) -> dict:
    from prepdeck.recordings.analysis import analyze
    from prepdeck.recordings.transcribe import Word

    cache = json.loads((corpus / f"transcripts-{setting}.json").read_text())
    groups: dict[str, dict] = defaultdict(
        lambda: {**_tally(), "edits": 0, "ref": 0, "audio": 0.0, "work": 0.0}
    )
    for clip in clips:
        got = cache[clip.name]
        words = [Word(w["text"], w["start"], w["end"], w.get("prob", 1.0)) for w in got["words"]]
        result = analyze([w.to_json() for w in words], got["duration_s"])
        edits, n = wer(clip.text, result["text"])
        for key in (
            f"{clip.voice}@{clip.speed}",
            f"{clip.voice}@{clip.speed} {clip.split}",
            clip.split,
            "all",
        ):
            g = groups[key]
            _count(g, clip, result, words)
            g["edits"] += edits
            g["ref"] += n
            g["audio"] += clip.duration_s
            g["work"] += got["work_s"]
    return {"groups": dict(groups), "peak_mb": cache.get("_peak_mb")}


def figures(g: dict) -> dict:
    tp, fp, fn = Counter(g["tp"]), Counter(g["fp"]), Counter(g["fn"])
    errs = g["pace_errors"]
    return {
        "recall": _ratio(sum(tp.values()), sum(tp.values()) + sum(fn.values())),
        "precision": _ratio(sum(tp.values()), sum(tp.values()) + sum(fp.values())),
        "umuh": _ratio(tp["um"] + tp["uh"], tp["um"] + tp["uh"] + fn["um"] + fn["uh"]),
        "umuh_n": f"{tp['um'] + tp['uh']}/{tp['um'] + tp['uh'] + fn['um'] + fn['uh']}",
        "wer": _ratio(g["edits"], g["ref"]),
        "pauses": _ratio(g["pauses_found"], g["pauses_true"]),
        "pace": sum(errs) / len(errs) if errs else None,
        "rtf": _ratio(g["work"], g["audio"]),
        "placed": f"{g['timed_found']}/{g['timed_true']}",
        # written um/uh at an annotated hesitation / all written: per word, so a misplaced uh is not offset by
        # a missed one elsewhere in the clip, as the count-based precision is
        "placed_precision": _ratio(g["timed_found"], g["timed_written"]),
    }


def markdown(results: dict[str, dict], order: list[str], before: dict | None = None) -> str:
    p, q = results.get("prompt"), results.get("plain")
    lines = [
        START,
        "## Fillers on natural voices (issue 16)",
        "",
        "Corpus: `python -m benchmarks.natural_corpus /tmp/nat` (piper en_US-joe-medium, festival "
        "cmu_us_slt_arctic_hts and kal_diphone, espeak-ng en-us; two rates each; scripts 0–5 and 12–17 dev, 6–11 held "
        "out); figures: `python -m benchmarks.bench_natural /tmp/nat --write`. tiny.en; “prompt” is the "
        "default transcriber (filler prompt), “plain” the same without it. RTF = wall time / audio on the "
        "shared 2-core machine (other helpers' jobs running).",
        "",
        "| voice@rate | split | filler recall | precision | um/uh recall | um/uh in place | um/uh placed precision | WER prompt | WER plain | pauses | pace error | RTF |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for key in order:
        main = p or q
        if key not in main["groups"]:
            continue
        f = figures(main["groups"][key])
        wq = figures(q["groups"][key])["wer"] if q and key in q["groups"] else None
        wp = f["wer"] if p else None
        voice, _, split = key.partition(" ")
        lines.append(
            f"| {voice} | {split or 'both'} | {_fmt(f['recall'])} | {_fmt(f['precision'])} | {_fmt(f['umuh'])} ({f['umuh_n']}) | {f['placed']} "
            f"| {_fmt(f['placed_precision'])} | {_fmt(wp, True)} | {_fmt(wq, True)} | {_fmt(f['pauses'])} | {_fmt(f['pace'], True)} | {_fmt(f['rtf'])} |"
        )
    if before:
        lines += [
            "",
            "The same clips, Whisper's words only (the default transcriber before the hesitation detector, "
            "transcripts cached as `transcripts-before.json`):",
            "",
            "| split | filler recall | precision | um/uh recall | um/uh in place | um/uh placed precision |",
            "|---|---|---|---|---|---|",
        ]
        for key in ("dev", "held-out", "all"):
            if key in before["groups"]:
                f = figures(before["groups"][key])
                lines.append(
                    f"| {key} | {_fmt(f['recall'])} | {_fmt(f['precision'])} | {_fmt(f['umuh'])} ({f['umuh_n']}) "
                    f"| {f['placed']} | {_fmt(f['placed_precision'])} |"
                )
    peaks = ", ".join(f"{s} {r['peak_mb']:.0f} MB" for s, r in results.items() if r.get("peak_mb"))
    lines += [
        "",
        f"Peak memory (max RSS of the transcribing process): {peaks}.",
        "",
        "Against issue 16's targets (filler recall ≥ 0.92 overall and ≥ 0.85 per voice, um/uh ≥ 0.90, "
        "precision ≥ 0.95): **not met** on these voices; precision, pauses, pace, RTF and memory are. "
        "“um/uh in place”: annotated hesitations (their spans come from piper's phoneme alignments, "
        "festival's word times and espeak's rendering) with an um/uh written within 0.6 s of them; “um/uh placed precision”: the share of written "
        "um/uh that are such a hit (one per hesitation). It is per word: the count-based precision "
        "compares counts per clip, so a misplaced uh there is offset by a missed one elsewhere in the clip. "
        "Session 3 made the development half harder (scripts 12–17: hesitations at the start of an answer, "
        "right after a pause, inside a phrase, two in a row, beside real look-alike words), so dev figures "
        "are lower than the previous round's. Added: an acoustic detector of dropped hesitations "
        "(recordings/hesitation.py: a short voiced island between silences that no Whisper word accounts "
        "for) and “a,”/“the,” read as uh; both in the default transcriber. They add what the before/after "
        "tables show, and the detector put no false filler on the dev clips. On bench_speech's espeak "
        "corpora (`python -m benchmarks.bench_hesitation DIR-realistic DIR-noisy`) it added 3 hesitations "
        "to the 30 realistic clips, all at annotated ones (dev 1, held-out 2), and none to the noisy ones "
        "(hiss 20 dB below the voice leaves no silence to bound an island). Why not more: "
        "these voices say a hesitation as a short schwa attached to the next word (annotated spans on dev, "
        "median: kal 0.11 s, slt 0.16 s, piper 0.28 s, espeak 0.38 s; most with no silence beside them), "
        "and Whisper writes it as a word (“on”, “I'm”, “a”, “are”, “Other” for “uh, the”) or merges it into "
        "one. Energy, voicing and spectral tilt do not tell those from the word beside them. Tried and not "
        "kept: rescoring with Whisper's own decoder (ctranslate2 `align`, the prompt as context) with an "
        "“uh” inserted before each word; the best insertion of a clip was often a real dropped hesitation, "
        "but one 28-s clip cost 10 s of CPU (RTF +0.37); and the same rescoring of “uh”/“um” in place of "
        "each short look-alike word (on, am, are, our, I'm, I'll, now, oh, up, a, I; 580 on dev): no margin "
        "separates the real hesitations from real words (the best-scoring replacements were real articles), "
        "at 385 s of CPU for the dev half. Earlier rounds: `base` with the prompt on 1.2-s "
        "windows (5 of 30 fillers, 3 of 43 real words turned into fillers, 580 s CPU). WER guard: the prompt "
        "raises WER by 0.2 points on dev and 0.7 on held-out (13.0 vs 12.8 %, 10.3 vs 9.6 %; lower with it on "
        "piper@0.8 and kal@0.8) and is kept: without it um/uh recall is 0.17 on both halves. The guards "
        "that limit its cost (hallucinated instantaneous runs and words stretched over 2 s dropped, that "
        "speech transcribed again without the prompt) are in recordings/transcribe.py. "
        "Held-out caveat: at the start of this round a diagnostic listing of the previous corpus printed "
        "missed hesitations of both halves, so the idea of the island rule was seen on some held-out "
        "misses; no threshold was chosen on held-out figures. Festival's Duration_Stretch does not change "
        "the HTS voice, so slt's two rates are one (a corpus limit).",
        "",
        "Tried and not kept (session 4): a learned filled-pause detector on the default transcriber's "
        "words and the audio (patch: /work/notes/speech2-filler-model.patch; prototypes and commands: "
        "/work/notes/speech2-trial/README.md). Candidates: every Whisper word and every gap between words "
        "(6,556 on dev). Numpy features: Whisper's probability, duration, length for its letters, look-alike "
        "word, punctuation, neighbours' probabilities and gaps, and the sound of the word or gap (energy, "
        "voicing, hiss, spectral flux and centroid, pitch spread and slope, LPC F1/F2 and their movement, "
        "the longest steady voiced run; over the word and over its first and last 150 ms; z-scores within "
        "the clip). Label: within 0.12 s of an annotated hesitation that no written um/uh accounts for. "
        "Edit: a look-alike word becomes uh/um, else an uh is inserted. Everything was chosen on dev with "
        "folds by script (two scripts per fold). The count-based precision hides misplaced edits (a wrong "
        "uh is offset by a missed one elsewhere in the clip), hence the placed-precision column. First "
        "version (39 features, logistic regression, threshold 0.5): dev 17 edits, 8 at a hesitation; recall "
        "0.70 -> 0.74 by count, but um/uh in place only 141 -> 147 and placed precision 0.99 -> 0.92; "
        "held-out (its one run) recall 0.71 -> 0.73, placed precision 0.95 -> 0.93. Final version (82 "
        "features, 300 boosted depth-2 trees, trained also on 288 clips of 36 new scripts written for "
        "training, threshold 0.72 chosen on dev): dev, cross-validated, 15 edits, 13 at a hesitation; "
        "recall 0.702 -> 0.737, um/uh 141 -> 154/240, precision 0.981 -> 0.975, in place 141 -> 152, placed "
        "precision 0.99 -> 0.96; in place by voice: kal@0.8 10 -> 13, kal@1.0 10 -> 12, slt 14 -> 16 at "
        "each rate (placed precision 1.00 -> 0.89), piper +1 at each rate, espeak unchanged. Held-out, run "
        "once for it (the second look at that half this session): recall 0.710 -> 0.715, um/uh 61 -> "
        "62/96, precision 0.973 -> 0.947, in place 62 -> 66, placed precision 0.95 -> 0.94 (kal@1.0 1.00 "
        "-> 0.86). Recall barely moves and precision falls under 0.95, so it is not in the transcriber. "
        "Cost was not the limit (features and trees: RTF about 0.02); separability is. Whisper's word times "
        "are often 0.1-0.2 s off, as long as these voices' hesitations last, and a diphone voice's “uh” is "
        "the same schwa as its “a”.",
        "",
        END,
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="benchmarks.bench_natural")
    ap.add_argument("corpus", type=Path, nargs="?", default=Path(tempfile.gettempdir()) / "prepdeck-natural")
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--split", choices=["dev", "held-out"])
    ap.add_argument("--voices")
    ap.add_argument("--setting", choices=[*SETTINGS, "both"], default="both")
    ap.add_argument("--cached", action="store_true", help="re-score the saved transcripts")
    ap.add_argument("--quick", action="store_true", help="dev scripts, default setting only")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    from benchmarks import natural_corpus
    from benchmarks.speech_corpus import load

    if args.quick:
        args.split, args.setting = args.split or "dev", "prompt"
    if not (args.corpus / "corpus.json").exists():
        natural_corpus.build(
            args.corpus, list(natural_corpus.VOICES), list(range(len(natural_corpus.SCRIPTS)))
        )

    clips = load(args.corpus)
    if args.split:
        clips = [c for c in clips if c.split == args.split]
    if args.voices:
        clips = [c for c in clips if c.voice in args.voices.split(",")]
    if args.child:
        transcribe_all(args.corpus, args.child, [c.name for c in clips])
        return 0
    settings = ["prompt", "plain"] if args.setting == "both" else [args.setting]
    if not args.cached:
        for s in settings:
            cmd = [sys.executable, "-m", "benchmarks.bench_natural", str(args.corpus), "--child", s]
            cmd += [f"--split={args.split}"] if args.split else []
            cmd += [f"--voices={args.voices}"] if args.voices else []
            subprocess.run(cmd, check=True)
    results = {s: score(args.corpus, clips, s) for s in settings}
    keys = sorted({f"{c.voice}@{c.speed}" for c in clips})
    order = [k2 for k in keys for k2 in (k, f"{k} dev", f"{k} held-out")] + ["dev", "held-out", "all"]
    before = (
        score(args.corpus, clips, "before") if (args.corpus / "transcripts-before.json").exists() else None
    )
    text = markdown(results, order, before)
    print(text)
    if args.write:
        write_section(text, START, END)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
