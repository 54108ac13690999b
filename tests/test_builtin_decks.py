"""The built-in decks: they load cleanly, cover every round, their arithmetic is right, and they do
not repeat the interview guide's known mistakes."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from prepdeck.core.paths import BUILTIN_DECKS
from prepdeck.decks.loader import check_paths, load_decks
from prepdeck.decks.model import Card, Deck, DeckSet

CONTENT_DECKS = {  # the concept decks of this file's author: deck id -> (round, card type, minimum)
    "sql-concepts": ("sql", "recall", 25),
    "pyspark-concepts": ("pyspark", "recall", 25),
    "system-design": ("design", "design", 25),
    "behavioral": ("behavioral", "star", 25),
}


@pytest.fixture(scope="module")
def decks() -> DeckSet:
    return load_decks([BUILTIN_DECKS])


def deck(decks: DeckSet, deck_id: str) -> Deck:
    found = decks.deck(deck_id)
    assert found is not None, f"built-in deck {deck_id!r} did not load"
    return found


def card_texts(card: Card) -> list[str]:
    """Every piece of user-visible text on a card, code included."""
    texts = [card.title, card.prompt, card.answer or "", card.solution or "", *card.checklist]
    texts += [n.question for n in card.numbers]
    return texts


def all_text(decks: DeckSet) -> list[tuple[str, str]]:
    pairs = [(d.id, d.description) for d in decks.decks]
    pairs += [(c.global_id, t) for c in decks.all_cards() for t in card_texts(c)]
    return pairs


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+|\n", text) if s.strip()]


# --- loading ----------------------------------------------------------------------------------


def test_every_builtin_deck_loads_without_problems(decks: DeckSet) -> None:
    assert decks.problems == []
    assert decks.broken == []
    assert check_paths([BUILTIN_DECKS]) == []
    files = sorted(BUILTIN_DECKS.glob("*.toml"))
    assert len(decks.decks) == len(files)


def test_content_decks_are_present_with_their_round_and_card_types(decks: DeckSet) -> None:
    for deck_id, (round_, card_type, minimum) in CONTENT_DECKS.items():
        d = deck(decks, deck_id)
        assert d.round == round_
        assert d.builtin
        assert sum(c.type == card_type for c in d.cards) >= minimum, deck_id


def test_each_round_has_at_least_25_cards_and_over_100_in_all(decks: DeckSet) -> None:
    per_round = Counter(d.round for d in decks.decks for _ in d.cards)
    for round_ in ("sql", "pyspark", "design", "behavioral"):
        assert per_round[round_] >= 25, (round_, per_round)
    assert sum(per_round.values()) > 100


def test_card_ids_are_unique_and_well_formed(decks: DeckSet) -> None:
    for d in decks.decks:
        ids = [c.id for c in d.cards]
        assert len(ids) == len(set(ids)), d.id
        assert all(re.fullmatch(r"[a-z0-9-]+", i) for i in ids), d.id


def test_bare_card_ids_are_unique_across_builtin_decks(decks: DeckSet) -> None:
    # `prepdeck check <id>` takes a bare id: it must name one card
    counts = Counter(c.id for c in decks.all_cards())
    assert [i for i, n in counts.items() if n > 1] == []


def test_content_cards_are_concise_and_complete(decks: DeckSet) -> None:
    for deck_id in CONTENT_DECKS:
        for c in deck(decks, deck_id).cards:
            assert 1 <= len(c.prompt.strip().splitlines()) <= 8, c.global_id
            if c.type in ("recall", "design"):
                assert c.answer and len(c.answer.strip().splitlines()) <= 25, c.global_id
            if c.type == "design":
                assert 4 <= len(c.checklist) <= 8, c.global_id
                assert c.target_seconds is not None, c.global_id
            if c.type == "star":
                assert c.competency, c.global_id
                assert c.target_seconds is not None, c.global_id
                assert c.answer, c.global_id


# --- arithmetic -------------------------------------------------------------------------------

# Recomputed from the stated assumptions, decimal units (1 KB = 1e3 B, 1 MB = 1e6 B, 1 TB = 1e12 B).
TPS, EVENT_BYTES, DAY, YEAR_DAYS = 50_000, 1_000, 86_400, 365
MB_S = TPS * EVENT_BYTES / 1e6
TB_DAY = MB_S * 1e6 * DAY / 1e12
TIB = 2**40
EXPECTED: dict[tuple[str, str], float] = {
    ("fraud-capacity-storage", "Ingest rate at peak (50,000 TPS × 1 KB)"): MB_S,
    ("fraud-capacity-storage", "Volume per day at sustained peak"): TB_DAY,
    ("fraud-capacity-storage", "Volume per year at sustained peak"): TB_DAY * YEAR_DAYS,
    ("fraud-capacity-storage", "The same per year in petabytes (decimal)"): TB_DAY * YEAR_DAYS / 1_000,
    ("fraud-kafka-sizing", "Minimum partitions at 5,000 TPS per partition"): TPS / 5_000,
    ("fraud-kafka-sizing", "Cluster write throughput with replication factor 3"): MB_S * 3,
    ("fraud-kafka-sizing", "Disk for 7 days of retention with replication factor 3"): TB_DAY * 7 * 3,
    ("fraud-latency-budget", "Sum of the upper bounds (200 + 500 + 200 + 100 ms)"): 200 + 500 + 200 + 100,
    ("fraud-latency-budget", "Headroom left in the 5 s budget"): 5_000 - (200 + 500 + 200 + 100),
    ("fraud-feature-store", "Online feature data (200 M cards × 1 KB)"): 200e6 * 1_000 / 1e9,
    ("fraud-feature-store", "Feature reads per second at peak (3 lookups per transaction)"): TPS * 3,
    ("fraud-decision-review", "Manual-review cases per second at 0.2% of 50,000 TPS"): TPS * 0.002,
    ("fraud-decision-review", "The same per hour at sustained peak"): TPS * 0.002 * 3_600,
    ("fraud-storage-retention", "Hot tier for 30 days at 4.32 TB/day"): TB_DAY * 30,
    ("clickstream-analytics-pipeline", "Volume per day (2 B events × 500 B)"): 2e9 * 500 / 1e12,
    ("clickstream-analytics-pipeline", "Average events per second"): 2e9 / DAY,
    ("clickstream-analytics-pipeline", "Peak events per second at 3× the average"): 3 * 2e9 / DAY,
    ("cdc-oltp-to-lakehouse", "Change rate in MB/s (5,000 changes/s × 1 KB)"): 5_000 * 1_000 / 1e6,
    ("cdc-oltp-to-lakehouse", "Change volume per day at sustained peak"): 5_000 * 1_000 * DAY / 1e9,
    ("realtime-leaderboard", "Score updates per day"): 10e6 * 20,
    ("realtime-leaderboard", "Average updates per second"): 10e6 * 20 / DAY,
    ("realtime-leaderboard", "Memory per board at 100 B per player"): 10e6 * 100 / 1e9,
    ("backfill-strategy", "Daily partitions in 3 years"): 3 * 365,
    ("backfill-strategy", "Wall-clock time with 8 in parallel at 10 min each"): 3 * 365 / 8 * 10 / 60,
    ("gdpr-deletion-lake", "Files in the lake (100 TB of 1 GB files)"): 100e12 / 1e9,
    ("warehouse-cost-optimisation", "TiB scanned per month by the dashboard"): 2 * 24 * 30,
    ("warehouse-cost-optimisation", "Monthly cost at $6.25 per TiB"): 2 * 24 * 30 * 6.25,
    ("warehouse-cost-optimisation", "TiB per month when each refresh reads 7 of 365 days"): 2
    * 24
    * 30
    * 7
    / 365,
}


def test_every_design_number_matches_its_recomputation(decks: DeckSet) -> None:
    seen = set()
    for c in deck(decks, "system-design").cards:
        for n in c.numbers:
            key = (c.id, n.question)
            assert key in EXPECTED, f"no recomputation for {key}: add one to this test"
            expected = EXPECTED[key]
            allowed = max(n.tolerance * abs(expected), 1e-9)
            assert abs(n.answer - expected) <= allowed, (key, n.answer, expected)
            assert n.unit, key
            seen.add(key)
    assert seen == set(EXPECTED)


def test_fraud_capacity_chain_is_the_decimal_one(decks: DeckSet) -> None:
    card = deck(decks, "system-design").card("fraud-capacity-storage")
    assert card is not None
    values = {n.question: n.answer for n in card.numbers}
    assert values["Ingest rate at peak (50,000 TPS × 1 KB)"] == 50
    assert values["Volume per day at sustained peak"] == pytest.approx(4.32)
    assert values["Volume per year at sustained peak"] == pytest.approx(1576.8)
    assert values["The same per year in petabytes (decimal)"] == pytest.approx(1.5768)
    # The guide's 1.54 comes from dividing decimal TB by 1,024: neither decimal nor binary.
    mixed_units_pb, binary_pib = 1576.8 / 1024, 1576.8e12 / 2**50
    assert round(mixed_units_pb, 2) == 1.54
    assert round(binary_pib, 2) == 1.40
    assert "≈ 1.40 PiB" in (card.answer or "")


# --- the guide's mistakes are not repeated ----------------------------------------------------

STRING_PLUS_COLUMN = re.compile(
    r"""(col\([^)]*\)(\.cast\([^)]*\))?|F\.lit\([^)]*\))\s*\+\s*["']"""  # column + "literal"
    r"""|["']\s*\+\s*(F\.)?(col|lit)\("""  # "literal" + column
)


