"""`column = ANY(ARRAY(subquery))`: a semi-join PostgreSQL plans with the subquery's real size.

`column IN (subquery)` is planned before the subquery runs, from its estimated size. A
scoping subquery with an OR (a team member's school OR their class lists and caseload) is
estimated at half the district's students, so a filter such as the flag list's read every
flag of the district (74,000 rows at 50,000 students) to keep a school's few hundred. As an
array the subquery runs first, once, and its ids are looked up through the column's index.
Meant for subqueries of up to some thousands of ids (a school); with a whole district's the
plain IN is as good.
"""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import BooleanField, Expression, F, QuerySet


class InArray(Expression):
    """A filter: `column` is one of the values of the one-column `queryset`."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, column: str, queryset: QuerySet) -> None:
        super().__init__()
        self.column: Any = F(column)
        self.array: Any = ArraySubquery(queryset)

    def get_source_expressions(self) -> list[Any]:
        return [self.column, self.array]

    def set_source_expressions(self, exprs: list[Any]) -> None:
        self.column, self.array = exprs

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        column_sql, column_params = compiler.compile(self.column)
        array_sql, array_params = compiler.compile(self.array)
        return f"{column_sql} = ANY({array_sql})", [*column_params, *array_params]
