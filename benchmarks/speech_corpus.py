"""Synthetic spoken answers with known fillers and pauses, spoken by espeak-ng in several voices and speeds.

Script markup: `{um,}` is an annotated filler (its type is the words inside, punctuation ignored);
`[1.5]` is a pause of 1.5 s inserted as exact silence between two separately spoken chunks, so its
position in the audio is known to the sample. Words outside braces are not fillers, including the
deliberate look-alikes ("would like", "so that", "kind of data", "right now", "what actually happened").

Two renderings of the filled pauses (um, uh, er, hmm); lexical fillers (like, you know, so, basically…)
are spoken inside the sentence in both, as before:

- "realistic" (the headline figures): each filled pause is spoken on its own as a hesitation, not as a
  word of the sentence. Real filled pauses are lengthened, level or falling in pitch, centralised vowels
  (Clark & Fox Tree 2002, "Using uh and um in spontaneous speaking", Cognition 84: speakers choose
  whether to prolong uh/um and whether to attach them to the previous word as in "and-uh"; Shriberg
  2001, "To 'errrr' is human", JIPA 31), typically about 250–600 ms, and they mostly sit next to a silent
  pause (Daly 1994, ASA 127th meeting: over 70 % of filled pauses in the Voyager corpus were followed by
  an unfilled pause; Gósy 2023, Languages 8(1):79, 2450 filled pauses: attached to a word on one side is
  the most frequent position). So each one is rendered with SSML `<prosody rate="N%" range="x-low">`
  (flat pitch), the rate picked from 100–50 % so that its length is closest to a target drawn from
  250–600 ms; with probability GAP_SHARE a 150–400 ms silence goes on one side chosen at random (the
  side away from a neighbouring [pause] or the clip's edge), otherwise it is attached on both sides. The
  text before it ends with a comma (continuation intonation instead of a sentence-final fall). Every
  random draw comes from a generator seeded by script and voice, so the corpus is the same on every
  build. Each filled pause's exact start and end (s) is stored in `Clip.filled_pauses`.
  Limits: the text around a filled pause is spoken by separate espeak calls, so there is always a
  phrase break at it (real hesitations break the phrase too, but not always so cleanly); GAP_SHARE is a
  modelling choice from the figures above, not a measurement of interview answers; and the corpus is
  still synthetic speech, so it predicts real recordings only as far as espeak sounds like a person.
- "hard" (the stress test, the corpus used before): the filled pauses are words of the sentence, spoken
  by espeak at speaking rate with the sentence's pitch and no gap; "uh" is then a short schwa, the sound
  of the article "a" (tiny.en writes "a" for some of them). Real speakers do produce short attached
  fillers ("and-uh"), but not every one of them; espeak produces nothing else. Kept and reported beside
  the realistic figures, so that nothing gets easier unseen.

Two variants are derived from the realistic clips without new speech: "long" (`build_long`: each voice's
clips joined three by three into 73-93 s answers, past Whisper's first 30-s window) and "noisy"
(`build_noisy`: white noise 20 dB below the speech, silences included).

    .venv/bin/python -m benchmarks.speech_corpus [--hard] OUT_DIR    # writes *.wav + corpus.json
"""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

