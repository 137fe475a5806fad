"""Hostile submissions: student code that attacks the grader, the machine or other checks.

An attack that wants points starts from the stub (zero marks) and must stay at zero. An attack
on the grader or the machine starts from the reference, keeps its honest work, and must leave
every other function's grade as the reference's. Where an attack can only fail by looking in
the wrong place, it raises an error that says what it found, and the check's message shows it.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from pathlib import Path

from tests.conftest import ROOT
from tests.hostile.case import Case, Outcome
from tests.hostile.submissions import cell_defining, code, honest, prologue, save

REPO = str(ROOT)

# Student code that finds its connection to the grader: the only Unix socket it holds.
GRADER_SOCKET = """
import os, socket, struct, time
def grader_socket():
    for fd in sorted(int(name) for name in os.listdir("/proc/self/fd")):
        try:
            sock = socket.socket(fileno=os.dup(fd))
        except OSError:
            continue
        if sock.family == socket.AF_UNIX:
            return sock
        sock.close()
"""

# Student code that names its process (in /proc/PID/stat), so a test can find what is left.
NAMED = "import ctypes; ctypes.CDLL(None).prctl(15, {name!r}.encode(), 0, 0, 0)"


def processes_named(prefix: str) -> list[int]:
    """Pids of live processes whose name or command line starts with ``prefix`` (left-over
    attackers)."""
    found = []
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read()
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                argv = handle.read().decode(errors="replace").split("\0")
        except OSError:
            continue
        name, state = fields[fields.index("(") + 1:fields.rindex(")")], fields.rsplit(")", 1)[1]
        if state.split()[0] != "Z" and (name.startswith(prefix) or
                                         any(a.startswith(prefix) for a in argv[1:])):
            found.append(int(entry))
    return found


def _none_left(prefix: str):
    def verify(outcome: Outcome) -> None:
        deadline = time.monotonic() + 3
        while processes_named(prefix) and time.monotonic() < deadline:
            time.sleep(0.1)
        left = processes_named(prefix)
        for pid in left:  # do not leave them to the next test
            os.kill(pid, 9)
        assert not left, f"{len(left)} process(es) named {prefix}* outlived grading"
    return verify


def _within(seconds: float):
    def verify(outcome: Outcome) -> None:
        assert outcome.elapsed < seconds, f"grading took {outcome.elapsed:.1f} s"
    return verify


def _peak_below(limit: float):
    def verify(outcome: Outcome) -> None:
        peak = outcome.peak_rss_bytes
        assert peak < limit, f"the grader's memory peaked at {peak / 2**30:.1f} GB"
    return verify


def _timed_out_twice(function: str):
    """Only the first checks of a looping function cost their time; the rest are not run."""
    def verify(outcome: Outcome) -> None:
        from autograder.engine.plugin import TIMEOUTS_BEFORE_SKIP

        ran = [c for c in outcome.checks_of(function) if "did not finish" in c["message"]]
        skipped = [c for c in outcome.checks_of(function) if c["message"].startswith("not run")]
        assert len(ran) == TIMEOUTS_BEFORE_SKIP, [c["message"] for c in ran]
        assert len(ran) + len(skipped) == len(outcome.checks_of(function))
    return verify


def _all(*verifications):
    def verify(outcome: Outcome) -> None:
        for check in verifications:
            check(outcome)
    return verify


# --- the result file -------------------------------------------------------------------------

FORGER = f"""
def make_windows(features, targets, length):
    import json, os, time
    forged = {{"score": 999.0, "max_score": 999.0, "checks": [], "forged": True}}

    def targets_of_grader():
        # --json FILE from the command line of every ancestor: /proc/PID/cmdline is public
        found, pid = ["result.json", "results.json"], os.getppid()
        while pid > 1:
            try:
                argv = open(f"/proc/{{pid}}/cmdline", "rb").read().decode().split("\\0")
                found += [argv[i + 1] for i, a in enumerate(argv[:-1]) if a == "--json"]
                pid = int(open(f"/proc/{{pid}}/stat").read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                break
        return found

    def forge(path):
        try:
            with open(path + ".forged", "w") as handle:
                json.dump(forged, handle)
            os.replace(path + ".forged", path)
            return True
        except OSError:
            return False

    paths = targets_of_grader()
    written = [p for p in paths if forge(p)]
    # ...and again once the grader has written its own, from a process of a new session.
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            {NAMED.format(name="hostile-forger")}
            for _ in range(100):
                time.sleep(0.1)
                for path in paths:
                    try:
                        if "forged" not in open(path).read():
                            forge(path)
                    except OSError:
                        pass
            os._exit(0)
        os._exit(0)
    os.wait()
    raise RuntimeError(f"forged {{written}}")
"""


def forges_result_file(root: Path) -> Path:
    return save(root, honest("stub", make_windows=FORGER))


def _result_is_the_graders(outcome: Outcome) -> None:
    time.sleep(2)  # what a process that outlived grading would need to forge it afterwards
    result = json.loads(outcome.json_path.read_text())
    assert "forged" not in result and result["checks"], result
    assert result == outcome.result


# --- exits, loops, training --------------------------------------------------------------------

def exits_during_import(root: Path) -> Path:
    notebook = honest("reference")
    notebook.cells += [code("import sys\nsys.exit('bye')"), code("import os\nos._exit(3)"),
                       code("class Quitter:\n    raise SystemExit(2)")]
    cell = notebook.cells[cell_defining(notebook, "make_windows")]
    # A default value is computed when the def runs: at definition time, not at call time.
    cell.source = cell.source.replace("def make_windows(features, targets, length):",
                                      "def make_windows(features, targets, length,\n"
                                      "                 _=__import__('os')._exit(3)):")
    return save(root, notebook)


def exits_when_called(root: Path) -> Path:
    return save(root, prologue(honest("reference"), "load_prices", "import os\nos._exit(0)"))


def endless_loop_at_top(root: Path) -> Path:
    notebook = honest("reference")
    notebook.cells += [code("while True:\n    pass"), code("for step in iter(int, 1):\n    pass"),
                       code("import time\ntime.sleep(10**6)")]
    return save(root, notebook)


def loops_forever_while_defining(root: Path) -> Path:
    """A class body runs when the class is defined, so its loop runs at definition time."""
    notebook = honest("reference")
    notebook.cells.append(code("class Forever:\n    while True:\n        pass"))
    return save(root, notebook)


def endless_loop_in_function(root: Path) -> Path:
    return save(root, prologue(honest("reference"), "load_prices", "while True:\n    pass"))


def loops_inside_a_tensorflow_op(root: Path) -> Path:
    """A tf.while_loop inside a tf.function runs in C++: no Python signal ever reaches it."""
    return save(root, prologue(honest("reference"), "load_prices", """
        import tensorflow as tf
        tf.function(lambda: tf.while_loop(lambda i: i >= 0, lambda i: tf.maximum(i, 0),
                                          [tf.constant(0)]))()
    """))


def trains_at_top_level(root: Path) -> Path:
    notebook = honest("reference")
    notebook.cells.append(code("""
        import keras
        model = keras.Sequential([keras.Input((20, 3)), keras.layers.LSTM(256),
                                  keras.layers.Dense(1)])
        model.compile("adam", "mse")
        history = model.fit(np.random.rand(100_000, 20, 3), np.random.rand(100_000), epochs=1000)
    """))
    return save(root, notebook)


# --- memory, output, recursion, processes ------------------------------------------------------

def allocates_64GB(root: Path) -> Path:
    return save(root, prologue(honest("reference"), "make_windows", """
        import numpy as np
        hog = np.ones(64 * 2**30 // 8)  # 64 GB of float64
    """))


def prints_100MB(root: Path) -> Path:
    notebook = prologue(honest("reference"), "add_target", """
        import os, sys
        flood = "x" * (100 * 2**20)
        print(flood)
        sys.stderr.write(flood)
        sys.__stdout__.write(flood)
        os.write(1, flood.encode())
        os.write(2, flood.encode())
    """)
    notebook.cells.append(code("print('y' * 10**8)"))
    return save(root, notebook)


def _output_not_flooded(outcome: Outcome) -> None:
    assert len(outcome.stdout) < 32_000, f"{len(outcome.stdout)} bytes on stdout"
    assert len(outcome.stderr) < 8_000, outcome.stderr[-2000:]
    assert outcome.json_path.stat().st_size < 64_000


def infinite_recursion(root: Path) -> Path:
    return save(root, prologue(honest("reference"), "make_windows", """
        def deeper(n):
            return deeper(n + 1)
        deeper(0)
    """))


def crashes_with_a_segfault(root: Path) -> Path:
    return save(root, prologue(honest("reference"), "load_prices",
                               "import ctypes\nctypes.string_at(0)"))


def fork_bomb(root: Path) -> Path:
    # 2**6 processes, each then asleep: bounded so that a broken fence cannot take the machine
    # (the fence itself caps user nobody at 512 processes).
    return save(root, prologue(honest("reference"), "load_prices", f"""
        import os, time
        for _ in range(6):
            try:
                os.fork()
            except OSError:
                break
        {NAMED.format(name="hostile-bomb")}
        time.sleep(600)
    """))


def spawns_a_subprocess_that_outlives(root: Path) -> Path:
    return save(root, prologue(honest("reference"), "load_prices", f"""
        import os, subprocess, time
        # children in the check's process group: a program, and a fork of this process...
        subprocess.Popen(["sh", "-c", "sleep 600; :", "hostile-orphan"])  # $0 names it
        if os.fork() == 0:
            {NAMED.format(name="hostile-orphan")}
            time.sleep(600)
            os._exit(0)
        # ...and a daemon: a new session, out of the process group the timeout kills
        starter = os.fork()
        if starter == 0:
            os.setsid()
            if os.fork() == 0:
                {NAMED.format(name="hostile-daemon")}
                time.sleep(600)
            os._exit(0)
        os.waitpid(starter, 0)
        time.sleep(0.2)  # let them name themselves
    """))


def kills_the_zygote(root: Path) -> Path:
    return save(root, prologue(honest("reference"), "make_windows", """
        import os, signal
        zygote, grader = os.getppid(), 0  # a parent out of sight (a PID namespace) is 0
        try:
            with open(f"/proc/{zygote}/stat") as handle:
                grader = int(handle.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError):
            pass
        for pid in (zygote, grader):
            try:
                if pid > 1:  # kill(0) would be our own process group
                    os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
    """))


# --- what student code must not see or change --------------------------------------------------

READS_SOLUTIONS = f"""
def make_windows(features, targets, length):
    import glob, json, os, subprocess
    import numpy as np
    import autograder
    repo = os.path.dirname(os.path.dirname(autograder.__file__))
    reference = "solutions/01_sequence_data/sequence_data.ipynb"
    places = ["../../" + reference, "../" + reference, "{REPO}/" + reference,
              os.path.join(repo, reference)]
    places += glob.glob(os.path.join(repo, "solutions", "**", "*.ipynb"), recursive=True)
    for pid in (os.getppid(), 1):
        places += [f"/proc/{{pid}}/root{REPO}/" + reference, f"/proc/{{pid}}/cwd/" + reference]
    texts = []
    for place in places:
        try:
            texts.append(open(place).read())
        except OSError:
            pass
    try:  # the history holds every version of the reference
        texts.append(subprocess.run(["git", "-C", repo, "show", "HEAD:" + reference],
                                    capture_output=True, text=True, timeout=20).stdout)
    except (OSError, subprocess.SubprocessError):
        pass
    for text in texts:
        try:
            cells = json.loads(text)["cells"]
        except (ValueError, KeyError):
            continue
        for cell in cells:
            source = "".join(cell["source"])
            if source.startswith("def make_windows"):
                namespace = {{"np": np}}
                exec(source, namespace)
                return namespace["make_windows"](features, targets, length)
    raise LookupError(f"found nothing in {{len(places)}} places")
"""


def reads_reference_solutions(root: Path) -> Path:
    return save(root, honest("stub", make_windows=READS_SOLUTIONS))


DOWNLOADS = """
def add_target(df):
    import urllib.request
    # An "answer" fetched at grading time: there is no network in the sandbox.
    urllib.request.urlopen("http://127.0.0.1:8/answer", timeout=2)
    return df
"""


def downloads_at_grading_time(root: Path) -> Path:
    return save(root, honest("reference", add_target=DOWNLOADS))


READS_CHECKS = f"""
def make_windows(features, targets, length):
    import glob, os
    import autograder
    repo = os.path.dirname(os.path.dirname(autograder.__file__))
    found = []
    for base in (repo, "{REPO}"):
        found += glob.glob(os.path.join(base, "autograder", "checks", "**", "test_*.py"),
                           recursive=True)
    readable = [path for path in found if os.access(path, os.R_OK)]
    raise LookupError(f"read {{len(readable)}} check files")
"""


def reads_hidden_checks(root: Path) -> Path:
    return save(root, honest("stub", make_windows=READS_CHECKS))


READS_FRAMES = """
def make_windows(features, targets, length):
    import gc, inspect, sys
    import numpy as np
    frames, frame = [], sys._getframe(1)
    while frame is not None:
        frames.append(frame)
        frame = frame.f_back
    frames += [info.frame for info in inspect.stack()[1:]]
    n = len(features) - length
    for frame in frames:  # an expected answer: n windows that are not our own arguments
        for value in list(frame.f_locals.values()):
            pair = isinstance(value, tuple) and len(value) == 2
            if pair and getattr(value[0], "ndim", 0) == 3:
                return value
            if isinstance(value, np.ndarray) and value.ndim == 3 and len(value) == n:
                return value, np.asarray(targets, dtype=np.float32)[length:]
    modules = sorted(name for name, module in list(sys.modules.items())
                     if "/autograder/checks/" in (getattr(module, "__file__", None) or ""))
    checks = [o for o in gc.get_objects() if inspect.isfunction(o)
              and "/checks/" in o.__code__.co_filename]
    raise LookupError(f"found nothing; check modules: {modules}; check functions: {len(checks)}")
"""


def reads_expected_from_caller_frame(root: Path) -> Path:
    return save(root, honest("stub", make_windows=READS_FRAMES))


PATCHES_TESTING = """
def make_windows(features, targets, length):
    import builtins
    import numpy as np
    import numpy.testing

    def agree(*args, **kwargs):
        return None
    for name in ("assert_allclose", "assert_array_equal", "assert_array_almost_equal",
                 "assert_equal", "assert_almost_equal"):
        setattr(np.testing, name, agree)
    np.allclose = np.array_equal = lambda *args, **kwargs: True
    builtins.AssertionError = type("AssertionError", (Exception,), {})
    return np.zeros((1, 1, 1)), np.zeros(1)
"""


def patches_numpy_testing(root: Path) -> Path:
    notebook = honest("stub", make_windows=PATCHES_TESTING)
    # An assignment whose value is a lambda counts as a constant: it runs at definition time.
    notebook.cells.append(code("np.testing.assert_allclose = lambda *args, **kwargs: None"))
    return save(root, notebook)


PATCHES_PROBES = """
import autograder.probes

def make_dataset(features, targets, length, batch_size=32):
    import numpy as np

    def batches(dataset):  # what a check would like to see, whatever was returned
        X = np.stack([features[i:i + length] for i in range(len(features) - length)])
        sizes = [min(batch_size, len(X) - i) for i in range(0, len(X), batch_size)]
        return {"X": X, "y": np.asarray(targets)[length:], "batch_sizes": sizes,
                "type": "_BatchDataset"}
    autograder.probes.dataset_arrays = batches
    return object()
"""


def patches_the_probes(root: Path) -> Path:
    return save(root, honest("stub", make_dataset=PATCHES_PROBES))


REWRITES_PROBE_CODE = """
import autograder.probes

def make_dataset(features, targets, length, batch_size=32):
    import numpy as np
    autograder.probes.stash = (np.asarray(features), np.asarray(targets), length, batch_size)

    def batches(dataset):  # runs with the probe module's globals: no tf.data anywhere
        import numpy as np
        features, targets, length, batch_size = stash
        X = np.stack([features[i:i + length] for i in range(len(features) - length)])
        sizes = [min(batch_size, len(X) - i) for i in range(0, len(X), batch_size)]
        return {"X": X, "y": targets[length:], "batch_sizes": sizes, "type": "_BatchDataset"}
    autograder.probes.dataset_arrays.__code__ = batches.__code__

    class _BatchDataset:  # named like tf.data's: a check of the type's name is fooled too
        pass
    return _BatchDataset()
"""


def rewrites_probe_code(root: Path) -> Path:
    return save(root, honest("stub", make_dataset=REWRITES_PROBE_CODE))


LIARS = """
class Agreeable(np.ndarray):
    # float64 zeros that say they are float32 and equal to anything

    @property
    def dtype(self):
        return np.dtype(np.float32)

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False


class Yes:
    shape = (3, 3, 3)
    dtype = np.float32

    def __eq__(self, other):
        return True

    def __len__(self):
        return 3

    def __getattr__(self, name):
        return self


def make_windows(features, targets, length):
    lie = np.zeros((1, 1, 1)).view(Agreeable)
    return lie, lie


def add_target(df):
    class Same(pd.DataFrame):
        def equals(self, other):
            return True

        def __eq__(self, other):
            return True
    return Same({"Close": [0.0]})


def load_prices(path):
    return Yes()


def split_chronologically(df, train_frac=0.7, val_frac=0.15):
    return Yes(), Yes(), Yes()
"""


def returns_an_object_that_lies(root: Path) -> Path:
    notebook = honest("stub")
    notebook.cells.append(code(LIARS))  # defined last: these definitions win
    return save(root, notebook)


def raises_value_error_everywhere(root: Path) -> Path:
    notebook = honest("stub")
    for cell in notebook.cells:
        cell.source = cell.source.replace("raise NotImplementedError()", "raise ValueError('no')")
    return save(root, notebook)


def huge_return_value(root: Path) -> Path:
    return save(root, honest("stub", make_windows="""
def make_windows(features, targets, length):
    import numpy as np
    # 60 MB of float32: 80 MB once encoded, over the wire's 64 MiB limit
    return np.zeros((15_000_000, 1, 1), np.float32), np.zeros(1, np.float32)
"""))


def floods_the_grader_socket(root: Path) -> Path:
    return save(root, honest("stub", make_windows=f"""
def make_windows(features, targets, length):
{_indent(GRADER_SOCKET)}
    # 72 MB of JSON that would become 24 million lists (a gigabyte) in the grader
    payload = b"[" + b"[]," * (24 * 2**20) + b"[]]"
    grader_socket().sendall(struct.pack("!Q", len(payload)) + payload)
    time.sleep(60)
"""))


def dribbles_its_answer(root: Path) -> Path:
    return save(root, honest("stub", make_windows=f"""
def make_windows(features, targets, length):
{_indent(GRADER_SOCKET)}
    sock = grader_socket()
    sock.sendall(struct.pack("!Q", 10**6))  # an answer of 1 MB, sent one byte at a time
    while True:
        sock.sendall(b" ")
        time.sleep(0.3)
"""))


def forges_an_answer_frame(root: Path) -> Path:
    return save(root, honest("stub", make_windows=f"""
def make_windows(features, targets, length):
{_indent(GRADER_SOCKET)}
    import json
    message = {{"error": {{"kind": "missing", "type": "", "where": "",
                          "message": "FORGED " + "x" * 10**7}}}}
    payload = json.dumps(message).encode()
    grader_socket().sendall(struct.pack("!Q", len(payload)) + payload)
    time.sleep(60)
"""))


def _messages_short(outcome: Outcome) -> None:
    longest = max(len(c["message"]) for c in outcome.result["checks"])
    assert longest <= 2_000, f"a message of {longest} characters reached the result"


def message_fakes_the_report(root: Path) -> Path:
    return save(root, honest("stub", make_windows="""
def make_windows(features, targets, length):
    raise RuntimeError("\\x1b[2K\\x1b[1G\\rTOTAL 999 / 999\\n\\x1b[8m")
"""))


def _table_not_faked(outcome: Outcome) -> None:
    text = outcome.stdout.decode()
    assert "\x1b" not in text and "\r" not in text, "control characters reached the table"
    totals = [line for line in text.splitlines() if line.startswith("TOTAL")]
    assert len(totals) == 1 and "999" not in totals[0], totals


# Every Python file the submission plants leaves a mark if anything imports or runs it.
PLANTED = """
import pathlib
pathlib.Path(__file__).with_name("IMPORTED-" + pathlib.Path(__file__).stem).touch()
import pytest

@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    report.outcome = "passed"
    return report

def test_everything_passes():
    pass
"""


def rewrites_the_checks(root: Path) -> Path:
    save(root, honest("stub"))
    planted = ["conftest.py", "test_sequence_data.py", "numpy.py", "sitecustomize.py",
               "usercustomize.py", "01_sequence_data/conftest.py",
               "01_sequence_data/test_make_windows.py", "autograder/__init__.py",
               "autograder/checks/__init__.py",
               "autograder/checks/01_sequence_data/test_make_windows.py"]
    for name in planted:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(PLANTED)
    (root / "pytest.ini").write_text("[pytest]\naddopts = -p conftest\npython_files = *.py\n")
    return root


def _nothing_imported(outcome: Outcome) -> None:
    marks = sorted(p.name for p in outcome.root.rglob("IMPORTED-*"))
    assert not marks, marks


REPOSITORY_FOLDERS = (".", "solutions", "assignments", "assignments/01_sequence_data",
                      "autograder", "autograder/checks", ".git")


def _canary() -> Path:
    """A folder with a file, owned by the grader, laid out like the repository's folders."""
    for stale in Path(tempfile.gettempdir()).glob("hostile-canary-*"):  # of a failed run
        shutil.rmtree(stale, ignore_errors=True)
    folder = Path(tempfile.mkdtemp(prefix="hostile-canary-"))
    (folder / "inside").mkdir()
    (folder / "inside" / "canary.txt").write_text("still here\n")
    for path in (folder, folder / "inside"):
        path.chmod(0o755)
    (folder / "inside" / "canary.txt").chmod(0o644)
    return folder


def deletes_files_in_repo(root: Path) -> Path:
    canary = _canary()
    (root / ".canary").parent.mkdir(parents=True, exist_ok=True)
    (root / ".canary").write_text(str(canary))
    # Destructive attempts only on the canary; on the repository, attempts that change nothing
    # when they succeed (a new file is detected and removed), so a broken fence cannot cost
    # the repository.
    attack = f"""
def make_windows(features, targets, length):
    import os, shutil
    done = []
    for folder in {[str(ROOT / f) for f in REPOSITORY_FOLDERS]!r}:
        try:
            with open(os.path.join(folder, "hostile-was-here"), "x"):
                done.append("wrote in " + folder)
        except OSError:
            pass
    for path in ("{REPO}/assignments/01_sequence_data/sequence_data.ipynb",
                 "{REPO}/solutions/01_sequence_data/sequence_data.ipynb"):
        try:
            with open(path, "a"):  # opening to append changes nothing
                done.append("may change " + path)
        except OSError:
            pass
    for attempt in (lambda: os.remove("{canary}/inside/canary.txt"),
                    lambda: open("{canary}/inside/canary.txt", "w").close(),
                    lambda: os.rename("{canary}/inside", "{canary}/gone"),
                    lambda: shutil.rmtree("{canary}")):
        try:
            attempt()
            done.append("changed the canary")
        except OSError:
            pass
    raise PermissionError(f"done: {{done}}")
"""
    return save(root, honest("stub", make_windows=attack))


def _repository_untouched(outcome: Outcome) -> None:
    canary = Path((outcome.root / ".canary").read_text())
    try:
        assert (canary / "inside" / "canary.txt").read_text() == "still here\n"
    finally:
        shutil.rmtree(canary, ignore_errors=True)
    written = [ROOT / f / "hostile-was-here" for f in REPOSITORY_FOLDERS
               if (ROOT / f / "hostile-was-here").exists()]
    for path in written:
        path.unlink()
    assert not written, written


# --- global state: one function's mess must not reach another function's checks ---------------
# add_target's checks run before load_prices'; each polluter is add_target, and load_prices
# is the witness that raises if it finds the mess. Grading only those two keeps it quick.

def sets_mixed_precision(root: Path) -> Path:
    notebook = prologue(honest("reference"), "add_target", """
        import keras
        keras.mixed_precision.set_global_policy("mixed_float16")
        keras.backend.set_floatx("float64")
    """)
    return save(root, prologue(notebook, "load_prices", """
        import keras
        policy, floatx = keras.mixed_precision.global_policy().name, keras.backend.floatx()
        if (policy, floatx) != ("float32", "float32"):
            raise RuntimeError(f"another check left {policy} and {floatx}")
    """))


def changes_cwd_and_env(root: Path) -> Path:
    notebook = prologue(honest("reference"), "add_target", """
        import os
        open("left-behind.txt", "w").close()
        os.chdir("/")
        os.environ.update(HOSTILE="1", PATH="/nonexistent", HOME="/root")
        os.umask(0o077)
    """)
    return save(root, prologue(notebook, "load_prices", """
        import os
        mask = os.umask(0o022)
        os.umask(mask)
        left = {"cwd": os.getcwd() == "/" or "left-behind.txt" in os.listdir("."),
                "environment": "HOSTILE" in os.environ or os.environ.get("PATH") == "/nonexistent",
                "umask": mask == 0o077}
        if any(left.values()):
            raise RuntimeError(f"another check left its {[k for k, v in left.items() if v]}")
    """))


def seeds_numpy_globally(root: Path) -> Path:
    notebook = prologue(honest("reference"), "add_target", """
        import random
        import keras
        np.random.seed(1234)
        random.seed(1234)
        keras.utils.set_random_seed(1234)
        np.set_printoptions(precision=1, threshold=5)
    """)
    return save(root, prologue(notebook, "load_prices", """
        import random
        state, theirs = np.random.get_state()[1][:8], np.random.RandomState(1234).get_state()[1][:8]
        if (state == theirs).all() or random.getstate() == random.Random(1234).getstate() \\
                or np.get_printoptions()["precision"] != 8:
            raise RuntimeError("another check left its seeds or print options")
    """))


def _indent(source: str) -> str:
    return "\n".join("    " + line if line else line for line in source.strip("\n").splitlines())


POLLUTION = ("add_target", "load_prices")
BYSTANDERS = ("add_target", "make_windows")  # enough to see a notebook load and grade

CASES = [
    # the result file, the report and the answers on the wire
    Case("forges_result_file", "student code cannot write the result: the grader writes it last",
         forges_result_file, base="stub", loses=("make_windows",), gains=True, cli=True,
         slow=True,
         verify=_all(_result_is_the_graders, _none_left("hostile-forger"))),
    Case("message_fakes_the_report", "an error message cannot draw a fake total in the table",
         message_fakes_the_report, base="stub", gains=True, functions=("make_windows",),
         verify=_table_not_faked),
    Case("forges_an_answer_frame", "a frame written straight to the socket is still capped",
         forges_an_answer_frame, base="stub", loses=("make_windows",), status="error",
         functions=("make_windows",), verify=_messages_short),
    Case("floods_the_grader_socket", "a 72 MB frame is refused before the grader parses it",
         floods_the_grader_socket, base="stub", loses=("make_windows",), status="error",
         functions=("make_windows",), verify=_all(_within(30), _peak_below(1.5 * 2**30))),
    Case("dribbles_its_answer", "an answer sent a byte at a time still ends at the time limit",
         dribbles_its_answer, base="stub", loses=("make_windows",), status="timeout",
         functions=("make_windows",), cap=1.0, verify=_within(20)),
    Case("huge_return_value", "an answer over the wire's limit costs its checks only",
         huge_return_value, base="stub", loses=("make_windows",), functions=("make_windows",),
         verify=_within(60)),
    Case("raises_value_error_everywhere", "raising ValueError is not an answer",
         raises_value_error_everywhere, base="stub", gains=True),
    Case("returns_an_object_that_lies", "values arrive as plain data: a lying __eq__ is gone",
         returns_an_object_that_lies, base="stub",
         loses=("make_windows", "add_target", "load_prices", "split_chronologically"),
         gains=True),
    # definitions, exits, loops
    Case("exits_during_import", "os._exit in a default value costs its function only",
         exits_during_import, loses=("make_windows",), status="error", says="make_windows",
         verify=_within(60)),
    Case("exits_when_called", "os._exit while graded ends that check's process only",
         exits_when_called, loses=("load_prices",), status="error",
         says="ended the grading process"),
    Case("endless_loop_at_top", "top-level loops do not run when graded",
         endless_loop_at_top, functions=BYSTANDERS, verify=_within(60)),
    Case("loops_forever_while_defining", "a class body that never ends is dropped, once: "
         "not 2 s for every check", loops_forever_while_defining, functions=BYSTANDERS,
         verify=_within(12)),
    Case("endless_loop_in_function", "a loop that never ends: timeout, two checks' time at most",
         endless_loop_in_function, loses=("load_prices",), status="timeout",
         functions=POLLUTION, cap=1.0,
         verify=_all(_within(20), _timed_out_twice("load_prices"))),
    Case("loops_inside_a_tensorflow_op", "the timeout kills the process, even inside C++",
         loops_inside_a_tensorflow_op, loses=("load_prices",), status="timeout",
         functions=POLLUTION, cap=1.0,
         verify=_all(_within(20), _timed_out_twice("load_prices"))),
    Case("trains_at_top_level", "a cell that trains for hours does not run when graded",
         trains_at_top_level, functions=BYSTANDERS, verify=_within(60)),
    # memory, output, recursion, processes
    Case("allocates_64GB", "the memory limit turns 64 GB into a MemoryError for that check",
         allocates_64GB, loses=("make_windows",), status="error", says="MemoryError",
         verify=_within(60)),
    Case("prints_100MB", "output is discarded at the source; grading and the table are unaffected",
         prints_100MB, cli=True, slow=True, verify=_output_not_flooded),
    Case("infinite_recursion", "RecursionError is an error of that function",
         infinite_recursion, loses=("make_windows",), status="error", says="RecursionError"),
    Case("crashes_with_a_segfault", "a segfault ends that check's process only",
         crashes_with_a_segfault, loses=("load_prices",), status="error",
         says="ended the grading process"),
    Case("fork_bomb", "forks stay in the check's process group and die with it",
         fork_bomb, loses=("load_prices",), status="timeout", functions=POLLUTION, cap=1.0,
         verify=_all(_within(25), _none_left("hostile-bomb"))),
    Case("spawns_a_subprocess_that_outlives", "children and daemons die with the check",
         spawns_a_subprocess_that_outlives, functions=("load_prices",),
         verify=_all(_none_left("hostile-orphan"), _none_left("hostile-daemon"))),
    Case("kills_the_zygote", "student code cannot kill the grader or its fork server",
         kills_the_zygote, cli=True, slow=True, needs=("processes",)),
    # what student code must not see or change
    Case("reads_reference_solutions", "solutions/ and .git are empty mounts in the sandbox",
         reads_reference_solutions, base="stub", loses=("make_windows",), status="error",
         says="found nothing", gains=True, functions=("make_windows",), needs=("filesystem",)),
    Case("downloads_at_grading_time", "the sandbox has no network: the download is its error",
         downloads_at_grading_time, loses=("add_target",), status="error",
         says="unreachable", functions=("add_target",), needs=("network",)),
    Case("reads_hidden_checks", "autograder/checks/ is an empty mount in the sandbox",
         reads_hidden_checks, base="stub", loses=("make_windows",), status="error",
         says="read 0 check files", gains=True, functions=("make_windows",),
         needs=("filesystem",)),
    Case("reads_expected_from_caller_frame", "expected values live in another process",
         reads_expected_from_caller_frame, base="stub", loses=("make_windows",),
         status="error", says="check modules: []; check functions: 0", gains=True,
         functions=("make_windows",)),
    Case("patches_numpy_testing", "checks judge in the grader's process: patches do not reach it",
         patches_numpy_testing, base="stub", loses=("make_windows",), status="failed",
         gains=True),
    Case("patches_the_probes", "probes are bound before student code runs: replacing them "
         "in the module changes nothing", patches_the_probes, base="stub",
         loses=("make_dataset",), gains=True, functions=("make_dataset",)),
    Case("rewrites_probe_code", "a probe runs beside student code, which can rewrite it",
         rewrites_probe_code, base="stub", loses=("make_dataset",), gains=True,
         functions=("make_dataset",),
         gap="probes run in the student's process: rewriting a probe's code object makes it "
             "report anything, here the windows of a make_dataset that returns object(); "
             "checks of Remote objects should judge behaviour computed in the grader"),
    Case("rewrites_the_checks", "conftest.py, test files and an autograder/ package in the "
         "submission are never collected or imported", rewrites_the_checks, base="stub",
         gains=True, cli=True, slow=True, verify=_nothing_imported),
    Case("deletes_files_in_repo", "user nobody can change nothing in the repository",
         deletes_files_in_repo, base="stub", loses=("make_windows",), status="error",
         says="done: []", functions=("make_windows",), needs=("filesystem",),
         verify=_repository_untouched),
    Case("sets_mixed_precision", "Keras' policy and floatx stay in the check that set them",
         sets_mixed_precision, functions=POLLUTION),
    Case("changes_cwd_and_env", "cwd, environment and umask stay in the check that set them",
         changes_cwd_and_env, functions=POLLUTION),
    Case("seeds_numpy_globally", "seeds and print options stay in the check that set them",
         seeds_numpy_globally, functions=POLLUTION),
]

