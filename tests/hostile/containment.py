"""Attacks on the fence itself: processes that outlive their check, secrets left in memory,
the host's files, the grader's time and the files the grader writes (issue 10).

Each case names what the submission does. Where an attack can only fail by finding nothing,
it raises an error that says what it found, and the check's message shows it.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import stat
import subprocess
import tempfile
import time
from pathlib import Path

import nbformat

from tests.conftest import ASSIGNMENTS, ROOT, SOLUTIONS
from tests.hostile.attacks import BYSTANDERS, POLLUTION, _all, _within
from tests.hostile.case import Case, Outcome
from tests.hostile.submissions import ASSIGNMENT, NOTEBOOK, code, honest, prologue, save

REPO = str(ROOT)
SYS_EXIT = {"x86_64": 60, "aarch64": 93}[platform.machine()]  # ends the calling thread only


# --- processes that outlive their check -------------------------------------------------------

# A daemon as the issue describes it: it leaves the check's session, closes every descriptor and
# ends its main thread with the raw exit syscall, so /proc shows it as a zombie while its other
# thread, named so a test can find it, goes on with `work`.
DAEMON = f"""
import ctypes, os, threading, time

def hide_as_a_zombie(name, work):
    starter = os.fork()
    if starter:
        os.waitpid(starter, 0)
        return
    os.setsid()
    if os.fork():
        os._exit(0)
    os.closerange(0, 1 << 16)

    def run():
        ctypes.CDLL(None).prctl(15, name.encode(), 0, 0, 0)
        work()
    threading.Thread(target=run).start()
    ctypes.CDLL(None).syscall({SYS_EXIT}, 0)
"""


def threads_named(prefix: str) -> list[tuple[int, int]]:
    """(pid, tid) of live threads whose name starts with ``prefix``: a process whose main
    thread is a zombie still runs its other threads."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            tids = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for tid in tids:
            try:
                with open(f"/proc/{pid}/task/{tid}/stat") as handle:
                    fields = handle.read()
            except OSError:
                continue
            name = fields[fields.index("(") + 1:fields.rindex(")")]
            if name.startswith(prefix) and fields.rsplit(")", 1)[1].split()[0] != "Z":
                found.append((int(pid), int(tid)))
    return found


def _no_thread_left(prefix: str):
    def verify(outcome: Outcome) -> None:
        deadline = time.monotonic() + 3
        while threads_named(prefix) and time.monotonic() < deadline:
            time.sleep(0.1)
        left = threads_named(prefix)
        for pid, _ in left:  # do not leave them to the next test
            try:
                os.kill(pid, 9)
            except OSError:
                pass
        assert not left, f"{len(left)} thread(s) named {prefix}* outlived grading"
    return verify


def daemon_hides_as_a_zombie(root: Path) -> Path:
    notebook = honest("reference")
    notebook.cells.insert(0, code(DAEMON))
    return save(root, prologue(notebook, "add_target", """
        hide_as_a_zombie("hostile-zombie", lambda: time.sleep(60))
    """))


def kills_the_checks_that_follow(root: Path) -> Path:
    """The issue's attack on the next student: a hidden daemon SIGKILLs every process the
    fork server starts after it (the check children of whatever is graded next)."""
    notebook = honest("reference")
    notebook.cells.insert(0, code(DAEMON))
    return save(root, prologue(notebook, "add_target", """
        server = os.getppid()  # the fork server, where the sandbox lets it be seen

        def kill_newcomers():
            end = time.monotonic() + 60
            while time.monotonic() < end:
                for entry in filter(str.isdigit, os.listdir("/proc")):
                    try:
                        with open(f"/proc/{entry}/stat") as handle:
                            parent = int(handle.read().rsplit(")", 1)[1].split()[1])
                        if parent == server > 1 and int(entry) != os.getpid():
                            os.kill(int(entry), 9)
                    except (OSError, ValueError):
                        pass
                time.sleep(0.01)
        hide_as_a_zombie("hostile-killer", kill_newcomers)
    """))


SEES_PROCESSES = """
def make_windows(features, targets, length):
    import os
    seen = [entry for entry in os.listdir("/proc") if entry.isdigit()]
    raise LookupError(f"saw {len(seen)} process(es)")
"""


def sees_other_processes(root: Path) -> Path:
    return save(root, honest("stub", make_windows=SEES_PROCESSES))


# --- secrets in the environment -----------------------------------------------------------------

