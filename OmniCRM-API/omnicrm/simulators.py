"""Demo mode: loopback simulators for the external systems, so `make run` gives a working system.

They are the same fakes the tests use (`tests/fakes/`, shipped in a source checkout only). A simulator starts
only in the `demo` environment, only for a system whose configured endpoint is on this machine, and only when
nothing already listens there — pointing crm_config.yaml at a real system turns its simulator off.
"""

from __future__ import annotations

import atexit
import logging
import socket
import subprocess
import sys
from dataclasses import dataclass
from urllib.parse import urlparse

from omnicrm.core.config import PROJECT_ROOT, Settings

log = logging.getLogger("omnicrm.simulators")
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@dataclass(frozen=True)
class Simulator:
    name: str
    module: str
    host: str
    port: int


def _endpoint(url: str) -> tuple[str, int] | None:
    parsed = urlparse(url if "://" in url else f"http://{url}")
    if not parsed.hostname or not parsed.port:
        return None
    return parsed.hostname, parsed.port


def planned_simulators(settings: Settings) -> list[Simulator]:
    candidates = [("CGRateS", "tests.fakes.cgrates", settings.ocs.cgrates)]
    candidates += [("PyHSS", "tests.fakes.pyhss", peer) for peer in settings.hss.hss_peers]
    candidates += [("SMSC", "tests.fakes.smsc", settings.smc.smc_url), ("CBC", "tests.fakes.cbc", settings.cbc_url)]
    if settings.mailjet.configured:
        candidates.append(("Mailjet", "tests.fakes.mailjet", settings.mailjet.api_url))
    planned = []
    for name, module, url in candidates:
        endpoint = _endpoint(url) if url else None
        if endpoint and endpoint[0] in LOOPBACK:
            planned.append(Simulator(name, module, endpoint[0], endpoint[1]))
    return planned


def _listening(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.3)
        return sock.connect_ex((host, port)) == 0


def start_simulators(settings: Settings) -> list[Simulator]:
    """Start the simulators demo mode needs; returns those started. They stop when this process exits."""
    if settings.environment != "demo" or not (PROJECT_ROOT / "tests" / "fakes").is_dir():
        return []
    started = []
    for simulator in planned_simulators(settings):
        if _listening(simulator.host, simulator.port):
            continue
        process = subprocess.Popen([sys.executable, "-m", simulator.module, "--port", str(simulator.port)],
                                   cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        atexit.register(process.terminate)
        started.append(simulator)
        log.warning("SIMULATOR: %s simulator on %s:%s (demo mode, not a real %s)", simulator.name,
                    simulator.host, simulator.port, simulator.name)
    return started
