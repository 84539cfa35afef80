"""The family-contacts page of a student: read by anyone who sees the student, changed by the
school's team (students.family). Each view and change is in the record of access."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from students.audit import AuditContext, audit_record
from students.family import (
    ContactValues,
    family_languages,
    family_links,
    guardian_add,
    guardian_unlink,
    guardian_update,
    language_name,
    may_edit_family,
)
from students.models import AccessLog, Relationship, StudentGuardian
from students.selectors import student_get_for_user


class ContactForm(forms.Form):
    first_name = forms.CharField(label=gettext_lazy("First name"), max_length=100, required=False)
    last_name = forms.CharField(label=gettext_lazy("Last name"), max_length=100)
    relationship = forms.ChoiceField(
        label=gettext_lazy("Relationship"), choices=Relationship.choices
    )
    email = forms.EmailField(label=gettext_lazy("E-mail"), required=False)
    phone = forms.CharField(label=gettext_lazy("Phone"), max_length=40, required=False)
    preferred_language = forms.ChoiceField(
        label=gettext_lazy("Language for letters"), required=False
    )
    receives_letters = forms.BooleanField(
        label=gettext_lazy("Send letters about the student's support to this contact"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["preferred_language"].choices = [
            ("", _("Not recorded (letters in English)")),
            *family_languages(),
        ]
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")

    def values(self) -> ContactValues:
        return ContactValues(**self.cleaned_data)


def _initial(link: StudentGuardian) -> dict:
    g = link.guardian
    return {
        "first_name": g.first_name,
        "last_name": g.last_name,
        "relationship": g.relationship,
        "email": g.email,
        "phone": g.phone,
        "preferred_language": g.preferred_language,
        "receives_letters": link.receives_letters,
    }


@login_required
@require_http_methods(["GET", "POST"])
def family_contacts(request: HttpRequest, pk: int) -> HttpResponse:
    """The list of contacts, a form per contact and one to add a contact."""
    student = student_get_for_user(user=request.user, pk=pk)
    editable = may_edit_family(request.user, student)
    audit = AuditContext.from_request(request)
    add_form = ContactForm(prefix="new")
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        add_form = ContactForm(request.POST, prefix="new")
        if add_form.is_valid():
            try:
                guardian_add(
                    student=student, values=add_form.values(), actor=request.user, audit=audit
                )
            except ValidationError as exc:
                add_form.add_error(None, exc)
            else:
                messages.success(request, _("Contact added."))
                return redirect("family_contacts", pk=student.pk)
    else:
        audit_record(
            user=request.user,
            action=AccessLog.Action.VIEW,
            object_type="family_contact",
            student=student,
            audit=audit,
        )
    links = family_links(student)
    for link in links:
        link.language_label = language_name(link.guardian.preferred_language or "en")
    rows = [
        {"link": link, "form": ContactForm(initial=_initial(link), prefix=f"c{link.pk}")}
        for link in links
    ]
    return render(
        request,
        "students/family_contacts.html",
        {"student": student, "rows": rows, "add_form": add_form, "editable": editable},
    )


def _link_for(request: HttpRequest, pk: int, link_pk: int) -> StudentGuardian:
    student = student_get_for_user(user=request.user, pk=pk)
    link = get_object_or_404(
        StudentGuardian.objects.select_related("guardian"), pk=link_pk, student=student
    )
    link.student = student
    return link


@login_required
@require_POST
def family_contact_save(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    link = _link_for(request, pk, link_pk)
    form = ContactForm(request.POST, prefix=f"c{link.pk}")
    if not form.is_valid():
        messages.error(request, _("The contact was not saved: check the fields and try again."))
        return redirect("family_contacts", pk=pk)
    guardian_update(
        link=link,
        values=form.values(),
        actor=request.user,
        audit=AuditContext.from_request(request),
    )
    messages.success(request, _("Contact saved."))
    return redirect("family_contacts", pk=pk)


@login_required
@require_POST
def family_contact_remove(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    link = _link_for(request, pk, link_pk)
    guardian_unlink(link=link, actor=request.user, audit=AuditContext.from_request(request))
    messages.success(request, _("Contact removed from this student."))
    return redirect("family_contacts", pk=pk)
