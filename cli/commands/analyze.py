"""`nexus-ttx analyze SCENARIO [--json] [--max-states N]`: what every playable path can do.

Prints scenes, decisions, endings (and how many are reachable), unreachable scenes, the exact
best and worst alignment over all playable paths (with a path that achieves each), the best per
area, chance level (the exact expected alignment of random play) with the probability of each
outcome, what the blind strategies first / longest / shortest score and where they end, key
actions recommended somewhere that no playable path can earn, coverage of the declared
good practices, the number of states explored, and the analysis findings (NTX3xx) at their
file:line:col. Exit 1 when a finding is an error (a loop, a dead end, a runtime error) or the
file is not a valid scenario; 0 otherwise.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from cli.commands.common import LoadFailed, add_library_options, add_max_states, load_checked
from engine.core.i18n import N_, _, ngettext

HELP = N_(
    "analyse a scenario: reachability, loops, dead ends, exact best/worst alignment, "
    "chance level and blind strategies, coverage"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_library_options(parser)
    parser.add_argument("scenario", metavar="SCENARIO", help=_("a scenario file or a library id"))
    parser.add_argument(
        "--json",
        action="store_true",
        help=_("print the analysis as JSON"),
    )
    add_max_states(parser)


def run(args: argparse.Namespace) -> int:
    from engine.analysis.statespace import Explorer

    explorer = Explorer(args.max_states)
    try:
        result = load_checked(args, explorer)
    except LoadFailed as exc:
        return exc.code
    from engine.analysis.findings import to_diagnostics
    from engine.analysis.summary import analyze
    from engine.play.scoring import catalog_area_of

    analysis = analyze(result.scenario, args.max_states, catalog_area_of(), explorer)
    diagnostics = to_diagnostics(analysis.findings, result.source, result.file)
    if args.json:
        data = analysis.to_json()
        data["file"] = result.file
        data["findings"] = [d.to_json() for d in diagnostics]
        json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(format_text(analysis, result.file, diagnostics))
    return 1 if any(d.is_error for d in diagnostics) else 0


def _pct(e: Any) -> str:
    return _("n/a") if e is None else f"{_percent(e.percent)} ({e.points}/{e.possible})"


def _percent(value: float) -> str:
    from engine.core.formats import percent

    return f"{percent(value, 2):>7}"


def _path(e: Any) -> str:
    return " → ".join(f"{s}: {c}" for s, c in e.path) or _("(no decision)")


# The left column's labels (translated where shown; the column fits the widest).
LABELS = {
    "scenes": N_("scenes"),
    "unreachable": N_("unreachable"),
    "states": N_("states"),
    "alignment": N_("alignment"),
    "best": N_("best"),
    "worst": N_("worst"),
    "best by area": N_("best by area"),
    "chance level": N_("chance level"),
    "blind": N_("blind"),
    "coverage": N_("coverage"),
    "never enactable": N_("never enactable"),
}


def _width() -> int:
    return max(16, *(len(_(label)) + 1 for label in LABELS.values()))


def _row(key: str, text: str) -> str:
    label = _(LABELS[key]) if key else ""
    return f"  {label:<{_width()}}{text}"


def _more(text: str) -> str:
    return " " * (_width() + 2) + text


def _guess_lines(a: Any) -> list[str]:
    """Chance level, outcomes at chance and the blind strategies (when play is well defined)."""
    from engine.report.words import outcome_words

    g = a.guess
    if g is None:
        return [
            _row("chance level", _("n/a: needs a complete, acyclic analysis without dead ends"))
        ]
    pct = g.chance_percent
    if g.note:
        out = [_row("chance level", _("n/a: {note}").format(note=g.note))]
    else:
        chance = _("n/a (no play faces a scored decision)") if pct is None else _percent(pct)
        note = (
            ""
            if g.scored_probability == 1
            else " "
            + _("(given a scored decision, p={p})").format(p=f"{float(g.scored_probability):.3f}")
        )
        expected = _("expected alignment of random play")
        out = [_row("chance level", f"{chance}  {expected}{note}")]
        from engine.core.formats import percent

        odds = ", ".join(
            f"{outcome_words(o)} {percent(float(p) * 100, 1)}" for o, p in g.outcomes.items()
        )
        out.append(_more(_("outcomes at chance: {odds}").format(odds=odds)))
    for i, (name, play) in enumerate(g.blind.items()):
        label = "blind" if i == 0 else ""
        pct_b = _("n/a").rjust(6) if play.percent is None else _percent(play.percent)
        end = f"{outcome_words(play.outcome)} ({play.ending})" if play.ending else _("no ending")
        out.append(_row(label, f"{name:<9} {pct_b}  {end}"))
    return out


def format_text(a: Any, file: str, diagnostics: list[Any]) -> str:
    from engine.core.formats import number

    sc = a.scenario
    js = a.to_json()
    out = [f"{sc.title} ({sc.id})  {file}", ""]
    counts = ", ".join(
        (
            ngettext("{n} decision", "{n} decisions", js["decisions"]).format(n=js["decisions"]),
            ngettext("{n} ending", "{n} endings", js["endings"]).format(n=js["endings"]),
            ngettext(
                "{n} ending reachable", "{n} endings reachable", js["endings_reachable"]
            ).format(n=js["endings_reachable"]),
        )
    )
    out.append(_row("scenes", f"{js['scenes']}: {counts}"))
    if a.unreachable is None:
        out.append(_row("unreachable", _("unknown (exploration incomplete)")))
    else:
        out.append(_row("unreachable", ", ".join(a.unreachable) if a.unreachable else _("none")))
    note = (
        _("complete")
        if a.complete
        else _("INCOMPLETE: stopped at --max-states {n}").format(n=number(a.space.max_states))
    )
    explored = _("{n} explored ({note})").format(n=number(a.states_explored), note=note)
    out.append(_row("states", explored))
    out.append("")
    if a.best is None:
        out.append(_row("alignment", _("n/a: {note}").format(note=a.bounds_note)))
    else:
        out.append(_row("best", _pct(a.best)))
        out.append(_more(_path(a.best)))
        out.append(_row("worst", _pct(a.worst)))
        out.append(_more(_path(a.worst)))
        width = max((len(k) for k in a.best_by_area), default=0)
        for i, (area, e) in enumerate(a.best_by_area.items()):
            out.append(
                (_row("best by area", "") if i == 0 else _more("")) + f"{area:<{width}}  {_pct(e)}"
            )
    out.extend(_guess_lines(a))
    out.append("")
    out.extend(_coverage_lines(a, js))
    out.append("")
    if diagnostics:
        errors = sum(1 for d in diagnostics if d.is_error)
        counts = ", ".join(
            (
                ngettext("{n} error", "{n} errors", errors).format(n=errors),
                ngettext("{n} warning", "{n} warnings", len(diagnostics) - errors).format(
                    n=len(diagnostics) - errors
                ),
            )
        )
        out.append(_("findings: {counts}").format(counts=counts))
        out.extend(d.format_text() for d in diagnostics)
    else:
        out.append(_("findings: none"))
    return "\n".join(out) + "\n"


def _coverage_lines(a: Any, js: dict[str, Any]) -> list[str]:
    """Declared practices recommended and enactable, one line per practice."""
    out: list[str] = []
    cov = js["coverage"]
    out.append(
        _row(
            "coverage",
            ngettext(
                "{recommended} of {declared} declared practice recommended at some decision, "
                "{enactable} enactable on a playable path",
                "{recommended} of {declared} declared practices recommended at some decision, "
                "{enactable} enactable on a playable path",
                cov["declared"],
            ).format(
                recommended=cov["recommended"],
                declared=cov["declared"],
                enactable=cov["enactable"],
            ),
        )
    )
    for gp, c in cov["practices"].items():
        rec = ", ".join(c["recommended"]) or _("never recommended")
        missing = [k for k in c["recommended"] if k not in c["enactable"]]
        line = f"{gp:<5} {rec}"
        if a.never_enactable is not None and missing:
            line += "  " + _("(never enactable: {actions})").format(actions=", ".join(missing))
        out.append(_more(line))
    if a.never_enactable is not None:
        out.append(
            _row("never enactable", ", ".join(a.never_enactable) or _("none"))
            + (
                "  " + _("(recommended, but no playable path earns it)")
                if a.never_enactable
                else ""
            )
        )
    return out
