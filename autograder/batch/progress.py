"""How far a batch is: a tqdm bar on a terminal, one plain line per student elsewhere (CI logs).

The bar shows students done of those to grade, how many did not end ``graded``, and tqdm's
estimate of the time left. A log gets one line per student when it finishes:
``[3/20] alice: 61/72 graded (34 s)``.
"""

from __future__ import annotations

import sys
from typing import TextIO


class Progress:
    def __init__(self, total: int, stream: TextIO | None = None,
                 bar: bool | None = None) -> None:
        self.stream = stream or sys.stdout
        self.total, self.done, self.failed = total, 0, 0
        if bar is None:
            bar = hasattr(self.stream, "isatty") and self.stream.isatty()
        self._bar = None
        if bar and total:
            from tqdm import tqdm

            self._bar = tqdm(total=total, unit="student", file=self.stream,
                             dynamic_ncols=True, desc="grading")
            self._bar.set_postfix_str("failed 0")

    def student_done(self, student: str, score: float, max_score: float, status: str,
                     seconds: float) -> None:
        self.done += 1
        self.failed += status != "graded"
        if self._bar is not None:
            self._bar.set_postfix_str(f"failed {self.failed}", refresh=False)
            self._bar.update(1)
            if status != "graded":
                self._bar.write(f"{printable(student)}: {status}", file=self.stream)
            return
        print(f"[{self.done}/{self.total}] {printable(student)}: {score:g}/{max_score:g} "
              f"{status} ({seconds:.0f} s)", file=self.stream, flush=True)

    def say(self, line: str) -> None:
        if self._bar is not None:
            self._bar.write(line, file=self.stream)
        else:
            print(line, file=self.stream, flush=True)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def printable(text: str) -> str:
    """A student id or message without control characters, safe to print on a terminal."""
    return "".join(ch if ch.isprintable() else "?" for ch in text)
