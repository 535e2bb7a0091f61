"""Database engine, sessions, the declarative Base and the shared column types."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, Engine, MetaData, Numeric, create_engine, event
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.pool import StaticPool
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Timezone-aware UTC datetimes on every backend (stored naive UTC, returned aware)."""

    impl = DateTime
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        if dialect.name in ("mysql", "mariadb"):
            from sqlalchemy.dialects.mysql import DATETIME

            return dialect.type_descriptor(DATETIME(fsp=6))
        return dialect.type_descriptor(DateTime())

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC)


class Money(TypeDecorator[Decimal]):
    """Decimal money stored as NUMERIC(18, 4); never a float."""

    impl = Numeric(18, 4, asdecimal=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if isinstance(value, float):
            raise TypeError("money must be a Decimal, not a float")
        return Decimal(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else Decimal(value)


# --------------------------------------------------------------------------------------------------
# Engine and sessions


def create_db_engine(url: str, *, pool_size: int = 10, max_overflow: int = 20, echo: bool = False) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _create_sqlite_engine(url, echo=echo)
    return create_engine(
        url,
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_pre_ping=True,
        pool_recycle=3600,
        echo=echo,
        isolation_level="READ COMMITTED",
    )


def _create_sqlite_engine(url: str, *, echo: bool) -> Engine:
    parsed = make_url(url)
    database = parsed.database or ""
    in_memory = database in ("", ":memory:")
    if not in_memory:
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        echo=echo,
        connect_args={"check_same_thread": False, "timeout": 30},
        poolclass=StaticPool if in_memory else None,
    )

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy own transactions (so SAVEPOINT works) and turn on WAL + foreign keys.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        # IMMEDIATE takes the write lock up front: SQLite cannot upgrade a read transaction to a write one
        # while another connection writes (it fails at once instead of waiting), so transactions queue here.
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def is_mysql(session_or_engine: Session | Engine) -> bool:
    bind = session_or_engine.get_bind() if isinstance(session_or_engine, Session) else session_or_engine
    return bind.dialect.name in ("mysql", "mariadb")


COMPENSATIONS = "compensations"
log = logging.getLogger(__name__)


def undo_on_rollback(session: Session, undo: Callable[[], None]) -> None:
    """Register how to undo a change made outside the database (an OCS account disabled) during this transaction:
    if the transaction rolls back instead of committing — a later step fails, or the commit itself — `undo` runs,
    so the outside system and the database agree again. Undos run newest first; a failing one is logged."""
    session.info.setdefault(COMPENSATIONS, []).append(undo)


@event.listens_for(Session, "after_commit")
def _forget_undos(session: Session) -> None:
    session.info.pop(COMPENSATIONS, None)


@event.listens_for(Session, "after_transaction_end")
def _run_undos(session: Session, transaction: Any) -> None:
    """A transaction that ends without a commit (rolled back, or the session closed) undoes; a commit has already
    dropped the undos (after_commit comes first)."""
    if transaction.parent is not None:
        return  # a savepoint: the transaction that made the outside change may still commit
    for undo in reversed(session.info.pop(COMPENSATIONS, [])):
        try:
            undo()
        except Exception:  # the database is already rolled back; say loudly what stayed changed outside
            log.exception("could not undo an outside change after a rollback")


class Database:
    """Holds the engine and the session factory of one application."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.session_factory = sessionmaker(bind=engine, expire_on_commit=False)

    @classmethod
    def from_url(cls, url: str, **kwargs: Any) -> Database:
        return cls(create_db_engine(url, **kwargs))

    def bind_to(self, bind: Any, *, join_transaction_mode: str | None = None) -> None:
        """Point new sessions at another bind (tests join an outer transaction this way)."""
        options: dict[str, Any] = {"bind": bind, "expire_on_commit": False}
        if join_transaction_mode:
            options["join_transaction_mode"] = join_transaction_mode
        self.session_factory = sessionmaker(**options)

    def session(self) -> Session:
        return self.session_factory()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session committed on success and rolled back on any error (jobs, CLI, scripts)."""
        session = self.session()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def ping(self) -> None:
        from sqlalchemy import text

        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