SECRET = {"GITHUB_TOKEN": "hostile-canary-1f2e3d", "AWS_SECRET_ACCESS_KEY": "hostile-canary-1f2e3d"}

# The pattern is written so that it never matches its own text: "[N]" and "[y]".
READS_ENVIRONMENT = r"""
def make_windows(features, targets, length):
    import ctypes, re
    secret = re.compile(rb"(GITHUB_TOKE[N]|AWS_SECRET_ACCESS_KE[Y])=hostile-canar[y]")
    found = 0
    try:  # the environment the process started with (closed to nobody after the drop)
        found += len(secret.findall(open("/proc/self/environ", "rb").read()))
    except OSError:
        pass
    # ...which is also on the stack: env_start and env_end are fields 50 and 51 of stat
    fields = open("/proc/self/stat").read().rsplit(")", 1)[1].split()
    start, end = int(fields[47]), int(fields[48])
    found += len(secret.findall(ctypes.string_at(start, end - start)))
    # ...and wherever a copy was left: the heap, the stack, anonymous memory
    for line in open("/proc/self/maps"):
        parts = line.split()
        if "r" not in parts[1] or (len(parts) > 5 and parts[5] not in ("[heap]", "[stack]")):
            continue
        low, high = (int(x, 16) for x in parts[0].split("-"))
        if high - low < 1 << 28:
            found += len(secret.findall(ctypes.string_at(low, high - low)))
    raise LookupError(f"found the secret {found} times")
"""


def reads_its_environment_block(root: Path) -> Path:
    return save(root, honest("stub", make_windows=READS_ENVIRONMENT))


def _secret_nowhere(outcome: Outcome) -> None:
    text = json.dumps(outcome.result) + outcome.stdout.decode(errors="replace")
    assert "hostile-canary" not in text


# --- time ---------------------------------------------------------------------------------------

def ignores_the_alarm_while_defining(root: Path) -> Path:
    """A class body runs at definition time: it switches the definition alarm off, then sleeps
    under every check's time limit."""
    notebook = honest("reference")
    notebook.cells.append(code("""
        class Stubborn:
            import signal, time
            signal.signal(signal.SIGALRM, signal.SIG_IGN)
            time.sleep(20)
    """))
    return save(root, notebook)


def blocks_the_alarm_while_defining(root: Path) -> Path:
    notebook = honest("reference")
    notebook.cells.append(code("""
        class Stubborn:
            import signal, time
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
            time.sleep(20)
    """))
    return save(root, notebook)


def runs_out_the_submission_budget(root: Path) -> Path:
    return save(root, prologue(honest("reference"), "load_prices", "while True:\n    pass"))


def _budget_said(outcome: Outcome) -> None:
    messages = [c["message"] for c in outcome.checks_of("load_prices")]
    assert all("budget" in m for m in messages), messages


def returns_a_frame_of_30000_columns(root: Path) -> Path:
    return save(root, honest("reference", add_target="""
def add_target(df):
    import numpy as np
    import pandas as pd
    return pd.DataFrame(np.zeros((2, 30_000)))
"""))


# --- the files the grader writes ----------------------------------------------------------------

def _reference(root: Path) -> Path:
    return save(root, honest("reference"))


def _folder_at_json(results: Path) -> dict[str, Path]:
    (results / "result.json").mkdir()
    return {"--json": results / "result.json"}


def _folder_untouched(outcome: Outcome) -> None:
    assert outcome.json_path.is_dir() and not any(outcome.json_path.iterdir())
    assert b"error:" in outcome.stderr and b"folder" in outcome.stderr, outcome.stderr


def _link_at_gradescope(results: Path) -> dict[str, Path]:
    """Someone who may write the results folder links the Gradescope path to a private file."""
    private = Path(tempfile.mkdtemp(prefix="hostile-private-")) / "secret.txt"
    private.write_text("private\n")
    private.chmod(0o600)
    (results / "results.json").symlink_to(private)
    return {"--json": results / "result.json", "--gradescope": results / "results.json"}


def _private_file_untouched(outcome: Outcome) -> None:
    link = outcome.json_path.with_name("results.json")
    private = Path(os.readlink(link))
    try:
        assert private.read_text() == "private\n", "the grader wrote through the link"
        assert stat.S_IMODE(private.stat().st_mode) == 0o600
    finally:
        shutil.rmtree(private.parent, ignore_errors=True)
    assert link.is_symlink(), "the link was replaced"
    # the contract: --json is written, also on a usage error, with the error in its notes
    assert any("link" in note for note in outcome.result["notes"]), outcome.result
    assert b"error:" in outcome.stderr, outcome.stderr


