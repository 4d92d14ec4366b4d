"""Documents and photos of one case. Access: ``person_for_user`` (404 for a case the user
may not see), then ``can_reveal_identity`` to list or download (files identify people),
``can_change_case`` to upload. Every download is written to the access log."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from casework.accounts.enums import AccessAction
from casework.accounts.services import access_log_record
from casework.cases.forms import validation_error_to_form
from casework.cases.permissions import can_change_case, can_reveal_identity, person_for_user
from casework.cases.references import reference_canonical
from casework.documents import services
from casework.documents.forms import DocumentUploadForm
from casework.documents.models import Document


def _person_with_files(request, reference):
    person = person_for_user(request.user, reference)
    if not can_reveal_identity(request.user, person):
        raise PermissionDenied(_("Your role may not open the files of a case."))
    return person


@reference_canonical
@login_required
@require_http_methods(["GET", "POST"])
def document_list(request, reference: str):
    person = _person_with_files(request, reference)
    may_upload = can_change_case(request.user, person)
    form = DocumentUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not may_upload:
            raise PermissionDenied(_("You may not add files to this case."))
        if form.is_valid():
            try:
                services.document_upload(
                    person=person,
                    uploaded_by=request.user,
                    file=form.cleaned_data["file"],
                    kind=form.cleaned_data["kind"],
                )
            except ValidationError as exc:
                validation_error_to_form(form, exc)
            else:
                messages.success(request, _("File added."))
                return redirect("documents:list", reference=person.reference)
    documents = Document.objects.filter(person=person).select_related("uploaded_by")
    return render(
        request,
        "documents/document_list.html",
        {"person": person, "documents": documents, "form": form, "may_upload": may_upload},
        status=400 if form.errors else 200,
    )


@reference_canonical
@login_required
@require_GET
def document_download(request, reference: str, pk: int):
    person = _person_with_files(request, reference)
    try:
        document = Document.objects.get(person=person, pk=pk)
    except Document.DoesNotExist as exc:
        raise Http404(_("No such file.")) from exc
    content = services.document_read(document=document)
    access_log_record(
        user=request.user,
        action=AccessAction.REVEALED_IDENTITY,
        reference=person.reference,
        detail=f"downloaded {document.kind} #{document.pk}",
    )
    response = HttpResponse(content, content_type=document.content_type)
    # Always a download, never rendered in our origin; a sandbox if a browser tries anyway.
    response["Content-Disposition"] = f'attachment; filename="{document.download_name}"'
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response
