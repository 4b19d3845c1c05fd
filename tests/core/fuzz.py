"""How hard the property tests try: a quick run by default, a long one on request.

``SUMMIT_READER_FUZZ=1`` multiplies every property test's example count by
:data:`LONG_RUN` (and the stateful store test's runs with it); any larger whole number is
the multiplier itself (``SUMMIT_READER_FUZZ=200``). Unset, empty or ``0``: the counts
written in the tests, sized so the whole suite stays within a few minutes. No
``--hypothesis-profile`` flag is needed, so the same ``pytest`` command runs both. A long
run takes minutes per test: give it ``--timeout 0`` (the suite's per-test limit is 300 s)::

    SUMMIT_READER_FUZZ=1 python -m pytest --timeout 0 --hypothesis-show-statistics \
        tests/core/test_properties.py tests/core/test_anchor_properties.py \
        tests/core/test_anchoring.py tests/core/test_store_model.py \
        tests/core/test_export_properties.py tests/core/test_w3c.py tests/core/test_export_md.py
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

#: The multiplier ``SUMMIT_READER_FUZZ=1`` stands for.
LONG_RUN = 25


def _scale() -> int:
    raw = os.environ.get("SUMMIT_READER_FUZZ", "").strip()
    if not raw:
        return 1
    try:
        value = int(raw)
    except ValueError:
        raise RuntimeError(f"SUMMIT_READER_FUZZ must be a whole number, not {raw!r}") from None
    if value <= 0:
        return 1
    return LONG_RUN if value == 1 else value


#: The multiplier in force for this run.
SCALE = _scale()


def examples(count: int) -> int:
    """``count`` examples in a quick run, ``count * SCALE`` in a long one."""
    return count * SCALE


def fuzz_settings(count: int, **extra: object) -> settings:
    """Hypothesis settings for a property test: ``examples(count)``, no deadline.

    Deadlines are off because a shrinking or a slow CI machine makes timings meaningless;
    speed is measured in ``benchmarks/``, not asserted here.
    """
    return settings(
        max_examples=examples(count),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        **extra,  # type: ignore[arg-type]
    )
