"""Cost of authentication per request: JWT and X-API-KEY against an anonymous baseline, same app, same run.

Targets (ours): authenticating costs one SELECT (session + user + roles + permissions, or key + creator in one
joined query) and an authenticated `/crm/auth/me` stays within 10x the latency of the anonymous health check
(one SELECT, no serialisation). Revocation is checked on every request, so the lookup cannot be cached away.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from benchmarks.common import Report, latency_summary, time_calls

REPEAT = 300


def run() -> Report:
    from omnicrm.app import create_app
    from omnicrm.auth import passwords
    from omnicrm.auth.demo import ensure_admin
    from omnicrm.core.config import PROJECT_ROOT, load_settings
    from omnicrm.core.migrate import upgrade

    report = Report("auth")
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        upgrade(url)
        settings = load_settings(PROJECT_ROOT / "crm_config.yaml", env={}, overrides={
            "environment": "test", "database_url": url, "jwt_secret": "bench-" + "s" * 40,
            "encryption_key": "bench-" + "e" * 40, "logging": {"json": False, "level": "ERROR"},
            "jobs": {"embedded_worker": False}})
        app = create_app(settings, configure_logs=False)
        passwords.BCRYPT_ROUNDS = 4
        with app.app_context(), app.extensions["omnicrm"].db.transaction() as session:
            ensure_admin(session, email="bench@example.com", password="Bench-passw0rd!")
        client = app.test_client()
        token = client.post("/crm/auth/login", json={"email": "bench@example.com",
                                                     "password": "Bench-passw0rd!"}).json["token"]
        jwt = {"Authorization": f"Bearer {token}"}
        key = client.post("/crm/api-keys", headers=jwt, json={"name": "bench", "permissions": ["admin"]}).json
        api_key = {"X-API-KEY": key["api_key"]}

        def call(path: str, headers: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
            return lambda: client.get(path, headers=headers or {})

        selects = _select_counter(app.extensions["omnicrm"].db.engine)
        for label, headers in (("JWT", jwt), ("X-API-KEY", api_key)):
            call("/crm/auth/me", headers)()  # warm (the first key use stamps last_used)
            selects.clear()
            call("/crm/auth/me", headers)()
            report.add(f"{label} SELECTs per request", len(selects))
            report.target(f"{label} authentication is a single SELECT", len(selects) == 1)

        baseline = latency_summary(time_calls(call("/crm/health"), REPEAT))
        with_jwt = latency_summary(time_calls(call("/crm/auth/me", jwt), REPEAT))
        with_key = latency_summary(time_calls(call("/crm/auth/me", api_key), REPEAT))
    report.add("anonymous /crm/health", baseline)
    report.add("JWT /crm/auth/me", with_jwt)
    report.add("X-API-KEY /crm/auth/me", with_key)
    for label, summary in (("JWT", with_jwt), ("X-API-KEY", with_key)):
        ratio = summary["p50_ms"] / baseline["p50_ms"]
        report.add(f"{label} p50 / baseline p50", round(ratio, 2))
        report.target(f"{label} authenticated /crm/auth/me p50 <= 10x anonymous baseline", ratio <= 10.0)
    report.notes.append("SQLite file database, Flask test client, one process; bcrypt is never on this path")
    return report


def _select_counter(engine):  # type: ignore[no-untyped-def]
    from sqlalchemy import event

    seen: list[str] = []

    def record(conn, cursor, statement, *_):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    return seen
