"""STAR beats from what a story says, not from the words "situation" or "result".

Each sentence is read for what it does: who acts (I, we, they, a system), in which tense and aspect (past
progressive and past perfect set a scene; past simple with "I" is an action; present perfect after the
story is where things stand now), goal and constraint language (had to, needed to, by Friday, without),
outcomes (numbers with units, from … to …, changes, incidents), lessons and counterfactuals ("should have",
"next time", "these days I"). Those give each sentence a score per beat; a Viterbi pass over the
sentences then picks the most likely sequence of beats, with transitions that follow how stories are told
(scene before goal before actions before outcome before lesson, an action after a partial result allowed)
and a mild prior on place (the scene early, the lesson late). A sentence that belongs to no beat
("good question", "so yeah") gets `None`.

An answer told mostly as what one *would* do ("I would start by…") or *usually* does ("I usually…", "When a
query is slow, the first thing I do…") is not a story: `story` is False, but its steps still read as actions
(its imagined setting as the situation), so the beats missing are the ones it really lacks. A story told in
the present ("so I ask her for coffee…") reads its I/we present-tense steps as actions and its present perfect
as background; a story still going on ("so far I've interviewed six teams") reads its present-perfect steps as
actions. Spoken openers ("and so um…") are skipped when reading how a sentence starts. A story that opens
with its measured result ("I once cut X from two hours to six minutes.") keeps that line as the result.

Works on sentences as lists of normalized words (lower case, punctuation stripped, as
recordings/analysis.py tokenizes them), so it is tested on written text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from prepdeck.recordings import lexicon as lx
from prepdeck.recordings.quantities import quantities

BEATS = ("situation", "task", "action", "result", "reflection")
CORE = BEATS[:4]
NONE = "none"
STATES = (*BEATS, NONE)

# how stories move from one beat to the next (additive log-scores; 0 = natural, negative = unusual)
_T = {
    "start": {"situation": 0.0, "task": -0.8, "action": -1.5, "result": -3.0, "reflection": -4.0, NONE: -0.3},
    "situation": {"situation": 0.0, "task": 0.0, "action": -0.2, "result": -2.5, "reflection": -3.0, NONE: -1.5},
    "task": {"situation": -1.0, "task": 0.0, "action": 0.0, "result": -2.0, "reflection": -3.0, NONE: -1.5},
    "action": {"situation": -2.5, "task": -1.5, "action": 0.0, "result": 0.0, "reflection": -0.6, NONE: -1.5},
    "result": {"situation": -3.0, "task": -3.0, "action": -0.8, "result": 0.0, "reflection": 0.0, NONE: -1.0},
    "reflection": {"situation": -4.0, "task": -4.0, "action": -1.0, "result": -0.8, "reflection": 0.0, NONE: -0.5},
    NONE: {"situation": -0.3, "task": -0.8, "action": -1.0, "result": -1.0, "reflection": -0.5, NONE: 0.0},
}  # fmt: skip


@dataclass
class Reading:
    """What one sentence does, as the scorer sees it (kept for tests and the benchmark's error report)."""

    subject: str | None = None  # "i", "we", "they" (anyone else), or None
    progressive: bool = False  # was/were + -ing: the scene
    perfect_past: bool = False  # had been / had + participle: before the story
    state: bool = False  # was/were/had (possession), there was: a description
    event: bool = False  # a past-simple verb of doing
    obligation: bool = False  # had to, needed to, was asked to, the goal
    hypothetical: bool = False  # would / will / should + verb: not what happened
    counterfactual: bool = False  # would have / should have / if I had: a lesson
    lesson: bool = False  # learned, taught me, these days I, next time
    outcome: bool = False  # changes, before→after, incidents gone, shipped
    quantity: bool = False  # a number with a unit (not "two weeks later")
    present_now: bool = False  # present or present perfect describing how things are now
    perfect_now: bool = False  # "I've checked": background when the story is told in the present
    text: str = ""  # the sentence's words, space-separated
    we_now: str | None = None  # "i" or "we" when a clause has them acting in the simple present
    setting: bool = False  # at the time, back then, when I joined, our team
    sequence: bool = False  # first, then, after that
    meta: bool = False  # "good question", "so yeah": no beat
    habitual: bool = False  # "two hundred a day", "every night": how things usually were
    lesson_itself: bool = False  # a lesson even when "I'd"/"I would" just proposes a step
    routine: bool = False  # "I usually", "the first thing I do", "whenever": how one works, not a story
    deed: str | None = None  # "i" or "we" when a main clause has them doing something in the past
    imagined: bool = False  # "Say the product team wants…", "Imagine I join…": a scene made up to answer
    named: str | None = None  # the beat a typed note's label names ("Result: failures caught in minutes")
    mistake: bool = False  # "I deleted a table by running it against the wrong environment": what went wrong


def _past_verb(w: str) -> bool:
    if w in lx.PAST_IRREGULAR:
        return True
    return len(w) > 4 and w.endswith("ed") and w not in lx.NOT_PAST_ED


def _skip_adverbs(words: list[str], i: int) -> int:
    # "I deliberately sequenced…": an -ly word between a subject and its verb is an adverb too
    while i < len(words) and (
        words[i] in lx.ADVERBS
        or (len(words[i]) > 5 and words[i].endswith("ly") and words[i] not in lx.LY_VERBS)
    ):
        i += 1
    return i


def _lead(words: list[str]) -> list[str]:
    """The sentence without its spoken openers ("and so um then we…" -> "then we…")."""
    i = 0
    while i < len(words) and words[i] in lx.OPENERS and words[i] != "then":
        i += 1
    return words[i:] or [""]


_RULE = r"\b(better|worse|faster|slower|easier|harder|smoother|calmer|cheaper) (when|once|if) "


def _general(words: list[str]) -> bool:
    """A claim about how things go in general: "you should always…", "I think the mistake people make is…",
    "what I wouldn't do is…" (not "you know", a filler)."""
    skip = ("and", "but", "so", "um", "uh", "honestly", "really", "usually", "generally", "often", "mostly")
    ws = [w for w in words if w not in skip]
    if len(ws) < 3:
        return False
    past = [w for w in ws if _past_verb(w) and w not in lx.BASE_LIKE_PAST]
    # not "'You kept this thing alive,' my director said": told to me, in the past
    if ws[0] == "you" and ws[1] not in ("know", "see", "mean") and not _past_verb(ws[1]):
        return True
    if (
        ws[0] == "i"
        and ws[1] in ("think", "believe", "feel")
        and (
            "is" in ws or "are" in ws or ws[2] in lx.GENERIC or (" than " in f" {' '.join(ws)} " and not past)
        )
    ):
        return True  # "I think people learn more from one incident than from ten tutorials"
    if ws[0] == "what" and ws[1] == "i" and ws[2] in ("wouldn't", "would", "won't", "don't", "never"):
        return True
    # "People take a no better when they can see the trade-off", "Cost work goes better when you measure
    # first": how well something goes, made to depend on a circumstance and told in the present, is a rule
    # "Nobody owns a cost until you put a name next to it": anyone at all, in the present, is a rule too
    rule = bool(re.search(_RULE, " ".join(ws))) or (ws[0] in lx.GENERIC and ws[1] not in ("of", "in"))
    # "Standards stick when the people who follow them help write them", "A shared glossary is the cheapest
    # data tool there is": things in general (a bare plural, "a …"), with a condition or a superlative
    plural = (
        len(ws[0]) > 4 and ws[0].endswith("s") and not ws[0].endswith("ss") and ws[0] not in lx.NOT_GENERIC
    )
    joined = f" {' '.join(ws)} "
    superlative = bool(re.search(r" (is|are) the (\w+est|best|worst|most|least) ", joined))
    # not "Alerts now fire when lag passes ten minutes": what the story left in place
    condition = plural and bool(re.search(r" (when|if|unless|once) ", joined)) and "now" not in ws
    rule = rule or ((plural or ws[0] in ("a", "an")) and superlative) or (condition and not quantities(ws))
    # "until you put a name on it": "put" is not read as past
    return rule and not (past or (lx.I_WORDS | lx.WE_WORDS) & set(ws))


def read(words: list[str]) -> Reading:
    if len(words) > 2 and words[0] in lx.NOTE_LABELS and words[1] not in lx.NOT_AFTER_LABEL:
        # typed notes: "Situation: legacy cron jobs, no monitoring.", "Action: added alerting." name their beat;
        # what follows the label is read as a line of its own ("added alerting": my step)
        return replace(read(words[1:]), named=lx.NOTE_LABELS[words[0]], text=" ".join(words), meta=False)
    r = Reading(text=" ".join(words))
    text = " " + r.text + " "
    n = len(words)
    said = [w for w in words if w not in lx.OPENERS and w not in lx.VOCAL]
    lessons = [p for p in lx.LESSON_PHRASES if f" {p} " in text]
    # "I can tell you what I'd do." only announces the steps; "what I'd do is find the team…" proposes one and
    # "what I'd do differently is…" is a lesson
    framing = [
        p
        for p in lx.META_PHRASES
        if f" {p} " in text
        and not (p.startswith("what i") and not text.endswith(f" {p} "))
        # "yeah so I think the thing I took from it is…": a spoken opener before a whole sentence
        and not (p in lx.OPENING_META and len(said) > 6)
    ]
    # a bare topic ("um so influencing without authority."): a few words, no one doing anything
    r.meta = bool(framing) or (
        len(said) <= 4
        and not any(w in lx.CONTENT_HINTS or _past_verb(w) or w in lx.SUBJECTS for w in said)
        and not (lessons or quantities(words))  # "Lesson: profile first.", "Result: 6 minutes."
    )
    # "I tell my team lead…" names a person, not the team the story is set in
    people = re.sub(r" team (lead|leads|lead's|manager|mate|mates) ", r" \1 ", text)
    r.setting = any(f" {p} " in people for p in lx.SETTING_PHRASES)
    # "Anyway, this was my part of it.": pointing back at the story, when nothing else is said
    back = " ".join(w for w in words if w not in lx.OPENERS and w != "anyway")
    r.meta = r.meta or (len(said) <= 8 and any(back.startswith(p + " ") for p in lx.POINTING_BACK))
    lead = _lead(words)
    r.sequence = (
        lead[0] in lx.SEQUENCE_STARTS
        or f" {lead[0]} {lead[1] if len(lead) > 1 else ''} " in lx.SEQUENCE_PAIRS
    )
    if lead[:2] == ["the", "next"] and (len(lead) < 3 or lead[2] not in lx.TIME_WORDS):
        r.sequence = False  # "the next close matched": a thing, not "the next day I…"
    # "Bringing them a draft got a faster answer than asking an open question": an -ing subject weighed
    # against another way of working is a lesson, not an outcome
    gerund = len(lead[0]) > 5 and lead[0].endswith("ing") and lead[0] not in lx.NOT_GERUNDS
    # "Automating the boring checks first buys the most time": an -ing subject with a present verb, a rule
    rule = gerund and not any(_past_verb(w) for w in words) and not (lx.I_WORDS | lx.WE_WORDS) & set(words)
    present = ("is", "are", "pays", "buys", "saves", "beats", "makes", "helps", "works", "takes", "gives", "keeps",
               "gets", "wins", "builds", "earns", "costs")  # fmt: skip
    rule = rule and any(w in present for w in lead[1:8])
    # "Asking naive questions turned out to be useful": an -ing subject judged afterwards
    claim = _general(words) or (gerund and (" than " in text or " turned out " in text)) or rule
    r.lesson = bool(lessons) or claim
    # "next time I'd…", "these days I check…" are lessons in a story; in a habit or hypothetical answer, steps
    r.lesson_itself = r.lesson and not (set(lessons) <= lx.STEP_LESSONS and not claim)
    # "so nobody had to install Spark by hand": what no one has to do any more, no goal
    asked = re.sub(r" (nobody|no one|never)( \w+)? (had|has|have|needed|needs|need) to ", " ", text)
    r.obligation = (
        any(f" {p} " in asked for p in lx.GOAL_PHRASES)
        # "I was going to ship a fix on Tuesday": the plan, my goal (not "I realised we were going to miss it")
        or bool(re.match(r"(i|we) (was|were) going to ", " ".join(lead)))
        # "I own the migration": mine to do; not "…a check in every script we own"
        or bool(re.match(r"(i|we) (own|owned) ", " ".join(lead)))
        # "I decided to take the old jobs myself", "I saw an opportunity to fix that": taking it on
        or bool(re.search(r" (i|we) (decided|chose|offered) to (take|own|handle|tackle|pick up) ", text))
        or bool(re.search(r" saw (an opportunity|a chance|the chance) to ", text))
        or bool(
            re.search(
                r" (had|have|got|given) (only |just |about )?\S+ (\S+ )?(hours?|days?|weeks?|months?|sprints?) to ",
                text,
            )
        )
        # "making it safe before the migration", "can you fix this before the offsite": something to do by then,
        # not "finance noticed two days before the close"
        or bool(re.search(r" (to \w+|\w{3,}ing|you \w+) .*before the ", text))
        # "My manager wanted the report ready before the nine o'clock meeting": a state wanted by a time
        or bool(
            re.search(
                r" (wanted|needed|wants|needs|expected|asked for) (\S+ ){1,4}(ready|done|finished|fixed|live|"
                r"working|in place|signed off) (before|by|for|in time) ",
                text,
            )
        )
        or bool(
            re.search(
                r" (escalated|handed|passed|gave|assigned|brought|sent) (it|this|that|the \w+) (over )?to (me|us) ",
                text,
            )
        )
    )  # "we had three weeks to get it in": the constraint; "support escalated it to me": the work came to me
    # "nobody agreed on definitions", "they never approved it": an outcome word denied is how things stood
    # and "the pipeline dropped late events": a thing dropped, not a number that fell
    dropped = re.sub(
        r" dropped (?!to |by |from |below |under |off |sharply |again |significantly |steadily |back )(\w)",
        r" let go \1",
        text,
    )
    r.outcome = any(
        f" {p} " in dropped
        and not re.search(rf" (nobody|no one|never|not|didn't|couldn't|wouldn't) {p} ", text)
        for p in lx.OUTCOME_PHRASES
    ) or bool(re.search(r" from \S+ (\S+ )?(\S+ )?to \S+", text) and quantities(words))
    # "We agreed he would route requests through me", "we agreed to test only those three": what to do next;
    # "they agreed to the plan" stays their yes
    decided = re.search(r" (we|i) agreed to (?!the |a |it |that |this |our |my |them )\w+", text)
    if decided or re.search(r" agreed (that )?(i|he|she|we|they)('d| would| will| should) ", text):
        # "We agreed he would route requests through me": a decision on what to do next, not how it ended
        r.outcome = any(f" {p} " in text for p in lx.OUTCOME_PHRASES if p != "agreed")
    r.quantity = bool(quantities(words))
    r.mistake = bool(re.search(lx.MISTAKE, text))
    # "way calmer", "it got worse after I deployed it", "teams are more happy and I am less stressed": a change
    r.outcome = r.outcome or bool(
        re.search(r" (way|much|a lot|far|so much) \w{3,}er | got (worse|better) ", text)
        # "His way was better for our queries, so we used it": how the comparison came out
        or re.search(
            r" (was|were|turned out|proved) (clearly |much |far )?(better|faster|cheaper|simpler) ", text
        )
        or re.search(r" (more|less) (happy|\w+ed|\w+ful|\w+ive|\w+able|\w+ible|\w+ous|stable) ", text)
    )
    # "Say the product team wants a metric by Friday": the imagined scene of a hypothetical, not a deadline
    imagined = lead[0] in ("say", "suppose", "imagine") or lead[:2] == ["let's", "say"]
    r.setting, r.imagined = r.setting or imagined, imagined
    later = re.match(
        r"(after|within|in) (a|an|one|two|three|four|six|a few|a couple of|several|about|\d+)( \w+)? "
        r"(days|weeks|months|quarters|sprints|years|week|month|quarter|year)\b(?! of)",  # not "after two weeks of digging"
        " ".join(lead),
    )
    if later and not (r.lesson or re.search(r" (i|we) \w+ed ", text)):
        r.outcome = True  # "After a couple of months most of the team is adding tests": where things got to
    if lead[:1] == ["by"] and not re.search(r" (had|have|has|need|needed) to ", text):
        # "By Friday the alias is gone", "by morning nobody even knew": where things stood, not a deadline
        r.outcome, r.obligation = True, False
    # "I should have asked", "I'd probably have caught it": looking back; not "I'd have them split it"
    looked_back = re.finditer(
        r" (would|should|could|i'd|we'd|might)( not| never| \w+ly| just| still)? have (\S+)", text
    )
    r.counterfactual = any(m.group(3) not in lx.OBJECT_STARTERS | {"to"} for m in looked_back) or bool(
        re.search(r" if (i|we) had ", text)
    )
    r.progressive = bool(re.search(r" (was|were) (\w+ing) ", text)) and not re.search(
        r" (was|were) (nothing|something|everything|anything) ", text
    )
    # "we started falling behind by hours", "our jobs began failing": what began to happen to us, the scene
    r.progressive = r.progressive or any(
        f" {v} {h} " in text for v in ("started", "began", "kept") for h in lx.HAPPENING
    )
    r.perfect_now = bool(
        re.search(r" (has|have|'ve) been \w+ing ", text)
    )  # "has been reconciling it for weeks"
    # "two hundred a day", "every night"; not "over a month", "within a week": how long, not how often
    habitual = any(
        f" {p} " in text
        and not re.search(rf" (for|over|in|within|after|about|spent|during|than|me|us|took) {p} ", text)
        for p in lx.HABITUAL_PHRASES
    )
    deeds = 0  # main clauses where I or we did something in the past
    main: str | None = None  # the subject of the first clause that is not subordinate
    # the first clause's subject and verb decide tense and who acts; later clauses can add an event
    for i, w in enumerate(words):
        if w not in lx.SUBJECTS or (i and words[i - 1] in ("if", "unless")):
            continue  # "if I disagreed": a condition, not something that happened
        # "after that he accepts", "because of that we…": "that" points back there, it opens no clause
        subordinate = (
            i > 0
            and words[i - 1] in lx.SUBORDINATORS
            and not (
                words[i - 1] == "that"
                and i > 1
                and words[i - 2] in ("after", "before", "of", "with", "like", "since")
            )
        )
        subject = (
            "i"
            if w in ("i", "i'd", "i'm", "i've", "i'll")
            else "we"
            if w in ("we", "we'd", "we're", "we've", "we'll")
            else "they"
        )
        j = _skip_adverbs(words, i + 1)
        if w in ("i'll", "we'll"):
            verb, j = "will", j - 1  # "After that, I'll pick one painful pipeline": what I will do
        elif w in ("i'd", "we'd"):
            after_d = words[j] if j < n else ""
            # "I'd estimated from the happy path": "I had", the past perfect, not "I would"
            perfect = (_past_verb(after_d) or after_d in lx.PARTICIPLES) and after_d not in lx.BASE_LIKE_PAST
            verb, j = ("had", j - 1) if perfect else ("would", j - 1)
        else:
            verb = words[j] if j < n else ""
        k = _skip_adverbs(words, j + 1)
        nxt = words[k] if k < n else ""
        if w in ("i'd", "we'd") and verb == "had":
            nxt = words[j + 1] if j + 1 < n else ""
        if verb in ("was", "were") and nxt.endswith("ing"):
            r.progressive = (
                True  # read above for every subject; here with adverbs between ("was sort of stepping")
            )
        elif verb in ("kept", "keep", "keeps") and nxt.endswith("ing"):
            r.progressive = True  # "we kept getting the same questions": how things went on, the scene
        elif verb in ("started", "began") and nxt in lx.HAPPENING:
            r.progressive = True  # "we started falling behind by hours" (read above): no deed of ours
        elif verb in ("did", "didn't") and (nxt in lx.STATE_NOW or nxt in ("know", "have", "care", "want")):
            r.state = True  # "I did not know Snowflake at all": how things were, not a deed
        elif verb in ("was", "were") and nxt in lx.PASSIVE_TASK:
            r.obligation = w != "nobody"  # "nobody was assigned to it": the scene
        elif verb in ("was", "were", "wasn't", "weren't"):
            r.state = True
        elif verb == "had" and nxt == "to" and w in ("someone", "everyone", "people"):
            # "Every release, someone had to run forty checks": how things were, unless the sentence goes on to
            # make it mine ("Someone had to pick one, and my director asked me to do it")
            r.state = True
            r.obligation = any(f" {p} " in text for p in lx.GOAL_PHRASES if p != "had to")
        elif verb == "had" and nxt == "to":
            r.obligation = r.obligation or w != "nobody"  # "so nobody had to install it by hand": no goal
        elif verb == "hadn't" or (
            verb == "had" and (nxt == "been" or (_past_verb(nxt) and nxt not in ("had",)))
        ):
            r.perfect_past = True
        elif verb in ("had", "didn't", "couldn't") and nxt not in ("to",) and verb == "had":
            r.state = True
        elif verb in ("would", "will", "should", "could", "'ll", "might") or (
            verb == "am" and nxt == "going"
        ):
            after_have = words[k + 1] if k + 1 < n else ""
            # "I'd have caught it" looks back (a counterfactual); "I'd probably have them split it" proposes
            perfect = nxt == "have" and (_past_verb(after_have) or after_have in lx.PARTICIPLES)
            if not perfect and not (r.event and subject == "they"):
                # after a deed, "…a mode that prints the partitions it would drop" is what a thing does, no proposal
                r.hypothetical = True
        elif verb in ("used",) and nxt == "to":
            r.state = True
        elif verb == "volunteered" and subject != "they":
            r.obligation = True  # "so I kind of volunteered": taking the task on
        elif verb in ("want", "need") and subject in ("i", "we") and not r.we_now:
            r.obligation = r.present_now = (
                True  # "I want tests on the board models": the goal, told in the present
            )
        elif verb in lx.GOAL_VERBS and (nxt == "to" or (subject != "they" and verb in ("needed", "wanted"))):
            # "I needed one definition both teams would sign": a goal too; not "a service that nobody wanted to touch"
            r.obligation = r.obligation or not (subordinate or w == "nobody")
        elif verb == "worked" and nxt in ("at", "for", "as", "in"):
            r.state = r.setting = True
        elif (
            w in ("i'm", "we're")
            and verb.endswith("ing")
            and (re.search(r" (next (week|month|sprint|quarter)|tomorrow) ", text))
        ):
            r.event = True  # "next week I'm presenting it to the architecture group": a step already arranged
        elif (w in lx.BE_NOW or verb == "am") and not (verb.endswith("ing") or nxt.endswith("ing")):
            r.state = True  # "I'm on the platform team", "I am only data engineer": a description
        elif (
            subject in ("i", "we")
            and verb in ("am", "are", "'m", "'re")
            and nxt.endswith("ing")
            and not subordinate
        ):
            # "we are having a big problem with slow reports": a state, the scene; "I am rewriting the worst
            # queries": my step, told in the present progressive
            r.present_now = True
            if nxt in lx.STATE_ING:
                r.state = True
            else:
                r.we_now = r.we_now or subject
        elif w in ("i've", "we've") or (
            verb in ("have", "has", "haven't", "hasn't") and (nxt == "been" or _past_verb(nxt))
        ):
            r.present_now = r.perfect_now = True  # "I've checked the lineage": done before now
        elif verb in lx.PRESENT_VERBS or verb in (
            "is",
            "are",
            "has",
            "have",
            "haven't",
            "hasn't",
            "don't",
            "doesn't",
        ):
            r.present_now = True
            if subject != "they" and verb not in ("is", "are", "has", "have", "haven't", "hasn't"):
                r.we_now = r.we_now or subject  # "and so we agree…": who acts in the present
        elif verb in ("did", "didn't") or _past_verb(verb) or verb in lx.ED_AFTER_SUBJECT:
            if verb in ("realised", "realized") or (verb in ("learned", "learnt") and nxt in lx.LESSON_AFTER):
                pass  # "I realised people resist…", "I learned to check currencies first": a lesson, not a step
            elif verb in lx.STATE_PAST and not (
                verb == "looked" and nxt in ("at", "into", "through", "over", "for")
            ):
                r.state = True  # "it looked fine", but "I looked at the task metrics" is a step
            else:
                r.event = True
                if subject in ("i", "we") and not subordinate:
                    r.deed = r.deed or subject  # "it fell over, so I added a watermark": my step after all
                    deeds += 1
        elif (
            subject == "they"
            and w in ("he", "she", "it", "nobody", "everyone", "someone")
            and (len(verb) > 3 and verb.endswith("s") and not verb.endswith("ss"))
        ):
            r.present_now = True  # "she starts defending the sprint": the present, someone else
        elif subject in ("i", "we") and verb in lx.STATE_NOW and not subordinate:
            r.present_now = r.state = True  # "I never trust a new source at first": how I am, not a step
        elif subject in ("i", "we") and re.fullmatch(r"[a-z]+", verb) and verb not in lx.NOT_A_VERB:
            r.present_now = True  # "I fix", "we agree": the present, whatever the verb
            r.we_now = r.we_now or subject
        if r.subject is None or (main is None and not subordinate):
            # the main clause's subject, not one after "when"/"after" ("When she broke it, I sat with her")
            r.subject = subject
            main = None if subordinate else subject
    if re.search(r" (agreed|decided|said|promised) (that )?i'd ", text):
        # "so we agreed I'd do it as a plugin": a decision told in reported speech, not a proposal or a lesson
        lessons = [p for p in lessons if p not in ("i'd", "i would")]
        r.lesson = bool(lessons) or claim
        r.lesson_itself = r.lesson and not (set(lessons) <= lx.STEP_LESSONS and not claim)
        r.hypothetical = False
    proposal = re.search(r" (my|our|the) (plan|approach|idea|first step|first move) would be ", text)
    if proposal:
        # "My plan would be to spend the first two weeks reading": a proposal, mine
        r.hypothetical = True
        r.subject = r.subject or {"my": "i", "our": "we"}.get(proposal.group(1))
    if r.perfect_past and not r.hypothetical:
        # the "I'd" of "I'd tested it on staging" is "I had": no lesson
        lessons = [p for p in lessons if p not in ("i'd", "i would")]
        r.lesson = bool(lessons) or claim
        r.lesson_itself = r.lesson and not (set(lessons) <= lx.STEP_LESSONS and not claim)
    if words and words[0] in ("there", "it", "this", "that") and n > 1 and words[1] in ("was", "were"):
        r.state = True
    note = words[:1] == lead[:1] and not r.lesson  # typed, not "and scanned bytes dropped…"
    # not "Copy-pasted SQL mostly disappeared": a hyphenated -ed word opening a line describes a thing
    if (
        not r.subject
        and note
        and "-" not in lead[0]
        and (_past_verb(lead[0]) or lead[0] in lx.ED_AFTER_SUBJECT)
    ):
        r.event, r.subject = True, "i"  # typed notes drop the "I": "Profiled the stages, salted the key."
    elif (
        not (r.subject and (r.event or r.state or r.present_now or r.hypothetical or r.perfect_past))
        and not (r.lesson or r.progressive or r.obligation)
        and any(_past_verb(w) for w in words)
    ):
        # no subject, or one whose verb comes later ("Nobody on the team knew Terraform")
        first = next(i for i, w in enumerate(words) if w in ("had", "hadn't") or _past_verb(w))
        after = words[first + 1] if first + 1 < n else ""
        # "my PR had been sitting there for weeks with comments that kept changing", "most tables hadn't been
        # read in months": the past perfect first
        if words[first] in ("had", "hadn't") and (after in lx.PARTICIPLES or _past_verb(after)):
            r.perfect_past = True
        elif words[first] in lx.STATE_PAST:
            r.state = True
        else:
            r.event = True
        r.subject = r.subject or "they"
    if lead[0] in lx.NOTE_GOALS:
        r.obligation = True  # "Goal: under two hours by quarter close"
    elif lead[0] in lx.NOTE_SCENES:
        r.setting = True
    if deeds >= 2 and any(f" {p} " in text for p in lx.TAKING_ON):
        # "so I just picked it up I wrote a backfill that…" (a run-on): taking it on and doing it, told as one
        r.obligation = False
    if imagined or re.search(r" (haven't|hasn't|never|didn't|don't) (had|have|need|needed) to ", text):
        r.obligation = False  # "since I haven't had to do that yet": no goal
    if lead[0] == "if" and r.hypothetical and not r.counterfactual:
        # "If a stakeholder asked me for data I knew was wrong, I would first…": the ask is imagined, the
        # sentence is the step I'd take
        r.obligation = False
    if re.search(r" asked (me|us) to (present|demo|share|showcase|teach|talk about|write up|roll) ", text):
        # "My manager asked me to present it to the wider org": asked to show the work, the recognition it got
        r.obligation, r.outcome = False, True
    goals = [p for p in lx.GOAL_PHRASES if f" {p} " in text]
    if goals == ["so that"] and r.deed and not r.hypothetical:
        # "I sequenced the migration so that the teams in most pain went first": the purpose of my step
        r.obligation = False
    done_verb = r.event or any(_past_verb(w) and w not in lx.STATE_PAST for w in words)
    if (
        goals
        and all(g.startswith("without ") for g in goals)
        and done_verb
        and not re.search(r" to \w+ ", text)
    ):
        # "The upgrade went through without downtime": how it went, not a condition to meet
        r.obligation, r.outcome = False, True
    met = re.search(r" (before|ahead of|by) the deadline ", text)
    if goals == ["deadline"] and met and (r.deed or r.we_now) and not r.hypothetical:
        # "We switch finance over before the deadline", "we shipped it ahead of the deadline": met, an outcome
        r.obligation, r.outcome = False, True
    if imagined:
        # "Imagine I join a team whose bill doubled in a year": the change is the imagined scene, no outcome
        r.outcome = r.quantity = r.present_now = False
    tensed = r.event or r.state or r.perfect_past or r.present_now or r.hypothetical or r.progressive
    done = (m.group(2) for m in re.finditer(r" had( never| not| already| just)? (\S+)", text))
    if not tensed and any(p in lx.PARTICIPLES for p in done):
        r.perfect_past = True  # "Nobody on the team had run one before", "my PR had been sitting there"
    # "Every Monday I copied the sales numbers by hand": what kept happening before the story, its scene
    every = lead[0] in ("every", "each") and len(lead) > 1 and lead[1] in lx.TIME_WORDS | lx.WEEKDAYS
    r.habitual = habitual or every
    # "When a stakeholder pushes back, I ask…": a condition and what I do then, in the present: a habit
    r.routine = any(f" {p} " in text for p in lx.ROUTINE_PHRASES) or (
        lead[0] in ("when", "if", "once")
        and bool(r.we_now or (r.present_now and r.subject in ("i", "we")))  # "…, I never trust it at first"
        and not r.event
    )
    return r


def emissions(r: Reading, words: list[str]) -> dict[str, float]:
    """Per-beat scores for one sentence: how strongly each beat fits what it says."""
    s = dict.fromkeys(STATES, 0.0)
    # "they said yes and so I did it over two weeks": the sentence is my step, whoever it starts with
    mine = r.subject == "i" or (r.subject != "we" and r.deed == "i" and not r.outcome)
    ours = r.subject == "we" or (r.subject != "i" and r.deed == "we" and not r.outcome)
    # "I looked at the task metrics and the slow task was reading…": what I found, told in the progressive
    s["situation"] += (
        1.6 * r.progressive * (0.5 if mine and r.event else 1.0)
        + 1.4 * r.perfect_past
        + 1.0 * r.state
        + 1.2 * r.setting
    )
    s["situation"] += 0.6 * (r.subject == "they" and r.event and not r.outcome) + 1.0 * r.habitual
    # a failure story opens on my own mistake: "I pushed a schema change on a Friday without telling anyone"
    s["situation"] += 1.2 * (r.mistake and (mine or ours) and r.event and not (r.outcome or r.lesson))
    # "my manager handed it to me, with the ask that…": a goal that is mine, whoever the subject is
    s["task"] += 2.2 * r.obligation + 0.4 * (r.obligation and (mine or bool(lx.I_WORDS & set(words))))
    s["action"] += r.event * (2.0 if mine else 1.3 if ours else 0.3) + 0.8 * r.sequence
    # "I was rewriting the loader while…": my doing, told in the progressive (its place decides scene or step)
    s["action"] += 1.0 * (r.progressive and (mine or ours) and not r.event and not r.setting)
    s["action"] -= 0.8 * (r.outcome or r.quantity) * (not mine)
    # "I presented that six of ninety tables…": a number in what I did is evidence, not the outcome
    # an outcome word inside what I did ("I built it, got it approved") or inside a lesson ("I realised people
    # resist the cost more than the change") is weaker than one that is the sentence
    inside = ((mine or ours) and r.event) or r.lesson_itself
    s["result"] += (
        1.8 * r.outcome * (0.6 if inside else 1.0) + (0.5 if (mine or ours) and r.event else 1.2) * r.quantity
    )
    if r.perfect_past and not (r.event or r.present_now):
        s["result"] *= (
            0.5  # "I'd estimated from the happy path and hadn't looked at fourteen consumers": before
        )
    s["result"] += 0.5 * (r.present_now and not mine)
    s["result"] += 0.4 * (r.subject == "they" and r.event)
    s["reflection"] += 2.4 * r.lesson + 2.0 * r.counterfactual + 0.8 * (r.present_now and mine)
    s[NONE] += 3.0 * r.meta - 0.8
    if r.named:
        s[r.named] += 2.5
    if r.hypothetical and not r.counterfactual:
        s["action"] -= 0.5
        s["reflection"] += 0.6
    if r.meta:
        for b in BEATS:
            s[b] -= 3.0
    return s


def _prior(beat: str, pos: float) -> float:
    if beat == "situation":
        return -2.0 * max(0.0, pos - 0.35)
    if beat == "task":
        return -1.5 * max(0.0, pos - 0.5)
    if beat == "result":
        return -2.0 * max(0.0, 0.45 - pos)
    if beat == "reflection":
        return -3.0 * max(0.0, 0.6 - pos)
    return 0.0


def is_hypothetical(readings: list[Reading]) -> bool:
    """Told as what one would do: most sentences hypothetical and hardly any past event or scene."""
    if not readings:
        return False
    hypo = sum(r.hypothetical and not r.counterfactual for r in readings)
    # a past verb inside a general lesson ("Most dashboards fail because nobody asked…") is not a story's event
    past = sum((r.event or r.progressive or r.perfect_past) and not r.lesson_itself for r in readings)
    # "Say a stakeholder asks for a metric I think is misleading. I'd build it, but…": an imagined scene
    # and what I'd do in it, however short
    imagined = any(r.imagined for r in readings[:2])
    return (hypo >= max(2, 0.4 * len(readings)) or (imagined and hypo >= 1)) and past <= 0.25 * len(readings)


def is_habit(readings: list[Reading]) -> bool:
    """Told as what one usually does ("I usually…", "the first thing I do…"): habit words in at least two
    sentences and hardly any past event."""
    past = sum(r.event or r.progressive or r.perfect_past for r in readings)
    # "Whenever we onboard a new source I profile a week of it. I look at… Then I write…": the first line says
    # it is a habit and the steps after it are told in the present
    # ("When I take over a pipeline, it's always a bit scary. First I read the code…" opens the same way)
    first = next((r for r in readings if not r.meta), None)  # after "not sure this is the kind of example…"
    # "The way I handle a noisy alert is…", "What I normally do first is…" open on how I work, too
    how = r"(\w+ )?(the way i (handle|deal with|approach|tackle)|what i (normally|usually|typically|generally|tend to) do) "
    opened = first is not None and (
        bool(re.match(r"(\w+ )?(whenever|usually|typically|normally|generally) ", first.text))
        or bool(re.match(how, first.text))
        or (first.routine and _lead(first.text.split())[0] in ("when", "if"))
    )
    now = sum(bool(r.we_now) and not r.event for r in readings)
    routine = sum(r.routine for r in readings) >= 2 or (opened and now >= 2)
    return routine and past <= 0.25 * len(readings)


def _as_done(r: Reading) -> Reading:
    """A step one would take, or usually takes, read as the action it proposes."""
    if re.search(r"\b(i'd|i would|we'd|we would) (\w+ly )?(expect|assume|imagine|guess|bet) ", r.text):
        # "In a new role, I'd expect the data to be messier than anyone says": the imagined scene, not a step
        return replace(r, hypothetical=False, lesson=False, lesson_itself=False, setting=True)
    if (r.hypothetical and not r.counterfactual) or (
        r.present_now and r.subject in ("i", "we") and not (r.lesson_itself or r.state)
    ):
        # "Whenever we onboard a source I profile a week of it": the "whenever" is the step's cue, not a scene
        habitual = r.habitual and not (r.routine and r.subject == "i")
        return replace(
            r, hypothetical=False, present_now=False, event=True, lesson=r.lesson_itself, habitual=habitual
        )
    if r.state and r.present_now and r.subject in ("i", "we"):
        # "When I get a new source, I never trust it at first": how I stand, the scene of the habit
        return replace(r, lesson=r.lesson_itself, present_now=False)
    return r


def told_in_the_present(readings: list[Reading]) -> bool:
    """A story told in the present ("so I ask her for coffee…"): at least two sentences where I/we act in the
    simple present, and no fewer than past events. Its present-tense steps are its actions, its present perfect the background."""
    now = sum(bool(r.we_now) for r in readings)
    past = sum(r.event for r in readings)
    return now >= 2 and now >= past


def still_going(readings: list[Reading]) -> bool:
    """A story still going on, told in the present perfect ("so far I've interviewed six teams, I've drafted a
    proposal"): its present-perfect steps are its actions."""
    done = sum(r.perfect_now and r.subject in ("i", "we") for r in readings)
    now = sum(bool(r.we_now) and not r.perfect_now for r in readings)
    return done >= 2 and done > now and sum(r.event for r in readings) <= 1


def _as_told(r: Reading) -> Reading:
    if r.perfect_now:
        return replace(r, present_now=False, perfect_now=False, event=False, perfect_past=True)
    if not (r.we_now or r.event or r.outcome or r.obligation) and re.search(
        r" (is|are|isn't|aren't) ", f" {r.text} "
    ):
        return replace(r, state=True)  # "On Monday morning the dashboards are all broken": the scene
    if r.we_now and not r.lesson_itself and not r.event:
        # "she hadn't seen it that way and so we agree…": the step is ours, whoever the sentence starts with
        # but "after that he accepts my proposal and we change the design": his yes is how it ended
        who = r.subject if r.subject == "they" and r.outcome else r.we_now
        return replace(r, present_now=False, event=True, lesson=False, subject=who, perfect_past=False)
    return r


def _choosing(r: Reading, words: list[str]) -> bool:
    """An answer's first sentence that only picks the story ("The biggest mistake I've made, okay.", "This is a
    customer one."): short, an aside or "this is/one", and no scene, goal or outcome in it."""
    spoken = [w for w in words if w not in lx.ASIDES and w not in lx.OPENERS]
    if spoken[:1] == ["if"]:
        return False  # "hmm, if the stakeholder really insists on the wrong metric": the imagined scene
    if spoken[:3] in (["this", "is", "about"], ["this", "one's", "about"]) and not r.quantity:
        return True  # "Sure, so this is about onboarding, which I kind of fell into.": the topic named
    if len(words) > 10:
        return False
    if _lead(words)[:2] == ["a", "time"]:
        return True  # "A time I influenced without authority, hmm.": the question said back
    said = r.obligation or r.outcome or r.progressive or r.perfect_past or r.quantity
    if said or r.event or r.state or r.setting or r.habitual:
        return False  # "Okay, so our nightly job kept failing.": the story has begun
    return bool(lx.ASIDES & set(words)) or words[:2] in (["this", "is"], ["this", "one"])


def label(sentences: list[list[str]]) -> tuple[list[str | None], bool]:
    """(a beat or None per sentence, whether the answer is a story). An answer that is not a story (what one
    would do, or usually does) still gets beats: its steps are actions, its imagined setting the situation,
    so `missing` says what it lacks (no real situation, no result) rather than that it has no actions."""
    if not sentences:
        return [], False
    readings = [read(ws) for ws in sentences]
    story = not (is_hypothetical(readings) or is_habit(readings))
    if story:
        # "We'd go through one of her queries together every Friday": in a story, "would" with "every" is
        # what we used to do, a step, not a proposal
        readings = [
            replace(r, hypothetical=False, event=True)
            if r.hypothetical and not r.counterfactual and re.search(r" (every|each) \w+ ", f" {r.text} ")
            else r
            for r in readings
        ]
    if not story:
        readings = [_as_done(r) for r in readings]
    elif still_going(readings):
        readings = [
            replace(r, present_now=False, event=True) if r.perfect_now and r.subject in ("i", "we") else r
            for r in readings
        ]
    elif told_in_the_present(readings):
        readings = [_as_told(r) for r in readings]
    if _choosing(read(sentences[0]), sentences[0]):  # as said, before a present-tense story's steps are read
        readings[0] = replace(readings[0], meta=True)
    if len(readings) >= 3 and _headline(readings[0]):
        # "I once cut the nightly job from two hours to six minutes.": the result told first, then the story
        return ["result", *_viterbi(readings[1:], sentences[1:])], story
    beats = _viterbi(readings, sentences)
    return (_ending(_asked_first(beats, readings), readings) if story else beats), story


def _asked_first(beats: list[str | None], readings: list[Reading]) -> list[str | None]:
    """A story that opens on goals and has no scene, whose own goal comes later ("The ML team asked us to
    expose raw clicks. That data had emails in it. I had to say no without blocking them."): what came before
    my goal, someone else's ask included, is the scene (also when a line of it already reads as the scene)."""
    lead = 0
    while lead < len(beats) and beats[lead] in ("task", "situation"):
        lead += 1
    # "A new regulation meant we had to delete data on request. I owned the deletion pipeline.": my own goal
    # comes first if I name one; what we as a company had to do is then the scene
    own = [i for i in range(lead) if readings[i].subject == "i" and readings[i].obligation] or [
        i for i in range(lead) if readings[i].subject in ("i", "we") and readings[i].obligation
    ]
    if lead < 2 or not own or own[0] == 0 or "task" not in beats[: own[0]]:
        return beats
    ask = beats.index("task")
    if "situation" in beats[:ask] or ("situation" in beats and "situation" not in beats[ask : own[0]]):
        return beats  # "Our job was slow. My manager asked me to fix it. I had to…": the scene came first
    return ["situation"] * own[0] + beats[own[0] :]


def _ending(beats: list[str | None], readings: list[Reading]) -> list[str | None]:
    """A story with steps and no result whose last sentence before its lessons is not my own step ("He took
    the trimmed version", "The reports were slow but correct all weekend"): that sentence is how it ended.
    Read alone it looks like one more step; read as the end of the answer it is the outcome."""
    if "result" in beats or beats.count("action") < 2:
        return beats
    last = max((i for i, b in enumerate(beats) if b not in ("reflection", None)), default=-1)
    if last < 2 or beats[last] != "action":
        return beats
    r = readings[last]
    # "The reports were slow but correct all weekend, and I shipped the fix on Monday": a thing comes first
    first = _lead(r.text.split())[0]
    thing = first in ("the", "their", "his", "her", "he", "she", "they", "it", "everyone", "nobody")
    if (r.subject in ("i", "we") and not thing) or r.hypothetical or r.lesson or r.sequence or r.obligation:
        return beats
    return [*beats[:last], "result", *beats[last + 1 :]]


def _headline(r: Reading) -> bool:
    """A first sentence that is the outcome, measured, of something I or we did ("I once cut X from 2 h to
    6 min"), or announced as the end told first ("Long story short, we got the pager down to five"): told
    first, it is the result, not the scene."""
    if re.match(r"(so )?(long story short|the short version is|bottom line) ", r.text) and r.quantity:
        return True
    if re.match(r"(so )?the (end )?(result|outcome) (was|is) ", r.text):
        return True  # "The end result was that our nightly batch finished three hours earlier."
    return (
        r.subject in ("i", "we")
        and r.event
        and r.outcome
        and r.quantity
        and not (r.progressive or r.perfect_past or r.lesson or r.obligation or r.hypothetical)
        # "We went from three nodes to twelve as traffic grew": what happened to us, the scene
        and not re.search(r" (i|we) (\w+ )?(went|grew|got|came|hit|reached|saw|had) ", f" {r.text} ")
        # "We pulled ad spend from a vendor API and in the spring they cut our rate limit by 90 %": done to us
        and not re.search(r" (they|he|she) ", f" {r.text} ")
    )


def _viterbi(readings: list[Reading], sentences: list[list[str]]) -> list[str | None]:
    k = len(sentences)
    emit = [emissions(r, ws) for r, ws in zip(readings, sentences, strict=True)]
    best: list[dict[str, float]] = []
    back: list[dict[str, str]] = []
    for i in range(k):
        pos = i / (k - 1) if k > 1 else 0.5
        row, brow = {}, {}
        for b in STATES:
            here = emit[i][b] + _prior(b, pos)
            if i == 0:
                row[b], brow[b] = _T["start"][b] + here, "start"
            else:
                p = max(STATES, key=lambda q: best[i - 1][q] + _T[q][b])
                row[b], brow[b] = best[i - 1][p] + _T[p][b] + here, p
        best.append(row)
        back.append(brow)
    state = max(STATES, key=lambda q: best[-1][q])
    path = [state]
    for i in range(k - 1, 0, -1):
        state = back[i][state]
        path.append(state)
    path.reverse()
    return [None if b == NONE else b for b in path]
