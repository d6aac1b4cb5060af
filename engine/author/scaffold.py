"""Scaffold a new scenario: the smallest file that validates and shows every part of the format.

Pure text generation; the `new` command does the I/O. The skeleton trains GP13 (dialogue with
communities) and GP21 (financial investigation) so that scoring, feedback, a harmful option and a
condition are all there to copy from.
"""

from __future__ import annotations

import re

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
ENVIRONMENTS = ("politically-stable", "transitional", "post-conflict")


def _yaml_string(text: str) -> str:
    """A double-quoted YAML scalar that survives any characters an author types."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def title_from_id(scenario_id: str) -> str:
    return " ".join(part.capitalize() for part in scenario_id.split("-"))


# The new scenario, for str.format (so literal braces are doubled).
_TEMPLATE = """\
# yaml-language-server: $schema={schema_ref}
# A new nexus-ttx scenario. Check it as you write:
#   nexus-ttx validate --strict {scenario_id}.yaml
#   nexus-ttx analyze {scenario_id}.yaml
#   nexus-ttx run {scenario_id}.yaml --choices dialogue
format: nexus-ttx/1
id: {scenario_id}
title: {title}
summary: >-
  One paragraph for the library screen: who the participants are, what is happening,
  and what they must decide.
language: en
version: "0.1"
authors: [Your Name]
region: {region_text}
environment: {environment}
manifestations: [alliances]
watch_points: [economic]
good_practices: [GP13, GP21]
audience: [police, prosecutors, civil society]
duration_minutes: 60
variables:
  trust: {{label: Community trust, initial: 50, min: 0, max: 100}}
start: briefing
scenes:
  briefing:
    kind: narrative
    title: Briefing
    text: |
      Describe the situation the participants walk into: the place, the trade, the groups
      involved, and what has just happened. Write in Markdown.
    watch_points: [economic.1]
    next: first-decision

  first-decision:
    kind: decision
    title: The first decision
    text: |
      Set out the dilemma. Participants see this text and the choices only.
    discussion:
      - Which watch points do you see in this situation?
    recommended: [GP13.S1, GP21.S4]
    choices:
      # Put the best choice at varied positions and write every option with the same care and
      # similar length: a score that "always the first" or "always the longest" wins measures
      # nothing (validate warns: NTX310-NTX312). Sessions show the choices shuffled.
      - id: sweep
        text: Order a mass arrest sweep of the market tonight and question everyone you hold there.
        harmful: true
        feedback: >-
          Indiscriminate arrests break the 'do no harm' principle and destroy the trust the
          toolkit asks you to build with communities (GP13).
        effects: {{trust: -40}}
        # `next` can also be a list of branches, the first whose `if` holds taken:
        #   next: [{{if: "trust < 30", goto: unrest}}, {{goto: cooperation}}]
        # Branch on what earlier decisions changed: here trust is always 10 after the sweep,
        # so that list would always go to unrest (validate warns: NTX320, branch never taken).
        next: unrest
      - id: dialogue
        text: Open a dialogue with community representatives and set up an inter-agency task force.
        enacts: [GP13.S1, GP21.S4]
        feedback: >-
          Trusted representatives open a channel to the community (GP13, step 1), and a
          task force lets the FIU and prosecutors share what they hold (GP21, step 4).
        effects: {{trust: 10}}
        next: cooperation

  cooperation:
    kind: ending
    title: Cooperation holds
    text: The community keeps talking to you, and the investigation has what it needs.
    outcome: success

  unrest:
    kind: ending
    title: Unrest
    text: The sweep turns the market against the authorities; information dries up.
    outcome: failure
"""


def scaffold(scenario_id: str, environment: str, region: str, schema_ref: str) -> str:
    """Return the YAML text of a new scenario (validated by the tests as written)."""
    if not SLUG.match(scenario_id):
        raise ValueError(
            f"'{scenario_id}' is not a valid scenario id: use lower-case letters, digits and "
            "single hyphens, e.g. coastal-fuel-smuggling"
        )
    if environment not in ENVIRONMENTS:
        raise ValueError(f"unknown environment '{environment}': one of {', '.join(ENVIRONMENTS)}")
    title = _yaml_string(title_from_id(scenario_id))
    region_text = _yaml_string(region)
    return _TEMPLATE.format(
        schema_ref=schema_ref,
        scenario_id=scenario_id,
        title=title,
        region_text=region_text,
        environment=environment,
    )
