"""STAR beats from content and order (recordings/star.py through analysis.analyze_text), on labelled
sentences: beats, missing beats, quantified result, I/we; and the design analysis of a design answer."""

from __future__ import annotations

import pytest

from prepdeck.recordings.analysis import analyze, analyze_text

NATURAL = """Our nightly revenue load had been creeping past its window for weeks.
Finance was opening their dashboards at eight and seeing yesterday's numbers.
It landed on me to get it back under two hours before the quarter close.
I pulled the Spark UI for the worst night and found one task reading far more data than the rest.
I salted the customer key and broadcast the small dimension table.
The load went from three hours to fifty minutes.
Looking back, I should have checked for skew before adding executors."""


def beats(result: dict) -> list[str | None]:
    return [s["beat"] for s in result["star"]["sentences"]]


def test_a_story_that_never_names_its_beats() -> None:
    r = analyze_text(NATURAL)
    assert beats(r) == ["situation", "situation", "task", "action", "action", "result", "reflection"]
    assert r["star"]["missing"] == [] and r["star"]["story"] is True
    assert r["quantified_result"] is True
    assert r["i_we"]["i"] == 4 and r["i_we"]["we"] == 1  # "our nightly revenue load"
    assert r["kind"] == "star"
    assert not any("STAR" in w or "quantify" in w for w in r["warnings"])


def test_cue_words_in_the_wrong_beat_do_not_decide() -> None:
    r = analyze_text(
        "As a result of a reorg, my team inherited a pipeline nobody understood.\n"
        "The situation was that it duplicated rows whenever the database failed over.\n"
        "I learned how the connector tracks offsets by reading its source over a weekend.\n"
        "I made the sink idempotent with a merge on the primary key.\n"
        "Duplicates dropped to zero across the next six failovers."
    )
    assert beats(r) == ["situation", "situation", "action", "action", "result"]
    assert r["star"]["missing"] == ["task"]
    assert r["star"]["beats"]["reflection"]["found"] is False
    assert r["quantified_result"] is True  # "zero", "six failovers"
    assert any(w == "STAR beats not heard: task" for w in r["warnings"])


def test_a_hypothetical_answer_is_not_a_story() -> None:
    r = analyze_text(
        "I would start by figuring out who is affected.\nThen I'd look at the logs and the recent deploys.\n"
        "I would roll back if a deploy lines up with the errors.\nAfter that I'd write a postmortem."
    )
    assert r["star"]["story"] is False
    # its steps are the actions it proposes: what it lacks is a real situation, task and result
    assert beats(r) == ["action", "action", "action", "action"]
    assert r["star"]["missing"] == ["situation", "task", "result"]
    assert r["warnings"] == ["this is what you would do, not a time you did it: tell one real story"]


def test_a_habit_answer_is_not_a_story_and_its_incidental_numbers_are_no_result() -> None:
    r = analyze_text(
        "When a pipeline fails, the first thing I do is read the last task's log.\n"
        "I check whether the input changed and which of two or three upstream tables arrived late.\n"
        "Usually it's one of those, and I fix that before touching anything else.\n"
        "It saves me from chasing five things at once."
    )
    assert r["star"]["story"] is False
    assert beats(r)[:3] == ["action", "action", "action"]
    assert r["quantified_result"] is False
    assert r["warnings"] == ["this is what you would do, not a time you did it: tell one real story"]


@pytest.mark.parametrize(
    "text",
    [
        "Runtime went from 3 h → 40 min.",
        "Runtime went from 3 h -> 40 min.",
        "We compared Spark vs. Flink for the job.",
        "We cut the slow parts, e.g. the nightly join, by half.",
        "We kept one source of truth, i.e. the warehouse.",
    ],
)
def test_an_arrow_or_an_abbreviation_does_not_end_a_sentence(text: str) -> None:
    r = analyze_text(text)
    assert [s["text"] for s in r["star"]["sentences"]] == [text]


def test_a_before_after_typed_with_an_arrow_is_a_quantified_result() -> None:
    r = analyze_text(
        "Our nightly build was slow.\nI split the biggest model.\nRuntime went from 3 h → 40 min."
    )
    assert beats(r)[-1] == "result" and r["quantified_result"] is True


def test_missing_result_and_an_unquantified_one() -> None:
    no_result = analyze_text(
        "When I joined, nobody owned the Airflow cluster.\nMy manager asked me to make failures visible.\n"
        "I added a failure callback that posted to Slack.\nSo yeah, that's roughly what I did there."
    )
    assert beats(no_result) == ["situation", "task", "action", None]
    assert no_result["star"]["missing"] == ["result"] and no_result["quantified_result"] is False
    vague = analyze_text(
        "The marketing team used a fragile script.\nI needed to replace it before the holidays.\n"
        "I built a small reverse ETL job.\nIt worked much better and the marketing team was happy."
    )
    assert vague["star"]["missing"] == [] and vague["quantified_result"] is False
    assert any(w.startswith("quantify the result") for w in vague["warnings"])


def test_a_number_that_says_when_is_not_a_quantified_result() -> None:
    r = analyze_text(
        "Our dashboards were slow.\nI had to fix them before the offsite.\nI built an aggregate table.\n"
        "Two weeks later the dashboards were fast and people stopped complaining."
    )
    assert beats(r)[-1] == "result" and r["quantified_result"] is False


def test_i_and_we_are_counted_exactly_and_us_the_country_is_not_we() -> None:
    r = analyze_text(
        "We moved our US tables and I checked them myself. They asked us, and I'd said my piece."
    )
    assert r["i_we"] == {"i": 4, "we": 3, "i_share": 0.57}


def test_a_written_answer_has_no_audio_figures() -> None:
    r = analyze_text("Um, I think the job was, like, slow.\nI fixed it.")
    for key in ("wpm", "pauses", "duration"):
        assert key not in r
    assert "per_minute" not in r["fillers"] and r["fillers"]["by_type"] == {"um": 1, "like": 1}
    assert all(set(w) == {"text", "filler"} | ({"filler_type"} if w["filler"] else set()) for w in r["words"])
    assert len(r["star"]["sentences"]) == 2  # the line break ends a sentence


def test_timed_beats_keep_their_seconds() -> None:
    words = [{"text": w, "start": i * 0.5, "end": i * 0.5 + 0.4} for i, w in enumerate(NATURAL.split())]
    star = analyze(words, words[-1]["end"])["star"]
    assert star["beats"]["situation"]["start"] == 0.0
    assert star["beats"]["situation"]["end"] == star["beats"]["task"]["start"]
    assert star["order"] == ["situation", "task", "action", "result", "reflection"]


DESIGN = """First, the requirements: analysts need order data within five minutes, and we assume 20 million events a day.
Producers write to Kafka, a Flink job lands the events in Iceberg tables on S3.
The topic has 24 partitions, so peak throughput of 2,000 events per second is fine.
The sink is idempotent, so retries and replays never duplicate rows, and we alert on consumer lag.
I chose Flink over Spark streaming because of event-time windows, at the cost of a second runtime to operate."""


def test_a_design_answer_gets_the_design_analysis_and_no_star_warnings() -> None:
    r = analyze_text(DESIGN, kind="design")
    assert r["kind"] == "design" and "star" not in r and "quantified_result" not in r
    d = r["design"]
    assert [s["part"] for s in d["sentences"]] == [
        "requirements",
        "architecture",
        "scale",
        "reliability",
        "tradeoffs",
    ]
    assert d["missing"] == [] and d["in_order"] is True
    assert d["numbers_with_units"] >= 3 and d["tradeoffs"] >= 2
    assert r["warnings"] == []


SKETCH = (  # architecture only, long enough to be judged as a design
    "Producers write click events to Kafka. A Flink job reads the topic, enriches each event and writes "
    "Parquet files to S3 through an Iceberg sink. Airflow runs a nightly Spark job that builds the session "
    "tables for the analysts."
)


@pytest.mark.parametrize(
    ("text", "warning"),
    [
        (SKETCH, "design parts not heard: requirements"),
        (SKETCH, "no numbers with units: size it"),
        (SKETCH, "no trade-off named"),
    ],
)
def test_each_design_problem_is_one_message(text: str, warning: str) -> None:
    warnings = analyze_text(text, kind="design")["warnings"]
    assert sum(w.startswith(warning) for w in warnings) == 1
    assert not any("STAR" in w or "'we'" in w for w in warnings)


