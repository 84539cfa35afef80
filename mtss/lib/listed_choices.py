"""A model choice field that reads its rows once per form.

Django's ModelChoiceField runs one query to check the chosen value and another to list the
<select>'s options. A page that checks and shows the same small list (score entry: the
user's classes, windows and measures) pays twice; this field lists the rows once and checks
the value among them, with the same answers and messages.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.forms.models import ModelChoiceIterator


class _ListedIterator(ModelChoiceIterator):
    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.field.rows():
            yield self.choice(obj)

    def __len__(self) -> int:
        return len(self.field.rows()) + (1 if self.field.empty_label is not None else 0)

    def __bool__(self) -> bool:
        return self.field.empty_label is not None or bool(self.field.rows())


class ListedModelChoiceField(forms.ModelChoiceField):
    iterator = _ListedIterator

    def _set_queryset(self, queryset: Any) -> None:
        super()._set_queryset(queryset)
        self._rows: list[Model] | None = None

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def rows(self) -> list[Model]:
        """The queryset's rows, read on first use (a new queryset reads them again)."""
        if getattr(self, "_rows", None) is None:
            self._rows = list(self.queryset)
        return self._rows

    def to_python(self, value: Any) -> Model | None:
        if value in self.empty_values:
            return None
        self.validate_no_null_characters(value)
        key = self.to_field_name or "pk"
        model = self.queryset.model
        if isinstance(value, model):
            value = getattr(value, key)
        field = model._meta.pk if key == "pk" else model._meta.get_field(key)
        try:
            wanted = field.to_python(value)
        except (ValidationError, ValueError, TypeError):
            wanted = None
        found = next(
            (obj for obj in self.rows() if wanted is not None and getattr(obj, key) == wanted),
            None,
        )
        if found is None:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return found
