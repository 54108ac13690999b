"""Every figure of the weekly report, computed from the store: the `report --json` object.

Reads only what the week needs (this week and last, plus per-day counts for the heatmap and the streak),
so a year of daily use still reports in well under a second.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from statistics import mean
from typing import Any

from prepdeck.core.retention import SEEN_BEFORE_SQL, by_maturity
from prepdeck.core.retention import retention as _retention
from prepdeck.core.store import Store, from_iso, to_iso, utcnow
from prepdeck.decks.model import Card, DeckSet
from prepdeck.reports.collection import forecast
from prepdeck.reports.week import Week, local_date
from prepdeck.scoring.card import score_round
from prepdeck.scoring.evidence import (
    STAR_BEATS,
    Delivery,
    RoundEvidence,
    Solve,
    case_list,
    delivery_from,
    number,
    self_score_lines,
    uses_advanced_sql,
)
from prepdeck.scoring.measures import FILLERS_GOOD, PACE_BAND
from prepdeck.scoring.rubrics import CODING_COMBINED_MAX, CODING_COMBINED_PASS, RUBRICS

ROUNDS = ("sql", "pyspark", "design", "behavioral")
HEATMAP_WEEKS = 12
FORECAST_DAYS = 14


class _Catalog:
    """Card and round lookups over the loaded decks (cards of decks no longer loaded have no round)."""

    def __init__(self, decks: DeckSet):
        self.deck_round = {d.id: d.round for d in decks.decks}
        self.deck_title = {d.id: d.title for d in decks.decks}
        self.cards: dict[str, Card] = {c.global_id: c for c in decks.all_cards()}

    def round_of(self, card_id: str | None, deck_id: str | None = None) -> str | None:
        if card_id and deck_id is None:
            deck_id = card_id.partition("/")[0]
        return self.deck_round.get(deck_id or "")

    def title(self, card_id: str) -> str:
        card = self.cards.get(card_id)
        return card.title if card else card_id


def _loads(text: str | None) -> Any:
    if not text:
        return None
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        return None


def _round1(x: float | None) -> float | None:
    return None if x is None else round(x, 1)


# -- the week's raw rows ----------------------------------------------------------------------------


def _reviews(store: Store, start: dt.datetime, end: dt.datetime) -> list[dict[str, Any]]:
    """Reviews in [start, end), each with `repeat`: not the card's first review ever."""
    return list(
        store.db.query(
            f"""
        SELECT r.id, r.card_id, r.deck_id, r.reviewed_at, r.rating, r.duration_ms, r.kind, r.payload,
               r.state_before, {SEEN_BEFORE_SQL} AS repeat
        FROM reviews r WHERE r.reviewed_at >= ? AND r.reviewed_at < ? ORDER BY r.reviewed_at, r.id
        """,
            [to_iso(start), to_iso(end)],
        )
    )


def _rows(
    store: Store, table: str, column: str, start: dt.datetime, end: dt.datetime
) -> list[dict[str, Any]]:
    return list(
        store.db.query(
            f"SELECT * FROM {table} WHERE {column} >= ? AND {column} < ? ORDER BY {column}, id",
            [to_iso(start), to_iso(end)],
        )
    )


def day_counts(store: Store, end: dt.datetime, tz: dt.tzinfo | None) -> Counter[dt.date]:
    """Reviews per local day before `end`. Grouped by UTC quarter-hour first: time zone offsets are whole
    quarter-hours (+5:30, +5:45 included), so each group falls on one local day and conversions stay few
    (a year of daily use is ~2,000 groups instead of 50,000 rows)."""
    counts: Counter[dt.date] = Counter()
    for hour, quarter, n in store.db.execute(
        "SELECT substr(reviewed_at, 1, 13), CAST(substr(reviewed_at, 15, 2) AS INTEGER) / 15, count(*) "
        "FROM reviews WHERE reviewed_at < ? GROUP BY 1, 2",
        [to_iso(end)],
    ).fetchall():
        moment = dt.datetime.fromisoformat(f"{hour}:{15 * quarter:02d}+00:00")
        counts[local_date(moment, tz)] += n
    return counts