def test_hyphenated_words_stay_one_word() -> None:
    from prepdeck.recordings.transcribe import Word, join_hyphenated

    words = [
        Word("We", 0.0, 0.2, 0.9),
        Word("ran", 0.2, 0.4, 0.9),
        Word("on", 0.4, 0.6, 0.9),
        Word("-premise", 0.6, 1.0, 0.7),
        Word("and", 1.0, 1.1, 0.9),
        Word("near", 1.1, 1.3, 0.9),
        Word("-", 1.3, 1.35, 0.9),
        Word("real", 1.35, 1.5, 0.9),
        Word("-time,", 1.5, 1.8, 0.8),
        Word("then", 1.8, 2.0, 0.9),
        Word("-", 3.0, 3.1, 0.9),  # a dash after a pause is not part of a word
        Word("done.", 3.1, 3.4, 0.9),
    ]
    joined = join_hyphenated(words)
    assert [w.text for w in joined] == [
        "We",
        "ran",
        "on-premise",
        "and",
        "near-real-time,",
        "then",
        "-",
        "done.",
    ]
    assert (joined[2].start, joined[2].end, joined[2].prob) == (0.4, 1.0, 0.7)
    r = analyze([w.to_json() for w in joined], 4.0)
    assert "on-premise" in r["text"].split() and "near-real-time," in r["text"].split()


def test_split_numbers_are_joined_and_timeless_or_stretched_words_dropped() -> None:
    from prepdeck.recordings.transcribe import Word, drop_stretched, drop_timeless_runs, join_hyphenated

    joined = join_hyphenated(
        [Word("about", 0.0, 0.3, 0.9), Word("2", 0.3, 0.5, 0.9), Word(",000", 0.5, 0.8, 0.8)]
    )
    assert [w.text for w in joined] == ["about", "2,000"]
    words = [
        Word("concerns.", 19.1, 19.3, 1.0),
        *(Word(t, 19.3, 19.3, 0.3) for t in ("and", "we'll", "see", "you", "in", "the", "next", "one.")),
        Word("Um,", 21.0, 21.0, 0.9),  # an um timed as an instant is still heard
        Word("We", 21.7, 22.2, 0.6),
        Word("a", 22.4, 25.9, 0.98),  # stretched over 3.5 s of speech: the decoder lost its place
        Word("it", 26.0, 26.01, 0.9),  # one short word alone is kept
    ]
    kept = drop_stretched(drop_timeless_runs(words))
    assert [w.text for w in kept] == ["concerns.", "Um,", "We", "it"]


def test_a_story_told_in_the_present_has_actions_and_its_present_perfect_is_background() -> None:
    r = analyze_text(
        "So it's a Monday and I'm on call for the ingestion team.\n"
        "I've checked the deploy log, and nothing changed over the weekend.\n"
        "So I open the connector logs and find a message that's too big for the topic.\n"
        "I bump the max message size and restart the connector.\n"
        "By lunch the lag is gone and nobody downstream even noticed."
    )
    assert r["star"]["story"] is True
    assert beats(r) == ["situation", "situation", "action", "action", "result"]


def test_a_story_still_going_on_has_meta_lines_around_its_present_perfect_actions() -> None:
    r = analyze_text(
        "Right now I'm in the middle of one.\n"
        "Our company is splitting the monolith into services, and nobody has decided who owns the events.\n"
        "I've been asked to come up with an ownership model for them.\n"
        "So far I've interviewed six of the service teams about what they publish.\n"
        "I've drafted a proposal where the producers own the schema.\n"
        "So I can't tell you how it ends yet."
    )
    assert beats(r) == [None, "situation", "task", "action", "action", None]
    assert r["star"]["missing"] == ["result"] and r["quantified_result"] is False


def test_how_long_the_work_took_is_not_a_quantified_result() -> None:
    r = analyze_text(
        "Our recommendations feed was built on a graph database nobody had run before.\n"
        "I pushed for it and got it approved.\n"
        "We spent about two months getting the cluster stable.\n"
        "In the end we dropped it and went back to plain tables, which did the job fine."
    )
    assert beats(r) == ["situation", "action", "action", "result"]
    assert r["quantified_result"] is False


def test_a_spoken_run_on_with_a_bare_topic_a_time_box_and_a_short_meeting() -> None:
    r = analyze_text(
        "um so ownership.\n"
        "When our platform engineer left, nobody was assigned to the billing export.\n"
        "We had three weeks to move it off his laptop before finance's audit.\n"
        "so instead of waiting I asked the finance lead for a half hour to walk through what they used.\n"
        "and then I rebuilt it as a scheduled dbt job with tests.\n"
        "The audit passed and finance stopped asking about the export."
    )
    assert beats(r) == [None, "situation", "task", "action", "action", "result"]
    assert r["star"]["missing"] == [] and r["quantified_result"] is False  # "a half hour" was the meeting


def test_a_realisation_in_the_middle_of_a_story_is_a_reflection() -> None:
    r = analyze_text(
        "Our analysts each wrote SQL their own way.\nI wanted us to adopt a shared formatter.\n"
        "I ran it over the repo and showed that most files needed only whitespace changes.\n"
        "That was the moment I realised people resist the unknown cost more than the change itself.\n"
        "Then we turned it on as a warning for a month before making it block merges.\n"
        "By the time it blocked, hardly anyone noticed."
    )
    assert beats(r) == ["situation", "task", "action", "reflection", "action", "result"]


def test_what_i_looked_at_is_a_step_even_when_what_it_showed_is_in_the_progressive() -> None:
    r = analyze_text(
        "We were asked to build a live recommendations feed on a graph database.\n"
        "Nobody on the team had run one in production before.\n"
        "I looked at the task metrics and the slow stage was reading almost all of one customer's orders.\n"
        "I salted that key across twenty buckets.\n"
        "The stage went from seventy minutes to six."
    )
    assert beats(r) == ["task", "situation", "action", "action", "result"]


def test_the_imagined_setting_of_a_hypothetical_answer_is_its_situation_not_a_deadline() -> None:
    r = analyze_text(
        "I haven't had exactly that happen, but I can tell you what I'd do.\n"
        "Say the product team wants a new metric by Friday and my sprint is already full.\n"
        "First I would ask what decision the metric feeds.\n"
        "If it really has to be in the dashboard, I'd go to my manager with two options."
    )
    assert r["star"]["story"] is False
    assert beats(r) == [None, "situation", "action", "action"]
    assert r["star"]["missing"] == ["task", "result"]


def test_a_present_tense_story_reads_its_scene_our_step_and_its_outcome() -> None:
    r = analyze_text(
        "So it's a Friday afternoon and I'm merging a change that renames a column in our orders model.\n"
        "On Monday morning the dashboards are all broken.\n"
        "I put the old column back as an alias and tell the analysts what happened.\n"
        "She hadn't seen the lineage and so we agree to list every dashboard before a rename.\n"
        "The next few renames are way calmer and nobody complains."
    )
    assert beats(r) == ["situation", "situation", "action", "action", "result"]
    assert r["star"]["missing"] == ["task"]


def test_a_before_after_in_words_is_a_quantified_result() -> None:
    r = analyze_text(
        "Nobody owned our attribution pipeline.\nI decided to take it on.\n"
        "I replaced its dead sources and documented every step.\n"
        "When marketing asked for a new channel, it took me a day instead of the week it used to take."
    )
    assert beats(r)[-1] == "result" and r["quantified_result"] is True


def test_a_story_still_going_on_keeps_its_present_perfect_steps_with_a_plan_for_next_week() -> None:
    r = analyze_text(
        "Our company is splitting the monolith into services.\n"
        "I've been asked to come up with an ownership model for the events.\n"
        "So far I've interviewed six of the service teams about what they publish.\n"
        "I've drafted a proposal where the producers own the schema and we own the transport.\n"
        "Next week I'm presenting it to the architecture group."
    )
    assert beats(r)[2:4] == ["action", "action"]


