"""Shared test setup: hypothesis profiles.

Choose one with the environment variable HYPOTHESIS_PROFILE (default `dev`):
`ci` for short fuzzing runs in CI (`make test`), `full` for long runs
(`make test-full`). This file also puts `tests/` on `sys.path`, so test
modules import `factories` and `strategies` directly.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=60,
    deadline=None,
    derandomize=False,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "full",
    max_examples=2000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=100)
settings.load_profile(os.getenv("HYPOTHESIS_PROFILE", "dev"))
