"""The `omnicrm` command for operators."""

from __future__ import annotations

import json
import signal
import sys
from typing import Any

import click

from omnicrm.core.config import ConfigError, Settings, load_settings


def _settings() -> Settings:
    try:
        return load_settings()
    except ConfigError as exc:
        click.echo(f"omnicrm: configuration error: {exc}", err=True)
        sys.exit(2)


def _is_sqlite(settings: Settings) -> bool:
    return settings.sqlalchemy_url.startswith("sqlite")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """OmniCRM: BSS/OSS and CRM for telecom operators and ISPs."""


@main.command()
def migrate() -> None:
    """Bring the database schema up to date (Alembic)."""
    from omnicrm.core.migrate import upgrade

    settings = _settings()
    upgrade(settings.sqlalchemy_url)
    click.echo("database is up to date")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--no-worker", is_flag=True, help="Do not run the embedded job worker and scheduler.")
def serve(host: str, port: int, no_worker: bool) -> None:
    """Serve the API and UI (embedded mode: also runs a job worker thread and the scheduler)."""
    from werkzeug.serving import run_simple

    from omnicrm.app import app_state, create_app
    from omnicrm.core.migrate import upgrade
    from omnicrm.simulators import start_simulators

    settings = _settings()
    if _is_sqlite(settings):
        upgrade(settings.sqlalchemy_url)
    app = create_app(settings)
    for simulator in start_simulators(settings):
        click.echo(f"  simulator: {simulator.name} on {simulator.host}:{simulator.port} (demo only, not a real system)")
    if settings.jobs.embedded_worker and not no_worker:
        _start_embedded_worker(app, app_state(app))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # so atexit stops the simulators
    click.echo(f"OmniCRM serving on http://{host}:{port}  (API docs: http://{host}:{port}/crm/docs/)")
    run_simple(host, port, app, threaded=True, use_reloader=False, use_debugger=False)


def _start_embedded_worker(app: Any, state: Any) -> None:
    from omnicrm.core.jobs import Worker

    jobs = state.settings.jobs
    Worker(state.db, settings=state.settings, app=app, poll_interval=jobs.poll_interval_seconds,
           heartbeat_seconds=jobs.heartbeat_seconds, stale_after_seconds=jobs.stale_after_seconds).start_thread()


@main.command()
@click.option("--once", is_flag=True, help="Run the jobs that are due, then exit.")
def worker(once: bool) -> None:
    """Run a job worker (provisioning, e-mail, PDFs, periodic tasks). Start as many as you need."""
    from omnicrm.app import app_state, create_app
    from omnicrm.core.jobs import Worker

    app = create_app(_settings())
    state = app_state(app)
    jobs = state.settings.jobs
    runner = Worker(state.db, settings=state.settings, app=app, poll_interval=jobs.poll_interval_seconds,
                    heartbeat_seconds=jobs.heartbeat_seconds, stale_after_seconds=jobs.stale_after_seconds)
    if once:
        click.echo(f"ran {runner.run_until_idle()} job(s)")
        return
    signal.signal(signal.SIGTERM, lambda *_: runner.stop())
    runner.run_forever()


@main.command()
@click.option("--run", "run_jobs", is_flag=True, help="Also run the jobs that are due.")
def tick(run_jobs: bool) -> None:
    """Enqueue the periodic tasks that are due (for cron-driven deployments)."""
    from omnicrm.app import app_state, create_app
    from omnicrm.core.jobs import Worker, schedule_due

    app = create_app(_settings())
    state = app_state(app)
    scheduled = schedule_due(state.db)
    click.echo(f"scheduled: {', '.join(scheduled) or 'nothing due'}")
    if run_jobs:
        ran = Worker(state.db, settings=state.settings, app=app, run_scheduler=False).run_until_idle()
        click.echo(f"ran {ran} job(s)")


@main.command("create-admin")
@click.option("--email", required=True)
@click.option("--password", required=True)
@click.option("--username", default=None)
@click.option("--reset-password", is_flag=True, help="Reset the password when the user already exists.")
def create_admin(email: str, password: str, username: str | None, reset_password: bool) -> None:
    """Create an administrator (idempotent: an existing user keeps its password unless --reset-password)."""
    from omnicrm.app import app_state, create_app
    from omnicrm.auth import demo

    app = create_app(_settings())
    with app.app_context(), app_state(app).db.transaction() as session:
        created = demo.ensure_admin(session, email=email, password=password, username=username,
                                    reset_password=reset_password)
    click.echo(f"admin {'created' if created else 'already exists'}: {email}")


@main.command("seed-demo")
def seed_demo() -> None:
    """Load demo data (idempotent)."""
    from omnicrm.app import app_state, create_app
    from omnicrm.demo import seed_all

    app = create_app(_settings())
    with app.app_context():
        for line in seed_all(app_state(app).db):
            click.echo(line)


@main.command("reindex-search")
@click.argument("types", nargs=-1)
def reindex_search(types: tuple[str, ...]) -> None:
    """Rebuild the global search index: every type, or the given ones (e.g. `inventory service`).

    Needed after an upgrade that makes a new type searchable (inventory CSV imports queue their own indexing)."""
    from omnicrm.app import app_state, create_app
    from omnicrm.utilities import search

    app = create_app(_settings())
    known = {source.entity_type for source in search.sources()}
    unknown = sorted(set(types) - known)
    if unknown:
        raise click.ClickException(f"unknown search type(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    with app.app_context(), app_state(app).db.transaction() as session:
        count = search.rebuild(session, list(types) or None)
    click.echo(f"indexed {count} records")


@main.command()
def openapi() -> None:
    """Print the OpenAPI document."""
    from omnicrm.app import create_app
    from omnicrm.core.openapi import build_openapi

    try:  # the document needs no secrets, so do not insist on production ones
        settings = load_settings(overrides={"environment": "development"})
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    app = create_app(settings, configure_logs=False)
    with app.app_context():
        click.echo(json.dumps(build_openapi(app), indent=2))


if __name__ == "__main__":
    main()
