"""mtss/lib/listed_choices.py: one read of the rows serves the check and the <select>, with
Django's answers for a good, a foreign and a malformed choice."""

from __future__ import annotations

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mtss.lib.listed_choices import ListedModelChoiceField
from students.models import School
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db


class PickForm(forms.Form):
    school = ListedModelChoiceField(queryset=School.objects.none(), empty_label="Choose")

    def __init__(self, data, *, schools):
        super().__init__(data)
        self.fields["school"].queryset = schools


def test_it_checks_and_lists_the_choices_in_one_query(world):
    other = SchoolFactory(district=world.district, name="Zinnia Elementary")
    schools = School.objects.filter(pk__in=[world.school.pk, other.pk]).order_by("name")
    with CaptureQueriesContext(connection) as queries:
        form = PickForm({"school": str(other.pk)}, schools=schools)
        assert form.is_valid()
        html = str(form["school"])
    assert form.cleaned_data["school"] == other
    assert len(queries) == 1
    assert html.count("<option") == 3  # "Choose" and the two schools
    assert f'<option value="{other.pk}" selected>Zinnia Elementary</option>' in html


@pytest.mark.parametrize("value", ["not-a-number", "999999", "1.5"])
def test_a_choice_outside_the_list_is_refused_as_django_refuses_it(world, value):
    form = PickForm({"school": value}, schools=School.objects.filter(pk=world.school.pk))
    assert not form.is_valid()
    assert form.has_error("school", "invalid_choice")
    assert form.errors["school"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
