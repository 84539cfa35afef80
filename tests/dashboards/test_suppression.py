"""Small-cell suppression: hand-worked lines and tables, and a property test that no hidden
cell can be worked out from what is published.

The property test solves the attacker's problem independently of the code under test:
hidden cells are unknown non-negative integers; every published total (of a row, a column,
the grand total) is a linear equation. A hidden cell is "disclosed" when every solution
gives it the same value. Feasibility of "this cell takes another value" is a
transportation problem, checked with a small max-flow written here.
"""

from __future__ import annotations

from collections import deque

from hypothesis import given, settings
from hypothesis import strategies as st

from dashboards.suppression import (
    SUPPRESSED,
    is_small,
    primary,
    protect_line,
    protect_table,
    show_count,
    show_percent,
)

# -- hand-worked examples --------------------------------------------------------------------


def test_it_hides_counts_under_ten_including_zero():
    assert primary([0, 9, 10, 250]) == [True, True, False, False]
    assert is_small(None) is False


def test_it_hides_the_next_smallest_cell_when_one_cell_of_a_line_is_hidden():
    # School of 145: Tier 1 100, Tier 2 40, Tier 3 5. Tier 3 alone would be 145 - 100 - 40.
    assert protect_line([100, 40, 5], [False, False, True]) == [False, True, True]


def test_it_leaves_a_line_with_two_hidden_cells_of_positive_sum():
    assert protect_line([3, 4, 100], [True, True, False]) == [True, True, False]


def test_it_hides_a_non_zero_cell_when_the_hidden_cells_add_up_to_zero():
    # Two zeros hidden: their sum would be 0, so both would be known to be 0.
    assert protect_line([0, 0, 50, 60], [True, True, False, False]) == [True, True, True, False]


def test_it_hides_nothing_more_in_a_line_without_small_cells():
    assert protect_line([12, 30, 45], [False, False, False]) == [False, False, False]


def test_it_protects_a_table_along_rows_and_columns():
    # Two schools x three tiers, with school totals and "all schools" totals published.
    table = [[120, 20, 4], [200, 30, 15]]
    mask = protect_table(table, row_totals=True, column_totals=True)
    # Row 1 hides 4, then its next smallest (20); column 3 then hides 15 and column 2 30;
    # row 2 now hides 30 and 15 (sum 45): safe.
    assert mask.cells == [[False, True, True], [False, True, True]]
    assert mask.row_totals == [False, False]
    assert mask.column_totals == [False, False, False]


def test_it_hides_a_whole_row_whose_total_is_small_and_a_partner_row_with_it():
    table = [[5, 2, 1], [60, 20, 12], [90, 30, 11]]
    mask = protect_table(table, row_totals=True, column_totals=True)
    assert mask.row_totals[0] is True
    assert mask.cells[0] == [True, True, True]
    # The grand total is published, so a second row total is hidden too (row 2: 92 < 131).
    assert mask.row_totals == [True, True, False]
    assert mask.cells[1] == [True, True, True]


def test_it_prints_hidden_counts_and_percentages_as_n_under_ten():
    assert show_count(7, True) == SUPPRESSED == "n<10"
    assert show_count(1234, False) == "1,234"
    assert show_count(None, False) == ""
    assert show_percent(0.8125, False) == "81.2%"
    assert show_percent(0.5, True) == "n<10"
    assert show_percent(None, False) == ""


# -- the attacker's problem, solved independently ---------------------------------------------


def _max_flow(capacity: dict[tuple[str, str], float], source: str, sink: str) -> float:
    graph: dict[str, set[str]] = {}
    residual: dict[tuple[str, str], float] = {}
    for (u, v), c in capacity.items():
        graph.setdefault(u, set()).add(v)
        graph.setdefault(v, set()).add(u)
        residual[(u, v)] = residual.get((u, v), 0) + c
        residual.setdefault((v, u), 0)
    flow = 0.0
    while True:
        parent = {source: None}
        queue = deque([source])
        while queue and sink not in parent:
            u = queue.popleft()
            for v in graph.get(u, ()):
                if v not in parent and residual[(u, v)] > 0:
                    parent[v] = u
                    queue.append(v)
        if sink not in parent:
            return flow
        path, v = [], sink
        while parent[v] is not None:
            path.append((parent[v], v))
            v = parent[v]
        push = min(residual[e] for e in path)
        for u, v in path:
            residual[(u, v)] -= push
            residual[(v, u)] += push
        flow += push


INF = float("inf")