# -- evidence per round -----------------------------------------------------------------------------


def _solve_from_attempts(
    card_id: str, round_: str, attempts: list[dict[str, Any]], payload: dict[str, Any], advanced: bool
) -> Solve:
    attempts = sorted(attempts, key=lambda a: (a["at"], a["id"]))
    results = [_loads(a["result"]) or {} for a in attempts]
    first_cases = case_list(results[0])
    hidden = [c for c in first_cases if c.get("hidden")]
    passed = any(a["passed"] for a in attempts)
    return Solve(
        card_id=card_id,
        round=round_,
        tries=len(attempts),
        first_try_passed=bool(attempts[0]["passed"]),
        passed=passed,
        gave_up=bool(payload.get("gave_up")) or not passed,
        seconds=number(payload.get("seconds")),
        hidden_run=len(hidden),
        hidden_passed=sum(bool(c.get("passed")) for c in hidden),
        runs=len(attempts),
        runs_with_error=sum(bool(r.get("error")) for r in results),
        advanced=advanced,
    )


def _solve_from_payload(card_id: str, round_: str, payload: dict[str, Any], advanced: bool) -> Solve | None:
    tries = number(payload.get("attempts"))
    if not tries or "passed" not in payload:
        return None  # revealed without a single run: no judge evidence (the rating still counts as a review)
    tries_i = max(1, int(tries))
    passed = bool(payload.get("passed"))
    # the code view keeps the last run under "results"; older payloads carry "cases" at the top
    final = payload.get("results") if isinstance(payload.get("results"), dict) else payload
    cases = case_list(final) if tries_i == 1 else []
    hidden = [c for c in cases if c.get("hidden")]
    return Solve(
        card_id=card_id,
        round=round_,
        tries=tries_i,
        first_try_passed=passed and tries_i == 1,
        passed=passed,
        gave_up=bool(payload.get("gave_up")) or not passed,
        seconds=number(payload.get("seconds")),
        hidden_run=len(hidden),
        hidden_passed=sum(bool(c.get("passed")) for c in hidden),
        advanced=advanced,
    )


