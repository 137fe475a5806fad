"""How fast grading is, measured against real nbgrader: ``python -m benchmarks`` (run.py)."""
