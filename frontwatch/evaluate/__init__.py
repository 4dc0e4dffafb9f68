"""Benchmarks against the field: each module reads one public gold format and returns figures.

Each ``evaluate_*`` function returns a plain dict whose keys are a public interface
(``frontwatch evaluate ... --format json`` prints it): extend, never rename.
"""
