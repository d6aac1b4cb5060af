"""The nexus-ttx Textual app: the engine objects are passed in; screens ask the app to act.

Like Harlequin, the App is given what it works on (library folders, the session store, the
toolkit catalog, optionally a scenario or session to open) and never reaches for globals.
Slow engine work (scanning the library, validating a scenario, folding a session, writing a
report) runs in thread workers that post typed messages back; moves in play are appended to the
store synchronously, so a move is on disk before the screen shows its result.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.theme import Theme

from engine.core.i18n import N_, _, ngettext
from tui import prefs
from tui.launch import Launch, PlaySetup
from tui.typography import keep_no_break_spaces

if TYPE_CHECKING:
    from engine.core.model import Scenario
    from engine.exercise.exercise import Exercise
    from engine.store.base import SessionStore
    from engine.toolkit.catalog import Catalog

DEFAULT_THEME = "nexus-dark"
CONTRAST_THEME = "nexus-contrast"

THEMES = (
    Theme(
        name=DEFAULT_THEME,
        primary="#4f9fe6",
        secondary="#7aa6c2",
        accent="#f0a030",
        warning="#f0c040",
        error="#ff5f5f",
        success="#5fd787",
        foreground="#e6e6e6",
        background="#10141a",
        surface="#181e26",
        panel="#232c38",
        dark=True,
        variables={"footer-key-foreground": "#f0a030", "breaking": "#ff5f5f"},
    ),
    Theme(
        # High-contrast light theme for projectors in bright rooms: black on white, saturated
        # dark accents, nothing conveyed by colour alone (see styles/high_contrast.tcss).
        name=CONTRAST_THEME,
        primary="#0033aa",
        secondary="#003366",
        accent="#8a3b00",
        warning="#7a5200",
        error="#b00000",
        success="#005a00",
        foreground="#000000",
        background="#ffffff",
        surface="#ffffff",
        panel="#e4e4e4",
        boost="#d0d0d0",
        dark=False,
        text_alpha=1.0,
        variables={
            "footer-key-foreground": "#0033aa",
            "breaking": "#b00000",
            "text-muted": "#333333",
            "block-cursor-background": "#0033aa",
            "block-cursor-foreground": "#ffffff",
        },
    ),
)


# --------------------------------------------------------------------------- messages


class ScenarioReady(Message):
    """A scenario validated: go on to the setup (or straight to play with `setup`)."""

    def __init__(
        self, path: Path, scenario: Scenario, setup: PlaySetup | None, warnings: Sequence[Any] = ()
    ) -> None:
        super().__init__()
        self.path = path
        self.scenario = scenario
        self.setup = setup
        self.warnings = tuple(warnings)


class ScenarioRejected(Message):
    """A scenario failed validation: show its diagnostics."""

    def __init__(self, path: Path, diagnostics: Sequence[Any]) -> None:
        super().__init__()
        self.path = path
        self.diagnostics = tuple(diagnostics)


class ExerciseReady(Message):
    """A session was started or resumed: play it (or show its debrief if it is over)."""

    def __init__(self, exercise: Exercise) -> None:
        super().__init__()
        self.exercise = exercise


class EngineFailed(Message):
    """Something the engine refused, in words for a person."""

    def __init__(self, message: str, title: str | None = None) -> None:
        super().__init__()
        self.message = message
        self.title = title if title is not None else _("Cannot do that")


# --------------------------------------------------------------------------- the app


class NexusApp(App[int]):
    """nexus-ttx: library, setup, play (solo or facilitated), debrief, toolkit browser."""

    TITLE = "nexus-ttx"
    SUB_TITLE = ""  # set in on_mount, in the interface language
    # screens.tcss is loaded by the screens after the library, high_contrast.tcss with its
    # theme: the first frame parses only what it shows
    CSS_PATH = ["styles/app.tcss"]
    CONTRAST_CSS = Path(__file__).resolve().parent / "styles" / "high_contrast.tcss"
    ENABLE_COMMAND_PALETTE = True
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]

    BINDINGS = [
        Binding(
            "question_mark",
            "help",
            N_("Help"),
            id="help",
            key_display="?",
            tooltip=N_("List every key of this screen"),
        ),
        Binding("f1", "help", N_("Help"), id="help-f1", show=False),
        Binding(
            "t",
            "toolkit",
            N_("Toolkit"),
            id="toolkit",
            tooltip=N_("Browse the Hague Good Practices toolkit (come back with Esc)"),
        ),
        Binding(
            "f2",
            "toggle_contrast",
            N_("Contrast"),
            id="contrast",
            tooltip=N_("Switch between the default and the high-contrast light theme"),
        ),
        Binding("ctrl+q", "quit", N_("Quit"), id="quit-app", show=False, priority=True),
    ]

    def __init__(
        self,
        *,
        library_dirs: Iterable[Path] = (),
        builtin_library: bool = True,
        store: SessionStore | None = None,
        store_path: Path | str | None = None,
        catalog: Catalog | None = None,
        launch: Launch | None = None,
        export_dir: Path | None = None,
        clock: Callable[[], float] = time.monotonic,
        theme: str | None = None,
        preferences: Path | None = None,
    ) -> None:
        """`theme` None: the one the preferences remember. `preferences`: the file that keeps
        them between launches (tui/prefs.py; None keeps nothing, as in tests)."""
        super().__init__()
        keep_no_break_spaces()
        for t in THEMES:
            self.register_theme(t)
        self.prefs_path = preferences
        self.prefs, self.prefs_warning = (
            prefs.load(preferences) if preferences is not None else (prefs.Preferences(), None)
        )
        if theme is None and self.prefs.theme == "high-contrast":
            theme = CONTRAST_THEME
        self.theme = theme if theme in (DEFAULT_THEME, CONTRAST_THEME) else DEFAULT_THEME
        if self.theme == CONTRAST_THEME:
            self.css_path.append(self.CONTRAST_CSS)
        self.library_dirs = [Path(d) for d in library_dirs]
        self.builtin_library = builtin_library
        self._store = store
        self._owns_store = store is None
        self._store_lock = threading.Lock()
        self._store_path: Path | str | None = (
            store_path if store_path is None or "://" in str(store_path) else Path(store_path)
        )
        self._catalog = catalog
        self.launch = launch or Launch()
        self.export_dir = Path(export_dir) if export_dir is not None else None
        self.clock = clock
        self.store_problem: str | None = None  # why the session store cannot be used, if so

    def get_theme_variable_defaults(self) -> dict[str, str]:
        """Variables our styles use, for any theme chosen in the palette (not only ours)."""
        return {**super().get_theme_variable_defaults(), "breaking": "#d03030"}

    # --- engine objects ----------------------------------------------------------------------

    @property
    def store(self) -> SessionStore:
        """The session store, opened on first use (StoreError propagates with its message).
        Thread-safe: workers may be first to ask."""
        with self._store_lock:
            if self._store is None:
                from engine.store import open_store
                from engine.store.sqlite import MEMORY

                self._store = open_store(
                    self._store_path if self._store_path is not None else MEMORY
                )
            return self._store

    def check_store(self) -> str | None:
        """Open the store now (any thread); None when it works, else what is wrong and what to
        do, also kept in `store_problem`. The library stays usable either way."""
        try:
            self.store  # noqa: B018 - opening is the check
        except Exception as exc:
            self.store_problem = store_advice(exc)
        else:
            self.store_problem = None
        return self.store_problem

    def warn_store(self) -> None:
        """Say what is wrong with the store (once it is known to be unusable)."""
        if self.store_problem:
            self.notify(self.store_problem, title=_("Session store"), severity="error", timeout=30)

    def close_store(self) -> None:
        """Close the store if this app opened it (one given to the constructor stays open)."""
        with self._store_lock:
            if self._store is not None and self._owns_store:
                self._store.close()
                self._store = None

    @property
    def catalog(self) -> Catalog:
        if self._catalog is None:
            from engine.toolkit.catalog import load_catalog

            self._catalog = load_catalog()
        return self._catalog

    # --- start -------------------------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        """The library is the bottom of the stack: leaving anything comes back to it."""
        from tui.screens.library import LibraryScreen

        return LibraryScreen()

    def on_mount(self) -> None:
        self.sub_title = _("Hague Good Practices tabletop exercises")
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        if self.prefs_warning:
            self.notify(self.prefs_warning, title=_("Preferences"), severity="warning", timeout=15)
        if self.launch.scenario is not None:
            self.open_scenario(self.launch.scenario, self.launch.setup)
        elif self.launch.session is not None:
            self.resume_session(self.launch.session)

    # --- workers: the engine off the UI thread -----------------------------------------------

    @work(thread=True, group="open")
    def open_scenario(self, path: Path, setup: PlaySetup | None = None) -> None:
        """Validate a scenario file; post ScenarioReady or ScenarioRejected."""
        from engine.check.validate import validate_file

        path = Path(path)
        if self.check_store() is not None:  # refused before a setup form that cannot save
            self.call_from_thread(self.warn_store)
            return
        try:
            result = validate_file(path)
        except Exception as exc:  # validate_file reports problems; this is a last resort
            self.post_message(EngineFailed(f"{path}: {exc}", _("Cannot open the scenario")))
            return
        if result.scenario is None:
            self.post_message(ScenarioRejected(path, _rejection(path, result)))
            return
        from engine.check.validate import ScenarioInvalid, translated

        try:  # the scenario's texts in the interface language, when it has that translation
            scenario = translated(path, result, _interface_language())
        except ScenarioInvalid as exc:
            self.post_message(ScenarioRejected(exc.result.path, tuple(exc.result.diagnostics)))
            return
        warnings = [d for d in result.diagnostics if d.severity != "error"]
        self.post_message(ScenarioReady(path, scenario, setup, warnings))

    @work(thread=True, group="open")
    def start_exercise(self, scenario: Scenario, path: Path | None, setup: PlaySetup) -> None:
        from engine.exercise.exercise import Exercise

        try:
            exercise = Exercise.start(
                self.store,
                scenario,
                scenario_path=str(path) if path else None,
                mode=setup.mode,
                teams=setup.teams,
                options=setup.options,
                label=setup.label,
                seed=setup.seed,
            )
        except Exception as exc:
            self.post_message(EngineFailed(str(exc), _("Cannot start the session")))
            return
        self.post_message(ExerciseReady(exercise))

    @work(thread=True, group="open")
    def resume_session(self, ref: str) -> None:
        """Find the session's scenario (its recorded path, else by id in the library),
        validate it and fold the session (engine.exercise.resume); a changed scenario is
        refused with its message."""
        from engine.check.validate import ScenarioInvalid, load_scenario
        from engine.exercise.exercise import ContentChanged
        from engine.exercise.resume import resume

        try:
            exercise = resume(self.store, ref, load_scenario, self.library_dirs)
        except ScenarioInvalid as exc:
            rejected = exc.result
            self.post_message(ScenarioRejected(rejected.path, tuple(rejected.diagnostics)))
            return
        except ContentChanged as exc:
            self.post_message(EngineFailed(str(exc), _("Scenario changed")))
            return
        except Exception as exc:  # unknown session, scenario not found, unreadable store
            self.post_message(EngineFailed(str(exc), _("Cannot resume")))
            return
        self.post_message(ExerciseReady(exercise))

    # --- what the messages do ----------------------------------------------------------------

    def on_scenario_ready(self, message: ScenarioReady) -> None:
        if message.warnings:
            first = message.warnings[0]
            count = len(message.warnings)
            more = count - 1
            self.notify(
                f"{getattr(first, 'code', '')} {getattr(first, 'message', first)}"
                + (
                    " "
                    + ngettext(
                        "(and {n} more: nexus-ttx validate {file})",
                        "(and {n} more: nexus-ttx validate {file})",
                        more,
                    ).format(n=more, file=message.path)
                    if more
                    else ""
                ),
                title=ngettext("{n} warning in {file}", "{n} warnings in {file}", count).format(
                    n=count, file=message.path.name
                ),
                severity="warning",
                timeout=6,
            )
        if message.setup is not None:
            self.start_exercise(message.scenario, message.path, message.setup)
            return
        from tui.screens.setup import SetupScreen

        def started(setup: PlaySetup | None) -> None:
            if setup is not None:
                self.start_exercise(message.scenario, message.path, setup)

        self.push_screen(SetupScreen(message.scenario, message.path), started)

    def on_scenario_rejected(self, message: ScenarioRejected) -> None:
        from tui.screens.diagnostics import DiagnosticsScreen

        self.push_screen(DiagnosticsScreen(message.path, message.diagnostics))

    def on_exercise_ready(self, message: ExerciseReady) -> None:
        exercise = message.exercise
        # The scenario model lives as long as the session: move it (and everything else
        # alive now) out of the collector's sight, so that the allocations of drawing each
        # scene do not trigger full collections that rescan a large scenario (a 10,000-scene
        # model made scene changes stutter by 100 ms and more).
        gc.collect()
        gc.freeze()
        if exercise.is_over:
            from tui.screens.debrief import DebriefScreen

            self.push_screen(DebriefScreen(exercise))
        else:
            from tui.screens.play import PlayScreen

            self.push_screen(PlayScreen(exercise))

    def on_engine_failed(self, message: EngineFailed) -> None:
        self.notify(message.message, title=message.title, severity="error", timeout=10)

    # --- actions -----------------------------------------------------------------------------

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
            return
        self.push_screen(HelpScreen(self.screen))

    def action_toolkit(self, query: str = "") -> None:
        """Open the toolkit browser above whatever is showing; Esc comes back to it."""
        from tui.screens.toolkit import ToolkitScreen

        if isinstance(self.screen, ToolkitScreen):
            self.pop_screen()
            return
        self.push_screen(ToolkitScreen(query))

    def remember(self, **values: str | None) -> None:
        """Keep preferences for the next launch (when this app keeps any)."""
        new = prefs.changed(self.prefs, **values)
        if new == self.prefs or self.prefs_path is None:
            self.prefs = new
            return
        self.prefs = new
        problem = prefs.save(self.prefs_path, new)
        if problem:
            self.notify(problem, title=_("Preferences"), severity="warning", timeout=8)

    def _theme_changed(self, theme: Theme) -> None:
        """The high-contrast rules load the first time their theme is chosen (f2, the
        palette's theme picker or --theme); ours is remembered for the next launch."""
        if theme.name in (DEFAULT_THEME, CONTRAST_THEME):
            self.remember(theme="high-contrast" if theme.name == CONTRAST_THEME else "default")
        if theme.name == CONTRAST_THEME and not self.stylesheet.has_source(
            str(self.CONTRAST_CSS), ""
        ):
            self.stylesheet.read(self.CONTRAST_CSS)
            self.stylesheet.reparse()
            self.stylesheet.update(self)

    def action_toggle_contrast(self) -> None:
        self.theme = DEFAULT_THEME if self.theme == CONTRAST_THEME else CONTRAST_THEME
        self.notify(
            _("High-contrast light theme") if self.theme == CONTRAST_THEME else _("Default theme"),
            timeout=2,
        )

    async def action_quit(self) -> None:
        """Quit; an unfinished session asks first (it stays resumable either way)."""
        from tui.screens.play import PlayScreen

        for screen in reversed(self.screen_stack):
            if isinstance(screen, PlayScreen) and not screen.exercise.is_over:
                if self.screen is screen:
                    screen.action_quit()
                else:
                    self.push_screen_for_quit(screen)
                return
        self.exit(0)

    def push_screen_for_quit(self, play: Screen) -> None:
        from tui.screens.confirm import ConfirmQuitScreen

        def done(answer: str | None) -> None:
            if answer == "quit":
                self.exit(0)

        self.push_screen(ConfirmQuitScreen(getattr(play, "exercise", None)), done)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toolkit":
            from tui.screens.confirm import ConfirmQuitScreen

            if isinstance(self.screen, ConfirmQuitScreen):
                return False
        return True

    def screen_text(self) -> str:
        """The current screen as plain text, as a terminal shows it (tests, benchmarks)."""
        import io

        from rich.console import Console

        width, height = self.size
        console = Console(
            width=width,
            height=height,
            file=io.StringIO(),
            force_terminal=True,
            color_system=None,
            record=True,
            legacy_windows=False,
            safe_box=False,
        )
        console.print(
            self.screen._compositor.render_update(full=True, screen_stack=self._background_screens)
        )
        return console.export_text()

    # --- command palette ---------------------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield SystemCommand(
            _("Toolkit"), _("Browse the Hague Good Practices toolkit"), self.action_toolkit
        )
        yield SystemCommand(_("Help"), _("List every key of this screen"), self.action_help)
        yield SystemCommand(
            _("High contrast"),
            _("Switch between the default and the high-contrast light theme"),
            self.action_toggle_contrast,
        )
        commands = getattr(screen, "palette_commands", None)
        if commands is not None:
            yield from commands()
        for command in super().get_system_commands(screen):  # Textual's own, in our words
            yield command._replace(
                title=_(TEXTUAL_WORDS[command.title])
                if command.title in TEXTUAL_WORDS
                else command.title,
                help=_(TEXTUAL_WORDS[command.help])
                if command.help in TEXTUAL_WORDS
                else command.help,
            )

    def action_command_palette(self) -> None:
        """The command palette, its search box in the interface language."""
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(
                CommandPalette(placeholder=_("Search for commands…"), id="--command-palette")
            )