def _fifo_at_gradescope(results: Path) -> dict[str, Path]:
    os.mkfifo(results / "results.json")
    return {"--json": results / "result.json", "--gradescope": results / "results.json"}


def _fifo_refused(outcome: Outcome) -> None:
    assert stat.S_ISFIFO(os.lstat(outcome.json_path.with_name("results.json")).st_mode)
    assert outcome.result["notes"] and b"error:" in outcome.stderr, outcome.stderr


# --- reading notebooks after student code ran ---------------------------------------------------

OTHER = "02_rnn_internals"
OTHER_NOTEBOOK = "rnn_internals.ipynb"


def _open_folder(prefix: str) -> Path:
    """A folder in the shared temporary folder that every user may enter (as a student's
    checkout often is), after removing the leftovers of an earlier, failed run."""
    for stale in Path(tempfile.gettempdir()).glob(prefix + "*"):
        shutil.rmtree(stale, ignore_errors=True)
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    folder.chmod(0o755)
    return folder


def swaps_a_later_notebook(root: Path) -> Path:
    """A check of assignment 01 replaces assignment 02's notebook with a link to the reference,
    after the grader made sure that no notebook is a link and before it reads 02's."""
    root = _open_folder("hostile-swap-") / "submission"
    (root / OTHER).mkdir(parents=True)
    shutil.copy(ASSIGNMENTS / OTHER / OTHER_NOTEBOOK, root / OTHER / OTHER_NOTEBOOK)
    for folder in (root, root / OTHER):
        folder.chmod(0o777)
    attack = f"""
def make_windows(features, targets, length):
    import os
    target = "{root / OTHER / OTHER_NOTEBOOK}"
    try:
        os.symlink("{SOLUTIONS / OTHER / OTHER_NOTEBOOK}", target + ".swap")
        os.replace(target + ".swap", target)
    except OSError:
        pass
    raise NotImplementedError()
"""
    return save(root, honest("stub", make_windows=attack))


def _remove_open_folder(outcome: Outcome) -> None:
    shutil.rmtree(outcome.root.parent, ignore_errors=True)


# --- what the child can read --------------------------------------------------------------------

def reads_another_checkout(root: Path) -> Path:
    """Another clone of the course on the machine (a teaching assistant's, a second grading
    run's), readable by everyone, with its solutions."""
    checkout = _open_folder("hostile-checkout-")
    reference = checkout / "solutions" / ASSIGNMENT / NOTEBOOK
    reference.parent.mkdir(parents=True)
    shutil.copy(SOLUTIONS / ASSIGNMENT / NOTEBOOK, reference)
    for path in [checkout / "solutions", reference.parent]:
        path.chmod(0o755)
    reference.chmod(0o644)
    attack = f"""
def make_windows(features, targets, length):
    import glob, json
    import numpy as np
    for place in glob.glob("{checkout.parent}/*/solutions/{ASSIGNMENT}/{NOTEBOOK}"):
        for cell in json.load(open(place))["cells"]:
            source = "".join(cell["source"])
            if source.startswith("def make_windows"):
                namespace = {{"np": np}}
                exec(source, namespace)
                return namespace["make_windows"](features, targets, length)
    raise LookupError("found nothing")
"""
    root.mkdir(parents=True)
    (root / ".checkout").write_text(str(checkout))
    return save(root, honest("stub", make_windows=attack))


def _remove_checkout(outcome: Outcome) -> None:
    shutil.rmtree((outcome.root / ".checkout").read_text(), ignore_errors=True)


READS_TESTS = f"""
def make_windows(features, targets, length):
    import glob, os
    found = glob.glob("{REPO}/tests/**/*.py", recursive=True)
    readable = [path for path in found if os.access(path, os.R_OK)]
    raise LookupError(f"read {{len(readable)}} test files")
"""


def reads_the_repository_tests(root: Path) -> Path:
    """tests/test_mutants_*.py hold the reference with one mistake each."""
    return save(root, honest("stub", make_windows=READS_TESTS))


