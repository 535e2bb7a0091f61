"""Serve the built single-page app; unknown non-API paths fall back to index.html."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, Response, request, send_from_directory
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from omnicrm.core.errors import NotFound, error_response

API_PREFIXES = ("crm/", "auth/", "2fa/", "api/", "utilities/", "oam/")
# Paths a reverse proxy serves in front of us (Grafana dashboards embedded by the UI); without the proxy they
# must answer 404, not the SPA, or the UI's Grafana frame would load the UI inside itself.
PROXIED_PREFIXES = ("grafana/",)


def register_spa(app: Flask, dist: Path) -> None:
    def spa_index() -> Response:
        return _index(dist)

    def spa_asset(path: str) -> Response:
        if path.startswith(API_PREFIXES):
            raise NotFound(f"No API route /{path}")
        if path.startswith(PROXIED_PREFIXES):
            raise NotFound(f"/{path} is served by the reverse proxy, which is not in front of this server")
        candidate = dist / path
        if candidate.is_file() and dist.resolve() in candidate.resolve().parents:
            return send_from_directory(dist, path)
        return _index(dist)

    app.add_url_rule("/", "spa_index", spa_index)
    app.add_url_rule("/<path:path>", "spa_asset", spa_asset)

    @app.errorhandler(MethodNotAllowed)
    def _unknown_path_is_404(exc: MethodNotAllowed) -> Response:
        # A POST to an unknown path only "matches" the SPA fallback (GET); that is a 404, not a 405.
        try:
            endpoint, _ = app.url_map.bind("").match(request.path, method="GET")
        except HTTPException:
            endpoint = None
        if endpoint == "spa_asset":
            return error_response(404, "not_found", f"No API route {request.path}")
        return error_response(405, "method_not_allowed", "The method is not allowed for the requested URL.",
                              headers={"Allow": ", ".join(sorted(exc.valid_methods or []))})


def _index(dist: Path) -> Response:
    index = dist / "index.html"
    if not index.is_file():
        return Response(
            "<!doctype html><title>OmniCRM</title><h1>OmniCRM API</h1>"
            "<p>The web UI has not been built yet. API documentation: <a href='/crm/docs/'>/crm/docs/</a></p>",
            mimetype="text/html",
        )
    response = send_from_directory(dist, "index.html")
    response.headers["Cache-Control"] = "no-cache"
    return response
