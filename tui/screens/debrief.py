"""Debrief: alignment, bars per area (per team), the path and the ending, and per decision the
choices, the recommended key actions taken and missed with the toolkit's words, key actors,
standards and feedback. `e` writes the after-action report (Markdown and HTML)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import VerticalGroup, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from engine.core.i18n import N_, _, ngettext
from engine.report.words import outcome_words
from tui.widgets.area_bars import AreaBars
from tui.widgets.keybar import KeyBar
from tui.widgets.scene_text import SceneText

if TYPE_CHECKING:
    from engine.exercise.exercise import Exercise

HOW = {
    "majority": N_("majority"),
    "tie-break": N_("tie settled by the facilitator"),
    "override": N_("facilitator's override"),
    "solo": "",
}


def alignment_text(alignment: float | None) -> str:
    """The engine's own formatting (two decimals, or n/a)."""
    from engine.play.scoring import format_alignment

    return format_alignment(alignment)


class ReportWritten(Message):
    def __init__(self, paths: list[Path], error: str | None = None) -> None:
        super().__init__()
        self.paths = paths
        self.error = error


def decisions_markdown(report: dict[str, Any]) -> str:
    """Per decision: what each team chose, key actions taken and missed (catalog text), key
    actors and standards of the practices concerned, feedback and effects."""
    kas = report.get("key_actions", {})
    multi = len(report["session"]["teams"]) > 1
    lines: list[str] = []

    def ka(ka_id: str) -> str:
        info = kas.get(ka_id) or {}
        text = info.get("text", "")
        return f"**{ka_id}** {text}".strip()

    for d in report["decisions"]:
        lines += [f"### {d['number']}. {d['title']}", ""]
        followed = d["followed"]
        if multi:
            lines += room_lines(d, any(t["choice"] == followed["choice"] for t in d["teams"]))
        for t in d["teams"]:
            if t["choice"] is None:
                none = _("**{team}** recorded no choice: 0 of {possible}.")
                lines += ["- " + none.format(team=t["team"], possible=t["possible"]), ""]
                continue
            lines += ["- " + _chose_line(t, multi)]
            taken = _("Taken (not credited): {ka}") if t["harmful"] else _("Taken: {ka}")
            lines += ["  - " + taken.format(ka=ka(k)) for k in t["taken"]]
            lines += ["  - " + _("Missed: {ka}").format(ka=ka(k)) for k in t["missed"]]
            also = _("Also enacted (no points): {ka}")
            lines += ["  - " + also.format(ka=ka(k)) for k in t["also"]]
            if t.get("feedback"):
                text = " ".join(t["feedback"].split())
                lines.append("  - " + _("Feedback: {text}").format(text=text))
            if t.get("effects"):
                effects = ", ".join(t["effects"])
                lines.append("  - " + _("Effects: {effects}").format(effects=effects))
            lines.append("")
        here = [p["id"] for p in report.get("practices", []) if d["number"] in p["decisions"]]
        if here:
            lines += [
                _("Good practices here: {practices} (key actors and standards below)").format(
                    practices=", ".join(here)
                ),
                "",
            ]
        for note in d.get("notes") or ():
            lines += ["> " + _("Note: {note}").format(note=note), ""]
    if not report["decisions"]:
        lines.append(_("No decision was made in this session."))
    return "\n".join(lines + practices_markdown(report.get("practices", [])))


def _chose_line(t: dict[str, Any], multi: bool) -> str:
    """`**Team A** chose *text* (3 of 5).` or `You chose ...`, harm said when there was some."""
    figures = (
        _("{points} of {possible}").format(points=t["points"], possible=t["possible"])
        if t["possible"]
        else _("not scored")
    )
    harm = _(", **harmful choice**: no points") if t["harmful"] else ""
    if multi:
        line = _("**{team}** chose *{text}* ({figures}{harm}).")
        return line.format(team=t["team"], text=t["text"], figures=figures, harm=harm)
    return _("You chose *{text}* ({figures}{harm}).").format(
        text=t["text"], figures=figures, harm=harm
    )


def practices_markdown(practices: list[dict[str, Any]]) -> list[str]:
    """Each good practice the decisions concerned, once (the report document's
    `practices`, the rule every report uses): its key actors and standards."""
    if not practices:
        return []
    lines = ["", "### " + _("Good practices concerned"), ""]
    for p in practices:
        lines.append(f"**{p['id']} {p['title']}**")
        if p["key_actors"]:
            actors = "; ".join(p["key_actors"])
            lines.append("- " + _("Key actors: {actors}").format(actors=actors))
        if p["standards"]:
            lines.append("- " + _("Standards:"))
            lines.extend(f"  - {' '.join(s.split())}" for s in p["standards"])
        lines.append("")
    return lines