def _evidence(
    cat: _Catalog,
    reviews: list[dict[str, Any]],
    attempts: list[dict[str, Any]],
    recordings: list[dict[str, Any]],
    checks: list[dict[str, Any]],
    in_week: tuple[str, str],
    tz: dt.tzinfo | None,
) -> dict[str, RoundEvidence]:
    ev = {r: RoundEvidence(r) for r in ROUNDS}
    lo, hi = in_week
    by_review: dict[int, list[dict[str, Any]]] = defaultdict(list)
    free: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for a in attempts:
        if a["review_id"] is not None:
            by_review[a["review_id"]].append(a)
        elif lo <= a["at"] < hi:
            key = (
                ("mock", a["mock_id"])
                if a["mock_id"] is not None
                else ("day", local_date(from_iso(a["at"]), tz))
            )
            free[(a["card_id"], *key)].append(a)

    def advanced(card_id: str) -> bool:
        card = cat.cards.get(card_id)
        return bool(card and card.type == "sql" and uses_advanced_sql(card.solution))

    checked = {c["review_id"] for c in checks}  # reviews whose self-check row exists: not counted twice
    for r in reviews:
        round_ = cat.round_of(r["card_id"], r["deck_id"])
        if round_ is None:
            continue
        e = ev[round_]
        e.ratings.append(r["rating"])
        payload = _loads(r["payload"]) if r["payload"] else {}
        payload = payload if isinstance(payload, dict) else {}
        card = cat.cards.get(r["card_id"])
        linked = by_review.get(r["id"])
        is_code = (card is not None and card.is_code) or bool(linked) or "attempts" in payload
        if linked:
            e.solves.append(
                _solve_from_attempts(r["card_id"], round_, linked, payload, advanced(r["card_id"]))
            )
        elif is_code:
            solve = _solve_from_payload(r["card_id"], round_, payload, advanced(r["card_id"]))
            if solve:
                e.solves.append(solve)
        elif r["repeat"] and (card is None or not card.is_spoken):
            e.recall_repeat_ratings.append(r["rating"])
        if card is not None and card.is_spoken:
            # a recorded answer's self-score is on its recording too (counted below): count it once
            own = (
                {} if payload.get("recording_id") is not None else self_score_lines(payload.get("self_score"))
            )
            for line_key, points in own.items():
                _add_self(e, line_key, points)
            sheet: dict[str, Any] = (
                payload["self_check"] if isinstance(payload.get("self_check"), dict) else payload
            )
            if card.type == "design" and isinstance(sheet.get("checklist"), list) and r["id"] not in checked:
                _add_checklist(e, card, sheet["checklist"], sheet.get("numbers"))

    for (card_id, *_), group in free.items():
        round_ = cat.round_of(card_id)
        if round_ is not None:
            ev[round_].solves.append(_solve_from_attempts(card_id, round_, group, {}, advanced(card_id)))

    for c in checks:
        if not lo <= c["at"] < hi:
            continue
        round_ = cat.round_of(c["card_id"])
        card = cat.cards.get(c["card_id"])
        if round_ is not None and card is not None:
            _add_checklist(ev[round_], card, _loads(c["checklist"]), _loads(c["numbers"]))

    for rec in recordings:
        d = _delivery(cat, rec, tz)
        if d is None or d.round is None:
            continue
        ev[d.round].deliveries.append(d)
        for line_key, points in self_score_lines(_loads(rec["self_score"])).items():
            _add_self(ev[d.round], line_key, points)
    return ev


def _add_self(e: RoundEvidence, key: str, points: float) -> None:
    line = next((ln for ln in RUBRICS[e.round].lines if ln.key == key), None)
    if line is not None:
        e.self_scores.setdefault(key, []).append(max(0.0, min(1.0, points / line.points)))


def _add_checklist(e: RoundEvidence, card: Card, ticks: Any, numbers: Any) -> None:
    if isinstance(ticks, list) and ticks:
        texts = list(card.checklist) + [""] * max(0, len(ticks) - len(card.checklist))
        e.checklists.append([(texts[i], bool(t)) for i, t in enumerate(ticks)])
    if isinstance(numbers, list):
        e.numbers.extend(bool(n.get("correct")) for n in numbers if isinstance(n, dict) and "correct" in n)


def _delivery(cat: _Catalog, rec: dict[str, Any], tz: dt.tzinfo | None) -> Delivery | None:
    analysis = _loads(rec["analysis"])
    if not isinstance(analysis, dict) or rec["status"] == "failed":
        return None
    card = cat.cards.get(rec["card_id"] or "")
    return delivery_from(
        analysis,
        card_id=rec["card_id"],
        round_=cat.round_of(rec["card_id"]) if rec["card_id"] else None,
        at=rec["at"],
        duration_s=rec["duration_s"],
        target=card.speaking_target() if card else None,
        card_type=card.type if card else None,
    )


# -- the sections -----------------------------------------------------------------------------------


