"""Every key the app answers to, in one registry: id, default keys, action, and where it applies.

Screens build their `BINDINGS` from here, the help screen lists it, and `[keys]` in config.toml
remaps any entry by its id (`reveal = "space,enter"`), through Textual's keymap. A bad entry in
`[keys]` becomes a one-line problem shown as a notification; the default key stays in force.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding, BindingType
from textual.keys import Keys, _character_to_key, key_to_character

MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})

# the scopes, in the order the help screen shows them
SCOPES: dict[str, str] = {
    "app": "Everywhere",
    "home": "Home",
    "review": "Review",
    "code": "Review: SQL and PySpark cards",
    "speech": "Review: spoken answers (STAR, design aloud)",
    "browser": "Deck browser",
    "stats": "Statistics",
    "plan": "Interview plan",
    "stories": "Story bank",
    "mock": "Mock interview",
}

# scopes that live inside another screen's scope (a card view on the review screen): their keys
# compete with that screen's keys, so clashes are checked against both
NESTED_IN: dict[str, str] = {"code": "review", "speech": "review"}


@dataclass(frozen=True)
class KeyAction:
    id: str  # binding id, and the name under [keys] in config.toml
    keys: str  # default keys, comma-separated
    action: str  # Textual action, e.g. "reveal" runs action_reveal
    description: str  # short, for the footer
    scope: str
    help: str = ""  # longer, for the help screen
    show: bool = True  # in the footer
    priority: bool = False

    def binding(self, footer: bool = True) -> Binding:
        """`footer=False`: the key works but stays out of the footer whatever `show` says."""
        return Binding(
            self.keys,
            self.action,
            self.description,
            show=self.show and footer,
            priority=self.priority,
            id=self.id,
        )


ACTIONS: tuple[KeyAction, ...] = (
    # everywhere
    KeyAction("help", "question_mark,f1", "app.help", "Help", "app", "this screen"),
    KeyAction(
        "palette",
        "ctrl+p",
        "app.command_palette",
        "Commands",
        "app",
        "command palette: decks, actions",
        show=False,
    ),
    KeyAction(
        "quit",
        "ctrl+q",
        "app.quit",
        "Quit",
        "app",
        "quit (answers are already saved)",
        show=False,
        priority=True,
    ),
    # not priority: in an editor or input Ctrl+C copies; anywhere else it quits like Ctrl+Q
    KeyAction(
        "interrupt", "ctrl+c", "app.quit", "Quit", "app", "quit too, except in an editor (copy)", show=False
    ),
    # home
    KeyAction("review_all", "r", "review_all", "Review all", "home", "review everything due, all decks"),
    KeyAction("review_deck", "enter", "review_deck", "Review deck", "home", "review the selected deck"),
    KeyAction("browse", "b", "app.browse", "Browse", "home", "browse: search, suspend, history"),
    KeyAction("stats", "t", "app.stats", "Stats", "home", "statistics"),
    KeyAction("mock", "m", "app.mock", "Mock", "home", "a timed mock interview round"),
    KeyAction("plan", "i", "app.plan", "Plan", "home", "the interview plan: date, forecast, daily load"),
    KeyAction("stories", "s", "app.stories", "Stories", "home", "the story bank: competencies x stories"),
    # the footer leaves out keys from the end when they do not fit (80 columns): these go first
    KeyAction("report", "w", "app.write_report", "Report", "home", "write this week's report"),
    KeyAction(
        "open_report",
        "v",
        "app.open_report",
        "Open report",
        "home,stats",
        "open the report just written (or show its path)",
        show=False,
    ),
    KeyAction("optimize", "o", "app.optimize", "Optimize", "home", "fit FSRS to your history"),
    KeyAction("refresh", "f5", "refresh", "Refresh", "home,stats", "reload counts / plots", show=False),
    KeyAction("quit_home", "q", "app.quit", "Quit", "home", "quit"),
    # review
    KeyAction("reveal", "space", "reveal", "Show", "review", "show the answer"),
    KeyAction("rate_again", "1", "rate(1)", "Again", "review", "rate Again: forgot", show=False),
    KeyAction("rate_hard", "2", "rate(2)", "Hard", "review", "rate Hard: recalled with effort", show=False),
    KeyAction("rate_good", "3", "rate(3)", "Good", "review", "rate Good: recalled", show=False),
    KeyAction("rate_easy", "4", "rate(4)", "Easy", "review", "rate Easy: trivial", show=False),
    KeyAction(
        "accept_suggestion",
        "enter,space",
        "accept_suggestion",
        "Suggested",
        "review",
        "on the answer: rate as suggested (highlighted), else Good",
        show=False,
    ),
    KeyAction("undo", "u", "undo", "Undo", "review", "undo the last rating, suspension or story (y)"),
    KeyAction("suspend", "s", "suspend", "Suspend", "review,browser", "suspend (browser: toggle)"),
    KeyAction("edit", "e", "edit", "Edit", "review", "into the editor / first field"),
    KeyAction("leave", "escape", "leave", "End", "review", "leave the editor; else end"),
    KeyAction("speak", "r", "speak", "Aloud", "review", "answer a design card aloud", show=False),
    KeyAction(
        "scroll_down", "down", "scroll_card(2)", "Scroll", "review", "scroll the card down", show=False
    ),
    KeyAction("scroll_up", "up", "scroll_card(-2)", "Scroll", "review", "scroll the card up", show=False),
    KeyAction(
        "page_down", "pagedown", "page_card(1)", "Page", "review", "the card one page down", show=False
    ),
    KeyAction("page_up", "pageup", "page_card(-1)", "Page", "review", "the card one page up", show=False),
    # code cards (tui/components/code_view.py): priority, so they work while the editor has focus
    KeyAction(
        "run_check", "ctrl+r", "run_check", "Run", "code", "run on the judge (again: cancel)", priority=True
    ),
    KeyAction(
        "cycle_dialect", "ctrl+l", "cycle_dialect", "Dialect", "code", "next SQL dialect", priority=True
    ),
    KeyAction(
        "show_translation",
        "ctrl+t",
        "show_translation",
        "Plan",
        "code",
        "translation and plan (toggle)",
        priority=True,
    ),
    KeyAction(
        "give_up", "ctrl+g", "give_up", "Give up", "code", "give up: show the model answer", priority=True
    ),
    KeyAction(
        "flip_schema",
        "f3",
        "flip_schema",
        "Schema",
        "code",
        "flip between the tables (schema, example) and the editor",
        priority=True,
    ),
    # spoken answers (tui/components/speech_view.py)
    KeyAction("record", "r", "toggle_record", "Record", "speech", "record the answer / stop"),
    KeyAction("import_audio", "i", "import_file", "Import", "speech", "import an audio file instead"),
    KeyAction(
        "cancel_transcription", "c", "cancel", "Cancel", "speech", "cancel the transcription", show=False
    ),
    KeyAction("play", "p", "play", "Play", "speech", "play the last answer back", show=False),
    KeyAction(
        "use_story", "y", "use_story", "Story", "speech", "answer from a story of your story bank", show=False
    ),
    KeyAction(
        "analyze_notes",
        "a",
        "analyze_notes",
        "Analyse notes",
        "speech",
        "analyse your written notes (STAR beats)",
    ),
    # browser
    KeyAction("search", "slash", "search", "Search", "browser", "search (tag: deck: type: is:)"),
    KeyAction(
        "practise_shown",
        "p",
        "practise_shown",
        "Practise",
        "browser",
        "practise the cards shown, outside the schedule",
    ),
    KeyAction("back", "escape", "back", "Back", "browser", "back to the home screen"),
    # statistics
    KeyAction("stats_back", "escape,q", "app.pop_screen", "Back", "stats", "back to the home screen"),
    KeyAction("plan_back", "escape", "back", "Back", "plan", "back to the home screen"),
    KeyAction("stories_back", "escape", "app.pop_screen", "Back", "stories", "back to the home screen"),
    KeyAction("story_new", "n", "new_story", "New", "stories", "add a story"),
    KeyAction("story_edit", "e", "edit_story", "Edit", "stories", "edit the selected story"),
    KeyAction(
        "story_delete", "d", "delete_story", "Delete", "stories", "delete the selected story (press twice)"
    ),
    KeyAction("plan_save", "ctrl+s", "save_plan", "Save", "plan", "save the date, rounds and minutes typed"),
    # not priority: in the plan's fields Ctrl+D deletes right and Ctrl+K to the end, as a typist expects;
    # the screen opens outside the fields when there is a plan, so both keys work there
    KeyAction("plan_clear", "ctrl+d", "clear_plan", "End plan", "plan", "end the plan (outside the fields)"),
    KeyAction(
        "plan_cram", "ctrl+k", "cram", "Cram", "plan", "practise every card below target (outside the fields)"
    ),
    KeyAction("week_report", "w", "write_report", "Write report", "stats", "write the shown week's report"),
    # the weeks' keys are named in the screen's top bar: the footer keeps room for the period keys
    KeyAction(
        "prev_week", "left_square_bracket", "week(-1)", "Prev week", "stats", "the week before", show=False
    ),
    KeyAction(
        "next_week", "right_square_bracket", "week(1)", "Next week", "stats", "the week after", show=False
    ),
    KeyAction(
        "stats_period",
        "p",
        "period",
        "Period",
        "stats",
        "answer buttons and retention over the last 7, 30, 90 or 365 days",
    ),
    KeyAction("forecast_span", "f", "forecast_span", "Forecast", "stats", "the forecast: next 30 or 90 days"),
    # mock interviews (tui/screens/mock.py); F8/F9 also work while an editor or a spoken view has focus
    KeyAction(
        "mock_pause",
        "p,f8",
        "toggle_pause",
        "Pause",
        "mock",
        "pause / resume the clock (in spoken phases p plays audio: use F8)",
    ),
    KeyAction("mock_next", "n,f9", "next_phase", "Next", "mock", "on to the next phase"),
    KeyAction("mock_edit", "e", "edit", "Edit", "mock", "into the editor / first field"),
    KeyAction("mock_speak", "r", "speak", "Aloud", "mock", "answer the design card aloud (then r records)"),
    KeyAction("mock_leave", "escape", "leave", "End", "mock", "leave the editor; else end the mock (asks)"),
    KeyAction(
        "mock_quit", "q", "quit_mock", "Quit mock", "mock", "quit the mock, keeping what was done", show=False
    ),
)

ACTION_IDS: frozenset[str] = frozenset(a.id for a in ACTIONS)


def actions_for(scope: str) -> list[KeyAction]:
    return [a for a in ACTIONS if scope in a.scope.split(",")]


def bindings_for(scope: str, footer: bool = True) -> list[BindingType]:
    return [a.binding(footer) for a in actions_for(scope)]


def leave_editor_binding() -> Binding:
    """The review screen's `leave` (Escape) as an editor shows it: while the editor has focus, Escape only
    leaves it, so the footer says so instead of "End". Same id, so a remap under [keys] moves it too;
    it runs the screen's own action (the review and mock screens both have `leave`)."""
    action = next(a for a in ACTIONS if a.id == "leave")
    return Binding(action.keys, f"screen.{action.action}", "Leave editor", id=action.id)


