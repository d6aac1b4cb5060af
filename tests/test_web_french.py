"""The participant pages and the API's messages speak the session's language (`serve --lang`
here): the join page, the play page, a refusal; ids and JSON keys stay as they are."""

from __future__ import annotations

import json

from tests.live_server import harbour_file, serve, start_session


def test_the_pages_and_refusals_are_in_french(tmp_path) -> None:
    db = tmp_path / "s.sqlite3"
    session_id = start_session(db, harbour_file(tmp_path))
    server = serve(db, session_id, "--lang", "fr")
    try:
        status, _head, join = server.request("GET", "/", origin=None)
        assert status == 200
        assert '<html lang="fr">' in join
        assert "Rejoindre l'exercice" in join and "Code de connexion" in join
        assert "Join the exercise" not in join
        refused, _, text = server.request(
            "POST", "/api/join", {"code": "ZZZZZZ", "name": "Ana", "team": "A"}
        )
        assert refused == 403
        assert json.loads(text) == {"error": "Ce code de connexion n'est pas celui de la séance."}
        _pid, token = server.join("Ana", "A")
        status, _, page = server.request("GET", "/", token=token, origin=None)
        assert status == 200
        assert "Actualiser" in page and "Refresh" not in page
    finally:
        server.kill()