def _speech(deliveries: list[Delivery], cat: _Catalog, tz: dt.tzinfo | None) -> dict[str, Any]:
    minutes = sum(d.duration_s for d in deliveries if d.duration_s) / 60
    counted = [d for d in deliveries if d.fillers is not None and d.duration_s]
    counted_s = sum(d.duration_s or 0.0 for d in counted)
    fpm = (sum(d.fillers or 0 for d in counted) / (counted_s / 60)) if counted else None
    if fpm is None:
        rates = [d.fillers_per_minute for d in deliveries if d.fillers_per_minute is not None]
        fpm = mean(rates) if rates else None
    paced = [d for d in deliveries if d.wpm is not None]
    weights = [d.duration_s or 1.0 for d in paced]
    wpm = (
        sum((d.wpm or 0.0) * w for d, w in zip(paced, weights, strict=True)) / sum(weights) if paced else None
    )
    with_beats = [d for d in deliveries if d.beats is not None]
    beats = {b: sum(b in (d.beats or ()) for d in with_beats) for b in STAR_BEATS}
    targeted = [d.within_target for d in deliveries if d.within_target is not None]
    return {
        "attempts": len(deliveries),
        "fillers_per_minute": _round1(fpm),
        "wpm": _round1(wpm),
        "minutes": round(minutes, 1),
        "duration_s": _round1(mean([d.duration_s for d in deliveries if d.duration_s]) if minutes else None),
        "star_answers": len(with_beats),
        "star_beats": beats,
        "star_coverage": round(sum(beats.values()) / (4 * len(with_beats)), 3) if with_beats else None,
        "within_target": round(sum(targeted) / len(targeted), 3) if targeted else None,
        "items": [
            {
                "at": local_date(from_iso(d.at), tz).isoformat(),
                "card": d.card_id,
                "title": cat.title(d.card_id) if d.card_id else "(no card)",
                "duration_s": _round1(d.duration_s),
                "wpm": _round1(d.wpm),
                "fillers_per_minute": _round1(d.fillers_per_minute),
                "kind": d.kind,  # a design answer has no STAR beats: the report says so instead of "—"
                "beats": sorted(d.beats, key=STAR_BEATS.index) if d.beats is not None else None,
                "within_target": d.within_target,
            }
            for d in sorted(deliveries, key=lambda d: d.at)
        ],
    }


