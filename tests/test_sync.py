"""`prepdeck sync`: two machines sharing one history through a folder, on real SQLite files.

The property: whatever the two machines did and whenever they synced (the same card reviewed on both,
an undo on one, a machine offline for a week), after both have synced they hold the same reviews and
byte-identical card states.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prepdeck.core.config import Config
from prepdeck.core.scheduler import Scheduling
from prepdeck.core.store import Store
from prepdeck.core.sync import SyncError, machine_id, read_entries, sync, sync_file
from prepdeck.decks.model import Card, Deck, DeckSet

T0 = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)


# another machine's id and one valid review from it, which the tests of hostile files spoil field by field
OTHER_MACHINE = "0123456789ab"
OTHER_REVIEW = {"t": "review", "uid": f"{OTHER_MACHINE}-1", "card_id": "alpha/c0", "deck_id": "alpha",
                "reviewed_at": "2026-03-01T10:00:00+00:00", "rating": 3, "duration_ms": 1000, "kind": "review",
                "payload": None}  # fmt: skip
DECKS = DeckSet(
    decks=[
        Deck(
            id="alpha",
            title="Alpha",
            round="sql",
            cards=tuple(
                Card(deck_id="alpha", id=f"c{i}", type="recall", title=f"Card {i}", prompt="Q?", answer="A.")
                for i in range(4)
            ),
        )
    ]
)


class Machine:
    def __init__(self, path: Path, clock: list[dt.datetime]):
        self.store = Store.open(path)
        self.clock = clock
        self.sched = Scheduling(self.store, DECKS, Config(), clock=lambda: clock[0], tz=dt.UTC)

    def sync(self, folder: Path):
        # entries dated after `now` are refused: reviews carry the test's clock, notes the real one
        now = max(self.clock[0], dt.datetime.now(dt.UTC))
        return sync(self.store, folder, self.sched.replay_cards, now=now)

    def states(self) -> list[tuple]:
        return self.store.db.execute("SELECT * FROM card_state ORDER BY card_id").fetchall()

    def log(self) -> list[tuple]:
        return self.store.db.execute(
            "SELECT uid, card_id, reviewed_at, rating, state_after FROM reviews ORDER BY uid"
        ).fetchall()


operation = st.one_of(
    st.tuples(st.just("review"), st.sampled_from("AB"), st.integers(0, 3), st.integers(1, 4)),
    st.tuples(st.just("undo"), st.sampled_from("AB")),
    st.tuples(st.just("sync"), st.sampled_from("AB")),
    st.tuples(st.just("wait"), st.sampled_from([5, 60, 60 * 24, 60 * 24 * 7])),  # minutes
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(operation, max_size=40))
def test_two_machines_end_with_the_same_history_and_card_states(tmp_path_factory, ops) -> None:
    root = tmp_path_factory.mktemp("sync")
    folder = root / "shared"
    folder.mkdir()
    clock = [T0]
    machines = {"A": Machine(root / "a.db", clock), "B": Machine(root / "b.db", clock)}
    try:
        for op in ops:
            clock[0] += dt.timedelta(seconds=7)  # every action at its own moment
            if op[0] == "review":
                machines[op[1]].sched.review(DECKS.decks[0].cards[op[2]], op[3])
            elif op[0] == "undo":
                machines[op[1]].sched.undo()
            elif op[0] == "sync":
                machines[op[1]].sync(folder)
            else:
                clock[0] += dt.timedelta(minutes=op[1])
        a, b = machines["A"], machines["B"]
        a.sync(folder), b.sync(folder), a.sync(folder)
        assert a.log() == b.log()
        assert a.states() == b.states()
        # and the state is the one the merged log gives: rebuilding from scratch changes nothing
        before = a.states()
        a.sched.rebuild()
        assert a.states() == before
        # a second round of syncs brings nothing new
        again = b.sync(folder)
        assert again.received == {} and again.cards_replayed == 0
    finally:
        for m in machines.values():
            m.store.close()


def test_undo_on_one_machine_removes_the_review_on_the_other(tmp_path: Path) -> None:
    clock = [T0]
    folder = tmp_path / "shared"
    folder.mkdir()
    a, b = Machine(tmp_path / "a.db", clock), Machine(tmp_path / "b.db", clock)
    card = DECKS.decks[0].cards[0]
    a.sched.review(card, 3)
    a.sync(folder)
    summary = b.sync(folder)
    assert summary.received == {"review": 1} and summary.cards_replayed == 1
    assert len(b.log()) == 1 and b.states() == a.states()
    # B's own undo never takes back a review it received from A
    assert b.sched.undo() is None and len(b.log()) == 1
    clock[0] += dt.timedelta(minutes=1)
    undone = a.sched.undo()
    assert undone is not None and undone.card_id == card.global_id
    a.sync(folder)
    summary = b.sync(folder)
    assert summary.received == {"undo": 1}
    assert b.log() == [] and b.states() == []


def three_reviews_shared(tmp_path: Path) -> tuple[Machine, Machine, Path]:
    """Machines A and B; A reviewed three cards an hour apart and synced."""
    clock = [T0]
    folder = tmp_path / "shared"
    folder.mkdir()
    a, b = Machine(tmp_path / "a.db", clock), Machine(tmp_path / "b.db", clock)
    for i in range(3):
        clock[0] += dt.timedelta(hours=1)
        a.sched.review(DECKS.decks[0].cards[i], 3)
    a.sync(folder)
    return a, b, folder


def test_a_half_written_file_is_skipped_line_by_line_and_read_later(tmp_path: Path) -> None:
    a, b, folder = three_reviews_shared(tmp_path)
    path = sync_file(folder, machine_id(a.store))
    whole = path.read_bytes()
    lines = whole.split(b"\n")
    # a sync tool still copying it: two whole lines, a broken one, and half of the last one
    path.write_bytes(
        b"\n".join([lines[0], lines[1], b'{"t": "review", "uid": 1', lines[2]]) + b"\n" + lines[3][:20]
    )
    summary = b.sync(folder)
    assert summary.received == {"review": 2} and summary.skipped == 2
    assert [row[1] for row in b.log()] == ["alpha/c0", "alpha/c1"]
    path.write_bytes(whole)  # the copy finished
    assert b.sync(folder).received == {"review": 1}
    assert b.states() == a.states()


def test_a_sync_that_fails_while_replaying_stores_nothing_and_the_next_takes_everything(
    tmp_path: Path,
) -> None:
    a, b, folder = three_reviews_shared(tmp_path)

    def replay_then_fail(card_ids):  # e.g. the disk fills while the states are written
        b.sched.replay_cards(card_ids)
        raise OSError("no space left on device")

    with pytest.raises(OSError):
        sync(b.store, folder, replay_then_fail)
    # stored reviews without their states would never be replayed: a later sync finds nothing new in them
    assert b.log() == [] and b.states() == []
    summary = b.sync(folder)
    assert summary.received == {"review": 3} and summary.cards_replayed == 3
    assert b.log() == a.log() and b.states() == a.states()


# a machine that dies while the replay of a sync is written: after replaying it reports and waits, killed
KILLED_SYNC = """
import sys
from pathlib import Path