READS_METADATA = f"""
def make_windows(features, targets, length):
    import glob, os, re, site
    # An editable install names the checkout it came from; its egg-info lists every file.
    checkouts = {{"{REPO}"}}
    for folder in site.getsitepackages():
        for finder in glob.glob(os.path.join(folder, "__editable__*finder.py")):
            checkouts.update(os.path.dirname(p) for p in
                             re.findall(r"'(/[^']+)'", open(finder).read()))
    listed = 0
    for checkout in checkouts:
        for sources in glob.glob(os.path.join(checkout, "*.egg-info", "SOURCES.txt")):
            try:
                listed += open(sources).read().count("/hidden/")
            except OSError:
                pass
    raise LookupError(f"listed {{listed}} hidden check files")
"""


def reads_packaging_metadata(root: Path) -> Path:
    return save(root, honest("stub", make_windows=READS_METADATA))


def shares_tmp_between_checks(root: Path) -> Path:
    notebook = prologue(honest("reference"), "add_target", """
        for folder in ("/tmp", "/dev/shm"):
            with open(f"{folder}/hostile-note", "w") as note:
                note.write("left by add_target")
    """)
    return save(root, prologue(notebook, "load_prices", """
        import os
        left = [f for f in ("/tmp/hostile-note", "/dev/shm/hostile-note") if os.path.exists(f)]
        if left:
            raise RuntimeError(f"another check left {left}")
    """))


def _remove_notes(outcome: Outcome) -> None:
    for path in (Path(tempfile.gettempdir()) / "hostile-note", Path("/dev/shm/hostile-note")):
        try:
            path.unlink()
        except OSError:
            pass


def fills_the_disk(root: Path) -> Path:
    """Writes a gigabyte into the working folder, /tmp and /dev/shm; then does its honest work.
    Each check's folders are small and its own: the host's disk never fills."""
    return save(root, prologue(honest("reference"), "add_target", """
        import os
        for folder in (".", "/tmp", "/dev/shm"):
            written, path = 0, os.path.join(folder, "hostile-fill")
            try:
                with open(path, "wb") as out:
                    while written < 2**30:
                        out.write(bytes(2**20))
                        written += 2**20
            except OSError:
                pass
            finally:
                if os.path.exists(path):
                    os.remove(path)
            if written >= 2**30:
                raise RuntimeError(f"wrote a gigabyte into {folder}")
    """))


REMOUNTS = f"""
def make_windows(features, targets, length):
    import ctypes, os, sys
    libc = ctypes.CDLL(None, use_errno=True)
    done = []
    for path in (sys.prefix, "/", "{REPO}/datasets"):
        if libc.mount(None, path.encode(), None, 0x20 | 0x1000, None) == 0:  # remount rw
            done.append("remounted " + path)
        if libc.umount2(path.encode(), 2) == 0:  # detach: what was under it?
            done.append("unmounted " + path)
    for folder in (sys.prefix, "{REPO}", "{REPO}/datasets", "/"):
        try:
            with open(os.path.join(folder, "hostile-was-here"), "x"):
                done.append("wrote in " + folder)
            os.remove(os.path.join(folder, "hostile-was-here"))
        except OSError:
            pass
    raise PermissionError(f"done: {{done}}")
"""


def remounts_its_root(root: Path) -> Path:
    """Without root the sandbox is built in a user namespace, where student code is root:
    it must still not make its read-only view writable or look under it."""
    return save(root, honest("stub", make_windows=REMOUNTS))


# --- clean-up -----------------------------------------------------------------------------------

def leaves_a_deep_folder_tree(root: Path) -> Path:
    """3,000 folders deep in the working folder: deeper than a recursive removal can go."""
    return save(root, prologue(honest("reference"), "add_target", """
        import os
        start = os.getcwd()
        os.mkdir("hostile-deep-tree")
        os.chdir("hostile-deep-tree")
        for _ in range(3000):
            os.mkdir("d")
            os.chdir("d")
        os.chdir(start)
    """))


def _no_tree_left(outcome: Outcome) -> None:
    left = list(Path(tempfile.gettempdir()).glob("*/hostile-deep-tree"))
    for marker in left:  # remove it for the next run (rm does not recurse on the stack)
        subprocess.run(["rm", "-rf", "--", str(marker.parent)], check=False)
    assert not left, f"{len(left)} working folder(s) outlived grading"


