"""The benchmark suite: ``python -m benchmarks`` runs every ``bench_*.py`` (see run_all.py)."""