def test_no_card_concatenates_strings_with_plus_in_pyspark_code(decks: DeckSet) -> None:
    offenders = []
    for where, text in all_text(decks):
        for line in text.splitlines():
            if STRING_PLUS_COLUMN.search(line) and "# wrong" not in line:
                offenders.append((where, line.strip()))
    assert offenders == []


def test_the_string_plus_card_shows_the_mistake_only_marked_as_wrong(decks: DeckSet) -> None:
    card = deck(decks, "pyspark-concepts").card("string-plus-not-concat")
    assert card is not None
    assert STRING_PLUS_COLUMN.search(card.prompt) and "# wrong" in card.prompt
    assert "concat_ws" in (card.answer or "") and "BINARY_OP_WRONG_TYPE" in (card.answer or "")


APPROX_IS_EXACT = re.compile(
    r"approx(imate)?[_ ]count[_ ]distinct\W+(is|gives|returns|computes)\W+(an?\s+)?exact", re.IGNORECASE
)


def test_no_card_claims_approx_count_distinct_is_exact(decks: DeckSet) -> None:
    for where, text in all_text(decks):
        for sentence in sentences(text):
            assert not APPROX_IS_EXACT.search(sentence), (where, sentence)
            if re.search(r"approx_count_distinct", sentence, re.IGNORECASE) and re.search(
                r"\bexact\b", sentence, re.IGNORECASE
            ):
                # a sentence naming both must also say it is not exact or an estimate
                assert re.search(r"\bnot\b|estimate|hyperloglog|rsd|error", sentence, re.IGNORECASE), (
                    where,
                    sentence,
                )


