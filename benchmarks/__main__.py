"""Run the benchmarks: every module benchmarks/bench_<name>.py exposing run() -> Report.

    python -m benchmarks                 # all
    python -m benchmarks api search      # some
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import benchmarks


def main(selected: list[str]) -> int:
    names = sorted(m.name[len("bench_"):] for m in pkgutil.iter_modules(benchmarks.__path__)
                   if m.name.startswith("bench_"))
    unknown = set(selected) - set(names)
    if unknown:
        print(f"unknown benchmark(s): {', '.join(sorted(unknown))}; available: {', '.join(names)}")
        return 2
    for name in selected or names:
        report = importlib.import_module(f"benchmarks.bench_{name}").run()
        report.print()
        print(f"  written: {report.write()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
