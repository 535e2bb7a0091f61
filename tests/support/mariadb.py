"""Start a throw-away MariaDB server on loopback for the test session (Debian's mariadb-server)."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pymysql

USER, PASSWORD = "omnicrm", "omnicrm-test"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _binary(name: str) -> str:
    for candidate in (shutil.which(name), f"/usr/sbin/{name}", f"/usr/bin/{name}"):
        if candidate and Path(candidate).exists():
            return candidate
    raise RuntimeError(f"{name} not found: install Debian's mariadb-server (make test does this)")


class MariaDBServer:
    def __init__(self) -> None:
        self.datadir = Path(tempfile.mkdtemp(prefix="omnicrm-mariadb-"))
        self.socket = self.datadir / "mysqld.sock"
        self.port = _free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        user = ["--user=root"] if os.geteuid() == 0 else []
        subprocess.run(
            [_binary("mariadb-install-db"), *user, f"--datadir={self.datadir}",
             "--auth-root-authentication-method=normal", "--skip-test-db"],
            check=True, capture_output=True,
        )
        self.process = subprocess.Popen(
            [_binary("mariadbd"), "--no-defaults", *user, f"--datadir={self.datadir}", f"--socket={self.socket}",
             f"--port={self.port}", "--bind-address=127.0.0.1", "--skip-name-resolve",
             f"--pid-file={self.datadir / 'mariadbd.pid'}", "--innodb-buffer-pool-size=128M",
             "--innodb-flush-log-at-trx-commit=2", "--character-set-server=utf8mb4",
             "--collation-server=utf8mb4_unicode_ci", "--max-connections=300",
             f"--log-error={self.datadir / 'error.log'}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        self._wait_ready()
        with contextlib.closing(self._root()) as conn, conn.cursor() as cursor:
            cursor.execute(f"CREATE USER IF NOT EXISTS '{USER}'@'%' IDENTIFIED BY '{PASSWORD}'")
            cursor.execute(f"GRANT ALL PRIVILEGES ON *.* TO '{USER}'@'%' WITH GRANT OPTION")

    def _root(self) -> pymysql.connections.Connection:
        return pymysql.connect(unix_socket=str(self.socket), user="root", autocommit=True)

    def _wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process and self.process.poll() is not None:
                log = (self.datadir / "error.log").read_text(errors="replace")[-2000:]
                raise RuntimeError(f"mariadbd exited early:\n{log}")
            try:
                self._root().close()
                return
            except pymysql.err.OperationalError:
                time.sleep(0.2)
        raise RuntimeError("mariadbd did not become ready in time")

    def create_database(self, name: str) -> str:
        with contextlib.closing(self._root()) as conn, conn.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")
            cursor.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
        return f"mysql+pymysql://{USER}:{PASSWORD}@127.0.0.1:{self.port}/{name}?charset=utf8mb4"

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
        shutil.rmtree(self.datadir, ignore_errors=True)


@contextlib.contextmanager
def running_mariadb() -> Iterator[MariaDBServer]:
    server = MariaDBServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()