def test_approximate_card_says_hyperloglog_and_not_exact(decks: DeckSet) -> None:
    # the SQL and PySpark approx-count-distinct cards were merged into this one
    assert decks.card("sql-concepts/approx-count-distinct") is None
    card = decks.card("pyspark-concepts/approx-vs-count-distinct")
    assert card is not None and card.answer
    assert re.search(r"hyperloglog", card.answer, re.IGNORECASE)
    assert re.search(r"not (an )?exact|\*\*not\*\* exact|Not exact", card.answer)


def test_no_card_calls_rows_6_preceding_an_exact_7_day_window(decks: DeckSet) -> None:
    for where, text in all_text(decks):
        for sentence in sentences(text):
            if re.search(r"6\s+PRECEDING", sentence, re.IGNORECASE) and re.search(
                r"7[- ]day", sentence, re.IGNORECASE
            ):
                # only as a correction ("7 rows, not 7 days") or over a calendar spine (one row per day)
                assert re.search(r"\bnot\b|7 rows|spine|one row per day", sentence, re.IGNORECASE), (
                    where,
                    sentence,
                )
            assert not re.search(r"ROWS BETWEEN 6 PRECEDING[^.\n]*\bexact\b", sentence, re.IGNORECASE), where


def test_window_frame_and_lookback_cards_teach_the_fix(decks: DeckSet) -> None:
    frames = decks.card("sql-concepts/moving-average-missing-days")
    lookback = decks.card("sql-concepts/window-filter-same-select")
    assert frames is not None and lookback is not None
    assert "7 rows" in (frames.answer or "") and "RANGE BETWEEN INTERVAL 6 DAY PRECEDING" in (
        frames.answer or ""
    )
    assert "before" in (lookback.answer or "") and "QUALIFY" in (lookback.answer or "")