def _retention_breakdown(
    cat: _Catalog, this: list[dict[str, Any]], last: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    def group(rows: list[dict[str, Any]], key) -> dict[str, list[int]]:
        out: dict[str, list[int]] = defaultdict(list)
        for r in rows:
            k = key(r)
            if k is not None and r["repeat"]:
                out[k].append(r["rating"])
        return out

    deck_key = lambda r: r["deck_id"]  # noqa: E731
    round_key = lambda r: cat.round_of(r["card_id"], r["deck_id"])  # noqa: E731
    d_this, d_last = group(this, deck_key), group(last, deck_key)
    decks = []
    for deck_id in sorted(set(d_this) | set(d_last) | {r["deck_id"] for r in this}):
        decks.append(
            {
                "deck": deck_id,
                "title": cat.deck_title.get(deck_id, deck_id),
                "round": cat.deck_round.get(deck_id),
                "reviews": sum(r["deck_id"] == deck_id for r in this),
                "this_week": _retention(d_this.get(deck_id, [])),
                "last_week": _retention(d_last.get(deck_id, [])),
            }
        )
    r_this, r_last = group(this, round_key), group(last, round_key)
    rounds = {
        r: {"this_week": _retention(r_this.get(r, [])), "last_week": _retention(r_last.get(r, []))}
        for r in ROUNDS
    }
    return decks, rounds


def _streak(days: Counter[dt.date], ref: dt.date) -> int:
    """Consecutive days with reviews up to `ref` (or up to the day before, if `ref` has none yet)."""
    day = ref if days.get(ref) else ref - dt.timedelta(days=1)
    n = 0
    while days.get(day):
        n += 1
        day -= dt.timedelta(days=1)
    return n


def _failures(
    cat: _Catalog,
    reviews: list[dict[str, Any]],
    ev: dict[str, RoundEvidence],
    attempts: list[dict[str, Any]],
    in_week: tuple[str, str],
) -> tuple[list, list]:
    tags: Counter[str] = Counter()
    for r in reviews:
        if r["rating"] == 1:
            card = cat.cards.get(r["card_id"])
            for t in card.tags if card else ():
                tags[t] += 1
    for e in ev.values():
        for s in e.solves:
            if not s.first_try_passed:
                card = cat.cards.get(s.card_id)
                for t in card.tags if card else ():
                    tags[t] += 1
    hidden: Counter[tuple[str, str]] = Counter()
    lo, hi = in_week
    for a in attempts:
        if lo <= a["at"] < hi:
            for c in case_list(_loads(a["result"])):
                if c.get("hidden") and not c.get("passed"):
                    hidden[(a["card_id"], str(c.get("name")))] += 1
    return (
        [{"tag": t, "count": n} for t, n in sorted(tags.items(), key=lambda kv: (-kv[1], kv[0]))[:10]],
        [
            {"card": card, "title": cat.title(card), "case": case, "count": n}
            for (card, case), n in sorted(hidden.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
        ],
    )


def _leeches(store: Store, cat: _Catalog) -> list[dict[str, Any]]:
    rows = store.db.execute(
        "SELECT s.card_id, s.since, c.lapses FROM suspended s LEFT JOIN card_state c ON c.card_id = s.card_id "
        "WHERE s.reason = 'leech' ORDER BY s.since DESC"
    ).fetchall()
    return [
        {"card": cid, "title": cat.title(cid), "since": since[:10], "lapses": lapses}
        for cid, since, lapses in rows
    ]


def _mocks(store: Store, end: dt.datetime, in_week: tuple[str, str]) -> dict[str, Any]:
    rows = list(
        store.db.query("SELECT * FROM mocks WHERE started_at < ? ORDER BY started_at, id", [to_iso(end)])
    )
    rounds: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for m in rows:
        rounds[m["round"]].append(
            {
                "date": m["started_at"][:10],
                "finished": bool(m["finished"]),
                "total": m["total"],
                "max": m["max_total"],
                "this_week": in_week[0] <= m["started_at"] < in_week[1],
                "share": round(m["total"] / m["max_total"], 3)
                if m["total"] is not None and m["max_total"]
                else None,
                # against the round's pass line; None while unscored (quit midway)
                "passed": (
                    m["total"] >= RUBRICS[m["round"]].pass_score
                    if m["total"] is not None and m["finished"] and m["round"] in RUBRICS
                    else None
                ),
            }
        )
    return {
        "count": len(rows),
        "this_week": sum(m["this_week"] for v in rounds.values() for m in v),
        "rounds": {r: v[-8:] for r, v in rounds.items()},
    }


def _focus(fig: dict[str, Any]) -> list[str]:
    """At most five concrete things to practise, most pressing first."""
    out: list[str] = []
    if fig["reviews"] == 0:
        out.append("No reviews this week: start with a short daily session (the forecast shows what is due).")
    if all(r["score"] is None for r in fig["rounds"].values()):
        out.append(
            "No evidence for any round: judge three SQL and three PySpark cards, and answer one design "
            "and one behavioral card aloud."
        )
    for key, r in fig["rounds"].items():
        if r["score"] is None and len(out) > 1:
            continue
        if r["score"] is None:
            out.append(
                f"{r['title']}: no evidence this week — practise at least three {key} cards"
                + (" with the judge." if key in ("sql", "pyspark") else " aloud.")
            )
            continue
        missing = [ln["name"] for ln in r["lines"] if ln["score"] is None]
        weakest = min(
            (ln for ln in r["lines"] if ln["score"] is not None), key=lambda ln: ln["score"] / ln["max"]
        )
        if r["passed"] is False:
            out.append(
                f"{r['title']}: {r['score']:g}/{r['max']}, under the {r['pass']} pass line — "
                f"weakest: {weakest['name']} ({weakest['score']:g}/{weakest['max']})."
            )
        elif missing:
            out.append(f"{r['title']}: no evidence yet for {', '.join(missing)}.")
    if fig["failed_patterns"]:
        top = fig["failed_patterns"][0]
        out.append(
            f"Drill the pattern '{top['tag']}': {top['count']} failure{'s' if top['count'] != 1 else ''} "
            "this week."
        )
    if fig["hidden_failures"]:
        h = fig["hidden_failures"][0]
        out.append(f"Edge case '{h['case']}' of {h['title']} failed {h['count']}×: redo that card.")
    sp = fig["speech"]
    if sp["fillers_per_minute"] is not None and sp["fillers_per_minute"] > 5:
        out.append(
            f"Cut filler words: {sp['fillers_per_minute']:g}/min (aim for ≤ {FILLERS_GOOD:g}): pause instead."
        )
    if sp["wpm"] is not None and not PACE_BAND[0] <= sp["wpm"] <= PACE_BAND[1]:
        out.append(f"Pace {sp['wpm']:g} wpm: aim for {PACE_BAND[0]}–{PACE_BAND[1]}.")
    if sp["star_answers"]:
        weakest_beat = min(STAR_BEATS, key=lambda b: sp["star_beats"][b])
        if sp["star_beats"][weakest_beat] < sp["star_answers"]:
            out.append(
                f"The {weakest_beat} beat is missing in {sp['star_answers'] - sp['star_beats'][weakest_beat]}"
                f" of {sp['star_answers']} STAR answers."
            )
    if fig["retention"] is not None and fig["retention"] < 0.8:
        out.append(
            f"Retention {fig['retention']:.0%}: review daily and keep new cards low until it is ≥ 85%."
        )
    if fig["leeches"]:
        out.append(f"Rewrite or split {len(fig['leeches'])} leech card(s): they keep failing.")
    return out[:5]


# -- the whole report -------------------------------------------------------------------------------


def resolve_week(week: str | Week | None, now: dt.datetime, tz: dt.tzinfo | None) -> Week:
    if isinstance(week, Week):
        return week
    return Week.parse(week, tz) if week else Week.containing(now, tz)


def week_figures(
    store: Store,
    decks: DeckSet,
    week: str | Week | None = None,
    now: dt.datetime | None = None,
    tz: dt.tzinfo | None = None,
) -> dict[str, Any]:
    """The figures of one ISO week (default: the one containing `now`). Raises WeekError on a bad week."""
    now = now or utcnow()
    wk = resolve_week(week, now, tz)
    start, end = wk.bounds()
    prev = wk.previous()
    prev_start, _ = prev.bounds()
    cat = _Catalog(decks)
    in_week = (to_iso(start), to_iso(end))
    in_last = (to_iso(prev_start), to_iso(start))

    both = _reviews(store, prev_start, end)
    this = [r for r in both if r["reviewed_at"] >= in_week[0]]
    last = [r for r in both if r["reviewed_at"] < in_week[0]]
    # attempts linked to this or last week's reviews may predate the week by a little: look back a day
    attempts = _rows(store, "attempts", "at", prev_start - dt.timedelta(days=1), end)
    recordings = _rows(store, "recordings", "at", prev_start, end)
    checks = _rows(store, "self_checks", "at", prev_start, end)

    def split(rows: list[dict[str, Any]], col: str, window: tuple[str, str]) -> list[dict[str, Any]]:
        return [r for r in rows if window[0] <= r[col] < window[1]]

    ids_this = {r["id"] for r in this}
    ids_last = {r["id"] for r in last}

    def evidence_for(reviews, ids, window):
        linked = [
            a
            for a in attempts
            if a["review_id"] in ids or (a["review_id"] is None and window[0] <= a["at"] < window[1])
        ]
        return _evidence(
            cat,
            reviews,
            linked,
            split(recordings, "at", window),
            [c for c in checks if c["review_id"] in ids or window[0] <= c["at"] < window[1]],
            window,
            tz,
        )

    ev_this = evidence_for(this, ids_this, in_week)
    ev_last = evidence_for(last, ids_last, in_last)

    rounds: dict[str, Any] = {}
    for key in ROUNDS:
        card = score_round(key, ev_this[key]).report_json()
        before = score_round(key, ev_last[key]).report_json()
        card["last_week"] = before["score"]
        card["change"] = (
            round(card["score"] - before["score"], 1)
            if card["score"] is not None and before["score"] is not None
            else None
        )
        rounds[key] = card
    sql, spark = rounds["sql"]["score"], rounds["pyspark"]["score"]
    code_total = round(sql + spark, 1) if sql is not None and spark is not None else None
    code_complete = rounds["sql"]["complete"] and rounds["pyspark"]["complete"]

    repeat_ratings = [r["rating"] for r in this if r["repeat"]]
    days = day_counts(store, end, tz)
    week_days = wk.days()
    today = local_date(now, tz)
    ref_day = min(wk.sunday, today) if wk.monday <= today else wk.sunday
    heat_start = wk.monday - dt.timedelta(weeks=HEATMAP_WEEKS - 1)
    deck_ret, round_ret = _retention_breakdown(cat, this, last)
    deliveries = [d for e in ev_this.values() for d in e.deliveries]
    deliveries += [
        _d
        for _d in (_delivery(cat, rec, tz) for rec in split(recordings, "at", in_week))
        if _d is not None and _d.round is None
    ]  # recordings without a card still count as speech
    last_deliveries = [d for e in ev_last.values() for d in e.deliveries]
    failed_patterns, hidden_failures = _failures(cat, this, ev_this, attempts, in_week)

    fig: dict[str, Any] = {
        "week": wk.label,
        "start": wk.monday.isoformat(),
        "end": wk.sunday.isoformat(),
        "reviews": len(this),
        "cards_reviewed": len({r["card_id"] for r in this}),
        "minutes": round(sum(r["duration_ms"] or 0 for r in this) / 60000, 1),
        "retention": _retention(repeat_ratings),
        "rounds": rounds,
        "speech": {
            **_speech(deliveries, cat, tz),
            "last_week": {k: v for k, v in _speech(last_deliveries, cat, tz).items() if k != "items"},
        },
        "files": {"html": None, "md": None},
        # beyond the cli.md minimum
        "empty": not this and not deliveries and all(e.empty for e in ev_this.values()),
        "generated_at": to_iso(now),
        "time_zone": str(start.tzinfo),
        "new_cards": len({r["card_id"] for r in this if not r["repeat"]}),
        "active_days": sum(1 for d in week_days if days.get(d)),
        "streak": _streak(days, ref_day),
        "per_day": [{"date": d.isoformat(), "reviews": days.get(d, 0)} for d in week_days],
        "last_week": {
            "week": prev.label,
            "reviews": len(last),
            "minutes": round(sum(r["duration_ms"] or 0 for r in last) / 60000, 1),
            "retention": _retention([r["rating"] for r in last if r["repeat"]]),
        },
        # the same retention split by what the card was when answered (young + mature: Anki's true retention)
        "retention_by_maturity": by_maturity((r["rating"], r["state_before"]) for r in this if r["repeat"]),
        "retention_by_deck": deck_ret,
        "retention_by_round": round_ret,
        "combined": {
            "sql_pyspark": {
                "score": code_total,
                "max": CODING_COMBINED_MAX,
                "pass": CODING_COMBINED_PASS,
                "passed": (code_total >= CODING_COMBINED_PASS)
                if code_total is not None and code_complete
                else None,
            }
        },
        "forecast": forecast(store, decks, now, FORECAST_DAYS, tz),
        "heatmap": [
            {
                "date": (heat_start + dt.timedelta(days=i)).isoformat(),
                "reviews": days.get(heat_start + dt.timedelta(days=i), 0),
            }
            for i in range(HEATMAP_WEEKS * 7)
        ],
        "failed_patterns": failed_patterns,
        "hidden_failures": hidden_failures,
        "leeches": _leeches(store, cat),
        "mocks": _mocks(store, end, in_week),
    }
    fig["focus"] = _focus(fig)
    return fig
