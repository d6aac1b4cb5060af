"""The library: what `nexus-ttx` opens. Scenarios (built-in and --library folders) with filters
and details, and the sessions in the store, which can be resumed."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from rich.cells import cell_len
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import ContentSwitcher, DataTable, Input, Static
from textual.worker import get_current_worker

from engine.core.i18n import N_, _, ngettext
from engine.report.words import session_status_words
from tui.widgets.filter_chip import FilterChip
from tui.widgets.keybar import KeyBar


class LibraryLoaded(Message):
    """The library scan finished: entries, and the files that could not be listed."""

    def __init__(self, entries: Sequence[Any], problems: Sequence[str]) -> None:
        super().__init__()
        self.entries = tuple(entries)
        self.problems = tuple(problems)


@dataclass(frozen=True)
class FileCheck:
    """A library file's full validation, as its row shows it: counts and the first problem."""

    errors: int
    warnings: int
    first: str | None  # `line L: CODE message`, the first error (else the first warning)

    def summary(self) -> str:
        parts = [
            ngettext("{n} error", "{n} errors", self.errors).format(n=self.errors)
            if self.errors
            else "",
            ngettext("{n} warning", "{n} warnings", self.warnings).format(n=self.warnings)
            if self.warnings
            else "",
        ]
        return ", ".join(p for p in parts if p)


def check_file(entry: Any) -> FileCheck:
    """Validate one library file (schema, references, analysis) and its id against the other
    library files (NTX029, engine.load.library's rule)."""
    from engine.check.validate import validate_file
    from engine.core.diagnostics import weight
    from engine.load.library import conflict_diagnostic

    try:
        found = list(validate_file(entry.path).diagnostics)
    except Exception as exc:  # a bug must not take the library down: show it on the row
        problem = f"{type(exc).__name__}: {exc}"
        return FileCheck(
            1, 0, _("internal error while checking: {problem}").format(problem=problem)
        )
    if entry.conflicts:
        found.append(conflict_diagnostic(entry.path, str(entry.path), entry.conflicts))
    errors = [d for d in found if d.severity == "error"]
    warnings = [d for d in found if d.severity != "error"]
    first = (errors or warnings or [None])[0]
    return FileCheck(
        sum(weight(d) for d in errors),
        sum(weight(d) for d in warnings),
        _("line {line}: {code} {message}").format(
            line=first.line, code=first.code, message=first.message
        )
        if first
        else None,
    )


class LibraryChecked(Message):
    """One library file was validated in the background."""

    def __init__(self, path: str, check: FileCheck) -> None:
        super().__init__()
        self.path = path
        self.check = check


