"""Provisioning throughput: play_psim_only as jobs (PUT /crm/provision/ → worker → ansible-runner → CRM API,
CGRateS and PyHSS fakes) with 1 and 2 workers, against the same playbook run with plain `ansible-playbook`
in the same run (the job's overhead).

    python -m benchmarks provisioning        (OMNICRM_BENCH_PROVISIONS=10 jobs per phase by default)

Targets (issue 7): overhead ≤ 1.15× a plain ansible-playbook run; ≥ 50 provisions/minute with 2 workers.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from benchmarks.common import Report

PROVISIONS = int(os.environ.get("OMNICRM_BENCH_PROVISIONS", "10"))
BASELINE_RUNS = max(3, PROVISIONS // 2)


def _run_jobs(system: Any, workers: int, sims: range) -> float:
    """Queue one provision per SIM, then time `workers` workers until all have finished."""
    ids = [system.provision_sim(n) for n in sims]
    started = time.perf_counter()
    threads = [threading.Thread(target=system.worker(f"bench-{workers}-{i}").run_until_idle) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    statuses = [system.job(i)["provisioning_status"] for i in ids]
    if any(status != 0 for status in statuses):
        raise RuntimeError(f"provisioning failed during the benchmark: {statuses}")
    return elapsed


def _plain_runs(system: Any, sims: range) -> list[float]:
    """The same playbook with ansible-playbook directly (the CRM credential of a provision row, same vars)."""
    from omnicrm.app import app_state
    from omnicrm.core.config import PROJECT_ROOT
    from omnicrm.provisioning import credentials
    from omnicrm.provisioning.models import Provision
    from omnicrm.provisioning.runner import ansible_env, crm_config_for_plays

    settings = app_state(system.app).settings
    play = PROJECT_ROOT / "Provisioners" / "plays" / "play_psim_only.yaml"
    samples = []
    with tempfile.TemporaryDirectory() as directory:
        config_file = Path(directory) / "crm_config.json"
        config_file.write_text(json.dumps(crm_config_for_plays(settings)))
        for n in sims:
            with system.db.transaction() as session:  # a running provision whose credential the play uses
                holder = Provision(customer_id=system.customer_id, product_id=system.products["sim"],
                                   provisioning_play="play_psim_only", provisioning_status=1)
                session.add(holder)
                token = credentials.issue(holder, 600)
            extra = {"product_id": system.products["sim"], "customer_id": system.customer_id,
                     "SIM Card": system.sims[n], "Mobile Number": system.numbers[n], "access_token": token,
                     "crm_base_url": system.url, "crm_config_file": str(config_file), "ansible_connection": "local"}
            started = time.perf_counter()
            done = subprocess.run([str(Path(sys.executable).parent / "ansible-playbook"), "-i", "localhost,",
                                   str(play), "-e", json.dumps(extra)], env={**os.environ, **ansible_env()},
                                  capture_output=True, text=True, check=False)
            samples.append(time.perf_counter() - started)
            if done.returncode != 0:
                raise RuntimeError(f"plain ansible-playbook failed: {done.stdout[-2000:]}")
    return samples


def run() -> Report:
    from omnicrm.core.db import Database
    from omnicrm.core.migrate import upgrade
    from tests.conftest import make_settings
    from tests.fakes.cgrates import FakeCGRateS
    from tests.fakes.pyhss import FakePyHSS
    from tests.support.provisioning import provisioning_system

    report = Report("provisioning")
    total = 2 * PROVISIONS + BASELINE_RUNS
    with tempfile.TemporaryDirectory() as directory, FakeCGRateS.serve() as cgrates, FakePyHSS.serve() as hss:
        url = f"sqlite:///{directory}/bench.db"
        upgrade(url)
        db = Database.from_url(url, pool_size=20, max_overflow=20)
        with provisioning_system(url, db, make_settings, cgrates=cgrates, hss_peers=[hss], sims=total,
                                 timeout=600) as system:
            one = _run_jobs(system, 1, range(0, PROVISIONS))
            two = _run_jobs(system, 2, range(PROVISIONS, 2 * PROVISIONS))
            plain = _plain_runs(system, range(2 * PROVISIONS, total))
        db.engine.dispose()
    per_job = one / PROVISIONS
    plain_mean = sum(plain) / len(plain)
    report.add("provisions_per_phase", PROVISIONS)
    report.add("jobs_per_minute_1_worker", round(60 * PROVISIONS / one, 1))
    report.add("jobs_per_minute_2_workers", round(60 * PROVISIONS / two, 1))
    report.add("seconds_per_job_1_worker", round(per_job, 2))
    report.add("seconds_per_plain_ansible_playbook_run", round(plain_mean, 2))
    report.add("overhead_ratio", round(per_job / plain_mean, 2))
    report.target("job overhead ≤ 1.15× plain ansible-playbook", per_job / plain_mean <= 1.15)
    report.target("≥ 50 provisions/minute with 2 workers", 60 * PROVISIONS / two >= 50)
    report.notes.append(f"{os.cpu_count()} CPUs; SQLite; one CGRateS and one PyHSS fake; each job is a full "
                        "play_psim_only run (17 tasks, ~20 HTTP calls).")
    return report