def _feasible(table, mask, *, row_totals, column_totals, fixed):
    """Is there a non-negative integer filling of the hidden cells that agrees with every
    published figure, with the cells in `fixed` ({(i, j): value}) set as given?"""
    n_rows, n_cols = len(table), len(table[0])
    grand = sum(map(sum, table))
    cap: dict[tuple[str, str], float] = {}
    need = 0
    row_res, col_res = {}, {}
    for i in range(n_rows):
        if row_totals and not mask.row_totals[i]:
            shown = sum(table[i][j] for j in range(n_cols) if not mask.cells[i][j])
            row_res[i] = sum(table[i]) - shown - sum(v for (a, _), v in fixed.items() if a == i)
    for j in range(n_cols):
        if column_totals and not mask.column_totals[j]:
            col = [table[i][j] for i in range(n_rows)]
            shown = sum(col[i] for i in range(n_rows) if not mask.cells[i][j])
            col_res[j] = sum(col) - shown - sum(v for (_, b), v in fixed.items() if b == j)
    if any(v < 0 for v in (*row_res.values(), *col_res.values())):
        return False
    # Hidden row totals still add up to the grand total minus the published ones (when both
    # kinds of totals, and so the grand total, are published).
    both = row_totals and column_totals and not mask.grand_total
    hidden_rows = [i for i in range(n_rows) if row_totals and mask.row_totals[i]]
    hidden_cols = [j for j in range(n_cols) if column_totals and mask.column_totals[j]]
    for i in range(n_rows):
        if i in row_res:
            cap[("S", f"r{i}")] = row_res[i]
        elif i in hidden_rows and both:
            cap[("HR", f"r{i}")] = INF
        else:
            cap[("S", f"r{i}")] = INF
    for j in range(n_cols):
        if j in col_res:
            cap[(f"c{j}", "T")] = col_res[j]
        elif j in hidden_cols and both:
            cap[(f"c{j}", "HC")] = INF
        else:
            cap[(f"c{j}", "T")] = INF
    fixed_in_hidden_rows = sum(v for (a, _), v in fixed.items() if a in hidden_rows)
    fixed_in_hidden_cols = sum(v for (_, b), v in fixed.items() if b in hidden_cols)
    if both and hidden_rows:
        amount = (
            grand
            - sum(sum(table[i]) for i in range(n_rows) if i not in hidden_rows)
            - fixed_in_hidden_rows
        )
        if amount < 0:
            return False
        cap[("S", "HR")] = amount
        need += amount
    if both and hidden_cols:
        amount = (
            grand
            - sum(
                sum(table[i][j] for i in range(n_rows))
                for j in range(n_cols)
                if j not in hidden_cols
            )
            - fixed_in_hidden_cols
        )
        if amount < 0:
            return False
        cap[("HC", "T")] = amount
    for i in range(n_rows):
        for j in range(n_cols):
            if mask.cells[i][j] and (i, j) not in fixed:
                cap[(f"r{i}", f"c{j}")] = INF
    need += sum(row_res.values())
    if not need:
        # No published constraint on the free cells beyond columns: check columns can be met.
        need_cols = sum(col_res.values()) + (cap.get(("HC", "T"), 0))
        if need_cols == 0:
            return True
        return _max_flow(cap, "S", "T") >= need_cols
    flow = _max_flow(cap, "S", "T")
    need_cols = sum(col_res.values()) + cap.get(("HC", "T"), 0)
    # Every published row and column residual must be met exactly.
    if row_totals and column_totals:
        return flow == need == need_cols
    if row_totals:
        return flow == need
    return flow == need_cols


def _disclosed_cells(table, mask, *, row_totals, column_totals):
    out = []
    for i, row in enumerate(table):
        for j, value in enumerate(row):
            if not mask.cells[i][j]:
                continue
            # A hidden total is only known to be under 10: look a little past the sum.
            bound = sum(map(sum, table)) + 10
            alternatives = (
                w
                for w in range(bound + 1)
                if w != value
                and _feasible(
                    table,
                    mask,
                    row_totals=row_totals,
                    column_totals=column_totals,
                    fixed={(i, j): w},
                )
            )
            if next(alternatives, None) is None:
                out.append((i, j, value))
    return out


small_counts = st.integers(min_value=0, max_value=14) | st.integers(min_value=10, max_value=40)


@settings(max_examples=150, deadline=None)
@given(st.lists(small_counts, min_size=2, max_size=7))
def test_it_never_leaves_a_hidden_cell_of_a_line_recoverable_from_its_total(line):
    mask = protect_table([line], row_totals=True, column_totals=False)
    assert not _disclosed_cells([line], mask, row_totals=True, column_totals=False)


@settings(max_examples=400, deadline=None)
@given(
    st.integers(min_value=2, max_value=4).flatmap(
        lambda cols: st.lists(
            st.lists(small_counts, min_size=cols, max_size=cols), min_size=1, max_size=4
        )
    )
)
def test_it_never_leaves_a_hidden_cell_of_a_table_recoverable_from_row_and_column_totals(table):
    mask = protect_table(table, row_totals=True, column_totals=True)
    assert not _disclosed_cells(table, mask, row_totals=True, column_totals=True)


def test_the_checker_finds_the_cell_a_naive_suppression_would_disclose():
    # Guard on the test itself: hiding only the small cell of a line IS recoverable.
    from dashboards.suppression import TableMask

    naive = TableMask(cells=[[False, False, True]], row_totals=[False], column_totals=[False] * 3)
    assert _disclosed_cells([[100, 40, 5]], naive, row_totals=True, column_totals=False) == [
        (0, 2, 5)
    ]
