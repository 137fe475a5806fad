"""The unit tier, ``pytest -m unit``: no TensorFlow imported, no sandbox started, in seconds.

``run.py test`` runs it first, so that a simple break fails before the slow tier starts. Each
unit test is held to it while it runs (tests/conftest.py); this test holds the whole tier to it,
collection included: conftest.py runs it right after the unit tests and before any other, so
TensorFlow must not have been imported by then, not even by importing a test module.
"""

import sys

import pytest

HEAVY = ("tensorflow", "keras")


@pytest.mark.unit
def test_the_unit_tier_imports_no_tensorflow(request):
    """After collecting every test module and running every unit test, is TensorFlow (or Keras)
    still not imported?"""
    items = request.session.items
    before = items[:items.index(request.node)]
    assert all(item.get_closest_marker("unit") for item in before), \
        "only unit tests run before this one (tests/conftest.py orders them)"
    imported = [name for name in HEAVY if name in sys.modules]
    assert not imported, f"the unit tier imported {', '.join(imported)}"