sys.path.insert(0, sys.argv[3])
from test_sync import DECKS

from prepdeck.core.config import Config
from prepdeck.core.scheduler import Scheduling
from prepdeck.core.store import Store
from prepdeck.core.sync import sync

store = Store.open(Path(sys.argv[1]))
scheduling = Scheduling(store, DECKS, Config())


def replay(card_ids):
    count = scheduling.replay_cards(card_ids)
    print(count, flush=True)
    sys.stdin.readline()  # killed here, before the sync commits
    return count


sync(store, Path(sys.argv[2]), replay)
"""


def test_a_machine_killed_in_the_middle_of_a_sync_keeps_a_whole_database(tmp_path: Path) -> None:
    a, b, folder = three_reviews_shared(tmp_path)
    b.store.close()
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_SYNC, str(tmp_path / "b.db"), str(folder), str(Path(__file__).parent)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "3"  # the three cards' states are written, not committed
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    b = Machine(tmp_path / "b.db", [T0])
    assert b.store.db.execute("PRAGMA quick_check").fetchone() == ("ok",)
    assert b.log() == [] and b.states() == []
    assert b.sync(folder).received == {"review": 3}
    assert b.log() == a.log() and b.states() == a.states()
    b.store.close()


def test_entries_that_do_not_validate_are_never_stored(tmp_path: Path) -> None:
    clock = [T0]
    folder = tmp_path / "shared"
    folder.mkdir()
    b = Machine(tmp_path / "b.db", clock)
    other, good = OTHER_MACHINE, dict(OTHER_REVIEW)
    bad = [
        {**good, "uid": f"{other}-2", "rating": 7},
        {**good, "uid": f"{other}-3", "reviewed_at": "yesterday"},
        {**good, "uid": "ffffffffffff-4"},  # claims to come from a machine that did not write this file
        {**good, "uid": f"{other}-5", "card_id": ["not", "text"]},
        {"t": "drop table", "uid": f"{other}-6"},
    ]
    header = {"format": "prepdeck-sync", "version": 1, "machine": other}
    text = "\n".join(json.dumps(e) for e in [header, good, *bad]) + "\n"
    (folder / f"prepdeck-{other}.jsonl").write_text(text)
    entries, skipped = read_entries(folder / f"prepdeck-{other}.jsonl", other)
    assert [e["uid"] for e in entries] == [f"{other}-1"] and skipped == 5
    summary = b.sync(folder)
    assert summary.received == {"review": 1} and summary.skipped == 5
    assert [row[0] for row in b.log()] == [f"{other}-1"]


def test_notes_keep_the_newest_edit_on_both_machines(tmp_path: Path) -> None:
    clock = [T0]
    folder = tmp_path / "shared"
    folder.mkdir()
    a, b = Machine(tmp_path / "a.db", clock), Machine(tmp_path / "b.db", clock)
    a.store.put_note("alpha/c0", {"situation": "old"})
    b.store.put_note("alpha/c0", {"situation": "newer"})  # later: put_note stamps the real time
    a.sync(folder), b.sync(folder), a.sync(folder)
    assert a.store.get_note("alpha/c0") == b.store.get_note("alpha/c0") == {"situation": "newer"}


def test_a_missing_or_unwritable_folder_is_one_line_and_exit_2(tmp_path: Path) -> None:
    env = {**os.environ, "PREPDECK_HOME": str(tmp_path / "home")}
    run = subprocess.run(
        [sys.executable, "-m", "prepdeck", "sync", str(tmp_path / "nowhere")],
        capture_output=True,
        text=True,
        env=env,
    )
    assert run.returncode == 2
    assert run.stderr.strip().splitlines() == [
        f"prepdeck: the sync folder {tmp_path / 'nowhere'} does not exist; create it or give the folder your "
        "sync tool shares"
    ]
    with pytest.raises(SyncError, match="is not a folder"):
        store = Store.open(tmp_path / "x.db")
        try:
            (tmp_path / "file").write_text("x")
            sync(store, tmp_path / "file", lambda ids: 0)
        finally:
            store.close()


def test_sync_command_reports_what_went_out_and_came_in(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    homes = [tmp_path / "one", tmp_path / "two"]

    def prepdeck(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "PREPDECK_HOME": str(home)}
        return subprocess.run(
            [sys.executable, "-m", "prepdeck", *args], capture_output=True, text=True, env=env
        )

    card = "sql-concepts/row-number-rank-dense-rank"
    graded = prepdeck(homes[0], "grade", card, "good")
    assert graded.returncode == 0, graded.stderr
    first = prepdeck(homes[0], "sync", str(folder), "--json")
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["sent"] == {"review": 1}
    second = prepdeck(homes[1], "sync", str(folder))
    assert second.returncode == 0, second.stderr
    assert "received from 1 other machine: 1 review" in second.stdout
    listed = json.loads(prepdeck(homes[1], "decks", "list", "--json").stdout)
    concepts = next(d for d in listed if d["id"] == "sql-concepts")
    assert concepts["new"] == concepts["cards"] - 1  # the card reviewed on the other machine is not new here


def test_a_balanced_review_lands_on_the_same_day_on_the_other_machine(tmp_path: Path) -> None:
    clock = [T0]
    folder = tmp_path / "shared"
    folder.mkdir()
    a, b = Machine(tmp_path / "a.db", clock), Machine(tmp_path / "b.db", clock)
    a.sched.config.review.load_balance = True  # B does not balance: it must still take A's days
    cards = DECKS.decks[0].cards
    for day in range(40):
        clock[0] = T0 + dt.timedelta(days=day)
        for card in a.sched.queue():
            outcome = a.sched.review(card, 3, now=clock[0])
            if outcome.state != "review":
                a.sched.review(card, 3, now=outcome.due)
    assert a.store.db.execute(
        "SELECT count(*) FROM reviews WHERE state_after LIKE '%balanced_days%'"
    ).fetchone()[0]
    a.sync(folder)
    b.sync(folder)
    assert b.states() == a.states() and len(cards) == len(b.states())


def test_a_hostile_file_from_another_machine_is_skipped_not_fatal(tmp_path: Path) -> None:
    """Entries that would overflow the calendar or SQLite, or that the screens could not show, and a named
    pipe in place of a file: each skipped and counted; the good entry still comes in, and syncing again
    works (before, a review dated 9999 or a 10**30 ms duration stopped every later sync with a traceback,
    and the pipe hung it)."""
    clock = [T0]
    folder = tmp_path / "shared"
    folder.mkdir()
    b = Machine(tmp_path / "b.db", clock)
    other, good = OTHER_MACHINE, dict(OTHER_REVIEW)
    recording = {"t": "recording", "uid": f"{other}-9", "card_id": "alpha/c1", "status": "done",
                 "at": "2026-03-01T10:00:00+00:00", "duration_s": 60}  # fmt: skip
    note = {"t": "note", "body": {"situation": "text"}, "updated_at": "2026-03-01T10:00:00+00:00"}
    bad = [
        {**good, "uid": f"{other}-2", "reviewed_at": "9999-12-31T00:00:00+00:00", "rating": 4},
        {**good, "uid": f"{other}-3", "duration_ms": 10**30},
        {**note, "card_id": "alpha/c2", "body": {"situation": {"nested": 1}, "task": 5}},
        {**note, "card_id": "alpha/c3", "updated_at": "9999-01-01T00:00:00+00:00"},  # would win every edit
        {**recording, "uid": f"{other}-10", "model": {"not": "text"}},
        {**recording, "uid": f"{other}-11", "analysis": [1, 2]},
    ]
    header = {"format": "prepdeck-sync", "version": 1, "machine": other}
    text = "\n".join(json.dumps(e) for e in [header, good, *bad]) + "\n"
    (folder / f"prepdeck-{other}.jsonl").write_text(text)
    os.mkfifo(folder / "prepdeck-fedcba987654.jsonl")  # nobody ever writes to it
    summary = b.sync(folder)
    assert summary.received == {"review": 1} and summary.skipped == len(bad) + 1
    assert [row[0] for row in b.log()] == [f"{other}-1"]
    assert b.store.get_note("alpha/c2") == {} and b.store.get_note("alpha/c3") == {}
    assert b.store.db.execute("SELECT count(*) FROM recordings").fetchone()[0] == 0
    assert b.sync(folder).received == {}


def test_text_from_another_machine_reaches_no_screen_as_escape_codes(tmp_path: Path) -> None:
    """A story or note in another machine's file carrying ANSI/OSC sequences is stored with them made visible
    (ESC as ␛), as deck text is: the story bank and the card's notes show it, they never send it to the
    terminal (before, the raw ESC reached the app's screen)."""
    folder = tmp_path / "shared"
    folder.mkdir()
    b = Machine(tmp_path / "b.db", [T0])
    other = OTHER_MACHINE
    at = "2026-03-01T10:00:00+00:00"
    story = {"t": "story", "uid": "s1", "title": "clear\x1b[2J", "body": {"situation": "\x1b]0;title\x07\u202e"},
             "competencies": ["ownership\x9b31m"], "updated_at": at, "deleted": False}  # fmt: skip
    note = {"t": "note", "card_id": "alpha/c0", "body": {"situation": "red\x1b[31m"}, "updated_at": at}
    header = {"format": "prepdeck-sync", "version": 1, "machine": other}
    (folder / f"prepdeck-{other}.jsonl").write_text(
        "\n".join(json.dumps(e) for e in [header, story, note]) + "\n"
    )
    assert b.sync(folder).received == {"story": 1, "note": 1}
    assert b.store.get_note("alpha/c0") == {"situation": "red␛[31m"}
    title, body, competencies = b.store.db.execute("SELECT title, body, competencies FROM stories").fetchone()
    assert title == "clear␛[2J" and json.loads(body) == {"situation": "␛]0;title␇<U+202E>"}
    assert json.loads(competencies) == ["ownership<U+009B>31m"]


def test_a_link_planted_in_the_folder_is_never_written_through(tmp_path: Path) -> None:
    """The shared folder is written by other machines (a sync tool or git carries symbolic links): a link
    planted under the name of this machine's temporary file must not make the sync overwrite its target
    (before, the temporary name was `.prepdeck-<machine>.jsonl.<pid>.tmp`, opened following links)."""
    folder = tmp_path / "shared"
    folder.mkdir()
    victim = tmp_path / "outside.txt"
    victim.write_text("the user's file\n", encoding="utf-8")
    b = Machine(tmp_path / "b.db", [T0])
    name = f"prepdeck-{machine_id(b.store)}.jsonl"
    (folder / f".{name}.{os.getpid()}.tmp").symlink_to(victim)
    b.sync(folder)
    assert victim.read_text(encoding="utf-8") == "the user's file\n"
    assert read_entries(folder / name, machine_id(b.store)) == ([], 0)  # written whole, beside the link
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp") and not p.is_symlink()]