CASES = [
    # processes
    Case("daemon_hides_as_a_zombie", "a process that leaves the session and looks like a zombie "
         "still dies with its check", daemon_hides_as_a_zombie, functions=("add_target",),
         needs=("processes",), verify=_no_thread_left("hostile-zombie")),
    Case("kills_the_checks_that_follow", "a hidden daemon cannot kill the checks graded after "
         "it: it dies with its check and sees no other", kills_the_checks_that_follow,
         functions=POLLUTION, needs=("processes",), verify=_no_thread_left("hostile-killer")),
    Case("sees_other_processes", "a check sees only its own processes",
         sees_other_processes, base="stub", loses=("make_windows",), status="error",
         says="saw 1 process(es)", gains=True, functions=("make_windows",),
         needs=("processes",)),
    # secrets
    Case("reads_its_environment_block", "the fork server starts with the allowed environment: "
         "no byte of the grader's secrets is in the sandbox's memory",
         reads_its_environment_block, base="stub", loses=("make_windows",), status="error",
         says="found the secret 0 times", gains=True, cli=True, slow=True, environment=SECRET,
         verify=_secret_nowhere),
    # time and size
    Case("ignores_the_alarm_while_defining", "the grader ends a definition that runs too long, "
         "whatever the definition did to signals", ignores_the_alarm_while_defining,
         functions=BYSTANDERS, verify=_within(30)),
    Case("blocks_the_alarm_while_defining", "a blocked alarm does not stretch a definition "
         "either", blocks_the_alarm_while_defining, functions=BYSTANDERS, verify=_within(30)),
    Case("runs_out_the_submission_budget", "after the submission's time budget, its remaining "
         "checks are timeouts that say so", runs_out_the_submission_budget,
         loses=("load_prices",), status="timeout", functions=POLLUTION, budget=20,
         verify=_all(_within(45), _budget_said)),
    Case("returns_a_frame_of_30000_columns", "an answer too wide to decode is refused at once, "
         "with a message", returns_a_frame_of_30000_columns, loses=("add_target",),
         status="error", says="columns", functions=("add_target",), verify=_within(60)),
    # the grader's writes
    Case("result_path_is_a_folder", "a folder at the --json path is a usage error, untouched",
         _reference, cli=True, outputs=_folder_at_json, exit_status=2,
         verify=_folder_untouched),
    Case("gradescope_path_links_elsewhere", "the grader never writes through a link: a usage "
         "error, and --json still holds the result", _reference, cli=True,
         outputs=_link_at_gradescope, exit_status=2, verify=_private_file_untouched),
    Case("gradescope_path_is_a_fifo", "a FIFO at a result path is a usage error, not a hang",
         _reference, cli=True, outputs=_fifo_at_gradescope, exit_status=2,
         verify=_fifo_refused),
    # notebooks read once
    Case("swaps_a_later_notebook", "every notebook is read before any student code runs",
         swaps_a_later_notebook, base="stub", gains=True, also=(OTHER,), slow=True,
         verify=_remove_open_folder),
    # the host's files
    Case("reads_another_checkout", "the sandbox holds no other folder of the host",
         reads_another_checkout, base="stub", loses=("make_windows",), status="error",
         says="found nothing", gains=True, functions=("make_windows",), needs=("filesystem",),
         verify=_remove_checkout),
    Case("reads_the_repository_tests", "the repository's tests hold mutants of the reference",
         reads_the_repository_tests, base="stub", loses=("make_windows",), status="error",
         says="read 0 test files", gains=True, functions=("make_windows",),
         needs=("filesystem",)),
    Case("reads_packaging_metadata", "egg-info lists the hidden checks",
         reads_packaging_metadata, base="stub", loses=("make_windows",), status="error",
         says="listed 0 hidden check files", gains=True, functions=("make_windows",),
         needs=("filesystem",)),
    Case("shares_tmp_between_checks", "/tmp and /dev/shm are the check's own",
         shares_tmp_between_checks, functions=POLLUTION, needs=("filesystem",),
         verify=_remove_notes),
    Case("fills_the_disk", "the working folder, /tmp and /dev/shm are small and private",
         fills_the_disk, functions=("add_target",), needs=("filesystem",)),
    Case("remounts_its_root", "the read-only view cannot be remounted or lifted",
         remounts_its_root, base="stub", loses=("make_windows",), status="error",
         says="done: []", gains=True, functions=("make_windows",), needs=("filesystem",)),
    # clean-up
    Case("leaves_a_deep_folder_tree", "a check's working folder goes, however deep",
         leaves_a_deep_folder_tree, functions=("add_target",), verify=_no_tree_left),
]
