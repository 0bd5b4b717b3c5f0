"""The database's data version: one row whose token the database changes with every write to a
watched table (`grants.core.datacache`). Nothing in Python writes it."""

from django.db import models


class DataVersion(models.Model):
    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    token = models.CharField(max_length=64)

    class Meta:
        verbose_name = "data version"

    def __str__(self) -> str:
        return self.token
