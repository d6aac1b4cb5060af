"""The improvement-plan editor (debrief, key `i`): the session's plan items in a table, drafted
from observations rated M or U and from the recommended key actions the room missed, then
edited (issue, corrective action, practice, objective, responsible organisation, point of
contact, start and completion dates). Every change is an event; `nexus-ttx plan ID` shows and
edits the same plan from a terminal.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Input, Static

from engine.core.i18n import N_, _, ngettext
from tui.widgets.keybar import KeyBar

FIELDS = (
    ("issue", N_("Issue or area for improvement")),
    ("action", N_("Corrective action")),
    ("practice", N_("Good practice (e.g. GP21)")),
    ("objective", N_("Objective id")),
    ("organisation", N_("Responsible organisation")),
    ("contact", N_("Point of contact")),
    ("start", N_("Start (YYYY-MM-DD)")),
    ("completion", N_("Completion (YYYY-MM-DD)")),
)


class PlanItemScreen(ModalScreen[dict[str, str | None] | None]):
    """One item's fields; dismisses with them (empty = None) or None (Esc)."""

    DEFAULT_CSS = """
    PlanItemScreen #dialog { max-height: 100%; overflow-y: auto; width: 80; }
    PlanItemScreen #item-error { color: $error; height: auto; }
    """
    BINDINGS = [
        Binding("escape", "cancel", N_("Cancel"), id="plan-item.cancel"),
        Binding("ctrl+s", "save", N_("Save"), id="plan-item.save"),
    ]

    def __init__(self, title: str, values: dict[str, Any] | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.values = values or {}

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.title_text, id="dialog-title", markup=False)
            yield Static(_("Ctrl+S saves, Esc cancels; Enter goes to the next field."),
                         id="dialog-text")  # fmt: skip
            for name, label in FIELDS:
                value = self.values.get(name) or ""
                yield Input(str(value), placeholder=_(label), id=f"item-{name}", compact=True)
            yield Static("", id="item-error", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#item-issue", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == f"item-{FIELDS[-1][0]}":
            self.action_save()
        else:
            self.focus_next()

    def action_save(self) -> None:
        values = {n: self.query_one(f"#item-{n}", Input).value.strip() or None for n, _ in FIELDS}
        if not values["issue"]:
            self.query_one("#item-error", Static).update(_("The issue needs some text."))
            return
        self.dismiss(values)

    def action_cancel(self) -> None:
        self.dismiss(None)


class PlanScreen(Screen[None]):
    """The plan as a table with add / edit / remove / draft."""

    DEFAULT_CSS = """
    PlanScreen #plan-title { text-style: bold; color: $accent; padding: 0 1; }
    PlanScreen #plan-help { color: $text-muted; padding: 0 1; }
    PlanScreen DataTable { height: 1fr; }
    """
    BINDINGS = [
        Binding("a", "add", N_("Add"), id="plan.add"),
        Binding("e", "edit", N_("Edit"), id="plan.edit"),
        Binding("d", "remove", N_("Remove"), id="plan.remove"),
        Binding("r", "draft", N_("Draft"), id="plan.draft",
                tooltip=N_("Add items from M/U observations and missed key actions")),
        Binding("escape", "back", N_("Back"), id="plan.back"),
    ]  # fmt: skip

    def __init__(self, exercise: Any, catalog: Any | None = None) -> None:
        super().__init__()
        self.exercise = exercise
        self.catalog = catalog

    def compose(self) -> ComposeResult:
        yield Static(_("Improvement plan"), id="plan-title")
        yield Static(
            _(
                "r drafts items from observations rated M or U and from missed key actions; "
                "e edits owners and dates."
            ),
            id="plan-help",
        )
        yield DataTable(id="plan-table", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(
            "#", _("Issue"), _("Corrective action"), _("Practice"), _("Responsible"), _("Dates")
        )
        self.refresh_table()
        table.focus()

    def refresh_table(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for p in self.exercise.session.plan:
            who = ", ".join(x for x in (p.organisation, p.contact) if x) or "–"
            dates = _("{start} to {end}").format(start=p.start or "?", end=p.completion or "?")
            cells = (
                p.item, _cut(p.issue, 36), _cut(p.action, 28), p.practice or "–",
                _cut(who, 22), dates,
            )  # fmt: skip
            table.add_row(*(Text(c) for c in cells), key=p.item)  # Text: never markup

    def _current(self) -> Any | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((p for p in self.exercise.session.plan if p.item == key), None)

    def _apply(self, move: Any, *args: Any, **kw: Any) -> bool:
        try:
            move(*args, **kw)
        except Exception as exc:  # the engine's message (a bad date, an unknown objective)
            self.notify(str(exc), title=_("Not saved"), severity="error")
            return False
        self.refresh_table()
        return True

    def action_add(self) -> None:
        def save(values: dict[str, str | None] | None) -> None:
            if values:
                issue = values.pop("issue") or ""
                self._apply(self.exercise.add_plan_item, issue, **values)

        self.app.push_screen(PlanItemScreen(_("New plan item")), save)

    def action_edit(self) -> None:
        item = self._current()
        if item is None:
            return

        def save(values: dict[str, str | None] | None) -> None:
            if values:
                changed = {k: v for k, v in values.items() if v != getattr(item, k)}
                if changed:
                    self._apply(self.exercise.edit_plan_item, item.item, **changed)

        current = {name: getattr(item, name) for name, _ in FIELDS}
        self.app.push_screen(PlanItemScreen(_("Plan item {n}").format(n=item.item), current), save)

    def action_remove(self) -> None:
        item = self._current()
        if item is not None and self._apply(self.exercise.remove_plan_item, item.item):
            self.notify(_("Item {n} removed.").format(n=item.item), timeout=3)

    def action_draft(self) -> None:
        from engine.exercise.improvement import draft_plan

        ex = self.exercise
        drafts = draft_plan(ex.scenario, ex.session, ex.room_score(), self.catalog)
        added = sum(self._apply(ex.add_plan_item, d.issue, **d.fields()) for d in drafts)
        drafted = ngettext("{n} item drafted.", "{n} items drafted.", added).format(n=added)
        self.notify(drafted if added else _("Nothing new to draft."), timeout=4)

    def action_back(self) -> None:
        self.dismiss(None)


def _cut(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
