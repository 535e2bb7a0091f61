"""Shared helpers: timing statistics and the report every benchmark writes."""

from __future__ import annotations

import json
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

RESULTS_DIR = Path(__file__).resolve().parent / "results"


def percentile(samples: list[float], pct: float) -> float:
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def latency_summary(samples_seconds: list[float]) -> dict[str, float]:
    ms = [s * 1000 for s in samples_seconds]
    return {"n": len(ms), "p50_ms": percentile(ms, 50), "p95_ms": percentile(ms, 95), "p99_ms": percentile(ms, 99),
            "mean_ms": statistics.fmean(ms) if ms else float("nan")}


def time_calls(fn: Callable[[], Any], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return samples


@dataclass
class Report:
    name: str
    results: dict[str, Any] = field(default_factory=dict)
    targets: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, key: str, value: Any) -> None:
        self.results[key] = value

    def target(self, description: str, met: bool) -> None:
        self.targets.append(f"{'MET ' if met else 'MISS'} {description}")

    def write(self) -> Path:
        RESULTS_DIR.mkdir(exist_ok=True)
        path = RESULTS_DIR / f"{self.name}.json"
        payload = {"benchmark": self.name, "machine": platform.platform(), "python": platform.python_version(),
                   "results": self.results, "targets": self.targets, "notes": self.notes}
        path.write_text(json.dumps(payload, indent=2, default=str))
        return path

    def print(self) -> None:
        print(f"\n=== {self.name} ===")
        for key, value in self.results.items():
            print(f"  {key}: {value}")
        for line in self.targets:
            print(f"  target: {line}")
        for line in self.notes:
            print(f"  note: {line}")
