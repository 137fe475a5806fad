"""Same submission, same result: repeated grades write byte-identical result files.

Graded through the real command line, each run a fresh process with its own sandbox, so
nothing carries over but the submission. The runs are started in the background with the first
test past the unit tier (tests/background.py): most of a run is starting Python and TensorFlow
on one core, and a run shares nothing more for running beside other tests. The mutants are
chosen to tempt nondeterminism: unseeded randomness (the sandbox seeds every check the same
way), iteration over a set of strings (hash order, fixed by PYTHONHASHSEED in the sandbox),
and a plain wrong answer.
"""

from __future__ import annotations

import difflib
import json
import subprocess
import sys

import pytest

from tests import background
from tests.conftest import ROOT
from tests.hostile.submissions import ASSIGNMENT, honest, save

RUNS = 5

MUTANTS = {
    "reference": {},
    "target_of_last_window_row": {"make_windows": """
def make_windows(features, targets, length):
    features = np.asarray(features, dtype=np.float32)
    targets = np.asarray(targets, dtype=np.float32)
    n = len(features)
    X = np.stack([features[i:i + length] for i in range(n - length)])
    return X, targets[length - 1:n - 1]
"""},
    "noise_without_a_seed": {"make_windows": """
def make_windows(features, targets, length):
    features = np.asarray(features, dtype=np.float32)
    targets = np.asarray(targets, dtype=np.float32)
    n = len(features)
    if not 1 <= length < n or len(targets) != n:
        raise ValueError("length")
    X = np.stack([features[i:i + length] for i in range(n - length)])
    return X + np.random.normal(0, 0.01, X.shape).astype(np.float32), targets[length:]
"""},
    "columns_in_hash_order": {"standardize": """
def standardize(train, val, test, columns):
    columns = list({str(c) for c in columns})
    stats = pd.DataFrame({c: [train[c].mean(), train[c].std(ddof=1)] for c in columns},
                         index=["mean", "std"])
    out = []
    for part in (train, val, test):
        part = part.copy()
        for c in columns:
            part[c] = (part[c] - stats.loc["mean", c]) / stats.loc["std", c]
        out.append(part)
    return (*out, stats)
"""},
}


def grade(root, out) -> bytes:
    """`grade ROOT --json OUT` in a fresh process: the bytes of OUT."""
    done = subprocess.run([sys.executable, "-m", "autograder", "grade", str(root),
                           "--assignment", ASSIGNMENT, "--json", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    return out.read_bytes()


def background_jobs(tmp_path_factory, items) -> dict:
    """The RUNS grades of each selected mutant, each a job (tests/background.py)."""
    jobs = {}
    for item in items:
        name = item.callspec.params["name"]
        folder = tmp_path_factory.mktemp(f"determinism-{name}")
        root = save(folder / "submission", honest("reference", **MUTANTS[name]))
        for run in range(RUNS):
            jobs[(name, run)] = (grade, (root, folder / f"result-{run}.json"))
    return jobs


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(MUTANTS))
def test_consecutive_grades_are_identical(name):
    """Do five grades of the same submission, each in a process of its own, write
    byte-identical result files?"""
    files = [background.result(__name__, (name, run)) for run in range(RUNS)]
    for run, data in enumerate(files[1:], start=2):
        assert data == files[0], "run 1 and run %d differ:\n%s" % (run, "".join(
            difflib.unified_diff(files[0].decode().splitlines(True),
                                 data.decode().splitlines(True), n=1)))
    if name != "reference":  # a mutant that scored full marks would prove nothing here
        result = json.loads(files[0])
        assert result["score"] < result["max_score"]
