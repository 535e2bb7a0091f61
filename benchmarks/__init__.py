"""Reproducible performance benchmarks: `make bench` (python -m benchmarks [name ...])."""
