"""Twine drafts (Twee 3) turned into nexus-ttx scenario skeletons.

Twee 3 (the Twine Cookbook's specification): a passage starts with a header line
`:: Name [tag tag] {"position":"600,400"}`; `StoryTitle` holds the title and `StoryData` a JSON
object whose `start` names the first passage. Passages become scenes; links (`[[Target]]`,
`[[text|Target]]`, `[[text->Target]]`, `[[Target<-text]]`) become choices (several) or `next`
(one); a passage without links becomes an ending; a tag naming a scene kind or an outcome carries
over. What has no equivalent (story-format macros, variables, HTML, script and stylesheet
passages) is taken out of the text and listed with its passage and line, never dropped silently;
what the author must still add (recommended key actions, enacts, outcomes, the scenario's
toolkit fields) gets a placeholder that validates and a note. Pure: text in, data out.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Literal, NotRequired, TypedDict

import yaml

from engine.core.i18n import _, ngettext
from engine.core.jsontypes import JSONObject

Severity = Literal["error", "todo", "lost"]

KINDS = ("narrative", "inject", "decision", "ending")
OUTCOMES = ("success", "partial", "failure")
SPECIAL = ("StoryTitle", "StoryData")
CODE_TAGS = ("script", "stylesheet", "widget", "Twine.private")

LINK_RE = re.compile(r"\[\[(.*?)\]\](\[.*?\])?")
UNCONVERTIBLE = (
    ("SugarCube macro", re.compile(r"<<[^<>]*?>>", re.S)),
    ("Harlowe macro", re.compile(r"\(\s*[A-Za-z][\w-]*\s*:[^()]*(?:\([^()]*\)[^()]*)*\)")),
    ("HTML", re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")),
    ("variable", re.compile(r"(?<![\w$])\$[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*")),
)


class TweeError(ValueError):
    """Input that is not a Twee 3 story, at a 1-based line and column."""

    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.column = column
        self.message = message


@dataclass(frozen=True)
class Link:
    """A link as written: what the reader sees and the passage it leads to."""

    text: str
    target: str
    setter: str | None = None  # SugarCube's [[text|Target][$x to 1]]


@dataclass(frozen=True)
class Passage:
    name: str
    tags: tuple[str, ...]
    line: int  # of the header
    body: tuple[str, ...]  # lines after the header


@dataclass(frozen=True)
class Note:
    """Something the author must look at: an item lost in conversion or a placeholder to fill."""

    severity: Severity
    line: int
    passage: str | None
    message: str


class DraftChoice(TypedDict):
    id: str
    text: str
    next: str


class DraftScene(TypedDict):
    """A scene as the import writes it (an author completes it)."""

    kind: str
    title: str
    text: str
    next: NotRequired[str]
    choices: NotRequired[list[DraftChoice]]
    outcome: NotRequired[str]


class DraftScenario(TypedDict):
    format: str
    id: str
    title: str
    summary: str
    language: str
    version: str
    region: str
    environment: str
    manifestations: list[str]
    watch_points: list[str]
    good_practices: list[str]
    start: str
    scenes: dict[str, DraftScene]


@dataclass
class Conversion:
    scenario: DraftScenario
    notes: list[Note] = field(default_factory=list)


def parse_link(inner: str) -> Link:
    """The link inside `[[...]]`, by the Twee/Twine precedence: `|`, then `->`, then `<-`."""
    if "|" in inner:
        text, _, target = inner.rpartition("|")
        return Link(text, target)
    if "->" in inner:
        text, _, target = inner.rpartition("->")
        return Link(text, target)
    if "<-" in inner:
        target, _, text = inner.partition("<-")
        return Link(text, target)
    return Link(inner, inner)


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def _header(line: str, number: int) -> tuple[str, tuple[str, ...], str | None]:
    """Name, tags and metadata of a `:: Name [tags] {meta}` line."""
    rest = line[2:].strip()
    meta = None
    if rest.endswith("}") and "{" in rest:
        start = _unescaped_index(rest, "{")
        if start is not None:
            rest, meta = rest[:start].rstrip(), rest[start:]
    tags: tuple[str, ...] = ()
    if rest.endswith("]"):
        start = _unescaped_index(rest, "[")
        if start is None:
            raise TweeError(number, len(line), "a ']' closes no tag list; write '\\]' in a name")
        tags = tuple(rest[start + 1 : -1].split())
        rest = rest[:start].rstrip()
    name = _unescape(rest).strip()
    if not name:
        raise TweeError(number, 1, "a passage header '::' needs a name, e.g. ':: Start'")
    return name, tags, meta


def _unescaped_index(text: str, char: str) -> int | None:
    index = None
    escaped = False
    for i, c in enumerate(text):
        if escaped:
            escaped = False
        elif c == "\\":
            escaped = True
        elif c == char and index is None:
            index = i
    return index


def parse_twee(text: str) -> list[Passage]:
    """The passages of a Twee 3 file, in order; TweeError for what is not Twee."""
    passages: list[Passage] = []
    names: dict[str, int] = {}
    current: tuple[str, tuple[str, ...], int] | None = None
    body: list[str] = []
    lines = (
        text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    )  # not splitlines: \x1e is text
    for number, line in enumerate(lines, start=1):
        if not line.startswith("::"):
            if current is None and line.strip():
                raise TweeError(number, 1, "text before the first passage header ':: Name'")
            body.append(line)
            continue
        if current is not None:
            passages.append(Passage(current[0], current[1], current[2], _trim(body)))
        name, tags, meta = _header(line, number)
        if meta is not None:
            _check_meta(meta, number, line.index(meta) + 1)
        if name in names:
            raise TweeError(
                number, 4, f"passage '{name}' is defined twice (first on line {names[name]})"
            )
        names[name] = number
        current, body = (name, tags, number), []
    if current is not None:
        passages.append(Passage(current[0], current[1], current[2], _trim(body)))
    if not passages:
        raise TweeError(1, 1, "no passages: a Twee file has headers like ':: Start'")
    return passages


def _trim(body: list[str]) -> tuple[str, ...]:
    while body and not body[-1].strip():
        body = body[:-1]
    return tuple(body)


def _check_meta(meta: str, line: int, column: int) -> None:
    try:
        value = json.loads(meta)
    except json.JSONDecodeError as exc:
        raise TweeError(
            line, column + exc.colno - 1, f"passage metadata is not JSON: {exc.msg}"
        ) from None
    if not isinstance(value, dict):
        raise TweeError(line, column, "passage metadata must be a JSON object")


def story_data(passages: list[Passage]) -> tuple[JSONObject, int]:
    """StoryData's JSON object (empty when absent) and its line."""
    for p in passages:
        if p.name == "StoryData":
            text = "\n".join(p.body)
            try:
                value = json.loads(text) if text.strip() else {}
            except json.JSONDecodeError as exc:
                raise TweeError(
                    p.line + exc.lineno, exc.colno, f"StoryData is not JSON: {exc.msg}"
                ) from None
            if not isinstance(value, dict):
                raise TweeError(p.line + 1, 1, "StoryData must be a JSON object")
            return value, p.line
    return {}, 0


