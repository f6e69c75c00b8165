"""Performance measurements: ``python -m benchmarks [--sizes 20k,270k]``."""
