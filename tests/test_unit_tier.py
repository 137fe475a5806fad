"""The unit tier, ``pytest -m unit``: no TensorFlow imported, no sandbox started, in seconds.

``run.py test`` runs it first, so that a simple break fails before the slow tier starts. Each
unit test is held to it while it runs (tests/conftest.py); this test holds the whole tier to it,
collection included: it runs last (conftest.py puts it there), and when every test selected is
a unit test, TensorFlow must not have been imported by anything, not even by importing a test
module. In a run that also selects other tests, it runs the unit tier in a fresh process.
"""

import subprocess
import sys

import pytest

from tests.conftest import ROOT

HEAVY = ("tensorflow", "keras")


@pytest.mark.unit
def test_the_unit_tier_imports_no_tensorflow(request):
    """After collecting every test module and running every unit test, is TensorFlow (or Keras)
    still not imported?"""
    if all(item.get_closest_marker("unit") for item in request.session.items):
        imported = [name for name in HEAVY if name in sys.modules]
        assert not imported, f"the unit tier imported {', '.join(imported)}"
        return
    # Other tests ran in this process: the unit tier alone, in a fresh one, checks itself.
    done = subprocess.run([sys.executable, "-m", "pytest", "-m", "unit", "-q", "-p",
                           "no:cacheprovider", "tests"], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