@pytest.mark.parametrize(
    ("result", "quantified"),
    [
        ("Since then the report has been ready by 7:30 every morning.", True),
        ("Pages for the team dropped from twelve to two.", True),
        ("The cleanup now costs 30 grand less.", True),
        ("Since then nobody has been paged at 2 am.", False),  # when it used to happen, not a measure
    ],
)
def test_clock_times_and_before_after_words_in_a_result(result: str, quantified: bool) -> None:
    r = analyze_text(
        f"Our morning report was always late.\nI had to fix it.\nI moved the heavy join upstream.\n{result}"
    )
    assert beats(r)[-1] == "result" and r["quantified_result"] is quantified


def test_typed_notes_without_subjects() -> None:
    r = analyze_text(
        "Context: nightly revenue load kept missing its 6 am window.\n"
        "Goal: get it under two hours before quarter close.\n"
        "Profiled the Spark stages, found one skewed customer key.\n"
        "Salted the key, broadcast the small dimension.\n"
        "Paired with the analyst to check the totals.\n"
        "Runtime 3 h → 40 min, no misses since.\n"
        "Lesson: check skew before adding executors."
    )
    assert beats(r) == ["situation", "task", "action", "action", "action", "result", "reflection"]
    assert r["star"]["missing"] == [] and r["quantified_result"] is True


def test_my_steps_told_in_the_past_progressive_are_actions() -> None:
    r = analyze_text(
        "Our team owned the billing pipeline at a payments startup.\n"
        "In March the monthly invoices came out short for about forty customers.\n"
        "I had to find out why before finance closed the books.\n"
        "I was comparing the raw events with the invoice lines all afternoon.\n"
        "The gap turned out to be refunds issued across a month boundary.\n"
        "I was rewriting the refund join while a teammate drafted the customer emails.\n"
        "The next close matched to the cent."
    )
    assert beats(r) == ["situation", "situation", "task", "action", "action", "action", "result"]
    assert r["quantified_result"] is False  # "about forty customers" is in the scene


def test_what_kept_happening_is_the_scene_and_picking_it_up_is_the_task() -> None:
    r = analyze_text(
        "We kept getting the same questions about table freshness.\n"
        "Our lead asked around for an owner, and I picked it up.\n"
        "We built a freshness page from the warehouse metadata.\n"
        "Questions about freshness dropped from about ten a week to one or two."
    )
    assert beats(r) == ["situation", "task", "action", "result"]


def test_an_always_habit_is_not_a_story_and_a_hypothetical_opens_and_closes_without_beats_it_lacks() -> None:
    habit = analyze_text(
        "When a stakeholder pushes back, I ask what decision they are trying to make.\n"
        "I always bring the numbers, not my opinion.\n"
        "If they still disagree, I write down both options and let their manager pick."
    )
    assert habit["star"]["story"] is False and beats(habit)[1:] == ["action", "action"]
    hypothetical = analyze_text(
        "I've never had a teammate refuse a code review, but here's how I'd approach it.\n"
        "First I'd ask them privately what's going on.\n"
        "Then I'd pair with them on the next pull request.\n"
        "The worst thing you can do is escalate before you've talked."
    )
    assert hypothetical["star"]["story"] is False
    assert beats(hypothetical) == [None, "action", "action", "reflection"]


def test_my_problem_is_the_task_and_from_minutes_to_seconds_is_a_measured_result() -> None:
    r = analyze_text(
        "Our scheduler lag kept growing.\nIt was my week on call, so it was my problem.\n"
        "I archived the old task instances.\nScheduling lag went from minutes to seconds."
    )
    assert beats(r) == ["situation", "task", "action", "result"]
    assert r["quantified_result"] is True


def test_a_spoken_story_where_i_volunteer_for_the_task() -> None:
    r = analyze_text(
        "So basically we had this Kafka cluster that was always on fire.\n"
        "uh the brokers kept running out of disk like every other week.\n"
        "and nobody really owned it so I kind of volunteered.\n"
        "so I went through the topics and like half of them had retention set to forever.\n"
        "and I set sane defaults and got the owners of the big ones to agree to seven days.\n"
        "and disk usage went down by like sixty percent and we haven't had a disk page since.\n"
        "yeah so that's it."
    )
    assert beats(r) == ["situation", "situation", "task", "action", "action", "result", None]
    assert r["star"]["missing"] == [] and r["quantified_result"] is True


def test_i_d_with_a_participle_is_the_past_perfect_and_the_main_clause_says_who_acted() -> None:
    # "I'd assumed" is "I had assumed": the background, not a lesson; "When the deploy failed, I rolled it back"
    # is my step although the sentence starts with the deploy; "it was slow, so I added an index" too
    r = analyze_text(
        "Our nightly export to the billing system kept timing out in March.\n"
        "I'd assumed the table was small and hadn't checked how many rows the partner accounts had.\n"
        "Support escalated it to me on a Tuesday.\n"
        "When the first retry failed, I split the export by account.\n"
        "It was still slow on the biggest account, so I added an index on the account and date.\n"
        "The export now finishes in twelve minutes instead of timing out."
    )
    assert beats(r) == ["situation", "situation", "task", "action", "action", "result"]
    assert r["star"]["missing"] == []


def test_a_had_been_sentence_without_a_pronoun_is_read_as_the_past_perfect() -> None:
    from prepdeck.recordings import star

    words = "and my pr had been sitting there for weeks with comments that kept changing"
    r = star.read(words.split(" "))
    assert r.perfect_past and not r.event


def test_a_hypothetical_framed_by_asides_proposes_steps_and_ends_on_a_trade_off() -> None:
    r = analyze_text(
        "I'll answer it as how I would go about it, since I haven't had to do that yet.\n"
        "Suppose two teams report different revenue numbers for the same month.\n"
        "What I'd do is put both queries side by side and diff them on a single day.\n"
        "I'd write down the definition each team uses and take it to finance.\n"
        "The trade-off is that you slow both teams down for a week, but it's cheaper than a wrong board report.\n"
        "Yeah, that's how I'd approach it."
    )
    assert beats(r) == [None, "situation", "action", "action", "reflection", None]
    assert r["star"]["story"] is False
    assert r["star"]["missing"] == ["task", "result"]


def test_a_first_line_choosing_the_story_is_no_beat_and_my_part_of_it_is_the_task() -> None:
    r = analyze_text(
        "Hardest migration, okay.\n"
        "We were moving forty pipelines from cron to Airflow and nobody trusted the new runs.\n"
        "My part of it was the finance pipelines and their backfills.\n"
        "I rewrote each one as a DAG and ran it next to the cron job for a week.\n"
        "Most of the analysts end up trusting the new runs within a month.\n"
        "In my experience, people trust a migration once they've seen two numbers match."
    )
    assert beats(r) == [None, "situation", "task", "action", "result", "reflection"]
    assert r["star"]["missing"] == []


def test_a_thing_that_would_act_a_past_perfect_count_and_a_lesson_about_people_are_read_for_what_they_are() -> (
    None
):
    r = analyze_text(
        "Our nightly load into the warehouse kept skipping late files.\n"
        "I'd trusted the vendor's schedule and hadn't looked at the twelve partner feeds behind it.\n"
        "My first fix was a longer wait before the load.\n"
        "The backlog got worse after I shipped it, because the morning jobs started late too.\n"
        "So I added a manifest check to the loader that lists the files it would skip and pages the on-call.\n"
        "Late files dropped to zero within a month.\n"
        "What I took from it is that a loud check beats a longer wait.\n"
        "I think people trust a pipeline more when it says what it skipped."
    )
    got = beats(r)
    assert got[1] == "situation" and got[2] != "task" and got[3] == "result" and got[4] == "action"
    assert got[6:] == ["reflection", "reflection"]


def test_a_typed_note_with_an_outcome_word_is_still_my_step() -> None:
    r = analyze_text(
        "Context: the ledger export wrote half files when the source lagged.\n"
        "Added row-count checks before the write, failing loudly instead of writing partial data.\n"
        "Result: no partial files in the six months since."
    )
    assert beats(r) == ["situation", "action", "result"]


def test_a_present_tense_story_says_its_goal_with_want_and_its_result_after_some_months() -> None:
    r = analyze_text(
        "So nobody on my team documents their tables, and I'm not the lead.\n"
        "I want docs on at least the tables finance reads, but I can't order anyone to write them.\n"
        "I write docs for my own tables first and link them in every review.\n"
        "Then I offer to pair with anyone who wants to document theirs.\n"
        "After a few months most of the team is writing docs unprompted, and our lead adds it to the review checklist."
    )
    assert beats(r) == ["situation", "task", "action", "action", "result"]
    assert r["star"]["missing"] == []


