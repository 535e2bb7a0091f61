"""Serving the built UI: files, client-route fallback to index.html, API and proxied paths untouched."""

from pathlib import Path

import pytest
from flask import Flask

from omnicrm.core.errors import register_error_handlers
from omnicrm.utilities.spa import register_spa


@pytest.fixture
def spa_client(tmp_path: Path):
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><div id=root></div>")
    (dist / "assets" / "app.js").write_text("console.log(1)")
    (tmp_path / "secret.txt").write_text("outside dist")
    app = Flask("spa-test")
    register_error_handlers(app)
    register_spa(app, dist)
    return app.test_client()


def test_client_routes_fall_back_to_index_html_without_caching(spa_client):
    for path in ("/", "/customers", "/reset-password/abc123", "/self-care/profile"):
        response = spa_client.get(path)
        assert response.status_code == 200, path
        assert b'<div id=root>' in response.data
        assert response.headers["Cache-Control"] == "no-cache"


def test_built_files_are_served_and_nothing_outside_dist(spa_client):
    assert spa_client.get("/assets/app.js").data == b"console.log(1)"
    assert b"outside dist" not in spa_client.get("/../secret.txt").data


@pytest.mark.parametrize("path", ["/crm/no-such-route", "/auth/nothing", "/utilities/x", "/grafana/d/abc123"])
def test_api_and_proxied_paths_answer_json_404_not_the_app(spa_client, path):
    response = spa_client.get(path)
    assert response.status_code == 404
    assert response.get_json()["code"] == "not_found"