class SessionsLoaded(Message):
    def __init__(
        self,
        sessions: Sequence[Any],
        error: str | None = None,
        scene_titles: dict[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.sessions = tuple(sessions)
        self.error = error
        self.scene_titles = scene_titles or {}  # session id -> the title of its current scene


def scene_titles(sessions: Sequence[Any], language: str | None = None) -> dict[str, str]:
    """The title of the scene each session stands at, read from its scenario file (each file
    once; a file that is gone or changed leaves the id shown), in `language` where the
    scenario's translation has it."""
    from engine.load.yamlload import load_file

    scenes_of: dict[str, Any] = {}
    out: dict[str, str] = {}
    for info in sessions:
        path = getattr(info, "scenario_path", None)
        if not path or not info.scene:
            continue
        if path not in scenes_of:
            try:
                data = load_file(path).data
            except Exception:
                data = None
            scenes_of[path] = data.get("scenes") if isinstance(data, dict) else None
        scenes = scenes_of[path]
        scene = scenes.get(info.scene) if isinstance(scenes, dict) else None
        title = scene.get("title") if isinstance(scene, dict) else None
        if isinstance(title, str) and title.strip():
            out[info.id] = " ".join(title.split())
    if language:
        _translate_titles(sessions, out, language)
    return out


def _translate_titles(sessions: Sequence[Any], titles: dict[str, str], language: str) -> None:
    """Replace the scene titles found by `scene_titles` with their translations (per title:
    an untranslated or stale one stays), reading each scenario's translation once."""
    from engine.load.translation import is_language, quick_entries, translation_path

    if not is_language(language):
        return
    wanted: dict[str, set[str]] = {}
    for info in sessions:
        if info.id in titles:
            wanted.setdefault(info.scenario_path, set()).add(f"scene.{info.scene}.title")
    found = {
        path: quick_entries(translation_path(path, language), ids) for path, ids in wanted.items()
    }
    for info in sessions:
        entry = found.get(info.scenario_path, {}).get(f"scene.{info.scene}.title")
        text = entry.text_for(titles[info.id]) if entry is not None else None
        if text:
            titles[info.id] = text


def matches(
    entry: Any,
    *,
    text: str = "",
    environment: Any = None,
    region: Any = None,
    practice: Any = None,
    manifestation: Any = None,
) -> bool:
    """Does a library entry pass the filters? (None or blank: no filter.)"""
    if environment and entry.environment != environment:
        return False
    if region and entry.region != region:
        return False
    if practice and practice not in entry.good_practices:
        return False
    if manifestation and manifestation not in entry.manifestations:
        return False
    words = text.casefold().split()
    if words:
        hay = " ".join(
            [
                entry.id,
                entry.title,
                entry.summary or "",
                entry.region,
                entry.environment,
                *entry.manifestations,
                *entry.watch_points,
                *entry.good_practices,
                *(entry.audience or ()),
            ]
        ).casefold()
        return all(w in hay for w in words)
    return True


def scan_library(dirs: Sequence[Any], builtin: bool) -> tuple[list[Any], list[str]]:
    """`engine.load.library.discover`, keeping the files that fail the quick check (listed and
    marked invalid, so an author can open one and read its diagnostics)."""
    from engine.core.i18n import current_language
    from engine.load import library

    return library.discover(dirs, builtin, keep_broken=True, language=current_language())


# The table's short words for the toolkit's three environments (the details pane and the
# filter give the full names, which in French are too long for a column at 80 columns)
ENVIRONMENT_SHORT = {
    "politically-stable": N_("Stable"),
    "transitional": N_("Transitional"),
    "post-conflict": N_("(Post) conflict"),
}


def _duration(minutes: Any) -> str:
    return f"{minutes} min" if minutes else ""


class ScenarioTable(DataTable):
    """The scenarios; Enter sets up and plays the highlighted one. The title column takes the
    width the other columns leave."""

    BINDINGS = [
        Binding(
            "enter",
            "select_cursor",
            N_("Play"),
            id="library.play",
            key_display="⏎",
            tooltip=N_("Set up and play the highlighted scenario"),
        )
    ]
    FIXED = {"region": 16, "environment": 15, "duration": 7}  # minimum widths
    needs: dict[str, int] = {}  # widest cell per column, set by whoever fills the table

    def on_resize(self) -> None:
        self.size_columns()

    def size_columns(self) -> None:
        """Titles first; room left over widens region and environment up to their content."""
        if not self.columns:
            return
        padding = 2 * self.cell_padding * len(self.columns)
        room = self.scrollable_content_region.width or self.size.width
        widths = {key.value: self.FIXED.get(key.value, 10) for key in self.columns}
        title_need = max(16, self.needs.get("title", 0))
        spare = room - padding - 1 - sum(w for k, w in widths.items() if k != "title")
        spare -= title_need
        for name in ("environment", "region"):  # the short one first: it fits whole sooner
            if name in widths and spare > 0:
                grow = min(spare, max(0, self.needs.get(name, 0) - widths[name]))
                widths[name] += grow
                spare -= grow
        widths["title"] = max(
            16, room - padding - 1 - sum(w for k, w in widths.items() if k != "title")
        )
        for key, column in self.columns.items():
            column.auto_width = False
            column.width = widths[key.value]
        self._require_update_dimensions = True
        self.refresh()


class SessionTable(DataTable):
    """The stored sessions; Enter resumes the highlighted one (or shows its debrief). The
    columns share the width so that the teams and the scene, which tell two sessions of one
    scenario apart, stay in view at 80 columns."""

    FIXED = {"session": 8, "updated": 11}
    SHARES = {"scenario": 2, "teams": 3, "scene": 3, "label": 1}  # of the width left over
    needs: dict[str, int] = {}  # widest cell per flexible column, set when filled
    headings: dict[str, int] = {}  # each column's heading width, in the interface language

    def on_resize(self) -> None:
        self.size_columns()

    def size_columns(self) -> None:
        if not self.columns:
            return
        room = self.scrollable_content_region.width or self.size.width
        widths = {**self.FIXED, "status": self.needs.get("status", 6)}
        spare = room - 2 * self.cell_padding * len(self.columns) - 1 - sum(widths.values())
        wanted = {k: max(6, self.needs.get(k, 6)) for k in self.SHARES}
        # fair shares first; what a narrow column leaves goes to the others
        while wanted:
            total = sum(self.SHARES[k] for k in wanted)
            fits = {k: n for k, n in wanted.items() if n <= spare * self.SHARES[k] // total}
            if not fits:
                for k in wanted:  # never narrower than its heading
                    widths[k] = max(6, self.headings.get(k, 0), spare * self.SHARES[k] // total)
                break
            for k, n in fits.items():
                widths[k] = n
                spare -= n
                del wanted[k]
        for key, column in self.columns.items():
            column.auto_width = False
            column.width = widths.get(key.value, 8)
        self._require_update_dimensions = True
        self.refresh()

    BINDINGS = [
        Binding(
            "enter",
            "select_cursor",
            N_("Resume"),
            id="library.resume",
            key_display="⏎",
            tooltip=N_("Resume the highlighted session"),
        )
    ]


class LibraryScreen(Screen):
    """Scenarios and sessions. Enter plays (or resumes) the highlighted row."""

    # The details pane goes beside the table only when whole titles, regions and
    # environments still fit in the table's two thirds (about 100 columns); below 150 columns
    # it sits under the table, which then has the whole width (120x40, an 80x24 projector).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (150, "-wide")]

    BINDINGS = [
        Binding(
            "enter",
            "open",
            N_("Play"),
            id="library.open",
            key_display="⏎",
            show=False,
            tooltip=N_("Set up and play the scenario (or resume the session)"),
        ),
        Binding("slash", "search", N_("Search"), id="library.search", key_display="/"),
        Binding(
            "s",
            "show_tab('tab-sessions')",
            N_("Sessions"),
            id="library.sessions",
            tooltip=N_("Sessions in progress and finished, to resume or debrief"),
        ),
        Binding(
            "s",
            "show_tab('tab-scenarios')",
            N_("Scenarios"),
            id="library.scenarios",
            tooltip=N_("Back to the scenarios"),
        ),
        Binding(
            "f",
            "filters",
            N_("Filters"),
            id="library.filters",
            tooltip=N_("Go to the filters: environment, region, practice, manifestation"),
        ),
        Binding(
            "x",
            "clear_filters",
            N_("Clear"),
            id="library.clear",
            tooltip=N_("Clear the search and every filter"),
        ),
        Binding(
            "c",
            "cohort",
            N_("Cohort"),
            id="library.cohort",
            tooltip=N_("The sessions with the highlighted session's label (or all), read together"),
        ),
        Binding("q", "app.quit", N_("Quit"), id="library.quit"),
        Binding(
            "escape",
            "leave_search",
            N_("Done"),
            id="library.leave-search",
            show=False,
            tooltip=N_("Leave the search box (the words stay; x clears them)"),
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.entries: tuple[Any, ...] = ()
        self.shown: list[Any] = []
        self.checks: dict[str, FileCheck] = {}  # path -> what the background validation found
        self.scene_titles: dict[str, str] = {}  # session id -> its current scene's title
        self.sessions: tuple[Any, ...] = ()

    def compose(self) -> ComposeResult:
        # Light widgets only (no Header, TabbedContent or Select): the library is the first
        # frame of `nexus-ttx`, and bench/bench_tui.py holds it to 1.3x a bare Textual app.
        yield Static(" nexus-ttx  " + _("Scenario library"), id="scene-bar", classes="-library")
        yield Static(id="tab-strip")
        with ContentSwitcher(initial="tab-scenarios", id="library-tabs"):
            with Vertical(id="tab-scenarios"):
                with Horizontal(id="filters-1"):
                    yield Input(
                        placeholder=_("Search title, region, practice, audience...  (/)"),
                        id="search",
                        compact=True,
                    )
                with Horizontal(id="filters-2"):
                    yield FilterChip(_("Environment"), id="f-environment")
                    yield FilterChip(_("Region"), id="f-region")
                    yield FilterChip(_("Practice"), id="f-practice")
                    yield FilterChip(_("Manifestation"), id="f-manifestation")
                with Horizontal(id="library-body"):
                    yield ScenarioTable(id="scenario-table", cursor_type="row", zebra_stripes=True)
                    with VerticalScroll(id="details"):
                        yield Static(_("Loading the library..."), id="details-text")
            yield Vertical(id="tab-sessions")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = "nexus-ttx"
        self.sub_title = _("Scenario library")
        self._update_tab_strip()
        table = self.query_one("#scenario-table", ScenarioTable)
        table.add_column(_("Title"), key="title")
        table.add_column(_("Region"), key="region")
        table.add_column(_("Environment"), key="environment")
        table.add_column(_("Time"), key="duration")
        table.size_columns()
        table.focus()
        # after the first frame: the scan must not compete with drawing it
        self.call_after_refresh(self.load_library)
        self.call_after_refresh(self.load_sessions)

    @property
    def active_tab(self) -> str:
        return self.query_one(ContentSwitcher).current or "tab-scenarios"

    def _update_tab_strip(self) -> None:
        active = self.active_tab
        in_progress = sum(1 for s in self.sessions if s.status == "active")
        count = (
            _("store unavailable")
            if self.app.store_problem
            else ngettext("{n} in progress", "{n} in progress", in_progress).format(n=in_progress)
        )

        def tab(tab_id: str, label: str) -> Content:
            style = "bold reverse" if tab_id == active else "$text-muted"
            return Content.from_markup(
                f"[@click=screen.show_tab('{tab_id}')]$label[/]", label=f" {label} "
            ).stylize(style)

        self.query_one("#tab-strip", Static).update(
            Content.assemble(
                " ",
                tab("tab-scenarios", _("Scenarios")),
                "  ",
                tab("tab-sessions", _("Sessions ({count})").format(count=count)),
                ("   " + _("s switches"), "$text-muted"),
            )
        )

    async def _ensure_sessions_table(self) -> DataTable:
        pane = self.query_one("#tab-sessions", Vertical)
        found = pane.query(SessionTable)
        if found:
            return found.first()
        table = SessionTable(id="session-table", cursor_type="row", zebra_stripes=True)
        await pane.mount(table, Static("", id="sessions-hint"))
        for label, key in (
            (N_("Session"), "session"),
            (N_("Scenario"), "scenario"),
            (N_("Label"), "label"),
            (N_("Teams"), "teams"),
            (N_("At scene"), "scene"),
            (N_("Status"), "status"),
            (N_("Updated"), "updated"),
        ):
            table.add_column(_(label), key=key)
        return table

    # --- workers ----------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="library")
    def load_library(self) -> None:
        """Scan the built-in library and the extra folders (off the UI thread)."""
        app = self.app
        try:
            entries, problems = scan_library(app.library_dirs, app.builtin_library)
        except Exception as exc:  # a broken folder must not take the app down
            entries, problems = [], [_("cannot read the library: {problem}").format(problem=exc)]
        self.post_message(LibraryLoaded(entries, problems))

    @work(thread=True, exclusive=True, group="library-check")
    def check_library(self, entries: Sequence[Any]) -> None:
        """Validate every library file, one message per file (off the UI thread): rows are
        marked as their results arrive."""
        worker = get_current_worker()
        for entry in entries:
            if worker.is_cancelled:
                return
            self.post_message(LibraryChecked(str(entry.path), check_file(entry)))

    @work(thread=True, exclusive=True, group="sessions")
    def load_sessions(self) -> None:
        app = self.app
        known = app.store_problem
        problem = app.check_store()
        if problem is not None:
            if problem != known:  # said once, when the app opens (not on every refresh)
                app.call_from_thread(app.warn_store)
            self.post_message(SessionsLoaded((), problem))
            return
        try:
            sessions = app.store.sessions()
        except Exception as exc:
            self.post_message(SessionsLoaded((), str(exc)))
            return
        from engine.core.i18n import current_language

        titles = scene_titles(sessions, current_language())
        self.post_message(SessionsLoaded(sessions, scene_titles=titles))

    def refresh_sessions(self) -> None:
        self.load_sessions()

    # --- scenarios ------------------------------------------------------------------------

    def on_library_loaded(self, message: LibraryLoaded) -> None:
        self.entries = message.entries
        self.checks = {}
        for problem in message.problems[:5]:
            self.notify(str(problem), title=_("Library"), severity="warning", timeout=8)
        self._fill_filters()
        self._apply_filters()
        self.check_library(self.entries)

    def on_library_checked(self, message: LibraryChecked) -> None:
        self.checks[message.path] = message.check
        for row, entry in enumerate(self.shown):
            if str(entry.path) != message.path:
                continue
            table = self.query_one("#scenario-table", ScenarioTable)
            table.update_cell(message.path, "title", self._title_cell(entry))
            if table.cursor_row == row:
                self._show_details(entry)

    def _title_cell(self, entry: Any) -> str:
        """The title, marked: ✗ for errors (an id another file uses too is one), ! for warnings;
        the marks are text, not only colour."""
        if not entry.parsed:
            return _("(invalid) {title}").format(title=entry.title)
        check = self.checks.get(str(entry.path))
        if entry.conflicts or (check is not None and check.errors):
            return f"✗ {entry.title}"
        if check is not None and check.warnings:
            return f"! {entry.title}"
        return entry.title

    def _fill_filters(self) -> None:
        try:
            catalog = self.app.catalog
        except Exception:
            catalog = None

        def name(getter: str, item_id: str, attr: str = "name") -> str:
            try:
                return getattr(getattr(catalog, getter)(item_id), attr)
            except Exception:
                return item_id

        envs = sorted({e.environment for e in self.entries if e.environment})
        regions = sorted({e.region for e in self.entries if e.region})
        practices = sorted(
            {p for e in self.entries for p in e.good_practices}, key=lambda p: (len(p), p)
        )
        manifestations = sorted({m for e in self.entries for m in e.manifestations})
        self.query_one("#f-environment", FilterChip).set_options(
            [(name("environment", e), e) for e in envs]
        )
        self.query_one("#f-region", FilterChip).set_options([(r, r) for r in regions])
        self.query_one("#f-practice", FilterChip).set_options(
            [(f"{p} {name('practice', p, 'short_title')}", p) for p in practices]
        )
        self.query_one("#f-manifestation", FilterChip).set_options(
            [(name("manifestation", m), m) for m in manifestations]
        )

    def _filter_value(self, selector: str) -> Any:
        return self.query_one(selector, FilterChip).value

    def _apply_filters(self) -> None:
        text = self.query_one("#search", Input).value
        shown = [
            e
            for e in self.entries
            if matches(
                e,
                text=text,
                environment=self._filter_value("#f-environment"),
                region=self._filter_value("#f-region"),
                practice=self._filter_value("#f-practice"),
                manifestation=self._filter_value("#f-manifestation"),
            )
        ]
        shown.sort(key=lambda e: not e.in_language)  # those in the interface language first
        self.shown = shown
        table = self.query_one("#scenario-table", ScenarioTable)
        table.clear()
        rows = [
            (
                self._title_cell(entry),
                entry.region,
                _(ENVIRONMENT_SHORT.get(entry.environment, ""))
                or self._env_name(entry.environment),
                _duration(entry.duration_minutes),
            )
            for entry in shown
        ]
        for entry, row in zip(shown, rows, strict=False):
            table.add_row(*row, key=str(entry.path))
        table.needs = {
            name: max((cell_len(r[i]) for r in rows), default=0)
            for i, name in enumerate(("title", "region", "environment"))
        }
        table.size_columns()
        if shown:
            table.move_cursor(row=0)
            self._show_details(shown[0])
        elif self.entries:
            self.query_one("#details-text", Static).update(
                _("No scenario matches these filters: press x to clear them.")
            )
        else:
            self.query_one("#details-text", Static).update(
                _("The library is empty. Add a folder of scenarios with --library DIR.")
            )

    def _env_name(self, env_id: str) -> str:
        try:
            return self.app.catalog.environment(env_id).name
        except Exception:
            return env_id

    @on(Input.Changed, "#search")
    @on(FilterChip.Changed)
    def _filters_changed(self) -> None:
        if self.entries:
            self._apply_filters()

    @on(FilterChip.Picked)
    @on(Input.Submitted, "#search")
    def _search_done(self) -> None:
        self.query_one("#scenario-table", DataTable).focus()

    @on(DataTable.RowHighlighted, "#scenario-table")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        entry = self._entry_at(event.cursor_row)
        if entry is not None:
            self._show_details(entry)

    def _entry_at(self, row: int) -> Any | None:
        return self.shown[row] if 0 <= row < len(self.shown) else None

    def _show_details(self, entry: Any) -> None:
        try:
            catalog = self.app.catalog
        except Exception:
            catalog = None

        def names(
            getter: str, ids: Iterable[str], attr: str = "name", with_id: bool = False
        ) -> list[str]:
            out = []
            for item_id in ids:
                try:
                    label = getattr(getattr(catalog, getter)(item_id), attr)
                except Exception:
                    label = item_id
                out.append(f"{item_id} {label}" if with_id else label)
            return out

        def field(title: str, values: Iterable[str]) -> list[Content]:
            values = list(values)
            if not values:
                return []
            return [
                Content.styled(title, "bold $accent"),
                *(Content.assemble("  ", v) for v in values),
            ]

        parts: list[Content] = [Content.styled(entry.title, "bold"), Content("")]
        if not entry.parsed:
            parts += [
                Content.styled(
                    _(
                        "This file is not a valid scenario ({problem}). "
                        "Press Enter to see its diagnostics."
                    ).format(problem=entry.problem),
                    "bold $error",
                ),
                Content(""),
            ]
        parts += self._check_lines(entry)
        if entry.summary:
            parts += [Content(" ".join(entry.summary.split())), Content("")]
        meta = [entry.region, self._env_name(entry.environment)]
        if entry.duration_minutes:
            meta.append(_duration(entry.duration_minutes))
        parts.append(Content.styled(" · ".join(meta), "italic"))
        parts += field(_("Manifestations"), names("manifestation", entry.manifestations))
        parts += field(_("Watch points"), names("watch_point", entry.watch_points))
        parts += field(
            _("Good practices"),
            names("practice", entry.good_practices, "short_title", with_id=True),
        )
        parts += field(_("Audience"), entry.audience or ())
        where = f"{entry.path.parent.name}/{entry.path.name}"
        parts += [Content(""), Content.styled(_("File: {file}").format(file=where), "$text-muted")]
        self.query_one("#details-text", Static).update(Content("\n").join(parts))

    def _check_lines(self, entry: Any) -> list[Content]:
        """What the background validation found: the counts and the first problem."""
        check = self.checks.get(str(entry.path))
        if check is None and entry.conflicts:
            from engine.load.library import conflict_text

            check = FileCheck(1, 0, conflict_text(entry.id, [entry.path, *entry.conflicts]))
        if check is None or not (check.errors or check.warnings):
            return []
        style = "bold $error" if check.errors else "bold $warning"
        return [
            Content.styled(f"{check.summary()}. {check.first}", style),
            Content.styled(
                _("Enter shows every error; `nexus-ttx validate FILE` lists all."), "italic"
            ),
            Content(""),
        ]

    # --- sessions -------------------------------------------------------------------------

    async def on_sessions_loaded(self, message: SessionsLoaded) -> None:
        self.sessions = message.sessions
        self.scene_titles = message.scene_titles
        self._update_tab_strip()
        if self.active_tab != "tab-sessions":
            return  # the table is filled when it is shown
        await self._fill_sessions(message.error)

    async def _fill_sessions(self, error: str | None = None) -> None:
        table = await self._ensure_sessions_table()
        table.clear()
        hint = self.query_one("#sessions-hint", Static)
        if error:
            hint.update(_("Cannot read the session store: {problem}").format(problem=error))
            return
        rows = []
        for info in self.sessions:
            teams = ", ".join(info.teams) if info.mode == "facilitated" else _("solo")
            updated = (info.updated_at or "")[5:16].replace("T", " ")  # MM-DD hh:mm
            rows.append(
                (
                    info.id,
                    info.title,
                    info.label,
                    teams,
                    self.scene_titles.get(info.id, info.scene or ""),
                    session_status_words(info.status),
                    updated,
                )
            )
            table.add_row(*rows[-1], key=info.id)
        table.headings = {
            column.key.value: cell_len(str(column.label)) for column in table.columns.values()
        }
        table.needs = {
            key: max([table.headings[key] + 2, *(cell_len(str(r[i])) for r in rows)])
            for i, key in ((1, "scenario"), (2, "label"), (3, "teams"), (4, "scene"))
        }
        table.needs["status"] = max(6, *(len(r[5]) for r in rows)) if rows else 6
        table.size_columns()
        active = sum(1 for s in self.sessions if s.status == "active")
        total = len(self.sessions)
        hint.update(
            ngettext(
                "{active} in progress, {n} in all.", "{active} in progress, {n} in all.", total
            ).format(active=active, n=total)
            + " "
            + _(
                "Enter resumes an active session or opens the debrief of a finished one; "
                "c reads the sessions with its label together."
            )
            if self.sessions
            else _("No sessions yet: play a scenario first.")
        )

    # --- actions --------------------------------------------------------------------------

    def action_open(self) -> None:
        if self.active_tab == "tab-sessions":
            table = self.query_one("#session-table", DataTable)
            if 0 <= table.cursor_row < len(self.sessions):
                self.app.resume_session(self.sessions[table.cursor_row].id)
            return
        table = self.query_one("#scenario-table", DataTable)
        entry = self._entry_at(table.cursor_row)
        if entry is not None:
            self.app.open_scenario(entry.path)

    def action_cohort(self) -> None:
        if self.active_tab != "tab-sessions" or not self.sessions:
            return
        table = self.query_one("#session-table", DataTable)
        row = table.cursor_row
        label = self.sessions[row].label if 0 <= row < len(self.sessions) else ""
        self.build_cohort(label)

    @work(thread=True, exclusive=True, group="cohort")
    def build_cohort(self, label: str) -> None:
        """Read the sessions with `label` (all when empty) and their scenarios, off the UI."""
        from engine.check.validate import load_scenario
        from engine.report.cohort_source import Sources, collect
        from engine.store.base import SessionFilter

        try:
            cohort = collect(
                self.app.store,
                SessionFilter(label=label or None),
                label or _("all sessions"),
                Sources(getattr(self.app, "library_dirs", []), load_scenario),
            )
        except Exception as exc:
            self.app.call_from_thread(self.notify, str(exc), title=_("Cohort"), severity="error")
            return
        self.app.call_from_thread(self._show_cohort, cohort)

    def _show_cohort(self, cohort: Any) -> None:
        from tui.screens.cohort import CohortScreen

        self.app.push_screen(CohortScreen(cohort))

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    async def action_search(self) -> None:
        if self.active_tab != "tab-scenarios":
            await self.action_show_tab("tab-scenarios")
        self.query_one("#search", Input).focus()

    def action_leave_search(self) -> None:
        """Esc in the search box (or a filter): back to the table, so letters are keys again."""
        self.query_one("#scenario-table", DataTable).focus()

    def action_filters(self) -> None:
        if self.active_tab == "tab-scenarios":
            self.query_one("#f-environment", FilterChip).focus()

    async def action_show_tab(self, tab: str) -> None:
        self.query_one(ContentSwitcher).current = tab
        if tab == "tab-sessions":
            table = await self._ensure_sessions_table()
            await self._fill_sessions()
            table.focus()
            self.load_sessions()
        else:
            self.query_one("#scenario-table", DataTable).focus()
        self._update_tab_strip()
        self.refresh_bindings()

    def action_clear_filters(self) -> None:
        self.query_one("#search", Input).value = ""
        for chip in self.query(FilterChip):
            chip.value = None
        self._apply_filters()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        try:
            active = self.active_tab
        except Exception:
            active = "tab-scenarios"
        if action == "filters":
            return active == "tab-scenarios"
        if action == "clear_filters":
            return active == "tab-scenarios"
        if action == "cohort":
            return active == "tab-sessions"
        if action == "leave_search":
            return active == "tab-scenarios" and not isinstance(self.focused, DataTable)
        if action == "show_tab":
            return parameters[0] != active
        return True

    def palette_commands(self):
        yield SystemCommand(
            _("Search scenarios"), _("Filter the library by words"), self.action_search
        )
        yield SystemCommand(
            _("Sessions"),
            _("List sessions in progress and resume one"),
            partial(self.action_show_tab, "tab-sessions"),
        )
        yield SystemCommand(_("Clear filters"), _("Show every scenario"), self.action_clear_filters)