def test_an_ing_subject_weighed_against_another_way_is_a_lesson() -> None:
    r = analyze_text(
        "Legal would not say what they needed for the retention policy.\n"
        "I wrote a one-page draft policy and sent it to them on Monday.\n"
        "Handing them a draft to correct got an answer far faster than asking an open question."
    )
    assert beats(r) == ["situation", "action", "reflection"]
    assert r["star"]["missing"] == ["task", "result"]


def test_instead_of_in_a_step_is_no_outcome_but_minutes_instead_of_hours_is_a_measured_one() -> None:
    r = analyze_text(
        "Last spring we hired a new analyst who had never written SQL for production.\n"
        "I was her buddy, so it was on me to get her shipping on her own.\n"
        "For the first month I reviewed every query she wrote.\n"
        "After that I was kind of stepping back and sending her to the other reviewers instead of me.\n"
        "Her dashboards now refresh in minutes instead of hours."
    )
    assert beats(r) == ["situation", "task", "action", "action", "result"]
    assert r["quantified_result"] is True


def test_a_story_that_opens_with_its_measured_result_keeps_it_as_the_result() -> None:
    r = analyze_text(
        "I once cut our nightly reconciliation from two hours to six minutes.\n"
        "It was a Spark job that joined the ledger with every payment event of the day.\n"
        "I profiled it and found one skewed merchant key.\n"
        "I salted the key and broadcast the small side."
    )
    assert beats(r) == ["result", "situation", "action", "action"]
    assert r["star"]["missing"] == ["task"] and r["quantified_result"] is True


def test_taking_it_on_and_doing_it_in_one_run_on_line_is_the_action() -> None:
    from prepdeck.recordings import star

    run_on = "and so i just kind of picked it up i wrote a backfill that pulled each day and loaded it"
    assert not star.read(run_on.split(" ")).obligation
    assert star.read(
        ["so", "i", "just", "picked", "it", "up", "because", "nobody", "else", "would"]
    ).obligation


def test_a_step_already_arranged_in_a_story_still_going_on_is_an_action() -> None:
    r = analyze_text(
        "Nobody could say which of our two revenue tables was right.\n"
        "I wrote down both definitions and sat with each owner.\n"
        "Tomorrow I'm presenting the merged definition to the finance leads."
    )
    assert beats(r) == ["situation", "action", "action"]
    assert r["star"]["missing"] == ["task", "result"]


def test_what_i_would_do_differently_is_a_lesson_and_what_i_would_do_alone_announces() -> None:
    r = analyze_text(
        "Our fraud scores landed at nine and the ops team started reviewing at seven.\n"
        "I moved the feature build to run incrementally.\n"
        "The scores now land by five thirty.\n"
        "What I'd do differently is talk to the ops team earlier."
    )
    assert beats(r)[-1] == "reflection"
    hypothetical = analyze_text(
        "I haven't had that happen, but I can tell you what I'd do.\n"
        "I'd ask the ops team which scores they use.\n"
        "I'd move the feature build to run incrementally."
    )
    assert beats(hypothetical)[0] is None


def test_a_spoken_opener_before_a_whole_lesson_does_not_make_it_meta() -> None:
    r = analyze_text(
        "yeah so the one I'd pick is the time our load job kept paging the on-call\n"
        "our load job into the warehouse kept timing out every night\n"
        "I changed the merge to touch only the last two days of partitions\n"
        "the pages stopped that week\n"
        "yeah so I think the thing I took from it is to measure before tuning\n"
        "so yeah"
    )
    assert beats(r) == [None, "situation", "action", "result", "reflection", None]


def test_short_typed_lesson_and_result_lines_are_not_bare_topics() -> None:
    r = analyze_text(
        "Context: the attribution table was rebuilt from scratch every night.\n"
        "Rewrote it as incremental merges over the last three days.\n"
        "Result: 40 minutes.\n"
        "Lesson: profile first."
    )
    assert beats(r) == ["situation", "action", "result", "reflection"]


@pytest.mark.parametrize(
    "first",
    ["Okay, so our nightly job kept failing.", "Sure, we had a pipeline that failed every night."],
)
def test_an_aside_before_the_scene_keeps_the_scene(first: str) -> None:
    r = analyze_text(f"{first}\nI rewrote the loader to read each day separately.\nThe failures stopped.")
    assert beats(r) == ["situation", "action", "result"]


def test_a_bit_is_not_a_past_verb_and_the_question_said_back_is_no_beat() -> None:
    from prepdeck.recordings import star

    assert not star.read(["it", "was", "a", "bit", "slow"]).event
    r = analyze_text(
        "A time I disagreed with my manager, hmm.\n"
        "She wanted to drop the data tests to ship the migration a week early.\n"
        "I showed her the three incidents the tests had caught that quarter.\n"
        "We kept the tests and shipped two days later."
    )
    assert beats(r)[0] is None


def test_a_first_line_about_what_happened_to_us_is_the_scene_not_a_result_told_first() -> None:
    r = analyze_text(
        "We went from three nodes to twelve as traffic grew.\n"
        "The nightly job ran on that shared cluster and kept missing its window.\n"
        "I profiled it and salted the skewed key.\n"
        "It now finishes in six minutes."
    )
    assert beats(r)[0] == "situation"


def test_after_weeks_of_work_is_how_long_it_took_not_where_things_got_to() -> None:
    from prepdeck.recordings import star

    assert not star.read(
        ["after", "two", "weeks", "of", "digging", "the", "team", "found", "a", "bad", "join"]
    ).outcome
    assert star.read(
        ["after", "a", "few", "months", "most", "of", "the", "team", "is", "writing", "docs"]
    ).outcome


def test_a_story_that_ends_on_what_others_did_has_that_ending_as_its_result() -> None:
    # read alone, "The client signed…" is one more step; at the end of an answer with no result it is how it ended
    text = (
        "Our biggest client was threatening to leave over late invoices.\n"
        "I had to find out why the invoices went out late.\n"
        "I traced the delay to a manual export step and automated it.\n"
        "I also set up an alert when an invoice run stalls.\n"
        "Their CFO called my manager the week after to say thanks."
    )
    result = analyze_text(text)
    assert beats(result)[-1] == "result"
    assert result["star"]["missing"] == []


def test_a_story_ending_on_my_own_step_still_lacks_its_result() -> None:
    text = (
        "Our biggest client was threatening to leave over late invoices.\n"
        "I had to find out why the invoices went out late.\n"
        "I traced the delay to a manual export step and automated it.\n"
        "I also set up an alert when an invoice run stalls."
    )
    assert analyze_text(text)["star"]["missing"] == ["result"]


def test_a_typed_takeaway_is_the_lesson() -> None:
    text = (
        "Context: the nightly export sometimes ran before its source table was complete.\n"
        "Did: added a check on the row count before the export starts.\n"
        "Did: made the job retry for an hour before it pages anyone.\n"
        "Takeaway: a file being there does not mean it is whole."
    )
    assert beats(analyze_text(text))[-1] == "reflection"


def test_how_well_things_go_depending_on_a_circumstance_is_a_lesson_not_a_result() -> None:
    text = (
        "I'd start by asking the team which alerts they actually act on.\n"
        "Then I'd delete the ones nobody has acted on in a month.\n"
        "I'd also give every remaining alert an owner.\n"
        "On-call gets much calmer when every page means something."
    )
    result = analyze_text(text)
    assert beats(result)[-1] == "reflection"
    assert "result" in result["star"]["missing"]


def test_an_imagined_scene_with_a_change_in_it_is_the_scene_not_a_result() -> None:
    text = (
        "Imagine I join a team whose cloud bill tripled in six months.\n"
        "I'd first list the ten most expensive jobs.\n"
        "Then I'd check which of them run more often than anyone reads them.\n"
        "I'd turn those down to once a day."
    )
    result = analyze_text(text)
    assert beats(result)[0] == "situation"
    assert sorted(result["star"]["missing"]) == ["result", "task"]


