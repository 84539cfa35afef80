"""Pages of family letters and referral records: thin views over families.letters and
families.referrals. Every page and PDF is reached through the students the user may see and
written to the record of access."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from families import chart, letters, pdf, referrals
from families.models import FamilyLetter, ReferralOutcome
from interventions.models import InterventionPlan
from mtss.errors import ApplicationError
from students.audit import AuditContext, audit_record
from students.family import language_name
from students.models import AccessLog
from students.selectors import student_get_for_user


class LetterForm(forms.Form):
    subject = forms.CharField(label=gettext_lazy("Subject"), max_length=300)
    body = forms.CharField(label=gettext_lazy("Letter"), widget=forms.Textarea(attrs={"rows": 22}))
    version = forms.IntegerField(widget=forms.HiddenInput)


def _view_log(request: HttpRequest, object_type: str, pk: int, student_id: int, action=None):
    audit_record(
        user=request.user,
        action=action or AccessLog.Action.VIEW,
        object_type=object_type,
        object_id=pk,
        student=student_id,
        request=request,
    )


@login_required
@require_http_methods(["GET", "POST"])
def letter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    letter = letters.letter_get_for_user(user=request.user, pk=pk)
    editable = not letter.is_sent and letters.may_write_letters(
        request.user, letter.student, letter.plan
    )
    form = LetterForm(
        initial={"subject": letter.subject, "body": letter.body, "version": letter.version}
    )
    if request.method == "POST":
        form = LetterForm(request.POST)
        if form.is_valid():
            try:
                letters.letter_save(
                    letter=letter,
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                    version=form.cleaned_data["version"],
                    actor=request.user,
                    audit=AuditContext.from_request(request),
                )
            except (ValidationError, ApplicationError) as exc:
                form.add_error(None, getattr(exc, "message", None) or exc.messages[0])
            else:
                messages.success(request, _("Letter saved."))
                return redirect("families:letter", pk=letter.pk)
    else:
        _view_log(request, "family_letter", letter.pk, letter.student_id)
    return render(
        request,
        "families/letter.html",
        {
            "letter": letter,
            "paragraphs": [p for p in letter.body.split("\n\n") if p.strip()],
            "form": form,
            "editable": editable,
            "language_name": language_name(letter.language),
            "via_choices": FamilyLetter.SentVia.choices,
        },
    )


@login_required
@require_GET
def letter_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    letter = letters.letter_get_for_user(user=request.user, pk=pk)
    _view_log(request, "family_letter", letter.pk, letter.student_id, AccessLog.Action.EXPORT)
    response = HttpResponse(pdf.letter_pdf(letter), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="letter-{letter.pk}.pdf"'
    return response


@login_required
@require_GET
def letter_chart(request: HttpRequest, pk: int) -> HttpResponse:
    letter = letters.letter_get_for_user(user=request.user, pk=pk)
    if not letter.chart_data:
        return HttpResponse(status=404)
    return HttpResponse(chart.svg(letter.chart_data), content_type="image/svg+xml")


@login_required
@require_POST
def letter_send(request: HttpRequest, pk: int) -> HttpResponse:
    letter = letters.letter_get_for_user(user=request.user, pk=pk)
    try:
        letters.letter_mark_sent(
            letter=letter,
            via=request.POST.get("via", ""),
            actor=request.user,
            audit=AuditContext.from_request(request),
        )
    except (ValidationError, ApplicationError) as exc:
        messages.error(request, getattr(exc, "message", None) or exc.messages[0])
        return redirect("families:letter", pk=letter.pk)
    messages.success(request, _("The letter is marked as sent and kept on the profile."))
    return redirect("families:letter", pk=letter.pk)


@login_required
@require_POST
def progress_report_new(request: HttpRequest, student_pk: int) -> HttpResponse:
    student = student_get_for_user(user=request.user, pk=student_pk)
    plan = get_object_or_404(InterventionPlan, pk=request.POST.get("plan") or 0, student=student)
    letter = letters.letter_draft_progress_report(
        plan=plan, actor=request.user, audit=AuditContext.from_request(request)
    )
    return redirect("families:letter", pk=letter.pk)


# -- referral records ------------------------------------------------------------------------


class ConsentForm(forms.Form):
    consent_requested_on = forms.DateField(
        label=gettext_lazy("Consent requested on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    consent_given_on = forms.DateField(
        label=gettext_lazy("Consent given on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    consent_refused_on = forms.DateField(
        label=gettext_lazy("Consent refused on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    timeline_days = forms.IntegerField(
        label=gettext_lazy("Days from consent to the end of the evaluation"),
        min_value=1,
        max_value=365,
    )


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=gettext_lazy("Outcome"), choices=ReferralOutcome.choices)
    outcome_on = forms.DateField(
        label=gettext_lazy("Date of the outcome"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    notes = forms.CharField(
        label=gettext_lazy("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


def _styled(form: forms.Form) -> forms.Form:
    for field in form.fields.values():
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        field.widget.attrs.setdefault("class", css)
    return form


@login_required
@require_http_methods(["GET", "POST"])
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    referral = referrals.referral_get_for_user(user=request.user, pk=pk)
    audit = AuditContext.from_request(request)
    consent = _styled(
        ConsentForm(
            initial={
                "consent_requested_on": referral.consent_requested_on,
                "consent_given_on": referral.consent_given_on,
                "consent_refused_on": referral.consent_refused_on,
                "timeline_days": referral.timeline_days,
            }
        )
    )
    outcome = _styled(
        OutcomeForm(
            initial={
                "outcome": referral.outcome,
                "outcome_on": referral.outcome_on,
                "notes": referral.notes,
            }
        )
    )
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "consent":
                consent = _styled(ConsentForm(request.POST))
                if consent.is_valid():
                    referrals.referral_record_consent(
                        referral=referral,
                        values=referrals.ConsentValues(**consent.cleaned_data),
                        actor=request.user,
                        audit=audit,
                    )
                    messages.success(request, _("Consent dates saved."))
                    return redirect("families:referral", pk=pk)
            elif action == "outcome":
                outcome = _styled(OutcomeForm(request.POST))
                if outcome.is_valid():
                    referrals.referral_record_outcome(
                        referral=referral, actor=request.user, audit=audit, **outcome.cleaned_data
                    )
                    messages.success(request, _("Outcome saved."))
                    return redirect("families:referral", pk=pk)
            elif action == "sign_off":
                referrals.referral_sign_off(referral=referral, actor=request.user, audit=audit)
                messages.success(request, _("The record is signed off and can no longer change."))
                return redirect("families:referral", pk=pk)
        except ValidationError as exc:
            target = consent if action == "consent" else outcome
            for field, errors in exc.message_dict.items():
                for e in errors:
                    target.add_error(field if field in target.fields else None, e)
        except ApplicationError as exc:
            messages.error(request, exc.message)
    else:
        _view_log(request, "evaluation_referral", referral.pk, referral.student_id)
    today = timezone.localdate()
    return render(
        request,
        "families/referral.html",
        {
            "referral": referral,
            "student": referral.student,
            "clock": referrals.referral_clock(referral, today=today),
            "doc": referrals.referral_documentation(referral, today=today),
            "consent_form": consent,
            "outcome_form": outcome,
            "editable": not referral.is_frozen
            and referrals.access.is_on_team_of(
                request.user,
                school_id=referral.student.school_id,
                district_id=referral.student.district_id,
            ),
        },
    )


@login_required
@require_GET
def referral_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    referral = referrals.referral_get_for_user(user=request.user, pk=pk)
    _view_log(
        request, "evaluation_referral", referral.pk, referral.student_id, AccessLog.Action.EXPORT
    )
    doc = referrals.referral_documentation(referral, today=timezone.localdate())
    response = HttpResponse(pdf.referral_pdf(referral, doc), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="referral-{referral.pk}.pdf"'
    return response
