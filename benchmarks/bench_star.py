"""STAR benchmark: sentence-level beats, missing beats, quantified result and I/we on labelled answers.

    .venv/bin/python -m benchmarks.bench_star [--write] [--errors dev|heldout|external_a|external_b|external_c|external_d]  (--errors prints only that set's misreads, no table)

The answers are in benchmarks/data/star_dev.txt (tuned on) and star_heldout.txt (not tuned on), and in
star_external_a.txt, star_external_b.txt, star_external_c.txt and star_external_d.txt (tuned on since they
were held out; d since session 5) and star_external_e.txt (held out: never tuned on, its errors not printed),
written by a different person who did not read the analyser, since the first two share its author; each is
analysed as a written answer (`recordings.analysis.analyze_text`, what `prepdeck analyze` runs), and the
keyword baseline (benchmarks/star_baseline.py) labels the same sentences. Targets (issue 16, held-out):
beat accuracy >= 0.80, missing beats right on >= 90 % of answers, quantified result right on >= 90 %,
I/we counts exact. The I/we truth is counted here with a separate regular expression over the text.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import star_baseline, write_section

DATA = Path(__file__).resolve().parent / "data"
START, END = "<!-- star:start -->", "<!-- star:end -->"
CODES = {"S": "situation", "T": "task", "A": "action", "R": "result", "L": "reflection", "N": None}
LABELS = ("situation", "task", "action", "result", "reflection", None)
I_RE = re.compile(r"\b(i|me|my|mine|myself|i'm|i've|i'd|i'll)\b", re.I)
WE_RE = re.compile(r"\b(we|us|our|ours|ourselves|we're|we've|we'd|we'll)\b", re.I)


@dataclass
class Answer:
    id: str
    quantified: bool
    story: bool
    sentences: list[str] = field(default_factory=list)
    beats: list[str | None] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.sentences)

    @property
    def missing(self) -> list[str]:
        return [b for b in LABELS[:4] if b not in self.beats]

    @property
    def i_we(self) -> tuple[int, int]:
        i = len(I_RE.findall(self.text))
        we = sum(1 for m in WE_RE.finditer(self.text) if m.group(0) != "US")
        return i, we


def load(name: str) -> list[Answer]:
    answers: list[Answer] = []
    for line in (DATA / name).read_text().splitlines():
        if line.startswith("==="):
            parts = [p.strip() for p in line[3:].split("|")]
            flags = dict(p.split("=") for p in parts[1:])
            answers.append(Answer(parts[0], flags["quantified"] == "yes", flags["story"] == "yes"))
        elif line and not line.startswith("#") and answers:
            code, _, sentence = line.partition("|")
            answers[-1].sentences.append(sentence.strip())
            answers[-1].beats.append(CODES[code.strip()])
    return answers


def evaluate(answers: list[Answer]) -> dict:
    from prepdeck.recordings.analysis import analyze_text, tokenize

    out: dict = {"n_answers": len(answers), "n_sentences": 0, "errors": []}
    for system in ("model", "baseline"):
        out[system] = {"correct": 0, "tp": Counter(), "fp": Counter(), "fn": Counter(), "missing_ok": 0}
    out["model"].update(quantified_ok=0, i_we_ok=0, story_ok=0)
    for ans in answers:
        result = analyze_text(ans.text)
        got = [s["beat"] for s in result["star"]["sentences"]]
        if len(got) != len(ans.beats):
            # the analyser split the answer otherwise than its writer: every sentence of it counts as misread
            got = ["(split wrong)"] * len(ans.beats)
        words = [[t.norm for t in tokenize([{"text": w} for w in s.split()])] for s in ans.sentences]
        base = star_baseline.label(words)
        base_missing = [b for b in LABELS[:4] if b not in base]
        out["n_sentences"] += len(got)
        for system, pred, missing in (
            ("model", got, result["star"]["missing"]),
            ("baseline", base, base_missing),
        ):
            tally = out[system]
            for p, t in zip(pred, ans.beats, strict=True):
                tally["correct"] += p == t
                if p == t:
                    tally["tp"][t] += 1
                else:
                    tally["fp"][p] += 1
                    tally["fn"][t] += 1
            tally["missing_ok"] += sorted(missing) == sorted(ans.missing)
        m = out["model"]
        m["quantified_ok"] += result["quantified_result"] == ans.quantified
        m["story_ok"] += result["star"]["story"] == ans.story
        m["i_we_ok"] += (result["i_we"]["i"], result["i_we"]["we"]) == ans.i_we
        wrong = [(s, t, p) for s, t, p in zip(ans.sentences, ans.beats, got, strict=True) if t != p]
        if (
            wrong
            or sorted(result["star"]["missing"]) != sorted(ans.missing)
            or (result["quantified_result"] != ans.quantified)
        ):
            out["errors"].append((ans, result, wrong))
    return out


def _pr(tally: dict, beat: str | None) -> tuple[float, float]:
    tp, fp, fn = tally["tp"][beat], tally["fp"][beat], tally["fn"][beat]
    return (tp / (tp + fp) if tp + fp else 1.0), (tp / (tp + fn) if tp + fn else 1.0)


def markdown(figures: dict[str, dict]) -> str:
    lines = [
        START,
        "## STAR structure (issue 16)",
        "",
        "`.venv/bin/python -m benchmarks.bench_star --write`. Labelled answers written for this benchmark, "
        "harder than real ones: beats never named where they happen, answers missing a beat, hypothetical "
        "answers, the words situation/task/result/learned in the wrong beat, meta talk, run-on speech "
        "(benchmarks/data/star_dev.txt, tuned on; star_heldout.txt, not tuned on). Each answer is analysed "
        "as `prepdeck analyze` does; the baseline is the earlier cue-phrase scorer "
        "(benchmarks/star_baseline.py) on the same sentences. Targets (held-out): beat accuracy ≥ 0.80, "
        "missing beats right ≥ 90 %, quantified result right ≥ 90 %, I/we exact.",
        "",
        "External sets (benchmarks/data/star_external_a.txt and star_external_b.txt, 25 answers each, split at "
        "random from one set of 50): written by a different person, who did not read the analyser, the baseline "
        "or the answers above, because the dev and held-out answers share the analyser's author and may share "
        "their blind spots. External a may be tuned on; external b was held out in session 4 (never tuned on, "
        "its errors never printed) and has been tuned on since session 4b.",
        "",
        "External c (benchmarks/data/star_external_c.txt, 30 answers): a second held-out set, written later by the "
        "same outside person, who still had not read the analyser, on other topics and wordings (results told "
        "first or as quoted feedback, a task put as a question, future-in-past, two stories in one answer, typed "
        "notes, Whisper-like lines without commas); held out until the end of session 4b (one look: 0.80 / 60 % / "
        "87 %), tuned on since session 4c.",
        "",
        "External d (benchmarks/data/star_external_d.txt, 25 answers): a third held-out set, written by the same "
        "outside person, who did not read the analyser, as other kinds of candidate tell their stories (a junior "
        "analyst in short simple sentences, a staff engineer in long organisational ones, a non-native speaker "
        "with unusual tenses and dropped articles, answers of 2 to 4 sentences, stories told as 'we' with one "
        "'I' decision); held out until the end of session 4c (looked at when it was added: 0.84 / 68 % / 88 % "
        "(beats / missing / quantified) with the analyser of commit e7ec58e, 0.85 / 72 % / 88 % with 5d16fe4's; "
        "0.86 / 76 % / 88 % at the end of session 4c), tuned on since session 5.",
        "",
        "External e (benchmarks/data/star_external_e.txt, 30 answers): a fourth held-out set, written in session 5 "
        "by the same outside person, who did not read the analyser and never ran it on these answers (only the "
        "bench's loader parsed them), harder and more varied than real answers: spoken transcripts without "
        "punctuation, run-ons joined with 'and so', self-corrections ('We — well, I, really — had to…'), results "
        "in number words or as comparisons without numbers, numbers that are not results (team sizes, years, "
        "versions such as Spark 3.5), someone else's praise or a setback as the result, tasks left implicit, "
        "answers that are only a situation, past-perfect background, present-tense stories; never tuned on, its "
        "errors never printed.",
        "",
        "| set | answers | sentences | beat accuracy (baseline) | missing beats right (baseline) "
        "| quantified right | story/hypothetical right | I/we exact |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, f in figures.items():
        m, b, n, a = f["model"], f["baseline"], f["n_sentences"], f["n_answers"]
        lines.append(
            f"| {name} | {a} | {n} | **{m['correct'] / n:.2f}** ({b['correct'] / n:.2f}) "
            f"| **{m['missing_ok'] / a:.0%}** ({b['missing_ok'] / a:.0%}) | {m['quantified_ok'] / a:.0%} "
            f"| {m['story_ok'] / a:.0%} | {m['i_we_ok']}/{a} |"
        )
    for name in ("held-out", "external b", "external c", "external d", "external e"):
        h = figures[name]
        n, a = h["n_sentences"], h["n_answers"]
        checks = [
            ("beat accuracy ≥ 0.80", h["model"]["correct"] / n >= 0.80),
            ("missing beats ≥ 90 %", h["model"]["missing_ok"] / a >= 0.90),
            ("quantified ≥ 90 %", h["model"]["quantified_ok"] / a >= 0.90),
            ("I/we exact", h["model"]["i_we_ok"] == a),
        ]
        lines += [
            "",
            f"{name.capitalize()} against the targets: "
            + "; ".join(f"{t} {'met' if ok else '**not met**'}" for t, ok in checks)
            + ".",
        ]
    lines += [
        "",
        "Honest history of the held-out half: its first measurement gave beat accuracy 0.91, missing beats "
        "right 86 %, quantified 82 %. Seeing only that summary line (never which answers failed), the "
        "number reader was made more general (hyphenated number words, fractions such as 'a third', a "
        "number counting a plural noun such as 'fifteen dashboards'), checked on dev; the held-out figures "
        "above are after that change, so the held-out half is no longer entirely untouched by tuning.",
    ]
    lines += [
        "",
        "Not-a-story answers (told as what one would do, or usually does): one convention for all four sets "
        "since session 4, the external writer's. The steps such an answer proposes are actions, an imagined "
        "setting the situation, a general lesson the reflection, so `missing` names what it lacks (the real "
        "situation and result) instead of telling the user they gave no actions; `story` is false, the warning "
        "says it is not a story, and it has no quantified result. The six such answers of dev and held-out "
        "were labelled all-none before and were relabelled (external b was not touched). On the relabelled "
        "files the analyser before session 4 scored dev 0.87 / 82 %, held-out 0.83 / 82 % (beats / missing).",
        "",
        "A sentence count the analyser gets otherwise than the writer counts every sentence of that answer "
        "as misread (it used to stop the benchmark).",
        "",
        "Session 4 (issue 16 item 2), tuned on dev and external a only, every change kept only if dev, held-out "
        "and external a did not get worse: before it, external a 0.70 / 60 % / 72 % and external b 0.66 / 64 % "
        "/ 80 % (beats / missing / quantified). External b's summary row was looked at three times (after the "
        "first change 0.69 / 64 % / 80 %, midway 0.78 / 76 % / 84 %, at the end: the row above), its errors never. "
        "The gap between external a and b (0.95 against 0.78) is what tuning on a's 25 answers bought beyond "
        "general rules: the figure to trust was b's. Held-out misreadings were printed three times, to see which "
        "answer a change made worse (those changes were dropped); no rule was written from them.",
        "",
        "Session 4b (issue 16 item 2), tuned on dev, external a and external b (b's misreadings printed about "
        "eight times, a's five, dev's twice); every change kept only if none of dev, held-out, a and b got worse "
        "and their summed count of right sentences, missing, quantified, story and I/we rose (941 against 893 at "
        "the start), except six fixes of plain misreads found on sentences written for the unit tests, kept at "
        "an equal total ('what I'd do differently is…' read as no beat, a spoken opener making a whole lesson "
        "meta, 'Lesson: …' / 'Result: …' typed lines read as bare topics, an aside before the scene read as no "
        "beat, a first line about what happened to us read as a result told first, 'after two weeks of digging' "
        "read as the lapse before an outcome). Missing beats on b at the start: 7 answers wrong, 3 reporting a "
        "task or result missing that was there, 4 (3 of them hypothetical answers) finding a task or result in "
        "a framing line, a lesson or a trade-off. Before it: dev 0.99 / 95 % / 100 %, held-out "
        "0.95 / 100 % / 95 %, external a 0.95 / 92 % / 100 %, external b 0.78 / 72 % / 92 % (beats / missing / "
        "quantified). Held-out: its misreadings were never printed this session, its summary counts were read "
        "after every change (about forty runs), and two word searches over the data files touched its text (no "
        "hits); one rule (a story opening with its measured result) came from the list of misreads the previous "
        "session had seen, some on held-out, and it raised held-out by one answer. External c's row was looked "
        "at once, when this table was written at the end of session 4b.",
        "",
        "Session 4c (issue 16 item 2), tuned on dev, a, b and c (c's misreadings printed about fifteen times, "
        "b's, a's and dev's once each; held-out's never, its summary counts read after every change, about "
        "thirty runs); every change kept only if none of dev, held-out, a, b and c got worse and their summed "
        "count rose (1184 → 1228; dev, held-out and a unchanged, b one sentence more). Missing beats on c at the "
        "start: 12 answers wrong; in 8 a beat said missing was there (a result told by someone else or as how "
        "things were, a task as ownership, a plan or a question, someone else's ask read as the task), in 5 a "
        "beat was found that was not there (a result in a lesson, in an imagined scene or in 'I can't give you a "
        "number yet', a habit's first line read as the scene). Two of the rules decide at the answer level, not "
        "per sentence: a story with steps and no result whose last line before its lessons is not my step ends "
        "on its outcome; a story with no scene that opens on goals before my own has its scene there. External "
        "c's figures above are tuned on; d's are the ones to trust. External d's row was seen by session 4c "
        "twice: once by accident at commit b841ee9, midway (0.86 / 76 % / 88 %, when `--errors` still printed "
        "the whole table; it now prints only the chosen set's misreads), and when this table was written.",
    ]
    lines += [
        "",
        "Session 5 (issue 16 item 2), tuned on dev, a, b, c and d (d's misreadings printed about ten times; "
        "held-out's printed once by accident, no rule written from them): every change kept only if none of the "
        "six sets got worse; their summed count of right sentences, missing, quantified, story and I/we rose "
        "1431 → 1464 (d 0.86 / 76 % / 88 % → 0.99 / 100 % / 100 %; a, b and c a few sentences and c one "
        "quantified more; dev and held-out unchanged). Once d's misreadings were fixed the six sets stopped "
        "showing new kinds of misread, so most of the session's rules came from 22 small probe sets the analyser's "
        "author wrote himself (benchmarks/data/star_probes.txt, 162 answers in other styles, not in the table; "
        "missing beats right at "
        "the first look at each: 72 % overall, 83 % on the last five; results told first or as praise, typed "
        "'Situation: / Result:' notes, Whisper-like and non-native lines, failure stories, habits and hypotheticals "
        "worded otherwise, implicit tasks, amounts in words); such rules were kept when the six sets stayed equal, "
        "which the probe sets, written and labelled by the same hand, can only partly justify: the new held-out "
        "set decides. Quantified result: amounts in words ('from a week to an afternoon', 'from every day to once "
        "a month', 'a couple of days', 'to single digits', 'one team instead of four', 'thousands of dollars') "
        "measure; versions ('Spark 3.5'), team sizes ('a team of five'), which things ('the two use cases', "
        "'the top 10 customers') and times ('within a quarter', 'after a couple of months') do not. A coordinate "
        "search over the Viterbi transition weights found no change that raised the six sets' total.",
    ]
    lines += ["", "Per beat, precision / recall (baseline in brackets):", ""]
    lines += [
        "| set | " + " | ".join(str(b or "none") for b in LABELS) + " |",
        "|---" * (len(LABELS) + 1) + "|",
    ]
    for name, f in figures.items():
        cells = []
        for beat in LABELS:
            mp, mr = _pr(f["model"], beat)
            bp, br = _pr(f["baseline"], beat)
            cells.append(f"{mp:.2f} / {mr:.2f} ({bp:.2f} / {br:.2f})")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += ["", END, ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="benchmarks.bench_star")
    ap.add_argument("--write", action="store_true", help="write the figures into benchmarks/RESULTS.md")
    # external b, c and d served as held-out sets and may be tuned on since; external e is held out: its
    # misread sentences are never printed
    ap.add_argument(
        "--errors",
        choices=["dev", "heldout", "external_a", "external_b", "external_c", "external_d"],
        help="print the misread sentences of one set",
    )
    args = ap.parse_args(argv)
    sets = {
        "dev": "star_dev.txt",
        "held-out": "star_heldout.txt",
        "external a": "star_external_a.txt",
        "external b": "star_external_b.txt",
        "external c": "star_external_c.txt",
        "external d": "star_external_d.txt",
        "external e": "star_external_e.txt",
    }
    if args.errors:
        # only the chosen set's misreads: the table would show the held-out rows on every look at them
        chosen = args.errors.replace("_", " ").replace("heldout", "held-out")
        for ans, result, wrong in evaluate(load(sets[chosen]))["errors"]:
            print(
                f"-- {ans.id}: missing {result['star']['missing']} (want {ans.missing}), "
                f"quantified {result['quantified_result']} (want {ans.quantified})"
            )
            for s, t, p in wrong:
                print(f"   want {t}, got {p}: {s}")
        return 0
    figures = {name: evaluate(load(file)) for name, file in sets.items()}
    text = markdown(figures)
    print(text)
    if args.write:
        write_section(text, START, END)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
