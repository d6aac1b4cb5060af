"""A facilitated Sahel session played in French by three tables: every decision, a tie-break,
two overrides with reasons, a timer expiry, observations, feedback and an improvement plan.

The French commands, reports and pages are checked against it (tests/test_french_sweep.py).
"""

from __future__ import annotations

from pathlib import Path

from engine.check.validate import load_scenario
from engine.core import i18n
from engine.exercise.exercise import Exercise
from engine.store.sqlite import Store

ROOT = Path(__file__).resolve().parents[2]
SAHEL = ROOT / "scenarios" / "sahel-gold-and-fuel.yaml"
TEAMS = ("Table 1 (N'Djamena)", "Table 2 (Niamey)", "Table 3 (Bamako)")
BEST = {
    "d1-picture": "joint-mapping",
    "d2-customs": "integrity-review",
    "d3-border": "joint-cell",
    "d4-money": "joint-finance-cell",
    "d5-community": "intermediaries",
    "d6-livelihoods": "joint-assessment",
    "d7-donors": "coordination-table",
    "d8-operation": "coordinated-operation",
}
OVERRIDES = {
    2: "Le protocole du ministère tranche : on suit l'avis du parquet.",
    5: "La sécurité des orpailleurs prime.",
}


def _decide(ex: Exercise, scenario: object, n: int) -> None:
    """The three tables vote (a rotating pattern of agreement and splits); the room moves."""
    ids = [c.id for c in ex.offered]
    best = BEST.get(ex.scene.id, ids[0])
    other = [i for i in ids if i != best]
    picks = [(best, best, other[0]), (other[0], best, other[1]), (best, other[1], best)][n % 3]
    for team, choice in zip(TEAMS, picks, strict=True):
        ex.record_choice(team, choice)
    if n == 3:
        ex.timer_expired(300)
    if n in OVERRIDES:
        ex.follow(best, override=True, reason=OVERRIDES[n])
    elif len(ex.session.leaders(scenario)) > 1:
        ex.follow(best, reason="Égalité : l'animation retient l'option du groupe de travail.")
    else:
        ex.follow()


def _write_up(ex: Exercise) -> None:
    t1, t2, t3 = TEAMS
    ex.add_observation(
        "La table 1 a désigné l'officier de liaison de la CRF dès les premières minutes.",
        team=t1, objective="shared-picture", practice="GP3", rating="P", by="Évaluatrice A",
    )  # fmt: skip
    ex.add_observation(
        "Aucune table n'a demandé leur point de vue aux orpailleurs eux-mêmes.",
        objective="corridor", practice="GP13", rating="M", by="Évaluateur B",
    )  # fmt: skip
    ex.add_observation(
        "La table 2 voulait saisir avant toute enquête financière.",
        team=t2, practice="GP21", rating="U", by="Évaluatrice A",
    )  # fmt: skip
    ex.give_feedback(
        {"shared-picture": 4, "corridor": 3, "follow-the-gold": 4, "livelihoods": 5},
        "Les injects étaient réalistes.", "Plus de temps pour la décision financière.", team=t1,
    )  # fmt: skip
    ex.give_feedback({"shared-picture": 5, "corridor": 2}, "Des tables mixtes, utile.", team=t2)
    ex.give_feedback({"follow-the-gold": 3}, change="Une carte du corridor.", team=t3)
    ex.add_plan_item(
        "Pas de canal permanent entre la CRF et la police des frontières.",
        action="Signer un protocole d'échange de données et nommer des officiers de liaison.",
        practice="GP21", objective="follow-the-gold", organisation="Ministère de l'Intérieur",
        contact="Directeur, CRF", start="2026-01-15", completion="2026-06-30",
    )  # fmt: skip
    ex.add_plan_item(
        "Les communautés du corridor ne sont pas consultées.",
        action="Dialogue trimestriel avec les chefs traditionnels et les associations de femmes.",
        practice="GP13", objective="corridor", organisation="Gouvernorat de Gao",
        contact="Chargé de liaison communautaire", start="2026-02-01", completion="2026-12-31",
    )  # fmt: skip


def play(db: Path) -> str:
    """Play the whole session into the SQLite store `db`, started in French; its id."""
    i18n.set_language("fr")
    try:
        scenario = load_scenario(SAHEL, "fr")
        with Store(db) as store:
            ex = Exercise.start(
                store, scenario, mode="facilitated", teams=TEAMS, scenario_path=str(SAHEL),
                options={"name": "Atelier TTX Sahel 2026"}, label="Formation N'Djamena",
            )  # fmt: skip
            n = 0
            while not ex.is_over:
                if ex.scene.kind in ("narrative", "inject"):
                    ex.acknowledge()
                    continue
                n += 1
                _decide(ex, scenario, n)
            _write_up(ex)
            return ex.session_id
    finally:
        i18n.set_language("en")
