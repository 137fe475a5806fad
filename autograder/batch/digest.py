"""What a result was graded from, as digests: a result whose digests still match is not redone.

Per assignment, two SHA-256 digests:

- ``notebook_digest(tree, assignment)``: the bytes of the notebook ``grade`` would grade (and
  its name), or, when there is none, the reason ``grade`` gives; a student who changes,
  renames or deletes the notebook gets a new digest.
- ``checks_digest(assignment, public_only)``: the bytes of every file of the assignment's checks
  (``autograder/checks/<assignment>/``, its ``hidden/`` folder unless ``public_only``) and of
  ``autograder/expected/``, what the checks compare against. Editing a check re-grades the
  class on the next run; changes elsewhere in the grader need ``--force``.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from autograder.course import CHECKS, ROOT

EXPECTED = ROOT / "autograder" / "expected"


def notebook_digest(tree: Path, assignment: str) -> str:
    """The digest of what ``grade(tree, only=[assignment])`` would read."""
    from autograder.grading import find_targets

    target = find_targets(Path(tree), [assignment])[0]
    digest = hashlib.sha256()
    if target.notebook is None:
        digest.update(b"no notebook\0" + target.problem.encode())
        return "sha256:" + digest.hexdigest()
    digest.update(b"notebook\0" + target.notebook.name.encode("utf-8", "surrogateescape")
                  + b"\0" + target.problem.encode() + b"\0")
    try:
        with open(target.notebook, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError as err:  # grading reports the same error; the digest records it
        digest.update(b"unreadable\0" + str(err).encode())
    return "sha256:" + digest.hexdigest()


@lru_cache(maxsize=None)
def checks_digest(assignment: str, public_only: bool) -> str:
    """The digest of the check files graded for ``assignment`` and of autograder/expected/."""
    folder = CHECKS / assignment
    files = [p for p in folder.rglob("*")
             if not (public_only and "hidden" in p.relative_to(folder).parts)]
    files += list(EXPECTED.rglob("*"))
    digest = hashlib.sha256(b"public only\0" if public_only else b"public and hidden\0")
    for path in sorted(p for p in files if p.is_file() and not _is_cache(p)):
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return "sha256:" + digest.hexdigest()


def _is_cache(path: Path) -> bool:
    return "__pycache__" in path.parts or path.suffix == ".pyc"