@pytest.mark.parametrize(
    "goal",
    [
        "I was on call that night, so getting it back up was on me.",
        "I own the migration, which mostly means getting every team to move their jobs.",
        "I was going to ship the new schema on Thursday evening.",
        "The question I got from my manager was whether we could drop the old cluster.",
    ],
)
def test_what_was_mine_to_do_said_as_ownership_a_plan_or_a_question_is_the_task(goal: str) -> None:
    text = (
        "Our reporting database was close to running out of disk.\n"
        f"{goal}\n"
        "I moved the oldest partitions to cold storage.\n"
        "I also added an alert at eighty percent disk.\n"
        "Disk use dropped to half and the reports ran on time."
    )
    assert beats(analyze_text(text))[1] == "task"


def test_what_had_not_happened_to_things_before_the_story_is_the_scene() -> None:
    text = (
        "My director asked me to cut our warehouse bill.\n"
        "About sixty percent of our tables hadn't been queried in a year.\n"
        "I archived those tables to object storage after their owners signed off.\n"
        "The bill dropped by a third the next month."
    )
    result = analyze_text(text)
    assert beats(result)[1] == "situation"
    assert result["star"]["missing"] == []


def test_someone_elses_ask_before_my_own_goal_is_the_scene() -> None:
    text = (
        "The sales team asked us to give them direct access to the customer tables.\n"
        "Those tables had card numbers in them.\n"
        "I had to say no without stalling their quarter.\n"
        "I built them a view without the sensitive columns.\n"
        "They used it that same week and stopped asking for the raw tables."
    )
    result = analyze_text(text)
    assert beats(result)[:3] == ["situation", "situation", "task"]
    assert result["star"]["missing"] == []


@pytest.mark.parametrize(
    "aside",
    [
        "Hmm, I don't think I've had quite that situation myself.",
        "It's still rolling out, so I can't give you a number yet.",
        "I'll give you the one from last spring.",
    ],
)
def test_talk_to_the_interviewer_about_the_answer_is_no_beat(aside: str) -> None:
    text = (
        f"{aside}\n"
        "Our nightly load started missing its window twice a week.\n"
        "I had to get it under two hours again.\n"
        "I split the biggest join into daily partitions.\n"
        "I also moved the dedupe step ahead of the join."
    )
    assert beats(analyze_text(text))[0] is None


@pytest.mark.parametrize(
    "lesson",
    [
        "The general point is that a check belongs where the data is made.",
        "In both cases what helped was pairing on it instead of sending a doc.",
        "Nobody fixes a flaky test until you show them how often it pages someone.",
    ],
)
def test_a_lesson_worded_as_a_point_what_helped_or_a_rule_about_anyone(lesson: str) -> None:
    text = (
        "Our nightly load started missing its window twice a week.\n"
        "I had to get it under two hours again.\n"
        "I split the biggest join into daily partitions.\n"
        "The load finished in ninety minutes from then on.\n"
        f"{lesson}"
    )
    assert beats(analyze_text(text))[-1] == "reflection"


def test_a_before_after_with_a_few_words_between_and_a_couple_thousand_is_quantified() -> None:
    text = (
        "Our orders table kept getting duplicate rows and nobody knew why.\n"
        "I had to stop the duplicates before the quarter close.\n"
        "I made the merge idempotent on the order id.\n"
        "After that the duplicates went from a couple thousand a week to zero."
    )
    result = analyze_text(text)
    assert beats(result)[-1] == "result"
    assert result["quantified_result"] is True


def test_long_story_short_first_is_the_result_told_first() -> None:
    text = (
        "Long story short, we got the nightly load from five hours down to forty minutes.\n"
        "When I joined, the load ran past the start of the working day.\n"
        "I had to get it done before the analysts came in.\n"
        "I split the biggest join by day and dropped two unused columns.\n"
        "The analysts stopped asking whether the data was fresh."
    )
    result = analyze_text(text)
    assert beats(result)[0] == "result"
    assert result["quantified_result"] is True


def test_a_step_done_before_the_deadline_is_the_outcome_not_the_goal() -> None:
    text = (
        "So it's March and our old scheduler goes out of support in June.\n"
        "My job is to move the billing jobs without billing noticing.\n"
        "I run the old and the new jobs side by side every night.\n"
        "I chase down every difference in the outputs myself.\n"
        "We move billing over before the deadline and billing never sees a difference."
    )
    result = analyze_text(text)
    assert beats(result)[-1] == "result"
    assert result["star"]["missing"] == []


def test_a_habit_said_once_up_front_then_told_in_the_present_is_not_a_story() -> None:
    text = (
        "Whenever I take over a pipeline I go through a month of its run logs before I change anything.\n"
        "I look at which steps fail, how long they take, and who gets paged.\n"
        "Then I write down what I think each step is for and ask its owner to correct me."
    )
    result = analyze_text(text)
    assert result["star"]["story"] is False
    assert beats(result) == ["action", "action", "action"]
    assert sorted(result["star"]["missing"]) == ["result", "situation", "task"]


def test_a_last_line_that_starts_with_how_things_were_is_the_outcome_even_with_my_step_after() -> None:
    text = (
        "It was the week before our yearly sale and deploys were frozen from Wednesday.\n"
        "I was going to ship a faster version of the stock report on Tuesday.\n"
        "Right before merging I found it counted returns twice, so I held it back.\n"
        "I told the store managers to expect the slow report and added a bigger warehouse for the week.\n"
        "The reports were slow but right all week, and I shipped the fix the Monday after."
    )
    result = analyze_text(text)
    assert beats(result)[-1] == "result"
    assert result["star"]["missing"] == []


def test_a_first_line_naming_what_the_story_is_about_is_no_beat() -> None:
    text = (
        "Okay, so this is about on-call, which I sort of ended up owning.\n"
        "Our pager went off about forty times a week and most of it was noise.\n"
        "I had to make the rotation bearable before two people quit it.\n"
        "I deleted every alert nobody had acted on in three months.\n"
        "Pages dropped to about five a week."
    )
    assert beats(analyze_text(text))[0] is None


def test_we_were_going_to_is_a_goal_only_when_the_sentence_opens_with_it() -> None:
    from prepdeck.recordings.star import read

    plan, found = (
        "so i was going to ship the fix",
        "about a month in i realised we were going to miss the date",
    )
    assert read(plan.split(" ")).obligation
    assert not read(found.split(" ")).obligation


def test_what_nobody_had_to_do_any_more_is_no_goal() -> None:
    text = (
        "New engineers took weeks to get their laptops ready for our pipelines.\n"
        "My manager asked me to fix onboarding for the next hires.\n"
        "I sat with the next new hire and wrote down every place she got stuck.\n"
        "I packed the whole setup into one container so nobody had to install anything by hand.\n"
        "The next three hires merged their first change in their first week."
    )
    assert beats(analyze_text(text))[3] == "action"
    from prepdeck.recordings.star import read

    step = "i packed the whole setup into one container so nobody had to install anything by hand"
    assert not read(step.split(" ")).obligation


def test_a_first_line_where_someone_else_made_the_change_is_the_scene_not_a_result_told_first() -> None:
    text = (
        "We bought our leads from a data vendor and in May they cut our download quota by eighty percent.\n"
        "Our morning import started failing a few days later.\n"
        "I moved the import to their weekly bulk file and cached what we fetched every day.\n"
        "The import went back under ten minutes."
    )
    assert beats(analyze_text(text))[0] == "situation"


@pytest.mark.parametrize(
    ("result", "quantified"),
    [
        ("Onboarding a new source went from a week to an afternoon.", True),
        ("The lag was back under a minute.", True),
        ("The load went from most of a morning to a few minutes.", True),
        ("Leadership agreed, and the team could focus on the two use cases that mattered.", False),
        ("The three competing versions were retired.", False),
        ("Every one of the 48,000 rows reconciled.", True),
        ("Since then the report has run on Spark 3 clusters and Python 3.11.", False),
    ],
)
def test_a_measure_in_words_counts_and_which_things_or_a_version_does_not(
    result: str, quantified: bool
) -> None:
    r = analyze_text(
        f"Our morning report was always late.\nI had to fix it.\nI moved the heavy join upstream.\n{result}"
    )
    assert beats(r)[-1] == "result" and r["quantified_result"] is quantified


