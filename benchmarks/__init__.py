"""Benchmarks: each `bench_<area>.py` prints its figures and can write them into RESULTS.md (`--write`).

Run one with `.venv/bin/python -m benchmarks.bench_<area>`, or all with `.venv/bin/python -m benchmarks`.
Tests never time anything; figures live here.
"""
