"""The students of a class folder, the tree ``grade`` is given for each, and the shard split.

CLASS holds one folder per student, and the folder's name is the student id. A student folder
is laid out in either of two ways:

    CLASS/alice/assignments/01_sequence_data/sequence_data.ipynb   a student repository
                                                                   (``gh classroom clone``)
    CLASS/alice/01_sequence_data/sequence_data.ipynb                nbgrader's submitted/ layout

so CLASS may be nbgrader's ``submitted/`` folder itself, or the nbgrader course folder that holds
it (recognised by its ``nbgrader_config.py``). Plain files and folders whose name starts with a
dot or two underscores (``.git``, ``__MACOSX``) are not students. A student folder with nothing
gradable is still a student: grading gives it its row, status ``no notebooks``.

Shards: ``in_shard(id, k, n)`` splits students by a hash of their id, so a student is always in
the same shard of n, on any machine, whoever else is in the class.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from autograder.course import known_assignments

_SHARD = re.compile(r"^(\d+)/(\d+)$")


class RosterError(Exception):
    """CLASS cannot be read as a class; the message says why (a usage error)."""


@dataclass(frozen=True)
class Student:
    """One student: their id, their folder in CLASS, and what ``grade`` is given."""

    id: str
    folder: Path
    tree: Path  # a folder of assignment folders
    note: str = ""  # why nothing gradable was found, when that is so


def class_folder(path: Path) -> Path:
    """The folder that holds the student folders: ``path``, or its ``submitted/`` when
    ``path`` is an nbgrader course folder."""
    path = Path(path)
    if not path.is_dir():
        raise RosterError(f"{path}: no such folder (expected one folder per student)")
    if (path / "nbgrader_config.py").is_file() and (path / "submitted").is_dir():
        return path / "submitted"
    return path


def find_students(path: Path) -> list[Student]:
    """Every student of the class at ``path``, sorted by id."""
    folder = class_folder(path)
    students = [student_in(entry) for entry in sorted(folder.iterdir())
                if entry.is_dir() and not entry.name.startswith((".", "__"))]
    if not students:
        raise RosterError(f"{path}: holds no student folders (expected CLASS/<student>/...)")
    return students


def student_in(folder: Path) -> Student:
    """The student of one folder, and the tree of assignment folders inside it."""
    repository = folder / "assignments"
    if repository.is_dir():
        return Student(folder.name, folder, repository)
    known = known_assignments()
    if any((folder / assignment).is_dir() for assignment in known):
        return Student(folder.name, folder, folder)
    notebooks = sorted(str(p.relative_to(folder)) for p in folder.rglob("*.ipynb")
                       if ".ipynb_checkpoints" not in p.parts)[:5]
    note = (f"no assignment folder found in {folder.name}/ (expected assignments/"
            f"{known[0]}/ or {known[0]}/)")
    if notebooks:
        note += f"; notebooks seen elsewhere: {', '.join(notebooks)}"
    return Student(folder.name, folder, folder, note)


def parse_shard(text: str) -> tuple[int, int]:
    """"1/4" -> (1, 4): shard 1 of 4, counted from 0. ValueError when it is not K/N, 0 <= K < N."""
    match = _SHARD.match(text.strip())
    if not match:
        raise ValueError(f"--shard {text!r}: expected K/N, for example 0/4")
    k, n = int(match.group(1)), int(match.group(2))
    if n < 1 or k >= n:
        raise ValueError(f"--shard {text!r}: K counts from 0 to N-1 (N = {n})")
    return k, n


def in_shard(student: str, k: int, n: int) -> bool:
    """Is ``student`` in shard k of n? A hash of the id alone: stable across machines."""
    digest = hashlib.sha256(student.encode("utf-8", "surrogateescape")).digest()
    return int.from_bytes(digest[:8], "big") % n == k