def test_guide_number_slips_only_appear_as_corrections(decks: DeckSet) -> None:
    for where, text in all_text(decks):
        for sentence in sentences(text):
            if "1.54 PB" in sentence:
                assert re.search(r"guide|not|don't", sentence), (where, sentence)
            if "87%" in sentence:
                assert re.search(r"guide|not", sentence), (where, sentence)


def test_rubrics_in_deck_descriptions(decks: DeckSet) -> None:
    design = deck(decks, "system-design").description
    assert "pass ≥ 75" in design
    assert re.search(r"70/100.*75", design, re.DOTALL)  # the guide's inconsistency is noted
    lines = [10, 25, 20, 15, 10, 10, 10]
    assert sum(lines) == 100
    for points in ("requirements & constraints 10", "architecture completeness 25", "arithmetic) 20"):
        assert points in design
    behavioral = deck(decks, "behavioral").description
    assert 12 + 12 + 12 + 8 + 6 == 50
    assert "pass ≥ 38" in behavioral
    rubric_card = decks.card("behavioral/behavioral-rubric")
    assert rubric_card is not None
    assert re.findall(r"\| (\d+) \|", rubric_card.answer or "") == ["12", "12", "12", "8", "6"]


# --- self-grading -----------------------------------------------------------------------------

PLACEHOLDER = re.compile(
    r"\b[NXY] (teams|weeks|months|hours|ms)\b|\$X\b|\bX ?→ ?Y\b|\bfrom X to Y\b|give numbers"
)


def test_every_star_card_has_a_checklist_and_a_worked_example(decks: DeckSet) -> None:
    stars = [c for c in decks.all_cards() if c.type == "star"]
    assert len(stars) >= 25
    for c in stars:
        assert 4 <= len(c.checklist) <= 8, c.global_id
        assert not PLACEHOLDER.search(c.answer or ""), (c.global_id, PLACEHOLDER.search(c.answer or ""))


def test_long_recall_answers_state_the_pass_bar(decks: DeckSet) -> None:
    for global_id in (
        "sql-concepts/explain-reading",
        "pyspark-concepts/explain-spark-plan",
        "pyspark-concepts/spark-memory-oom",
        "behavioral/behavioral-red-flags",
    ):
        card = decks.card(global_id)
        assert card is not None and "**To pass:**" in (card.answer or ""), global_id


def test_cards_name_the_interview_guide_not_the_guide(decks: DeckSet) -> None:
    for where, text in all_text(decks):
        assert not re.search(r"(?<!interview )\b[Tt]he guide\b", text), where


def test_no_card_text_swallowed_a_toml_key(decks: DeckSet) -> None:
    # a key written inside another key's multi-line string is valid TOML but silently lost
    for where, text in all_text(decks):
        assert not re.search(r"^(answer|prompt|solution|checklist|title) = ", text, re.MULTILINE), where