def test_my_team_lead_is_a_person_and_he_accepts_is_the_outcome_in_a_story_told_in_the_present() -> None:
    text = (
        "I am telling my team lead that the design is not good for our data size.\n"
        "He is not agree at first, so I make a small test with real data.\n"
        "The test is showing the join is very slow when the data is big.\n"
        "After that he is accepting my proposal and we change the design."
    )
    result = analyze_text(text)
    assert beats(result)[0] == "action" and beats(result)[-1] == "result"
    assert sorted(result["star"]["missing"]) == ["situation", "task"]


def test_an_imagined_scene_and_one_thing_i_would_do_is_not_a_story() -> None:
    text = (
        "Suppose a product manager asks me for a dashboard I think will mislead people.\n"
        "I'd build it, but I'd put the caveat right on the chart and offer a better measure.\n"
        "You keep trust by helping, not by saying no."
    )
    result = analyze_text(text)
    assert result["star"]["story"] is False
    assert beats(result) == ["situation", "action", "reflection"]
    assert sorted(result["star"]["missing"]) == ["result", "task"]


def test_a_habit_opened_by_when_and_ending_on_my_rule_is_not_a_story() -> None:
    text = (
        "When I inherit a dashboard from another team, it is always a little unnerving.\n"
        "First I read every query behind it and write down what I don't get.\n"
        "Then I ask the old owner for an hour of their time.\n"
        "My rule is simple: don't touch what you can't explain yet."
    )
    result = analyze_text(text)
    assert result["star"]["story"] is False
    assert beats(result) == ["situation", "action", "action", "reflection"]
    assert sorted(result["star"]["missing"]) == ["result", "task"]


def test_asking_if_the_example_fits_is_no_beat_and_a_stance_in_a_habit_is_its_scene() -> None:
    text = (
        "I'm not sure if this is the kind of example you want.\n"
        "When a vendor sends me a new feed, I never trust it at first.\n"
        "I count the rows against their system.\n"
        "I look for empty values in the columns we join on.\n"
        "Checking early is cheaper than fixing a report later."
    )
    result = analyze_text(text)
    assert result["star"]["story"] is False
    assert beats(result) == [None, "situation", "action", "action", "reflection"]
    assert sorted(result["star"]["missing"]) == ["result", "task"]


def test_someone_wanting_a_thing_ready_by_a_time_is_the_task_and_every_monday_is_the_scene() -> None:
    text = (
        "I was the only analyst at a small logistics firm.\n"
        "Every Friday I pasted the shipping numbers from four exports into one sheet.\n"
        "Our director needed the summary done by noon for the weekly call.\n"
        "I wrote a small script that loads the exports into a database.\n"
        "Then I ran it from a scheduler.\n"
        "The summary was ready before nine every week."
    )
    result = analyze_text(text)
    assert beats(result)[:3] == ["situation", "situation", "task"]
    assert result["star"]["missing"] == []


def test_a_closing_line_pointing_back_at_my_part_is_no_beat_and_no_task() -> None:
    text = (
        "At my last job the warehouse bill was about thirty thousand dollars a month.\n"
        "I found one report scanning the whole events table every five minutes.\n"
        "I partitioned the table by day and made the report read only the last week.\n"
        "Anyway, that was my part of it."
    )
    result = analyze_text(text)
    assert beats(result)[-1] is None
    assert sorted(result["star"]["missing"]) == ["result", "task"]


@pytest.mark.parametrize(
    ("sentence", "measured"),
    [
        ("failures dropped to zero", True),
        ("the backlog went down to a couple of days", True),
        ("tickets fell to single digits", True),
        ("pages went from dozens a week to a handful", True),
        ("onboarding took an afternoon instead of a week", True),
        ("the report refreshes hourly instead of daily", True),
        ("latency dropped from seconds to milliseconds", True),
        ("costs fell by a factor of three", True),
        ("we cut costs by thousands of dollars a month", True),
        ("the top 10 customers moved first", False),  # which ones
        ("we shipped the model seven weeks later", True),  # how long delivering took
        ("the slowdowns went from like every day to maybe once a month", True),
        ("we ended up with one team instead of four on call", True),
        ("it is three time faster", True),
        ("onboarding a source now takes hours not weeks", True),
        ("failures are caught within minutes not days", True),
        ("two weeks later we shipped it", False),  # when
        ("we were a team of five engineers", False),  # who did the work, not what it changed
        ("i spent a couple of weeks on it", False),
        ("after a couple of months it was adopted", False),
        ("a couple of weeks later it broke", False),
    ],
)
def test_amounts_said_in_words_measure_and_a_team_size_does_not(sentence: str, measured: bool) -> None:
    from prepdeck.recordings.quantities import quantities

    assert bool(quantities(sentence.split(" "))) is measured


def test_a_story_told_in_the_present_progressive_has_its_scene_task_and_steps() -> None:
    text = (
        "In my company we are having a big problem with slow reports.\n"
        "My manager is asking me to make them faster before end of quarter.\n"
        "I am rewriting the worst queries and adding indexes.\n"
        "After this the reports are three times faster."
    )
    result = analyze_text(text)
    assert beats(result) == ["situation", "task", "action", "result"]
    assert result["star"]["missing"] == [] and result["quantified_result"] is True


def test_accountable_for_is_the_task_and_in_my_view_a_lesson() -> None:
    text = (
        "Across the organisation nobody could say who owned which data.\n"
        "I was accountable for an ownership model the directors would sign.\n"
        "I interviewed each domain lead and drafted the model.\n"
        "The directors signed it off and it became the standard.\n"
        "In my view, writing it down early saves everyone time."
    )
    assert beats(analyze_text(text)) == ["situation", "task", "action", "result", "reflection"]


def test_an_ask_inside_an_if_of_what_i_would_do_is_not_a_task() -> None:
    text = (
        "If a stakeholder asked me for numbers I knew were wrong, I would first find out what they needed them for.\n"
        "Then I would show them the problem with one example.\n"
        "Being honest early saves everyone time."
    )
    result = analyze_text(text)
    assert result["star"]["story"] is False
    assert "task" in result["star"]["missing"]


def test_a_subject_with_a_phrase_before_its_verb_and_work_that_landed_with_me() -> None:
    text = (
        "Nobody on the team knew Terraform.\n"
        "So it landed with me.\n"
        "I learned it over a weekend and wrote our first modules.\n"
        "The team now deploys infrastructure without waiting on ops."
    )
    assert beats(analyze_text(text)) == ["situation", "task", "action", "result"]


def test_a_change_that_went_through_without_downtime_is_the_outcome_not_a_constraint() -> None:
    text = (
        "In 2022 our jobs still ran on an old Spark version.\n"
        "I had to upgrade them before support ended.\n"
        "I led the upgrade and ran old and new side by side for a week.\n"
        "The upgrade went through without downtime."
    )
    result = analyze_text(text)
    assert beats(result)[-1] == "result" and result["star"]["missing"] == []
    from prepdeck.recordings.star import read

    went, goal = "the migration went through without downtime", "i had to move it without downtime"
    assert read(went.split(" ")).outcome and not read(went.split(" ")).obligation
    assert read(goal.split(" ")).obligation  # still the constraint


def test_within_a_quarter_says_when_and_an_ing_rule_in_the_present_is_a_lesson() -> None:
    text = (
        "Our CFO didn't trust the revenue numbers.\n"
        "I had to win her trust back.\n"
        "I reconciled them against the ledger and published the differences every week.\n"
        "Within a quarter she was quoting our dashboard in board meetings.\n"
        "Publishing the differences openly builds more trust than hiding them."
    )
    result = analyze_text(text)
    assert beats(result)[-2:] == ["result", "reflection"]
    assert result["quantified_result"] is False
    text2 = text.replace("builds more trust than hiding them", "is what builds trust")
    assert beats(analyze_text(text2))[-1] == "reflection"


def test_someone_elses_ask_then_the_scene_then_my_own_goal_is_all_scene() -> None:
    # a guard: "Those recordings had card numbers" now reads as the scene (it had no tense before), so the
    # ask before it is turned into scene even though the answer already has one
    text = (
        "The sales team asked us to hand over the raw call recordings so they could train a model on them.\n"
        "Those recordings had card numbers in them.\n"
        "I had to say no without stalling their project.\n"
        "I built them a redacted transcript table instead.\n"
        "They shipped their project on time."
    )
    assert beats(analyze_text(text))[:3] == ["situation", "situation", "task"]


