"""A worker process with a slow job kind, for tests that kill a worker in the middle of a job."""

from __future__ import annotations

import sys
import time

from omnicrm.core.db import Database
from omnicrm.core.jobs import JobContext, Worker, job_handler


@job_handler("test.sleep")
def _sleep(ctx: JobContext) -> dict[str, object]:
    time.sleep(float(ctx.payload.get("seconds", 30)))
    return {"slept": True}


if __name__ == "__main__":
    Worker(Database.from_url(sys.argv[1]), poll_interval=0.05, heartbeat_seconds=0.2, stale_after_seconds=3600,
           run_scheduler=False).run_forever()