def slug(name: str) -> str:
    """A scene or choice id from free text: lower-case words joined by single hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-") or "passage"


def _unique(base: str, used: set[str]) -> str:
    candidate, n = base, 2
    while candidate in used:
        candidate, n = f"{base}-{n}", n + 1
    used.add(candidate)
    return candidate


def _clean(passage: Passage, notes: list[Note], story_format: str) -> tuple[str, list[Link]]:
    """The passage's prose without links and unconvertible items (each noted), and its links.

    Harlowe's `(name: ...)` is only taken for a macro when the story is Harlowe's (or says no
    format): elsewhere it is prose in parentheses."""
    patterns = [
        (what, pattern)
        for what, pattern in UNCONVERTIBLE
        if what != "Harlowe macro" or story_format in ("", "harlowe")
    ]
    links: list[Link] = []
    out: list[str] = []
    for offset, raw in enumerate(passage.body, start=1):
        number = passage.line + offset
        line = raw
        for match in LINK_RE.finditer(raw):
            link = parse_link(match.group(1))
            links.append(Link(link.text.strip(), link.target.strip(), match.group(2)))
            if match.group(2):
                notes.append(
                    Note(
                        "lost",
                        number,
                        passage.name,
                        _("link setter {setter} not converted").format(setter=match.group(2)),
                    )
                )
        line = LINK_RE.sub("", line)
        for what, pattern in patterns:
            for match in pattern.finditer(line):
                shown = " ".join(match.group(0).split())
                shown = shown if len(shown) <= 60 else shown[:59] + "…"
                notes.append(Note("lost", number, passage.name, f"{what} '{shown}'"))
            line = pattern.sub("", line)
        if line.strip() or not raw.strip():
            out.append(line.rstrip())
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip("\n")
    return text, links


def _kind(passage: Passage, links: list[Link], notes: list[Note]) -> str:
    tagged = [t for t in passage.tags if t in KINDS]
    natural = "ending" if not links else "narrative" if len(links) == 1 else "decision"
    if not tagged:
        return natural
    kind = tagged[0]
    fits = {
        "ending": not links,
        "narrative": len(links) == 1,
        "inject": len(links) == 1,
        "decision": bool(links),
    }[kind]
    if fits:
        return kind
    notes.append(
        Note(
            "todo",
            passage.line,
            passage.name,
            ngettext(
                "tagged '{kind}' but has {n} link: made a {natural} scene",
                "tagged '{kind}' but has {n} links: made a {natural} scene",
                len(links),
            ).format(kind=kind, n=len(links), natural=natural),
        )
    )
    return natural


def convert(
    passages: list[Passage],
    source_name: str,
    environment: str | None = None,
    region: str | None = None,
) -> Conversion:
    """The scenario for a parsed Twee story, and the notes the author needs."""
    data, data_line = story_data(passages)
    story_format = str(data.get("format", "")).casefold()
    notes: list[Note] = []
    story = [p for p in passages if p.name not in SPECIAL]
    for p in story:
        if any(t in CODE_TAGS for t in p.tags):
            tag = next(t for t in p.tags if t in CODE_TAGS)
            notes.append(Note("lost", p.line, p.name, _("a {tag} passage").format(tag=tag)))
    story = [p for p in story if not any(t in CODE_TAGS for t in p.tags)]
    if not story:
        raise TweeError(1, 1, "no story passages (only StoryTitle, StoryData or code passages)")
    start = _start(data, data_line, story)
    used: set[str] = set()
    ids = {p.name: _unique(slug(p.name), used) for p in story}
    scenes: dict[str, DraftScene] = {}
    missing: dict[str, int] = {}
    for p in story:
        scenes[ids[p.name]] = _scene(p, ids, missing, notes, story_format)
    for name, line in missing.items():
        ids[name] = sid = _unique(slug(name), used)
        notes.append(
            Note(
                "todo",
                line,
                None,
                _("no passage '{name}': added an ending to write").format(name=name),
            )
        )
        scenes[sid] = {
            "kind": "ending",
            "title": name,
            "text": f"(The Twine draft links to '{name}', which it does not define: write it.)",
            "outcome": "partial",
        }
        for scene in scenes.values():  # links to it were left pointing at the name
            _retarget(scene, name, sid)
    _break_loops(scenes, ids[start], {ids[p.name]: p for p in story}, used, notes)
    return Conversion(
        _scenario(passages, source_name, start, ids, scenes, environment, region, notes), notes
    )


def _targets(scene: DraftScene) -> list[tuple[DraftScene | DraftChoice, str]]:
    """(holder, scene id) for every way out of a scene: its `next` or its choices' `next`."""
    if "next" in scene:
        return [(scene, scene["next"])]
    return [(choice, choice["next"]) for choice in scene.get("choices", [])]