def test_a_past_verb_inside_a_closing_lesson_does_not_make_what_i_would_do_a_story() -> None:
    text = (
        "I'd start by asking what decision the dashboard supports.\n"
        "Then I'd sketch it on paper with the stakeholder before building anything.\n"
        "Most dashboards fail because nobody asked that first question."
    )
    result = analyze_text(text)
    assert result["star"]["story"] is False
    assert beats(result) == ["action", "action", "reflection"]


def test_an_outcome_word_denied_is_the_scene_and_a_pleased_customer_is_the_result() -> None:
    text = (
        "I was the only data person at a startup.\n"
        "Everyone wanted numbers and nobody agreed on definitions.\n"
        "I wrote a one-page glossary and got the founders to sign it.\n"
        "My manager told me the founders were pleased with how quickly it settled things.\n"
        "A shared glossary is the cheapest data tool there is."
    )
    result = analyze_text(text)
    assert beats(result) == ["situation", "situation", "action", "result", "reflection"]
    assert result["star"]["missing"] == ["task"]


def test_a_rule_about_things_in_general_is_a_lesson_and_within_two_quarters_is_when() -> None:
    text = (
        "We had grown to fourteen data teams, each with its own conventions.\n"
        "I was asked to drive a shared modelling standard.\n"
        "I wrote the standard together with the three largest teams and shipped a linter for it.\n"
        "Within two quarters, most teams had adopted it.\n"
        "Standards stick when the people who follow them help write them."
    )
    result = analyze_text(text)
    assert beats(result)[-2:] == ["result", "reflection"]
    assert result["quantified_result"] is False


def test_what_began_to_happen_to_us_and_what_i_did_not_know_are_the_scene() -> None:
    from prepdeck.recordings.star import read

    began, knew, step = (
        "during the holiday peak our consumers started falling behind by hours",
        "i did not know airflow at all",
        "i started rewriting the consumer",
    )
    assert read(began.split(" ")).progressive and not read(began.split(" ")).event
    assert read(knew.split(" ")).state and not read(knew.split(" ")).event
    assert read(step.split(" ")).event  # starting to do something is still my step


def test_so_that_after_my_step_is_its_purpose_and_not_knowing_the_end_is_no_beat() -> None:
    text = (
        "Our company ran four reporting stacks that disagreed on revenue.\n"
        "I was asked to bring them onto one platform.\n"
        "I deliberately ordered the migration so that the teams in most pain went first.\n"
        "Those teams became its loudest supporters.\n"
        "Honestly, I'm not sure how it ended, since I left before the last team moved."
    )
    result = analyze_text(text)
    assert beats(result) == ["situation", "task", "action", "result", None]


def test_i_learn_that_is_a_lesson_and_i_would_probably_have_them_is_a_proposal() -> None:
    from prepdeck.recordings.star import read

    lesson, proposal, looking_back = (
        "i learn that inventory is the most important step",
        "then i'd probably have them split the ticket into smaller pieces",
        "i'd probably have caught it with a test",
    )
    assert read(lesson.split(" ")).lesson
    assert read(proposal.split(" ")).hypothetical and not read(proposal.split(" ")).counterfactual
    assert read(looking_back.split(" ")).counterfactual


def test_typed_notes_labelled_with_their_beats() -> None:
    text = (
        "Situation: legacy cron jobs, no monitoring.\n"
        "Task: make failures visible.\n"
        "Action: added alerting and a status page.\n"
        "Result: failures caught within minutes, not days."
    )
    result = analyze_text(text)
    assert beats(result) == ["situation", "task", "action", "result"]
    assert result["star"]["missing"] == []


def test_the_end_result_told_first_and_finished_three_hours_earlier_is_measured() -> None:
    text = (
        "The end result was that our nightly batch finished three hours earlier.\n"
        "Before that, the batch regularly ran into the business day.\n"
        "I profiled each stage and moved the heaviest aggregation to an incremental model.\n"
        "The lesson for me was to measure before optimising."
    )
    result = analyze_text(text)
    assert beats(result) == ["result", "situation", "action", "reflection"]
    assert result["quantified_result"] is True


def test_quoted_praise_in_the_past_is_no_lesson_and_i_think_x_matters_more_than_y_is_one() -> None:
    from prepdeck.recordings.star import read

    quoted, claim, lost = (
        "you kept this thing alive my director said at the retro",
        "i think visibility matters more than perfection",
        "we lost no data and i rewrote the runbook the next morning",
    )
    assert not read(quoted.split(" ")).lesson
    assert read(claim.split(" ")).lesson
    assert read(lost.split(" ")).outcome


def test_what_someone_had_to_do_every_release_is_the_scene_and_lessons_worded_as_what_mattered() -> None:
    text = (
        "Every release, someone had to run forty manual checks.\n"
        "I scripted the checks and put them in CI.\n"
        "Releases now take ten minutes of checking instead of half a day.\n"
        "Honestly, the scripts mattered more than the CI job."
    )
    result = analyze_text(text)
    assert beats(result) == ["situation", "action", "result", "reflection"]
    assert result["star"]["missing"] == ["task"]


def test_i_learned_to_is_a_lesson_but_i_learned_how_it_works_is_a_step() -> None:
    from prepdeck.recordings.star import read

    lesson, step, judged = (
        "and yeah i learned to always check currencies first",
        "i learned how debezium tracks its offsets by reading the source",
        "asking naive questions turned out to be useful",
    )
    assert read(lesson.split(" ")).lesson and not read(lesson.split(" ")).event
    assert read(step.split(" ")).event
    assert read(judged.split(" ")).lesson


def test_a_number_in_our_own_step_is_evidence_and_over_a_month_is_how_long_not_how_often() -> None:
    tested = (
        "Our ML features were computed differently online and offline.\n"
        "I had to make them match.\n"
        "I moved both paths onto one shared library.\n"
        "We tested it with 10,000 sampled users."
    )
    result = analyze_text(tested)
    assert beats(result)[-1] == "action"
    assert result["star"]["missing"] == ["result"] and result["quantified_result"] is False
    over = (
        "I migrated our batch jobs to Airflow over a month.\n"
        "I wrote the DAGs, set up alerts and trained the team.\n"
        "The team has been running it without me since."
    )
    assert beats(analyze_text(over)) == ["action", "action", "result"]


def test_no_great_example_is_no_beat_the_plan_for_me_is_the_task_and_wed_every_friday_is_a_step() -> None:
    from prepdeck.recordings.star import read

    aside = "i don't have a great example of this to be honest"
    assert read(aside.split(" ")).meta
    plan = (
        "At the time, we stored everything in one giant Postgres database.\n"
        "The plan was for me to split out the analytics workload.\n"
        "I set up a read replica and moved the dashboards onto it.\n"
        "The main database stopped slowing down during business hours."
    )
    assert beats(analyze_text(plan)) == ["situation", "task", "action", "result"]
    habit = (
        "We had a junior analyst who kept shipping queries with wrong joins.\n"
        "Instead of fixing them myself, I started doing short reviews with her.\n"
        "We'd go through one of her queries together every Friday.\n"
        "After a couple of months her queries rarely needed changes."
    )
    assert beats(analyze_text(habit))[2] == "action"


def test_agreeing_on_what_someone_would_do_is_a_step_and_delivering_is_the_outcome() -> None:
    from prepdeck.recordings.star import read

    decided, agreed = "we agreed he would route requests through me for a month", "the client agreed"
    assert not read(decided.split(" ")).outcome
    assert read(agreed.split(" ")).outcome
    text = (
        "I was leading the migration and we were already two weeks late.\n"
        "I cut the nice-to-have tables and told stakeholders early.\n"
        "We delivered the core tables on the new date, and nobody was surprised."
    )
    assert beats(analyze_text(text))[-1] == "result"


def test_words_that_look_like_note_labels_but_start_a_sentence() -> None:
    from prepdeck.recordings.star import read

    gerund, shown = "learning spark took me a month", "results showed a drop in errors"
    assert read(gerund.split(" ")).named is None and not read(gerund.split(" ")).habitual
    assert read(shown.split(" ")).named is None
    assert read(["result", "six", "minutes"]).named == "result"


def test_we_agreed_id_is_a_decision_told_in_reported_speech_not_a_lesson() -> None:
    from prepdeck.recordings.star import read

    decided = "so we agreed i'd do it as a plugin instead of a new flag and he helped me write it"
    r = read(decided.split(" "))
    assert not r.lesson and not r.hypothetical and not r.outcome