SCRIPTS: list[str] = [
    "{So,} {um,} at my last job I owned the nightly batch pipeline that loaded about two thousand tables. [1.5] "
    "The problem was that it {uh} kept missing the six AM deadline, {like,} three times a week. I decided to "
    "profile every stage, and I found that one join was {basically} shuffling the whole dataset. [2.0] So I "
    "partitioned the input by date and added a broadcast join. As a result, the runtime dropped from five hours "
    "to forty minutes.",
    "{Um,} the situation was a migration from an old warehouse to Spark. [1.2] My task was to move three hundred "
    "jobs without breaking the dashboards that finance would like to keep. {You know,} finance {kind of} panics "
    "when numbers change. I wrote a comparison job that checked every table, {uh,} before the switch. [1.8] In "
    "the end we moved all the jobs in six weeks, and I learned to automate the boring checks first.",
    "{Actually,} this was a conflict story. [1.4] A senior engineer wanted to keep the legacy schema, and I "
    "thought it would slow us down. {I mean,} it looked like a small thing, but it blocked the new events "
    "pipeline. {Um,} I set up a meeting, I brought data on query costs, and I listened to his concerns. [2.2] "
    "We agreed to a staged rollout, so that nothing broke, and the query costs fell by thirty percent.",
    "{So,} {uh,} I was responsible for data quality at a retail company. [1.6] Our fraud model was {like} giving "
    "odd scores, and nobody knew why. I investigated the features and found that {um} one source table had "
    "duplicate rows. [1.3] What actually happened was a retry in the ingestion job. I added a dedupe step and a "
    "test, {right,} and the false positives went down by half.",
    "{Um,} the context is a streaming project. [1.5] We had Kafka events arriving late, {you know,} sometimes an "
    "hour late, and the hourly aggregates were wrong. My job was to fix the numbers without reprocessing "
    "everything. {Uh,} I changed the job to use watermarks and I wrote a small backfill for late data. [2.5] The "
    "error rate dropped from eight percent to under one percent, and the team now uses that kind of data check "
    "everywhere.",
    "{Basically,} I led a cost reduction effort last year. [1.2] The cluster bill was growing {like} twenty "
    "percent a month. {So,} my task was to cut it without slowing the analysts down. I measured which queries "
    "were the most expensive, and {um} I rewrote the top ten. [1.7] Right now the bill is forty percent lower, "
    "and the right answer for us was better partitioning, not bigger machines.",
    "{Um,} I had to onboard a new team onto our data platform. [1.4] They were {sort of} lost with the tooling, "
    "and {uh} they kept filing the same tickets. I wrote a short guide and I paired with each engineer for an "
    "hour. [1.9] {I mean,} it was simple, but the ticket count went from fifty a week to ten. I would like to say "
    "it was my idea alone, but a colleague suggested the pairing.",
    "{So} {um} there was an outage in our reporting pipeline on a Monday morning. [1.3] I was on call, and I had "
    "to restore the dashboards before the executive meeting. I found that a schema change upstream had "
    "{literally} renamed one column. [2.0] {Uh,} I added a contract test between the teams, and we have had no "
    "schema outages in eight months. In hindsight, I would talk to the upstream team much earlier.",
    "{Uh,} at my current company, we were running hundreds of Airflow tasks with no retries. [1.5] The goal was "
    "to make the pipeline reliable, {you know,} so that the analysts could trust it. {Actually,} the fix was not "
    "technical at first. I talked with each owner, and {um} we agreed on service levels. [1.6] After that, I "
    "automated the retries and alerts, and failed runs fell by seventy percent.",
    "{Um,} this is about a mistake I made. [1.4] I deployed a change that dropped a partition in production, "
    "and {uh} we lost a day of data. I told my manager right away, and I restored the data from the raw files "
    "within three hours. [2.1] {I mean,} the lesson was clear. I wrote a checklist, {like,} a real one, and we "
    "have used it for every deploy since.",
    "{So,} the situation was a slow customer report that took twelve minutes to load. [1.6] My task was to get "
    "it under one minute. {Um,} I looked at the query plan, and it looked like a full scan every time. "
    "{Basically,} I added a summary table that updates every hour. [1.8] The report now loads in eight seconds, "
    "and {uh} customers stopped complaining. It is the kind of problem I really like solving.",
    "{Uh,} in my previous role, I was asked to design a data quality framework. [1.5] We had {kind of} random "
    "checks in different places, and nobody owned them. I proposed a shared library, {um,} I wrote the first "
    "twenty checks myself, and I ran a workshop. [2.3] {Sort of} surprisingly, other teams adopted it quickly. "
    "As a result, incidents caused by bad data went down by sixty percent, {right?}",
]

# (espeak-ng voice, words per minute): accents, a female variant and three speeds
VOICES: list[tuple[str, int]] = [
    ("en-us", 150),
    ("en-gb", 170),
    ("en-us+f3", 140),
    ("en-gb-scotland", 160),
    ("en-us+m3", 185),
]
VOCAL_TYPES = {"um", "uh", "er", "hmm"}  # filled pauses: not counted as words for pace
VARIANTS = ("realistic", "hard", "long", "noisy")  # "long" and "noisy" are built from "realistic"
GAP_SHARE = 0.7  # share of filled pauses with a short silence on one side (the rest attached both sides)
GAP_S = (0.15, 0.40)
FILLED_PAUSE_S = (0.25, 0.60)
AS_REPORTED = {"er": "uh", "hmm": "um"}  # the analysis counts er as uh and hmm as um
FILLED_PAUSE_RATES = (100, 90, 80, 70, 60, 50)  # SSML prosody rate, % of the voice's speed
# Development / held-out split, disjoint by script and by voice: changes are chosen on "dev" and kept only
# when they also help "held-out", whose scripts and voices were never looked at while tuning.
SPLIT: dict[str, tuple[range, tuple[int, ...]]] = {
    "dev": (range(0, 6), (0, 1, 4)),  # en-us 150, en-gb 170, en-us+m3 185
    "held-out": (range(6, 12), (2, 3)),  # en-us+f3 140, en-gb-scotland 160
}