def current_keys(app: object, action_id: str) -> list[str]:
    """The keys of `action_id` as the user has them now (after `[keys]`), for hints and the help screen."""
    action = next(a for a in ACTIONS if a.id == action_id)
    keymap: dict[str, str] = getattr(app, "_keymap", None) or {}
    return keymap.get(action_id, action.keys).split(",")


def display_key(app: object, key: str) -> str:
    """A key as the user reads it: "Ctrl+R", "r", "[", "F5", "Esc", "Space"."""
    *mods, base = key.split("+") if key != "+" else ["+"]
    display = getattr(app, "get_key_display", None)
    if callable(display):
        shown = str(display(Binding(base, "")))
    else:
        char = key_to_character(base)
        shown = char if char and char.isprintable() else base
    if len(base) > 1 and len(shown) > 1:
        shown = {"esc": "Esc", "space": "Space", "enter": "Enter", "tab": "Tab"}.get(shown, shown)
        shown = shown.upper() if shown[0] == "f" and shown[1:].isdigit() else shown
    if mods:
        shown = "+".join([*(m.title() for m in mods), shown.upper() if len(shown) == 1 else shown])
    return shown


def key_hint(app: object, action_id: str) -> str:
    """The first current key of `action_id`, for hints on screen (config.toml may remap it)."""
    return display_key(app, current_keys(app, action_id)[0])


