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
from engine.core.i18n import N_, _

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
    return "n/a" if e is None else f"{e.percent:6.2f}% ({e.points}/{e.possible})"


def _path(e: Any) -> str:
    return " → ".join(f"{s}: {c}" for s, c in e.path) or "(no decision)"


LABEL = 16


def _row(label: str, text: str) -> str:
    return f"  {label:<{LABEL}}{text}"


def _more(text: str) -> str:
    return " " * (LABEL + 2) + text


def _guess_lines(a: Any) -> list[str]:
    """Chance level, outcomes at chance and the blind strategies (when play is well defined)."""
    g = a.guess
    if g is None:
        return [_row("chance level", "n/a: needs a complete, acyclic analysis without dead ends")]
    pct = g.chance_percent
    if g.note:
        out = [_row("chance level", f"n/a: {g.note}")]
    else:
        chance = "n/a (no play faces a scored decision)" if pct is None else f"{pct:6.2f}%"
        note = (
            ""
            if g.scored_probability == 1
            else f" (given a scored decision, p={float(g.scored_probability):.3f})"
        )
        out = [_row("chance level", chance + "  expected alignment of random play" + note)]
        odds = ", ".join(f"{o} {float(p) * 100:.1f}%" for o, p in g.outcomes.items())
        out.append(_more(f"outcomes at chance: {odds}"))
    for i, (name, play) in enumerate(g.blind.items()):
        label = "blind" if i == 0 else ""
        pct_b = "   n/a" if play.percent is None else f"{play.percent:6.2f}%"
        end = f"{play.outcome} ({play.ending})" if play.ending else "no ending"
        out.append(_row(label, f"{name:<9} {pct_b}  {end}"))
    return out


def format_text(a: Any, file: str, diagnostics: list[Any]) -> str:
    sc = a.scenario
    js = a.to_json()
    out = [f"{sc.title} ({sc.id})  {file}", ""]
    out.append(
        _row(
            "scenes",
            f"{js['scenes']}: {js['decisions']} decision(s), {js['endings']} "
            f"ending(s), {js['endings_reachable']} ending(s) reachable",
        )
    )
    if a.unreachable is None:
        out.append(_row("unreachable", "unknown (exploration incomplete)"))
    else:
        out.append(_row("unreachable", ", ".join(a.unreachable) if a.unreachable else "none"))
    note = (
        "complete" if a.complete else f"INCOMPLETE: stopped at --max-states {a.space.max_states:,}"
    )
    out.append(_row("states", f"{a.states_explored:,} explored ({note})"))
    out.append("")
    if a.best is None:
        out.append(_row("alignment", f"n/a: {a.bounds_note}"))
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
    cov = js["coverage"]
    out.append(
        _row(
            "coverage",
            f"{cov['recommended']} of {cov['declared']} declared practices "
            f"recommended at some decision, {cov['enactable']} enactable on a "
            "playable path",
        )
    )
    for gp, c in cov["practices"].items():
        rec = ", ".join(c["recommended"]) or "never recommended"
        missing = [k for k in c["recommended"] if k not in c["enactable"]]
        line = f"{gp:<5} {rec}"
        if a.never_enactable is not None and missing:
            line += f"  (never enactable: {', '.join(missing)})"
        out.append(_more(line))
    if a.never_enactable is not None:
        out.append(
            _row("never enactable", ", ".join(a.never_enactable) or "none")
            + ("  (recommended, but no playable path earns it)" if a.never_enactable else "")
        )
    out.append("")
    if diagnostics:
        errors = sum(1 for d in diagnostics if d.is_error)
        out.append(f"findings: {errors} error(s), {len(diagnostics) - errors} warning(s)")
        out.extend(d.format_text() for d in diagnostics)
    else:
        out.append("findings: none")
    return "\n".join(out) + "\n"