@dataclass
class Clip:
    name: str
    voice: str
    speed: int
    script: int
    text: str
    duration_s: float
    speech_start: float
    speech_end: float
    words: int  # words spoken, um/uh excluded (what pace counts)
    fillers: dict[str, int] = field(default_factory=dict)
    pauses: list[tuple[float, float]] = field(default_factory=list)
    split: str = "dev"  # dev | held-out: disjoint scripts AND voices (see SPLIT)
    variant: str = "hard"  # realistic | hard (how filled pauses are spoken, see the module docstring)
    filled_pauses: list[tuple[str, float, float]] = field(default_factory=list)  # (type, start, end) s

    @property
    def true_wpm(self) -> float:
        return self.words / (self.speech_end - self.speech_start) * 60


def _filler_type(braced: str) -> str:
    return re.sub(r"[^a-z ]", "", braced.lower()).strip()


def parse(script: str) -> tuple[list[str], Counter[str], int, list[float]]:
    """(chunks of plain text, filler counts by type, spoken word count, pause lengths between chunks)."""
    fillers: Counter[str] = Counter()
    for m in re.finditer(r"\{([^}]*)\}", script):
        kind = _filler_type(m.group(1))
        fillers[AS_REPORTED.get(kind, kind)] += 1
    plain = re.sub(r"\{([^}]*)\}", r"\1", script)
    parts = re.split(r"\[(\d+(?:\.\d+)?)\]", plain)
    chunks = [p.strip() for p in parts[0::2] if p.strip()]
    pauses = [float(p) for p in parts[1::2]]
    words = [w for w in re.findall(r"[A-Za-z0-9']+", " ".join(chunks)) if w.lower() not in VOCAL_TYPES]
    return chunks, fillers, len(words), pauses


def _speak(text: str, voice: str, speed: int, work: Path, ssml: bool = False) -> np.ndarray:
    from prepdeck.recordings.audio import load_audio

    out = work / "chunk.wav"
    subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(out), *(["-m"] if ssml else []), text],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    audio = load_audio(out)
    loud = np.flatnonzero(np.abs(audio) > 0.01)
    return audio[loud[0] : loud[-1] + 1] if loud.size else audio


def _pieces(chunk: str) -> list[tuple[str, str]]:
    """A chunk with braces split into ("text", words) and ("filled", type) pieces, filled pauses apart."""
    out: list[tuple[str, str]] = []
    text = ""
    for m in re.finditer(r"\{([^}]*)\}|[^{]+", chunk):
        if m.group(1) is not None and _filler_type(m.group(1)) in VOCAL_TYPES:
            if text.strip():
                out.append(("text", text.strip()))
            out.append(("filled", _filler_type(m.group(1))))
            text = ""
        else:
            text += m.group(1) if m.group(1) is not None else m.group(0)
    if text.strip():
        out.append(("text", text.strip()))
    for i, (kind, words) in enumerate(out):  # a comma before a hesitation: continuation, not a full stop
        if kind == "text" and i + 1 < len(out) and words[-1].isalnum():
            out[i] = (kind, words + ",")
    return out


def _filled_pause(kind: str, voice: str, speed: int, work: Path, rng: random.Random) -> np.ndarray:
    """A lengthened, flat-pitched hesitation whose length is closest to a random 250–600 ms target."""
    from prepdeck.recordings.audio import SAMPLE_RATE

    target = rng.uniform(*FILLED_PAUSE_S)
    best: np.ndarray | None = None
    for rate in FILLED_PAUSE_RATES:
        audio = _speak(
            f'<speak><prosody rate="{rate}%" range="x-low">{kind}</prosody></speak>', voice, speed, work, True
        )
        if best is None or abs(audio.size - target * SAMPLE_RATE) < abs(best.size - target * SAMPLE_RATE):
            best = audio
    assert best is not None
    return best