# Textual's own palette commands (App.get_system_commands), translated where they are shown
TEXTUAL_WORDS = {
    "Theme": N_("Theme"),
    "Change the current theme": N_("Change the current theme"),
    "Quit": N_("Quit"),
    "Quit the application as soon as possible": N_("Quit the application as soon as possible"),
    "Keys": N_("Keys"),
    "Hide the keys and widget help panel": N_("Hide the keys and widget help panel"),
    "Show help for the focused widget and a summary of available keys": N_(
        "Show help for the focused widget and a summary of available keys"
    ),
    "Minimize": N_("Minimize"),
    "Minimize the widget and restore to normal size": N_(
        "Minimize the widget and restore to normal size"
    ),
    "Maximize": N_("Maximize"),
    "Maximize the focused widget": N_("Maximize the focused widget"),
    "Screenshot": N_("Screenshot"),
    "Save an SVG 'screenshot' of the current screen": N_(
        "Save an SVG 'screenshot' of the current screen"
    ),
}


def theme_of(args: Any) -> str | None:
    """The theme a command line names (--theme), or None: the one the preferences keep."""
    given = getattr(args, "theme", None)
    return {"high-contrast": CONTRAST_THEME, "default": DEFAULT_THEME}.get(given or "")


def store_advice(exc: BaseException) -> str:
    """A store that cannot be opened: its message, and how to give another one (unless the
    message already says how)."""
    problem = str(exc).rstrip(".")
    if "--db" in problem:
        return _(
            "{problem}. Sessions cannot be saved until this is fixed; the library and the "
            "toolkit work meanwhile."
        ).format(problem=problem)
    return _(
        "{problem}. Sessions cannot be saved until this is fixed: start nexus-ttx with "
        "--db FILE (or set NEXUS_TTX_DB) naming a session store file in a folder you can write; "
        "the library and the toolkit work meanwhile."
    ).format(problem=problem)


def _interface_language() -> str | None:
    """The interface language (engine.core.i18n), which a scenario's texts follow."""
    from engine.core.i18n import current_language

    return current_language()


def _rejection(path: Path, result: Any) -> tuple[Any, ...]:
    """The diagnostics saying why a file cannot be played (a valid file that is not a
    scenario, such as the toolkit catalog, gets the loader's own message for that)."""
    if result.diagnostics and any(d.severity == "error" for d in result.diagnostics):
        return tuple(result.diagnostics)
    from engine.check.validate import ScenarioInvalid, load_scenario

    try:
        load_scenario(path)
    except ScenarioInvalid as exc:
        return tuple(exc.result.diagnostics)
    except Exception:
        pass
    return tuple(result.diagnostics)