def key_in_force(node: object, action_id: str) -> str:
    """`key_hint` for a widget that may not be in an app yet (a view built outside one): the default key."""
    try:
        app = getattr(node, "app", None)
    except Exception:  # Textual raises when there is no active app
        app = None
    return key_hint(app, action_id)


def action_here(node: object, action_id: str) -> str:
    """The id that does a review action on the screen `node` is on: the mock screen has its own action ids
    (`mock_leave` for `leave`, `mock_next` where the review has `reveal`), listed in its `KEY_IDS`."""
    try:
        screen = getattr(node, "screen", None)
    except Exception:  # not mounted yet: no screen, the review's id
        screen = None
    return getattr(screen, "KEY_IDS", {}).get(action_id, action_id)


def key_here(node: object, action_id: str) -> str:
    """`key_in_force` for a review action named in a view that a mock also hosts, so a remap of either shows
    where it works."""
    return key_in_force(node, action_here(node, action_id))


def _valid_key(key: str) -> bool:
    *mods, base = key.split("+")
    if any(m not in MODIFIERS for m in mods) or not base:
        return False
    if len(base) == 1:
        return base.isprintable()
    if base in _KEY_NAMES or base.isdigit():
        return True
    try:
        return _character_to_key(base) != base
    except TypeError:  # Textual names single characters only: "[/b]" from config.toml is no key
        return False