def _break_loops(
    scenes: dict[str, DraftScene],
    start: str,
    passages: dict[str, Passage],
    used: set[str],
    notes: list[Note],
) -> None:
    """Send every link that returns to a scene on its own path to a placeholder ending.

    Twine stories often loop ("start again"); an exercise must end, and a loop with nothing to
    end it is an error (NTX301). The link is redirected, never removed, and noted.
    """
    on_path: set[str] = set()
    done: set[str] = set()
    stack: list[tuple[str, int]] = [(start, 0)]
    on_path.add(start)
    while stack:
        sid, index = stack[-1]
        exits = _targets(scenes[sid])
        if index == len(exits):
            stack.pop()
            on_path.discard(sid)
            done.add(sid)
            continue
        stack[-1] = (sid, index + 1)
        holder, target = exits[index]
        if target in on_path:
            title = scenes[target]["title"]
            end = _unique(f"back-to-{target}", used)
            scenes[end] = {
                "kind": "ending",
                "title": f"Back to {title}",
                "text": f"(In the Twine draft this led back to '{title}'. An exercise moves "
                "forward: write what happens here.)",
                "outcome": "partial",
            }
            holder["next"] = end
            passage = passages.get(sid)
            notes.append(
                Note(
                    "todo",
                    passage.line if passage else 0,
                    passage.name if passage else None,
                    _(
                        "the link back to '{title}' would loop forever: it leads to the "
                        "placeholder ending '{end}' instead"
                    ).format(title=title, end=end),
                )
            )
        elif target not in done:
            on_path.add(target)
            stack.append((target, 0))