def _render_chunk(
    chunk: str, voice: str, speed: int, work: Path, rng: random.Random, t0: float
) -> tuple[np.ndarray, list[tuple[str, float, float]]]:
    """A chunk with its filled pauses spoken as hesitations; returns (audio, [(type, start, end)])."""
    from prepdeck.recordings.audio import SAMPLE_RATE

    pieces = _pieces(chunk)
    audio: list[np.ndarray] = []
    spans: list[tuple[str, float, float]] = []
    t = t0
    for i, (kind, words) in enumerate(pieces):
        if kind == "text":
            audio.append(_speak(words, voice, speed, work))
            t += audio[-1].size / SAMPLE_RATE
            continue
        gap, side, length = rng.random() < GAP_SHARE, rng.choice(("before", "after")), rng.uniform(*GAP_S)
        if i == 0 and i == len(pieces) - 1:
            gap = False
        elif i == 0:  # next to a [pause] or the clip's lead: the silence goes on the speech side
            side = "after"
        elif i == len(pieces) - 1:
            side = "before"
        silence = np.zeros(int(length * SAMPLE_RATE), np.float32)
        if gap and side == "before":
            audio.append(silence)
            t += silence.size / SAMPLE_RATE
        audio.append(_filled_pause(words, voice, speed, work, rng))
        spans.append((words, round(t, 3), round(t + audio[-1].size / SAMPLE_RATE, 3)))
        t += audio[-1].size / SAMPLE_RATE
        if gap and side == "after":
            audio.append(silence)
            t += silence.size / SAMPLE_RATE
    return np.concatenate(audio), spans


def render(
    script_index: int,
    voice: str,
    speed: int,
    out_dir: Path,
    work: Path,
    lead_s: float = 0.5,
    variant: str = "realistic",
) -> Clip:
    import soundfile as sf

    from prepdeck.recordings.audio import SAMPLE_RATE

    chunks, fillers, words, pauses = parse(SCRIPTS[script_index])
    raw_chunks = [c.strip() for c in re.split(r"\[\d+(?:\.\d+)?\]", SCRIPTS[script_index]) if c.strip()]
    assert len(raw_chunks) == len(chunks)
    rng = random.Random(f"{script_index}/{voice}/{speed}")  # str seeds are stable across runs
    pieces = [np.zeros(int(lead_s * SAMPLE_RATE), np.float32)]
    t = lead_s
    truth_pauses: list[tuple[float, float]] = []
    spans: list[tuple[str, float, float]] = []
    for i, chunk in enumerate(chunks):
        if variant == "hard":
            audio = _speak(chunk, voice, speed, work)
        else:
            audio, found = _render_chunk(raw_chunks[i], voice, speed, work, rng, t)
            spans += found
        pieces.append(audio)
        t += audio.size / SAMPLE_RATE
        if i < len(pauses):
            silence = np.zeros(int(pauses[i] * SAMPLE_RATE), np.float32)
            truth_pauses.append((round(t, 3), round(t + pauses[i], 3)))
            pieces.append(silence)
            t += pauses[i]
    speech_end = t
    pieces.append(np.zeros(int(lead_s * SAMPLE_RATE), np.float32))
    audio = np.concatenate(pieces)
    name = f"s{script_index:02d}-{voice.replace('+', '_')}-{speed}"
    sf.write(out_dir / f"{name}.wav", audio, SAMPLE_RATE, subtype="PCM_16")
    return Clip(
        name=name,
        voice=voice,
        speed=speed,
        script=script_index,
        text=" ".join(chunks),
        duration_s=round(audio.size / SAMPLE_RATE, 3),
        speech_start=lead_s,
        speech_end=round(speech_end, 3),
        words=words,
        fillers=dict(fillers),
        pauses=truth_pauses,
        variant=variant,
        filled_pauses=spans,
    )


def build(out_dir: Path, variant: str = "realistic") -> list[Clip]:
    """Each split's scripts in each of its voices: 6 x 3 development clips, 6 x 2 held-out clips."""
    if variant not in ("realistic", "hard"):
        raise ValueError(
            f"variant must be realistic or hard (long: build_long, noisy: build_noisy), not {variant!r}"
        )
    if shutil.which("espeak-ng") is None:
        raise SystemExit("espeak-ng is not installed: apt install espeak-ng")
    out_dir.mkdir(parents=True, exist_ok=True)
    clips = []
    with tempfile.TemporaryDirectory() as tmp:
        for split, (scripts, voices) in SPLIT.items():
            for i in scripts:
                for v in voices:
                    voice, speed = VOICES[v]
                    clip = render(i, voice, speed, out_dir, Path(tmp), variant=variant)
                    clip.split = split
                    clips.append(clip)
    (out_dir / "corpus.json").write_text(json.dumps([asdict(c) for c in clips], indent=1))
    return clips