_KEY_NAMES: frozenset[str] = frozenset(k.value for k in Keys) | {
    "space",
    "question_mark",
    "slash",
    "backslash",
    "comma",
    "full_stop",
    "minus",
    "plus",
    "equals_sign",
    "colon",
    "semicolon",
    "apostrophe",
    "quotation_mark",
    "left_square_bracket",
    "right_square_bracket",
    "exclamation_mark",
    "number_sign",
    "dollar_sign",
    "percent_sign",
    "ampersand",
    "asterisk",
    "left_parenthesis",
    "right_parenthesis",
    "underscore",
    "grave_accent",
    "tilde",
    "circumflex_accent",
    "vertical_line",
    "left_curly_bracket",
    "right_curly_bracket",
    "less_than_sign",
    "greater_than_sign",
    "at",
}


def validate_keymap(keys: dict[str, str], where: str = "config.toml") -> tuple[dict[str, str], list[str]]:
    """The usable part of `[keys]` as a Textual keymap, and one line per problem in the rest."""
    keymap: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, value in keys.items():
        if binding_id not in ACTION_IDS:
            problems.append(f"{where}: [keys].{binding_id}: no such action (see the help screen, key ?)")
            continue
        parts = [p.strip() for p in value.split(",")]
        if not value.strip() or not all(parts):
            problems.append(f"{where}: [keys].{binding_id}: empty key; keeping the default")
            continue
        normalized = [_character_to_key(p) if len(p) == 1 else p for p in parts]
        bad = [p for p, n in zip(parts, normalized, strict=True) if not _valid_key(n)]
        if bad:
            problems.append(
                f'{where}: [keys].{binding_id}: unknown key {bad[0]!r} (e.g. "j", "ctrl+r", '
                f'"space", "f2"); keeping the default'
            )
            continue
        keymap[binding_id] = ",".join(normalized)
    problems.extend(_clashes(keymap, where))
    return keymap, problems


def _place(scope: str) -> str:
    if scope in NESTED_IN:
        kind = "SQL and PySpark cards" if scope == "code" else "spoken answers"
        return f"{SCOPES[NESTED_IN[scope]].lower()} screen, on {kind}"
    return f"{SCOPES[scope].lower()} screen"


def _clashes(keymap: dict[str, str], where: str) -> list[str]:
    """Two actions of one screen on the same key: the second would never run."""
    problems = []
    reported: set[tuple[str, frozenset[str]]] = set()
    for scope in SCOPES:
        seen: dict[str, str] = {}
        outer = actions_for(NESTED_IN[scope]) if scope in NESTED_IN else []
        for action in actions_for(scope) + outer + ([] if scope == "app" else actions_for("app")):
            keys = keymap.get(action.id, action.keys)
            for key in keys.split(","):
                key = _character_to_key(key) if len(key) == 1 else key
                other = seen.get(key)
                if other and other != action.id:
                    pair = (key, frozenset((other, action.id)))
                    if (action.id in keymap or other in keymap) and pair not in reported:
                        reported.add(pair)  # once, where it first bites (nested views repeat it)
                        problems.append(
                            f"{where}: [keys]: {key!r} is bound to both {other} and {action.id} "
                            f"on the {_place(scope)}"
                        )
                else:
                    seen[key] = action.id
    return problems