def test_what_the_company_had_to_do_before_my_own_goal_is_the_scene() -> None:
    text = (
        "A new regulation meant we had to delete customer data on request.\n"
        "I owned building the deletion pipeline.\n"
        "I mapped every table with personal data and wrote a job that deletes across all of them.\n"
        "We passed the audit with no findings."
    )
    assert beats(analyze_text(text)) == ["situation", "task", "action", "result"]


def test_it_was_my_call_is_the_task_and_when_i_started_sets_the_scene() -> None:
    call = (
        "Picture a Monday where every dashboard in the company shows zero revenue.\n"
        "It was my call whether to roll back the warehouse change or fix forward.\n"
        "I rolled back within ten minutes and then debugged the change on staging.\n"
        "The dashboards were back before most people logged in."
    )
    assert beats(analyze_text(call))[1] == "task"
    started = (
        "When I started, deployments were a manual checklist in a wiki.\n"
        "I turned the checklist into a pipeline, step by step, with the team.\n"
        "Deployments became a non-event."
    )
    assert beats(analyze_text(started)) == ["situation", "action", "result"]


def test_spoken_answers_a_plain_description_a_change_in_how_people_feel_and_an_if_that_opens() -> None:
    from prepdeck.recordings.star import read

    job, better = (
        "in previous company i am only data engineer for three teams",
        "teams are more happy and i am less stressed",
    )
    assert read(job.split(" ")).state and not read(job.split(" ")).we_now
    assert read(better.split(" ")).outcome
    text = (
        "Hmm, if the stakeholder really insists on the wrong metric.\n"
        "I'd build it, but I'd label it clearly.\n"
        "And I'd put the better metric right next to it.\n"
        "Usually people come around when they see both side by side."
    )
    result = analyze_text(text)
    assert result["star"]["story"] is False
    assert beats(result) == ["situation", "action", "action", "reflection"]


def test_a_failure_story_opens_on_my_own_mistake_and_scripts_we_own_are_no_goal() -> None:
    from prepdeck.recordings.star import read

    text = (
        "I once deleted a production table by running a script against the wrong environment.\n"
        "I told my lead immediately and we restored it from the nightly snapshot.\n"
        "I then added an environment check to every script we own.\n"
        "If I could redo it, I'd have had the check in place from day one."
    )
    assert beats(analyze_text(text)) == ["situation", "action", "action", "reflection"]
    assert not read(["i", "added", "a", "check", "to", "every", "script", "we", "own"]).obligation
    assert read(["i", "own", "the", "migration"]).obligation


def test_we_agreed_to_do_a_step_i_was_put_on_it_and_a_gerund_rule_that_takes_the_pressure_off() -> None:
    from prepdeck.recordings.star import read

    step, yes = "we agreed to test only those three properly", "they agreed to the plan"
    put, rule = (
        "i was put on a call with them to rebuild trust",
        "making the trade-off visible takes the pressure off you",
    )
    assert not read(step.split(" ")).outcome and read(yes.split(" ")).outcome
    assert read(put.split(" ")).obligation
    assert read(rule.split(" ")).lesson


def test_asides_while_telling_and_a_pipeline_that_dropped_events() -> None:
    from prepdeck.recordings.star import read

    text = (
        "Oh, that's a good one, give me a second.\n"
        "So our event pipeline dropped late events silently.\n"
        "I added a dead letter table and a daily report of what landed there.\n"
        "Sorry, I'm jumping around a bit.\n"
        "Product found two bugs in the app from that report in the first week."
    )
    assert beats(analyze_text(text)) == [None, "situation", "action", None, "result"]
    fell = "the error rate dropped to almost nothing"
    assert read(fell.split(" ")).outcome


def test_what_nobody_wanted_to_touch_is_no_goal_and_what_i_took_away_is_a_lesson() -> None:
    from prepdeck.recordings.star import read

    scene = "our team owned a legacy recommendation service that nobody wanted to touch"
    lesson = "what i took away is that governance succeeds when it is owned by the people it governs"
    assert not read(scene.split(" ")).obligation
    assert read(lesson.split(" ")).lesson
    assert read(["i", "wanted", "to", "fix", "it"]).obligation


@pytest.mark.parametrize(
    "first",
    [
        "The way I handle a noisy alert is to ask who acted on it last time.",
        "What I normally do first is ask who acted on it.",
    ],
)
def test_an_answer_opening_on_how_i_handle_things_is_a_habit(first: str) -> None:
    text = f"{first}\nIf nobody did, I turn it off and tell the channel.\nThen I check the threshold with the team."
    result = analyze_text(text)
    assert result["star"]["story"] is False
    assert "action" not in result["star"]["missing"]


def test_ill_and_my_plan_would_be_propose_steps_and_an_unfamiliar_situation_is_no_beat() -> None:
    from prepdeck.recordings.star import read

    will, plan = (
        "after that i'll pick one painful pipeline and fix it end to end",
        "my plan would be to read the logs",
    )
    assert read(will.split(" ")).hypothetical and not read(will.split(" ")).meta
    assert read(plan.split(" ")).hypothetical
    unfamiliar, picked = (
        "i haven't been in that exact situation",
        "the technical one i'd pick is the streaming move",
    )
    assert read(unfamiliar.split(" ")).meta
    assert read(picked.split(" ")).meta


@pytest.mark.parametrize(
    "task",
    [
        "I saw an opportunity to fix that while I was new.",
        "I decided to take the old jobs myself.",
        "Someone had to pick one, and my director asked me to do it.",
    ],
)
def test_taking_a_piece_of_work_on_is_the_task(task: str) -> None:
    text = (
        f"The migration was stuck on a pile of old jobs nobody understood.\n{task}\n"
        "I went through the jobs one by one and either migrated or retired them.\n"
        "The migration finished a month later."
    )
    assert beats(analyze_text(text)) == ["situation", "task", "action", "result"]


def test_being_asked_to_present_the_work_is_its_recognition_not_a_task() -> None:
    text = (
        "Our deploy process was a manual runbook.\n"
        "I automated it with a pipeline and a one-click rollback.\n"
        "My manager asked me to present it to the wider engineering org."
    )
    result = analyze_text(text)
    assert beats(result) == ["situation", "action", "result"]
    assert result["star"]["missing"] == ["task"]


def test_the_mess_i_walked_into_a_comparison_that_came_out_better_and_i_learn_to() -> None:
    scene = (
        "Honestly the biggest mess I walked into was our permissions model.\n"
        "I mapped who had access to what and removed everything unused.\n"
        "Our next security audit was the first one with no findings."
    )
    assert beats(analyze_text(scene)) == ["situation", "action", "result"]
    compared = (
        "My team lead and me had different opinion about partitioning.\n"
        "We did test both ways on real data.\n"
        "His way was better for our queries, so we used it.\n"
        "I learn to test before arguing."
    )
    assert beats(analyze_text(compared)) == ["situation", "action", "result", "reflection"]


def test_how_a_problem_reached_me_opens_the_scene() -> None:
    text = (
        "I learned about a problem with our consent flags from a customer email.\n"
        "I checked the pipeline and found consent changes were applied a day late.\n"
        "I moved the consent update to the start of the pipeline.\n"
        "Consent changes now apply within the same run."
    )
    assert beats(analyze_text(text)) == ["situation", "action", "action", "result"]


def test_what_i_would_expect_in_a_new_role_is_the_imagined_scene_and_my_plan_is_my_step() -> None:
    text = (
        "In a new role, I'd expect the data to be messier than anyone says.\n"
        "My plan would be to spend the first two weeks just reading queries and logs.\n"
        "After that, I'll pick one painful pipeline and fix it end to end.\n"
        "Earning trust early matters more than the size of the first win."
    )
    result = analyze_text(text)
    assert result["star"]["story"] is False
    assert beats(result) == ["situation", "action", "action", "reflection"]


def test_a_hyphenated_ed_word_opening_a_line_describes_a_thing_not_a_typed_step() -> None:
    from prepdeck.recordings.star import read

    gone = "copy-pasted sql mostly disappeared within a quarter"
    assert read(gone.split(" ")).subject != "i"
    assert read(["profiled", "the", "stages"]).subject == "i"  # a typed note's dropped "I" still reads