LONG_PARTS = 3  # clips joined into one long answer
JOIN_EXTRA_S = 0.5  # silence added where two clips meet


def join_clips(part: list[Clip], src_dir: Path) -> tuple[np.ndarray, Clip]:
    """Clips of one voice joined into one answer (their lead and tail, 1.0 s, plus JOIN_EXTRA_S between
    them, an annotated pause too), with every annotation moved to the joined timeline."""
    from prepdeck.recordings.audio import SAMPLE_RATE, load_audio

    audio, t, made_end = [], 0.0, 0.0
    pauses: list[tuple[float, float]] = []
    spans: list[tuple[str, float, float]] = []
    fillers: Counter[str] = Counter()
    for j, clip in enumerate(part):
        join_start = made_end
        fillers.update(clip.fillers)
        if j:  # the clips' own lead and tail make 1.0 s, the threshold itself: make the join clear
            audio.append(np.zeros(int(JOIN_EXTRA_S * SAMPLE_RATE), np.float32))
            t += JOIN_EXTRA_S
            pauses.append((round(join_start, 3), round(t + clip.speech_start, 3)))
        pauses += [(round(a + t, 3), round(b + t, 3)) for a, b in clip.pauses]
        spans += [(k, round(a + t, 3), round(b + t, 3)) for k, a, b in clip.filled_pauses]
        audio.append(load_audio(src_dir / f"{clip.name}.wav"))
        made_end = t + clip.speech_end
        t += audio[-1].size / SAMPLE_RATE
    first = part[0]
    samples = np.concatenate(audio)
    joined = Clip(
        name="long-"
        + "-".join(f"s{c.script:02d}" for c in part)
        + f"-{first.voice.replace('+', '_')}-{first.speed}",
        voice=first.voice,
        speed=first.speed,
        script=first.script,
        text=" ".join(c.text for c in part),
        duration_s=round(samples.size / SAMPLE_RATE, 3),
        speech_start=first.speech_start,
        speech_end=round(made_end, 3),
        words=sum(c.words for c in part),
        fillers=dict(fillers),
        pauses=pauses,
        split=first.split,
        variant="long",
        filled_pauses=spans,
    )
    return samples, joined


def build_long(realistic_dir: Path, out_dir: Path) -> list[Clip]:
    """Long answers (~80-95 s, a real STAR answer's length): each voice's realistic clips joined three by three.

    Whisper decodes 30-s windows, so anything that only reaches the first window (an initial prompt, say)
    shows up here and not on the ~28-s clips. The clips keep their split."""
    import soundfile as sf

    from prepdeck.recordings.audio import SAMPLE_RATE

    out_dir.mkdir(parents=True, exist_ok=True)
    groups: dict[tuple[str, str, int], list[Clip]] = {}
    for clip in load(realistic_dir):
        groups.setdefault((clip.split, clip.voice, clip.speed), []).append(clip)
    made: list[Clip] = []
    for clips in groups.values():
        clips.sort(key=lambda c: c.script)
        for i in range(0, len(clips), LONG_PARTS):
            samples, joined = join_clips(clips[i : i + LONG_PARTS], realistic_dir)
            sf.write(out_dir / f"{joined.name}.wav", samples, SAMPLE_RATE, subtype="PCM_16")
            made.append(joined)
    (out_dir / "corpus.json").write_text(json.dumps([asdict(c) for c in made], indent=1))
    return made


NOISE_SNR_DB = 20.0


