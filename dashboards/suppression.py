"""Small-cell suppression (domain.md section 5): pure functions over plain numbers.

Two kinds of published figures, two rules:

- **Counts of students** (a tier's students in a school, the students of a group with an
  outcome): a count below `MIN_CELL` (10, zero included) is a small cell and is shown as
  "n<10", with every figure computed from it (its percentage, its rate).
- **Rates over a group** (percent at benchmark in a class, percent screened in a grade):
  the cell is the group the rate describes, its denominator; a group of fewer than
  `MIN_CELL` students shows "n<10" instead of its count and its rate.

**Complementary suppression.** When the cells of a line (a row or column whose total is
published) hide exactly one cell, that cell is the total minus the others; when the hidden
cells of a line add up to 0, each of them is 0. Either way the hidden value could be worked
out. `protect_line` therefore hides more cells of the line, smallest first, until the line
hides none, or two or more cells whose sum is above zero: the published figures then
leave every hidden cell at least two possible values (a + b = s > 0 has s + 1 solutions
in non-negative integers, with each cell taking both 0 and s). `protect_table` applies
this to every row and column with a published total until nothing changes, so a table with
both row and column totals stays protected along both.

**Why a cell is hidden.** A cell hidden because it is small reads "n<10"; a cell of 10 or
more hidden only so that a small one cannot be worked out reads `COMPLEMENT` ("hidden so that
a small group cannot be worked out"), never a false "n<10" (`hidden_label`).

**Audience.** The rules above are for *published* figures (exports for reporting, readers
without student-level access). A school or district team reading its own students sees the
*internal* figures: every count, a small one marked `CAUTION`. `audience()` sets which for
the figures worked out inside it (the panels set it per request; the default is published,
so a caller that forgets gets the safe one).

Nothing here knows about students or requests: numbers in, booleans and strings out.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

MIN_CELL = 10
SUPPRESSED = "n<10"
COMPLEMENT = "hidden so that a small group cannot be worked out"
CAUTION = "small group: read with care"

PUBLISHED = "published"
INTERNAL = "internal"
AUDIENCES = (INTERNAL, PUBLISHED)
_AUDIENCE: ContextVar[str] = ContextVar("dashboard_audience", default=PUBLISHED)


@contextmanager
def audience(name: str) -> Iterator[None]:
    """Work out the figures inside the block for this audience (INTERNAL or PUBLISHED)."""
    if name not in AUDIENCES:
        raise ValueError(f"unknown audience {name!r}")
    token = _AUDIENCE.set(name)
    try:
        yield
    finally:
        _AUDIENCE.reset(token)


def current_audience() -> str:
    return _AUDIENCE.get()


def is_internal() -> bool:
    return _AUDIENCE.get() == INTERNAL


def is_small(count: int | None, *, minimum: int = MIN_CELL) -> bool:
    """A count of students below the minimum cell size (None: no figure, nothing to hide).
    Internal figures hide nothing, so no count is "small" there."""
    return count is not None and count < minimum and not is_internal()


def below_minimum(count: int | None, *, minimum: int = MIN_CELL) -> bool:
    """A count under the minimum whatever the audience (for the internal small-n caution)."""
    return count is not None and count < minimum


def hidden_label(count: int | None) -> str:
    """Why a hidden figure is hidden: its own group is small ("n<10"), or it is hidden so a
    small group elsewhere cannot be worked out. `count`: the group's size or the count the
    figure is made of (None: unknown, said as "n<10" as before)."""
    if count is not None and count >= MIN_CELL:
        return COMPLEMENT
    return SUPPRESSED


def primary(values: Sequence[int], *, minimum: int = MIN_CELL) -> list[bool]:
    """Primary suppression of a line of counts: every count below the minimum."""
    return [is_small(v, minimum=minimum) for v in values]


def _line_is_safe(values: Sequence[int], hidden: Sequence[bool]) -> bool:
    idx = [i for i, h in enumerate(hidden) if h]
    if not idx:
        return True
    return len(idx) >= 2 and sum(values[i] for i in idx) > 0


def protect_line(
    values: Sequence[int], hidden: Sequence[bool], *, cost: Sequence[float] | None = None
) -> list[bool]:
    """Complementary suppression of one line whose total is published.

    `values` are the true counts of the line (non-negative), `hidden` the cells already
    suppressed. Returns the cells to hide: `hidden` plus, while the line is not safe, the
    smallest shown cell (the smallest non-zero one when the hidden cells add up to zero), so
    the least information is withheld. `cost` (default: the values) says what hiding each
    cell withholds when that is not its count (a group's whole row, say). A line with every
    cell hidden is left as it is: its total is then below the minimum too (or the caller
    hides it).
    """
    weight = list(values) if cost is None else list(cost)
    out = list(hidden)
    if len(out) != len(values):
        raise ValueError("values and hidden must have the same length")
    while not _line_is_safe(values, out):
        shown = [i for i, h in enumerate(out) if not h]
        if not shown:
            break
        hidden_sum = sum(values[i] for i, h in enumerate(out) if h)
        if hidden_sum == 0:
            nonzero = [i for i in shown if values[i] > 0]
            shown = nonzero or shown
        out[min(shown, key=lambda i: (weight[i], values[i], i))] = True
    return out


@dataclass(frozen=True)
class TableMask:
    """What to hide in a table: its cells, each row's total, each column's total."""

    cells: list[list[bool]]
    row_totals: list[bool]
    column_totals: list[bool]
    grand_total: bool = False


def disclosed_cells(
    values: Sequence[Sequence[int]],
    mask: TableMask,
    *,
    row_totals: bool,
    column_totals: bool,
) -> list[tuple[int, int]]:
    """Hidden cells whose value the published figures still pin down.

    The hidden cells are unknowns (non-negative integers); each published total is an
    equation. Another solution differs from the true one by a sum of cycles that move one
    unit around rows and columns, so a hidden cell (i, j) can take another value iff a
    cycle through it exists in this graph: an arc row i -> column j for "one more" in any
    hidden cell, column j -> row i for "one less" when the cell is at least 1; rows and
    columns without a published total hang on a free node (with the grand total published,
    the rows with hidden totals share one node, and so do such columns). Breadth-first
    search per hidden cell: fast for dashboard-sized tables.
    """
    n_rows = len(values)
    width = len(values[0]) if n_rows else 0
    grand_published = row_totals and column_totals and not mask.grand_total
    arcs: dict[object, set[object]] = {}

    def arc(u: object, v: object) -> None:
        arcs.setdefault(u, set()).add(v)

    def free_link(node: object, hub: object) -> None:
        arc(node, hub)
        arc(hub, node)

    for i in range(n_rows):
        if not row_totals or mask.row_totals[i]:
            free_link(("r", i), "HR" if grand_published and mask.row_totals[i] else "FREE")
    for j in range(width):
        if not column_totals or mask.column_totals[j]:
            free_link(("c", j), "HC" if grand_published and mask.column_totals[j] else "FREE")
    hidden = [(i, j) for i in range(n_rows) for j in range(width) if mask.cells[i][j]]
    for i, j in hidden:
        arc(("r", i), ("c", j))
        if values[i][j] >= 1:
            arc(("c", j), ("r", i))

    def reaches(start: object, goal: object, skip: tuple[object, object]) -> bool:
        seen = {start}
        queue = deque([start])
        while queue:
            u = queue.popleft()
            for v in arcs.get(u, ()):
                if (u, v) in (skip, skip[::-1]) or v in seen:
                    continue
                if v == goal:
                    return True
                seen.add(v)
                queue.append(v)
        return False

    out = []
    for i, j in hidden:
        r, c = ("r", i), ("c", j)
        can_rise = reaches(c, r, (r, c))
        can_fall = values[i][j] >= 1 and reaches(r, c, (r, c))
        if not (can_rise or can_fall):
            out.append((i, j))
    return out


def protect_table(
    values: Sequence[Sequence[int]],
    *,
    row_totals: bool = True,
    column_totals: bool = False,
    minimum: int = MIN_CELL,
) -> TableMask:
    """Primary plus complementary suppression of a table of counts.

    `row_totals`: each row's total is published (for example the students of a school);
    `column_totals`: each column's total is published (an "all schools" row), and with both,
    the grand total too. A total below the minimum is hidden, and a hidden total hides its
    whole row or column (else the total would be the sum of the shown cells). With both
    kinds of totals, the row totals form one more line (they add up to the grand total) and
    so do the column totals.

    First every line is made safe on its own (`protect_line`); in two dimensions that is not
    enough (rows and columns together can still pin a cell down), so `disclosed_cells` then
    audits the whole table and each pinned cell gets a partner hidden in its row or column
    (the smallest shown one; a row's or column's total when none is left), until nothing is
    pinned.
    """
    rows = [list(r) for r in values]
    width = len(rows[0]) if rows else 0
    if any(len(r) != width for r in rows):
        raise ValueError("every row must have the same number of cells")
    cells = [primary(r, minimum=minimum) for r in rows]
    row_sums = [sum(r) for r in rows]
    col_sums = [sum(r[j] for r in rows) for j in range(width)]
    row_hidden = [row_totals and is_small(t, minimum=minimum) for t in row_sums]
    col_hidden = [column_totals and is_small(c, minimum=minimum) for c in col_sums]
    grand_hidden = row_totals and column_totals and is_small(sum(row_sums), minimum=minimum)

    def update(line: list[bool], new: list[bool]) -> bool:
        if new == line:
            return False
        line[:] = new
        return True

    def lines_pass() -> bool:
        changed = False
        for i in range(len(rows)):
            if row_hidden[i] and not all(cells[i]):
                cells[i] = [True] * width
                changed = True
        for j in range(width):
            if col_hidden[j] and not all(c[j] for c in cells):
                for c in cells:
                    c[j] = True
                changed = True
        if row_totals:
            for i, r in enumerate(rows):
                if not row_hidden[i]:
                    changed |= update(cells[i], protect_line(r, cells[i]))
        if column_totals:
            for j in range(width):
                if col_hidden[j]:
                    continue
                col = [r[j] for r in rows]
                mask = [c[j] for c in cells]
                new = protect_line(col, mask)
                if new != mask:
                    changed = True
                    for i, h in enumerate(new):
                        cells[i][j] = h
        if row_totals and column_totals and not grand_hidden:
            changed |= update(row_hidden, protect_line(row_sums, row_hidden))
            changed |= update(col_hidden, protect_line(col_sums, col_hidden))
        return changed

    def mask_now() -> TableMask:
        return TableMask(
            cells=[list(c) for c in cells],
            row_totals=list(row_hidden) if row_totals else [False] * len(rows),
            column_totals=list(col_hidden) if column_totals else [False] * width,
            grand_total=grand_hidden,
        )

    while True:
        while lines_pass():
            pass
        pinned = disclosed_cells(
            rows, mask_now(), row_totals=row_totals, column_totals=column_totals
        )
        if not pinned:
            return mask_now()
        i, j = pinned[0]
        partners = [(i, k) for k in range(width) if not cells[i][k]]
        partners += [(m, j) for m in range(len(rows)) if not cells[m][j]]
        if not partners:
            # Pinned through other lines (a grand total and a column total, say): any shown
            # cell may be the one that frees it.
            partners = [(m, k) for m in range(len(rows)) for k in range(width) if not cells[m][k]]
        if partners:
            nonzero = [p for p in partners if rows[p[0]][p[1]] > 0] or partners
            a, b = min(nonzero, key=lambda p: (rows[p[0]][p[1]], p))
            cells[a][b] = True
        elif column_totals and not all(col_hidden):
            col_hidden[min(k for k in range(width) if not col_hidden[k])] = True
        elif row_totals and not all(row_hidden):
            row_hidden[min(k for k in range(len(rows)) if not row_hidden[k])] = True
        elif row_totals and column_totals and not grand_hidden:
            grand_hidden = True
        else:  # nothing left to hide: every figure of the table is already withheld
            return mask_now()


def show_count(count: int | None, hidden: bool) -> str:
    """A count as printed on a page and in a CSV: "n<10" when hidden for being small, the
    complementary reason when hidden although 10 or more, "" when no figure; internal figures
    mark a small count with the caution."""
    if count is None:
        return ""
    if hidden:
        return hidden_label(count)
    if is_internal() and below_minimum(count):
        return f"{count:,} ({CAUTION})"
    return f"{count:,}"


def show_percent(
    share: float | None, hidden: bool, *, digits: int = 1, of: int | None = None
) -> str:
    """A share (0..1) as a percentage; hidden: "n<10", or the complementary reason when `of`
    (the group the share is of) is 10 or more; "" when there is no figure. Internal figures
    over a group of fewer than 10 (`of`) carry the caution."""
    if hidden:
        return hidden_label(of)
    if share is None:
        return ""
    text = f"{share * 100:.{digits}f}%"
    if is_internal() and below_minimum(of):
        return f"{text} ({CAUTION})"
    return text
