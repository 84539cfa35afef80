"""A text progress bar for long commands (`make run`'s migrate and demo load).

On a terminal the bar is one line redrawn in place; into a file or a pipe (a CI log, a test
reading the output) it writes one line per step, so the log stays readable."""

from __future__ import annotations

import sys
from collections.abc import Callable

WIDTH = 24


def bar_line(done: int, total: int, label: str) -> str:
    """`  [######------------------] 3/12 label` (pure, for tests and callers alike)."""
    total = max(total, 1)
    filled = round(WIDTH * min(done, total) / total)
    return f"  [{'#' * filled}{'-' * (WIDTH - filled)}] {done}/{total} {label}"


class ProgressBar:
    """`write` writes text as given (no newline added); `in_place` when it is a terminal."""

    def __init__(
        self,
        write: Callable[[str], object] | None = None,
        *,
        in_place: bool | None = None,
        flush: Callable[[], object] | None = None,
    ) -> None:
        self.write = write or sys.stdout.write
        self.flush = flush or (sys.stdout.flush if write is None else (lambda: None))
        self.in_place = sys.stdout.isatty() if in_place is None else in_place
        self.open = False

    def show(self, done: int, total: int, label: str) -> None:
        line = bar_line(done, total, label)
        if self.in_place:
            # Pad so a shorter label fully covers the longer one drawn before it.
            self.write(f"\r{line:<79}")
            self.open = True
            if done >= total:
                self.end()
        else:
            self.write(line + "\n")
        self.flush()

    def end(self) -> None:
        """Finish the line drawn in place (also when a step failed half way)."""
        if self.open:
            self.write("\n")
            self.flush()
            self.open = False