def build_noisy(realistic_dir: Path, out_dir: Path, snr_db: float = NOISE_SNR_DB) -> list[Clip]:
    """The realistic clips with white noise at `snr_db` below the speech (in the silences too): a laptop
    microphone's hiss, where Whisper is known to write words into silence. Annotations are unchanged."""
    import soundfile as sf

    from prepdeck.recordings.audio import SAMPLE_RATE, load_audio

    out_dir.mkdir(parents=True, exist_ok=True)
    clips = load(realistic_dir)
    for clip in clips:
        rng = np.random.default_rng(clip.script * 1000 + clip.speed)  # the same noise on every build
        audio = load_audio(realistic_dir / f"{clip.name}.wav")
        speech = audio[np.abs(audio) > 0.01]
        level = float(np.sqrt(np.mean(np.square(speech)))) / 10 ** (snr_db / 20)
        noisy = np.clip(audio + rng.normal(0.0, level, audio.size).astype(np.float32), -1.0, 1.0)
        sf.write(out_dir / f"{clip.name}.wav", noisy, SAMPLE_RATE, subtype="PCM_16")
        clip.variant = "noisy"
    (out_dir / "corpus.json").write_text(json.dumps([asdict(c) for c in clips], indent=1))
    return clips


def load(out_dir: Path) -> list[Clip]:
    return [
        Clip(
            **{
                **c,
                "pauses": [tuple(p) for p in c["pauses"]],
                "filled_pauses": [tuple(f) for f in c.get("filled_pauses", [])],
            }
        )
        for c in json.loads((out_dir / "corpus.json").read_text())
    ]


def make_test_fixtures(out_dir: Path) -> None:
    """The small clips committed under tests/fixtures/audio/ (regenerate with `--fixtures DIR`)."""
    import soundfile as sf

    from prepdeck.recordings.audio import SAMPLE_RATE

    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        first = _speak("So, um, at my last job I owned the nightly pipeline.", "en-us", 150, work)
        second = _speak(
            "I decided to rewrite it, and it cut the runtime by forty percent.", "en-us", 150, work
        )
        lead = np.zeros(int(0.4 * SAMPLE_RATE), np.float32)
        gap = np.zeros(int(2.0 * SAMPLE_RATE), np.float32)
        answer = np.concatenate([lead, first, gap, second, lead])
        sf.write(out_dir / "answer_pause.flac", answer, SAMPLE_RATE, subtype="PCM_16")
        pause_start = (lead.size + first.size) / SAMPLE_RATE
        short = np.concatenate(
            [lead, _speak("The pipeline loads two thousand rows every hour.", "en-gb", 160, work), lead]
        )
        sf.write(out_dir / "short.wav", short, SAMPLE_RATE, subtype="PCM_16")
    sf.write(out_dir / "silence.flac", np.zeros(3 * SAMPLE_RATE, np.float32), SAMPLE_RATE, subtype="PCM_16")
    with tempfile.TemporaryDirectory() as tmp:  # a long answer: three realistic development clips joined
        work = Path(tmp)
        part = [render(i, "en-us", 150, work, work) for i in range(LONG_PARTS)]
        long_answer, joined = join_clips(part, work)
    # FLAC, not Opus: at Opus's default bitrate tiny.en missed two of its five um/uh
    sf.write(out_dir / "long_answer.flac", long_answer, SAMPLE_RATE, subtype="PCM_16", compression_level=1.0)
    (out_dir / "long_answer.json").write_text(json.dumps(asdict(joined), indent=1) + "\n")
    (out_dir / "README.md").write_text(
        "Generated by `python -m benchmarks.speech_corpus --fixtures tests/fixtures/audio` (espeak-ng, 16 kHz mono).\n\n"
        '- `answer_pause.flac`: "So, um, at my last job I owned the nightly pipeline." then exactly 2.0 s of silence '
        f'from {pause_start:.2f} s, then "I decided to rewrite it, and it cut the runtime by forty percent."\n'
        '- `short.wav`: "The pipeline loads two thousand rows every hour." (en-gb voice)\n'
        "- `silence.flac`: 3 s of digital silence\n"
        "- `long_answer.flac`: scripts 1-3 of the benchmark corpus, realistic rendering, en-us 150 wpm, "
        "joined into one 93-s answer; `long_answer.json` holds its fillers, filled pauses and pauses\n"
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--fixtures"]:
        make_test_fixtures(Path(sys.argv[2]))
        raise SystemExit(0)
    hard = "--hard" in sys.argv[1:]
    args = [a for a in sys.argv[1:] if a != "--hard"]
    kind = "hard" if hard else "realistic"
    target = Path(args[0] if args else Path(tempfile.gettempdir()) / f"prepdeck-speech-corpus-{kind}")
    made = build(target, kind)
    print(f"{len(made)} {kind} clips, {sum(c.duration_s for c in made):.0f} s of audio, in {target}")
