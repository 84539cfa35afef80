"""Models of the dashboards app."""

from django.db import models


class DataChange(models.Model):
    """One write to a table the dashboards count from, noted by a PostgreSQL trigger in the
    same transaction (migration 0001): the figures' data version (dashboards.data_version).

    `source` is the table written, or "scores:<window id>" for screening scores (a score
    saved in the open window leaves the closed window's figures cached). `weight` is how many
    notes the row stands for once folded together (data_version.compact)."""

    source = models.CharField(max_length=64)
    weight = models.BigIntegerField(default=1)

    def __str__(self) -> str:
        return f"{self.source} x{self.weight}"
