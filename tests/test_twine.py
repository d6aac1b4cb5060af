"""`nexus-ttx import STORY.twee`: Twee 3 drafts (SugarCube and Harlowe) as scenario skeletons."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from engine.author.twine import Link, TweeError, convert, parse_link, parse_twee, render
from engine.check.validate import validate_file

TWINE = Path(__file__).resolve().parent / "fixtures" / "twine"


def _convert(name: str):
    return convert(parse_twee((TWINE / name).read_text(encoding="utf-8")), name)


def test_a_sugarcube_story_becomes_scenes_choices_and_endings() -> None:
    result = _convert("sugarcube.twee")
    doc = result.scenario
    assert doc["title"] == "Harbour Fuel Run" and doc["id"] == "harbour-fuel-run"
    assert doc["start"] == "briefing"  # StoryData's start, not the first passage
    scenes = doc["scenes"]
    assert scenes["briefing"] == {
        "kind": "narrative",
        "title": "Briefing",
        "text": "Fuel is being smuggled through the harbour at night.",
        "next": "the-call",
    }
    call = scenes["the-call"]
    assert call["kind"] == "decision"
    assert [(c["id"], c["text"], c["next"]) for c in call["choices"]] == [
        ("raid-the-tanker-now", "Raid the tanker now", "raid"),  # [[text|Target]]
        ("ask-the-financial-unit-first", "Ask the financial unit first", "follow-the-money"),
        ("wait", "Wait", "wait"),  # [[Target]]
    ]
    assert scenes["raid"]["outcome"] == "failure" and scenes["raid"]["kind"] == "ending"
    assert scenes["follow-the-money"]["outcome"] == "success"
    assert "StoryInit" not in str(scenes) and "storyinit" not in scenes


def test_what_cannot_be_converted_is_listed_with_passage_and_line() -> None:
    lost = {
        (n.line, n.passage, n.message)
        for n in _convert("sugarcube.twee").notes
        if n.severity == "lost"
    }
    assert lost == {
        (17, "Briefing", "SugarCube macro '<<set $trust to 50>>'"),
        (23, "The call", "variable '$trust'"),
        (34, "Follow the money", "HTML '<b>'"),
        (34, "Follow the money", "HTML '</b>'"),
        (35, "Follow the money", "variable '$trust'"),  # (if: ...) is prose in SugarCube
        (43, "StoryInit", "a script passage"),
    }
    text = (TWINE / "sugarcube.twee").read_text(encoding="utf-8").splitlines()
    assert "<<set $trust to 50>>" in text[17 - 1] and "$trust" in text[23 - 1]


def test_a_loop_back_is_redirected_to_a_placeholder_ending_and_noted() -> None:
    result = _convert("sugarcube.twee")
    wait = result.scenario["scenes"]["wait"]
    assert wait["next"] == "back-to-briefing"
    assert result.scenario["scenes"]["back-to-briefing"]["kind"] == "ending"
    assert any("loop forever" in n.message and n.passage == "Wait" for n in result.notes)


def test_a_harlowe_story_with_escaped_names_tags_and_macros() -> None:
    result = _convert("harlowe.twee")
    scenes = result.scenario["scenes"]
    assert result.scenario["start"] == "checkpoint-night"
    assert scenes["checkpoint-night"]["title"] == "Checkpoint [night]"
    assert scenes["checkpoint-night"]["kind"] == "decision"
    assert scenes["inspection"]["kind"] == "inject"  # the tag names a kind
    assert scenes["seize-the-cargo"]["outcome"] == "success"  # a tag names the outcome
    assert scenes["supervisor"]["outcome"] == "partial"  # placeholder, noted
    lost = [n.message for n in result.notes if n.severity == "lost"]
    assert 'Harlowe macro \'(link-goto: "Call your supervisor", "Supervisor")\'' in lost
    assert "HTML '<div class=\"note\">'" in lost
    todo = [n.message for n in result.notes if n.severity == "todo"]
    assert any("recommended" in t and "enacts" in t for t in todo)
    assert any(t.startswith("outcome:") for t in todo)


def test_parentheses_are_prose_outside_harlowe() -> None:
    story = ':: StoryData\n{"format": "SugarCube", "start": "A"}\n\n:: A\nThe port (see: map) is busy.\n'
    (note,) = [n for n in convert(parse_twee(story), "x.twee").notes if n.severity == "lost"] or [
        None
    ]
    assert note is None
    assert convert(parse_twee(story), "x.twee").scenario["scenes"]["a"]["text"] == (
        "The port (see: map) is busy."
    )


@pytest.mark.parametrize("name", ["sugarcube.twee", "harlowe.twee"])
def test_the_import_validates_and_lists_what_to_add(cli, tmp_path: Path, name: str) -> None:
    result = cli("import", str(TWINE / name), "--output", "drafts/story.yaml")
    assert result.returncode == 0, result.stdout + result.stderr
    written = tmp_path / "drafts" / "story.yaml"
    assert [d for d in validate_file(written).diagnostics if d.severity == "error"] == []
    assert "validates (0 errors" in result.stdout
    assert "to do: line" in result.stdout and "not converted: line" in result.stdout
    text = written.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=.nexus-ttx/scenario.schema.json\n")
    assert (tmp_path / "drafts" / ".nexus-ttx" / "scenario.schema.json").is_file()
    assert "#   - not converted: line" in text  # the list travels with the file

    again = cli("import", str(TWINE / name), "--output", "drafts/story.yaml")
    assert again.returncode == 1 and "already exists" in again.stderr
    assert (
        cli("import", str(TWINE / name), "--output", "drafts/story.yaml", "--force").returncode == 0
    )


BAD = {
    "text before a header": ("Hello\n:: Start\nx\n", 1, 1, "before the first passage"),
    "no name": ("::   \nx\n", 1, 1, "needs a name"),
    "duplicate": (":: A\nx\n:: B\ny\n:: A\nz\n", 5, 4, "defined twice (first on line 1)"),
    "bad metadata": (':: A {"position": 1,}\nx\n', 1, 21, "metadata is not JSON"),
    "bad story data": (
        ':: StoryData\n{"start": "A",\n  oops}\n:: A\nx\n',
        3,
        3,
        "StoryData is not JSON",
    ),
    "unknown start": (
        ':: StoryData\n{"start": "Nowhere"}\n:: A\nx\n',
        2,
        1,
        "'Nowhere' does not exist",
    ),
    "no passages": ("\n\n", 1, 1, "no passages"),
    "only specials": (":: StoryTitle\nT\n", 1, 1, "no story passages"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_twee_is_located(name: str) -> None:
    text, line, column, words = BAD[name]
    with pytest.raises(TweeError) as caught:
        convert(parse_twee(text), "bad.twee")
    assert (caught.value.line, caught.value.column) == (line, column), caught.value.message
    assert words in caught.value.message


def test_bad_twee_exits_1_with_file_line_column(cli, tmp_path: Path) -> None:
    (tmp_path / "bad.twee").write_text(":: A\nx\n:: A\ny\n", encoding="utf-8")
    result = cli("import", "bad.twee")
    assert result.returncode == 1
    assert result.stderr.startswith("bad.twee:3:4: error: passage 'A' is defined twice")
    assert "Traceback" not in result.stderr and not list(tmp_path.glob("*.yaml"))
    (tmp_path / "latin1.twee").write_bytes(b":: A\ncaf\xe9\n")
    result = cli("import", "latin1.twee")
    assert result.returncode == 1 and result.stderr.startswith("latin1.twee:2:4: error: not UTF-8")
    missing = cli("import", "nowhere.twee")
    assert missing.returncode == 1 and "nowhere.twee" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_a_link_to_a_missing_passage_gets_an_ending_to_write() -> None:
    result = convert(parse_twee(":: Start\nGo.\n[[On->Later]]\n"), "x.twee")
    assert result.scenario["scenes"]["start"]["next"] == "later"
    assert result.scenario["scenes"]["later"]["kind"] == "ending"
    assert any("no passage 'Later'" in n.message for n in result.notes)


def test_the_rendered_file_is_the_scenario() -> None:
    result = _convert("harlowe.twee")
    text = render(result, "harlowe.twee", ".nexus-ttx/scenario.schema.json")
    assert yaml.safe_load(text) == result.scenario


# -- the link parser --------------------------------------------------------------------------

plain = st.text(
    alphabet=st.characters(blacklist_characters="|<->[]\n\r", blacklist_categories=("Cs",)),
    min_size=1,
    max_size=20,
)


@given(plain, plain)
def test_every_link_form_gives_its_text_and_target(text: str, target: str) -> None:
    assert parse_link(f"{text}->{target}") == Link(text, target)
    assert parse_link(f"{target}<-{text}") == Link(text, target)
    assert parse_link(f"{text}|{target}") == Link(text, target)
    assert parse_link(target) == Link(target, target)


@given(plain, plain)
def test_links_in_a_passage_become_choices_in_order(first: str, second: str) -> None:
    first, second = first.strip() or "a", second.strip() or "b"
    story = f":: Start\nChoose.\n[[{first}->One]]\n[[Two<-{second}]]\n:: One\nx\n:: Two\ny\n"
    choices = convert(parse_twee(story), "x.twee").scenario["scenes"]["start"]["choices"]
    assert [(c["text"], c["next"]) for c in choices] == [(first, "one"), (second, "two")]
    assert len({c["id"] for c in choices}) == 2