def _start(data: JSONObject, data_line: int, story: list[Passage]) -> str:
    named = data.get("start")
    names = [p.name for p in story]
    if isinstance(named, str) and named:
        if named not in names:
            raise TweeError(data_line + 1, 1, f"StoryData's start passage '{named}' does not exist")
        return named
    return "Start" if "Start" in names else names[0]


def _scene(
    p: Passage, ids: dict[str, str], missing: dict[str, int], notes: list[Note], story_format: str
) -> DraftScene:
    text, links = _clean(p, notes, story_format)
    for link in links:
        if link.target not in ids:
            missing.setdefault(link.target, p.line)
    kind = _kind(p, links, notes)
    if not text:
        text = "(This passage has no text in the Twine draft: write it.)"
        notes.append(Note("todo", p.line, p.name, _("text: the passage had none; write it")))
    scene: DraftScene = {"kind": kind, "title": p.name, "text": text}
    target = lambda link: ids.get(link.target, link.target)  # noqa: E731
    if kind in ("narrative", "inject"):
        scene["next"] = target(links[0])
    elif kind == "decision":
        used: set[str] = set()
        scene["choices"] = [
            {
                "id": _unique(slug(link.text), used),
                "text": link.text or link.target,
                "next": target(link),
            }
            for link in links
        ]
        notes.append(
            Note(
                "todo",
                p.line,
                p.name,
                _("add recommended: [key actions] and each choice's enacts"),
            )
        )
    else:
        outcome = next((t for t in p.tags if t in OUTCOMES), None)
        scene["outcome"] = outcome or "partial"
        if outcome is None:
            notes.append(
                Note(
                    "todo",
                    p.line,
                    p.name,
                    _("outcome: placeholder 'partial'; set success, partial or failure"),
                )
            )
    return scene


def _retarget(scene: DraftScene, name: str, sid: str) -> None:
    if scene.get("next") == name:
        scene["next"] = sid
    for choice in scene.get("choices", []):
        if choice["next"] == name:
            choice["next"] = sid


def _scenario(
    passages: list[Passage],
    source_name: str,
    start: str,
    ids: dict[str, str],
    scenes: dict[str, DraftScene],
    environment: str | None,
    region: str | None,
    notes: list[Note],
) -> DraftScenario:
    title_passage = next((p for p in passages if p.name == "StoryTitle"), None)
    title = " ".join(" ".join(title_passage.body).split()) if title_passage else ""
    if not title:
        title = source_name.rsplit(".", 1)[0]
    todo = [
        _("summary: one paragraph for the library screen"),
        _("manifestations, watch_points, good_practices: placeholders (alliances, economic, GP13)"),
    ]
    if region is None:
        todo.append(_("region: placeholder; where the exercise is set"))
    if environment is None:
        todo.append(_("environment: placeholder 'transitional'"))
    notes[:0] = [Note("todo", 0, None, item) for item in todo]
    return {
        "format": "nexus-ttx/1",
        "id": slug(title),
        "title": title,
        "summary": f"Imported from the Twine draft {source_name}: write one paragraph on who "
        "the participants are, what is happening and what they must decide.",
        "language": "en",
        "version": "0.1",
        "region": region or "Write the region",
        "environment": environment or "transitional",
        "manifestations": ["alliances"],
        "watch_points": ["economic"],
        "good_practices": ["GP13"],
        "start": ids[start],
        "scenes": scenes,
    }


class _Dumper(yaml.SafeDumper):
    """Multi-line texts as `|` blocks, as an author would write them."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def render(conversion: Conversion, source_name: str, schema_ref: str) -> str:
    """The scenario file: modeline, the notes as comments, then the YAML."""
    head = [
        f"# yaml-language-server: $schema={schema_ref}",
        f"# Imported from {source_name} by nexus-ttx import.",
    ]
    if conversion.notes:
        head.append("# To do before a workshop (then run nexus-ttx validate --strict):")
        head.extend(f"#   - {note_text(n)}" for n in sorted_notes(conversion.notes))
    body = yaml.dump(
        conversion.scenario, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100
    )
    return "\n".join(head) + "\n" + body


def sorted_notes(notes: list[Note]) -> list[Note]:
    return sorted(notes, key=lambda n: (n.line, n.severity != "lost"))


def note_text(note: Note) -> str:
    if note.passage:
        where = _("line {line}, passage '{passage}': ").format(line=note.line, passage=note.passage)
    else:
        where = _("line {line}: ").format(line=note.line) if note.line else ""
    label = _("not converted: ") if note.severity == "lost" else _("to do: ")
    return f"{label}{where}{note.message}"