def room_lines(d: dict[str, Any], chosen_by_a_team: bool) -> list[str]:
    """What the room followed and how, the facilitator's reason, what the room's own choice
    earned, and its feedback when no team chose it (an override: nowhere else to read it)."""
    followed = d["followed"]
    how_word = HOW.get(followed["how"], followed["how"])
    how = _(how_word) if how_word else ""
    lines = [
        _("The room followed **{text}** ({how}).").format(text=followed["text"], how=how)
        if how
        else _("The room followed **{text}**.").format(text=followed["text"])
    ]
    if d.get("reason"):
        lines.append(_("Reason given: {reason}").format(reason=d["reason"]))
    if followed.get("possible") is not None:
        figures = (
            _("{points} of {possible}").format(
                points=followed["points"], possible=followed["possible"]
            )
            if followed["possible"]
            else _("not scored")
        )
        harm = _(" - **harmful choice**, no points") if followed.get("harmful") else ""
        lines.append(_("The room's choice: {figures}{harm}.").format(figures=figures, harm=harm))
    if followed.get("feedback") and not chosen_by_a_team:
        text = " ".join(followed["feedback"].split())
        lines.append(_("Feedback: {text}").format(text=text))
    return [part for line in lines for part in (line, "")]


class DebriefScreen(Screen):
    """The end of a session (or where it stands, for an unfinished one)."""

    CSS_PATH = "../styles/screens.tcss"

    BINDINGS = [
        Binding(
            "e",
            "export",
            N_("Export report"),
            id="debrief.export",
            tooltip=N_("Write the after-action report as Markdown and HTML"),
        ),
        Binding(
            "E",
            "choose_folder",
            N_("Export to..."),
            id="debrief.export-to",
            key_display="E",
            tooltip=N_("Choose the folder the report is written to, then write it"),
        ),
        Binding("n", "note", N_("Note"), id="debrief.note"),
        Binding(
            "w",
            "observe",
            N_("Observe"),
            id="debrief.observe",
            tooltip=N_("Record an evaluator's observation"),
        ),
        Binding(
            "f",
            "feedback",
            N_("Feedback"),
            id="debrief.feedback",
            tooltip=N_("Participant feedback: each team (or the trainee) rates the objectives"),
        ),
        Binding(
            "i",
            "plan",
            N_("Improvement plan"),
            id="debrief.plan",
            tooltip=N_("Draft and edit the improvement plan"),
        ),
        Binding("l", "library", N_("Library"), id="debrief.library"),
        Binding("q", "quit", N_("Quit"), id="debrief.quit"),
    ]

    def __init__(self, exercise: Exercise) -> None:
        super().__init__()
        self.exercise = exercise
        self.report: dict[str, Any] | None = None
        self.written: list[Path] = []

    def compose(self) -> ComposeResult:
        yield Static(id="scene-bar", classes="-kind-ending")
        with VerticalScroll(id="debrief", can_focus=True):
            yield Static(id="debrief-summary")
            yield VerticalGroup(id="debrief-bars-box")
            yield Static(_("Decisions"), classes="debrief-heading")
            yield SceneText(id="debrief-decisions")
        yield Static("", id="export-status")
        yield KeyBar()

    async def on_mount(self) -> None:
        await self.render_debrief()
        self.query_one("#debrief").focus()

    def build_report(self) -> dict[str, Any]:
        from engine.report.document import exercise_report

        ex = self.exercise
        try:
            info = ex.store.session(ex.session_id)
        except Exception:
            info = None
        try:
            catalog = self.app.catalog
        except Exception:
            catalog = None
        return exercise_report(ex, info=info, catalog=catalog)

    async def render_debrief(self) -> None:
        ex = self.exercise
        report = self.report = self.build_report()
        scores = ex.scores()
        self.query_one("#scene-bar", Static).update(
            Content.assemble(
                (" " + _("DEBRIEF") + " ", "reverse bold"), " ", (ex.scenario.title, "bold")
            )
        )
        parts: list[Content] = []
        ending = report.get("ending")
        if ending:
            outcome = outcome_words(ending.get("outcome"))
            parts.append(
                Content.assemble(
                    (_("Ending:") + " ", "bold"),
                    ending["title"],
                    (
                        "  " + _("(outcome: {outcome})").format(outcome=outcome) if outcome else "",
                        "bold $accent",
                    ),
                )
            )
        else:
            parts.append(Content.styled(_("The session has not reached an ending."), "bold"))
        path = " > ".join(p["title"] for p in report["path"])
        parts.append(Content.assemble((_("Path:") + " ", "bold"), path))
        parts.append(Content(""))
        parts += self._alignment_lines(report, scores)
        room = report.get("room")
        if len(scores) > 1 and room:
            parts.append(
                Content.assemble(
                    (_("The room's path: Alignment") + " ", "bold"),
                    (alignment_text(room["alignment"]), "bold $success"),
                    "  "
                    + _(
                        "({points} of {possible} recommended key actions, overrides and "
                        "tie-breaks included)"
                    ).format(points=room["points"], possible=room["possible"]),
                )
            )
        parts += identification_lines(report)
        self.query_one("#debrief-summary", Static).update(Content("\n").join(parts))
        box = self.query_one("#debrief-bars-box", VerticalGroup)
        await box.remove_children()
        area_names = {a["id"]: a["name"] for t in report["teams"] for a in t["by_area"]}
        try:
            areas = [(a.id, a.name) for a in self.app.catalog.areas]
        except Exception:
            areas = list(area_names.items())
        # only the areas where something could be earned (the scores omit the others): an
        # empty bar would read as "0 of 0, n/a"
        areas = [(i, n) for i, n in areas if any(i in s.by_area for s in scores.values())]
        widgets = []
        for team, score in scores.items():
            rows = []
            for area_id, name in areas:
                tally = score.by_area.get(area_id)
                rows.append((name, tally.points if tally else 0, tally.possible if tally else 0))
            title = _("By area - {team}").format(team=team) if len(scores) > 1 else _("By area")
            widgets.append(AreaBars(rows, title=title, classes="area-bars"))
        await box.mount_all(widgets)
        drills = "\n".join(drill_lines(report, t) for t in ex.teams) if report.get("drills") else ""
        self.query_one("#debrief-decisions", SceneText).update_markdown(
            decisions_markdown(report) + drills
        )

    def _alignment_lines(self, report: dict[str, Any], scores: dict[str, Any]) -> list[Content]:
        """Each team's alignment (its points, harmful choices) beside the chance level."""
        level = report.get("chance_alignment")
        chance = (
            ""
            if level is None
            else _("; chance level {chance}").format(chance=alignment_text(level))
        )
        lines = []
        for team, score in scores.items():
            label = _("{team}: Alignment").format(team=team) if len(scores) > 1 else _("Alignment")
            harmful = (
                ", "
                + ngettext("{n} harmful choice", "{n} harmful choices", score.harmful).format(
                    n=score.harmful
                )
                if score.harmful
                else ""
            )
            figures = _("({points} of {possible} recommended key actions{harmful})").format(
                points=score.points, possible=score.possible, harmful=harmful
            )
            lines.append(
                Content.assemble(
                    (label + " ", "bold"),
                    (alignment_text(score.alignment), "bold $success"),
                    "  " + figures,
                    chance,
                )
            )
        return lines

    # --- export -----------------------------------------------------------------------------

    def export_dir(self) -> Path:
        """--export-dir, or the folder last chosen, else nexus-ttx in the user's documents
        (never the working directory: that may be a git checkout or a read-only folder)."""
        if self.app.export_dir is not None:
            return self.app.export_dir
        import platformdirs

        return Path(platformdirs.user_documents_dir()) / "nexus-ttx"

    def action_export(self) -> None:
        folder = self.export_dir()
        self.query_one("#export-status", Static).update(
            _("Writing the report in {folder}...").format(folder=folder)
        )
        self.write_report(self.report or self.build_report(), folder, self.aar_html())

    def action_choose_folder(self, why: str = "") -> None:
        """`E` (or a failed export): type another folder; the report is written there, and
        later exports in this run go there too."""
        from tui.screens.folder import FolderScreen

        def chosen(folder: Path | None) -> None:
            if folder is not None:
                self.app.export_dir = folder
                self.action_export()

        self.app.push_screen(FolderScreen(self.export_dir(), why), chosen)

    def aar_html(self) -> str:
        """The after-action report with improvement plan (built here: it reads the store)."""
        from engine.report.aar import build_aar
        from engine.report.aar_html import render_aar_html

        ex = self.exercise
        aar = build_aar(
            ex.scenario, ex.session, ex.events(), ex.scores(), ex.room_score(),
            catalog=getattr(self.app, "catalog", None),
        )  # fmt: skip
        return render_aar_html(aar)

    @work(thread=True, exclusive=True, group="export")
    def write_report(self, report: dict[str, Any], folder: Path, aar: str = "") -> None:
        from engine.report.document import render

        stem = f"{self.exercise.scenario.id}-{self.exercise.session_id}-report"
        paths: list[Path] = []
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for fmt in ("md", "html"):
                target = folder / f"{stem}.{fmt}"
                target.write_text(render(report, fmt), encoding="utf-8")
                paths.append(target.resolve())
            if aar:
                target = folder / f"{self.exercise.scenario.id}-{self.exercise.session_id}-aar.html"
                target.write_text(aar, encoding="utf-8")
                paths.append(target.resolve())
        except OSError as exc:
            problem = _("cannot write the report in {folder}: {problem}").format(
                folder=folder, problem=exc.strerror or exc
            )
            self.post_message(ReportWritten(paths, problem))
            return
        self.post_message(ReportWritten(paths))

    def on_report_written(self, message: ReportWritten) -> None:
        status = self.query_one("#export-status", Static)
        if message.error:
            status.update(
                Content.assemble((message.error, "bold $error"), " - " + _("E: write it elsewhere"))
            )
            self.notify(message.error, title=_("Export failed"), severity="error", timeout=10)
            self.action_choose_folder(f"{message.error[:1].upper()}{message.error[1:]}.")
            return
        self.written = message.paths
        where = (" " + _("and") + " ").join(str(p) for p in message.paths)
        status.update(Content.assemble((_("Report written:") + " ", "bold"), where))
        self.notify(where, title=_("After-action report written"), timeout=10)

    # --- other actions ----------------------------------------------------------------------

    def action_note(self) -> None:
        from tui.screens.note import NoteScreen

        def save(text: str | None) -> None:
            if text and text.strip():
                try:
                    self.exercise.add_note(text.strip())
                except Exception as exc:
                    self.notify(str(exc), title=_("Could not save"), severity="error")
                    return
                self.notify(_("Note saved."), timeout=3)
                self.report = None

        self.app.push_screen(NoteScreen(_("the debrief")), save)

    def action_observe(self) -> None:
        from tui.screens.observe import ObservationScreen, observation_options, record

        options = observation_options(self.exercise, getattr(self.app, "catalog", None))
        self.app.push_screen(
            ObservationScreen(_("the debrief"), **options),
            lambda fields: record(self, self.exercise, fields),
        )

    def action_feedback(self) -> None:
        from tui.screens.feedback import collect

        collect(self, self.exercise)

    def action_plan(self) -> None:
        from tui.screens.plan import PlanScreen

        self.app.push_screen(PlanScreen(self.exercise, getattr(self.app, "catalog", None)))

    def action_library(self) -> None:
        from tui.screens.library import LibraryScreen

        while len(self.app.screen_stack) > 1 and not isinstance(self.app.screen, LibraryScreen):
            self.app.pop_screen()
        if isinstance(self.app.screen, LibraryScreen):
            self.app.screen.refresh_sessions()

    def action_quit(self) -> None:
        self.app.exit(0)

    def palette_commands(self):
        yield SystemCommand(
            _("Export report"),
            _("Write the after-action report (Markdown and HTML)"),
            self.action_export,
        )
        yield SystemCommand(
            _("Export report to..."),
            _("Choose the folder for the after-action report"),
            self.action_choose_folder,
        )
        yield SystemCommand(_("Back to library"), _("Choose another scenario"), self.action_library)


def identification_lines(report: dict[str, Any]) -> list[Content]:
    """Each team's identify drills (precision, recall): beside alignment, never inside it."""
    multi = len(report["teams"]) > 1
    return [
        Content.assemble(
            (
                (
                    _("{team}: Identification").format(team=t["team"])
                    if multi
                    else _("Identification")
                )
                + " ",
                "bold",
            ),
            identification_text(t["identification"]),
        )
        for t in report["teams"]
        if t.get("identification")
    ]


def drill_lines(report: dict[str, Any], team: str) -> str:
    """A team's drills as Markdown: each statement ticked or not, and whether it was correct."""
    from engine.report.layers import drill_lines as lines

    body = lines(report, team)
    return (
        "\n\n### "
        + _("Identification drills")
        + (f" - {team}" if len(report["teams"]) > 1 else "")
        + "\n\n```\n"
        + "\n".join(body)
        + "\n```\n"
    )


def identification_text(ident: dict[str, Any]) -> str:
    from engine.report.layers import identification_text as text

    return text(ident)
