"""Shared fixtures.

Every test runs against SQLite by default and against a real MariaDB server with `--db=mariadb`
(`make test` runs both). The schema is made by the Alembic migrations once per session; each test runs inside
an outer transaction that is rolled back afterwards, with the application's sessions joined to it through
SAVEPOINTs, so a test sees exactly what its requests committed and nothing leaks into the next test.
Tests that need real commits across connections (workers, concurrency) use `committed_db` instead.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Connection, text

from omnicrm.app import app_state, create_app
from omnicrm.auth import passwords
from omnicrm.core.config import PROJECT_ROOT, Settings, load_settings
from omnicrm.core.db import Database
from omnicrm.core.migrate import upgrade
from omnicrm.core.ratelimit import limiter

TEST_JWT_SECRET = "test-jwt-secret-" + "x" * 40

pytest_plugins = ["tests.fakes.plugin"]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--db", default=os.environ.get("OMNICRM_TEST_DB", "sqlite"), choices=["sqlite", "mariadb"],
                     help="database backend for the test session")


def pytest_configure(config: pytest.Config) -> None:
    passwords.BCRYPT_ROUNDS = 4


DATABASE_FIXTURES = {"database_url", "new_database_url", "settings", "session_app", "connection", "app", "client",
                     "db", "session", "identities", "admin_headers", "committed_db", "mariadb_server"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--db") == "mariadb":
        # The MariaDB pass re-runs only what touches a database; the rest already ran in the SQLite pass.
        skip_db_free = pytest.mark.skip(reason="does not use a database (ran in the SQLite pass)")
        for item in items:
            if not DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())):
                item.add_marker(skip_db_free)
        return
    skip = pytest.mark.skip(reason="needs --db=mariadb")
    for item in items:
        if "mariadb" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def backend(pytestconfig: pytest.Config) -> str:
    return str(pytestconfig.getoption("--db"))


@pytest.fixture(scope="session")
def mariadb_server(backend: str) -> Iterator[Any]:
    if backend != "mariadb":
        pytest.skip("needs --db=mariadb")
    from tests.support.mariadb import running_mariadb

    with running_mariadb() as server:
        yield server


@pytest.fixture(scope="session")
def new_database_url(backend: str, tmp_path_factory: pytest.TempPathFactory,
                     request: pytest.FixtureRequest) -> Callable[[str], str]:
    """Make an empty database of the session's backend and return its URL."""

    def make(name: str) -> str:
        if backend == "mariadb":
            server = request.getfixturevalue("mariadb_server")
            return str(server.create_database(name))
        path: Path = tmp_path_factory.mktemp("db") / f"{name}.db"
        return f"sqlite:///{path}"

    return make


@pytest.fixture(scope="session")
def database_url(new_database_url: Callable[[str], str]) -> str:
    url = new_database_url("omnicrm_test")
    upgrade(url)
    return url


def make_settings(database_url: str, **overrides: Any) -> Settings:
    base: dict[str, Any] = {
        "environment": "test",
        "jwt_secret": TEST_JWT_SECRET,
        "encryption_key": "test-encryption-key-" + "y" * 20,
        "database_url": database_url,
        "jobs": {"embedded_worker": False, "heartbeat_seconds": 0.2, "stale_after_seconds": 2,
                 "poll_interval_seconds": 0.05},
        "logging": {"json": False, "level": "WARNING"},
    }
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            base[key] = {**base[key], **value}
        else:
            base[key] = value
    return load_settings(PROJECT_ROOT / "crm_config.yaml", env={}, overrides=base)


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    return make_settings(database_url)


@pytest.fixture(scope="session")
def session_app(settings: Settings) -> Flask:
    app = create_app(settings, configure_logs=False)
    app.testing = True
    return app


@pytest.fixture
def connection(session_app: Flask) -> Iterator[Connection]:
    """One connection with an outer transaction that the test's writes never escape."""
    state = app_state(session_app)
    conn = state.db.engine.connect()
    outer = conn.begin()
    original_factory = state.db.session_factory
    state.db.bind_to(conn, join_transaction_mode="create_savepoint")
    try:
        yield conn
    finally:
        state.db.session_factory = original_factory
        if outer.is_active:
            outer.rollback()
        conn.close()


@pytest.fixture
def app(session_app: Flask, connection: Connection) -> Iterator[Flask]:
    limiter.reset()
    state = app_state(session_app)
    saved_services = dict(state.services)
    yield session_app
    state.services.clear()
    state.services.update(saved_services)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def db(app: Flask) -> Database:
    return app_state(app).db


@pytest.fixture
def session(db: Database) -> Iterator[Any]:
    """A session inside the test's transaction, for arranging data and checking results."""
    s = db.session()
    yield s
    s.close()


# --------------------------------------------------------------------------------------------------
# Identities


class Identities:
    """Creates users with exactly the permissions a test needs and hands out their auth headers."""

    def __init__(self, app: Flask):
        self.app = app
        self.db = app_state(app).db
        self.settings = app_state(app).settings

    def user(self, *, permissions: list[str] | None = None, roles: list[str] | None = None,
             email: str | None = None, password: str = "Passw0rd!", **fields: Any) -> Any:
        from omnicrm.auth import service
        from omnicrm.auth.models import Permission, Role

        with self.db.transaction() as session:
            role_names = list(roles or [])
            if permissions is not None:
                role = Role(name=f"test-role-{secrets.token_hex(4)}")
                role.permissions = [self._permission(session, Permission, name) for name in permissions]
                session.add(role)
                session.flush()
                role_names.append(role.name)
            user = service.create_user(session, email=email or f"u{secrets.token_hex(4)}@example.com",
                                       password=password, roles=role_names, **fields)
            user_id = user.id
        return user_id

    @staticmethod
    def _permission(session: Any, model: Any, name: str) -> Any:
        from sqlalchemy import select

        existing = session.scalar(select(model).where(model.name == name))
        if existing is None:
            existing = model(name=name)
            session.add(existing)
            session.flush()
        return existing

    def headers_for(self, user_id: int) -> dict[str, str]:
        from omnicrm.auth import service
        from omnicrm.auth.models import User

        with self.db.transaction() as session:
            user = session.get(User, user_id)
            issued = service.start_session(session, self.settings, user)
        return {"Authorization": f"Bearer {issued.access_token}"}

    def headers(self, *permissions: str, **kwargs: Any) -> dict[str, str]:
        return self.headers_for(self.user(permissions=list(permissions), **kwargs))

    def admin(self) -> dict[str, str]:
        return self.headers_for(self.user(roles=["Admin"]))


@pytest.fixture
def identities(app: Flask) -> Identities:
    return Identities(app)


@pytest.fixture
def admin_headers(identities: Identities) -> dict[str, str]:
    return identities.admin()


# --------------------------------------------------------------------------------------------------
# Committed databases (for tests that need several real connections)


@pytest.fixture
def committed_db(new_database_url: Callable[[str], str], request: pytest.FixtureRequest) -> Iterator[Database]:
    name = f"omnicrm_c_{secrets.token_hex(4)}"
    url = new_database_url(name)
    upgrade(url)
    database = Database.from_url(url, pool_size=20, max_overflow=20)
    yield database
    database.engine.dispose()


def count_rows(session: Any, table: str) -> int:
    return int(session.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one())
