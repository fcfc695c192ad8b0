"""Attaching files to a case: size limit, content allow-list, storage, audit."""

import os
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from core.choices import FINAL_STATUSES, ActorKind, Visibility
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from core.files import ALLOWED, StructureProblem, scan, sniff, structure_check
from core.models import Attachment, Case
from core.selectors import case_get_for_update, case_get_visible
from workflows.changes import case_change_record
from workflows.permissions import triages_case

SNIFF_BYTES = 8192


def _invalid(message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={"file": [message]})


@dataclass(frozen=True)
class CheckedFile:
    upload: UploadedFile  # read in chunks: a large upload stays in Django's temporary file, not in memory
    name: str
    content_type: str
    size: int
    sha256: str


def attachment_checked(upload: UploadedFile) -> CheckedFile:
    """The upload, if it is an allowed kind of file within the size limit (else 400)."""
    if upload.size > settings.ATTACHMENT_MAX_BYTES:
        raise _invalid(_("The file is larger than %(megabytes)s MB.")
                       % {"megabytes": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)})
    if upload.size == 0:
        raise _invalid(_("The file is empty."))
    upload.seek(0)
    content_type = sniff(upload.read(SNIFF_BYTES))
    upload.seek(0)
    sha256, size, whole_text = scan(upload.chunks())
    if content_type == "text/plain" and not whole_text:
        content_type = None  # text at the start, something else further on
    if content_type is None:
        raise _invalid(_("Only PDF, JPEG, PNG, Word (.docx), Excel (.xlsx) and plain text files can be attached."))
    try:
        structure_check(upload.file, content_type, size, inflated_max=settings.ATTACHMENT_MAX_INFLATED_BYTES)
    except StructureProblem as problem:
        if problem.reason == "inflates":
            raise _invalid(_("The file expands to more than %(megabytes)s MB when opened; it cannot be attached.")
                           % {"megabytes": settings.ATTACHMENT_MAX_INFLATED_BYTES // (1024 * 1024)}) from None
        raise _invalid(_("The file holds something other than what its type allows (for example a web page "
                         "appended to it); it cannot be attached.")) from None
    name = os.path.basename(upload.name or "")[:200] or "attachment"
    return CheckedFile(upload=upload, name=name, content_type=content_type, size=size, sha256=sha256)


def attachment_store(*, case: Case, checked: CheckedFile, actor=None, actor_kind: str = ActorKind.STAFF) -> Attachment:
    """Store a checked file on a locked case with its audit event (the caller holds the transaction)."""
    attachment = Attachment(case=case, original_name=checked.name, content_type=checked.content_type,
                            size=checked.size, sha256=checked.sha256, uploaded_by=actor)
    # The stored name is ours (random, with the extension of what the content is), never the upload's.
    checked.upload.seek(0)
    attachment.file.save(f"{case.pk}.{ALLOWED[checked.content_type]}", checked.upload, save=False)
    try:
        attachment.save()
        case_change_record(case, type="attachment", actor=actor, actor_kind=actor_kind,
                           data={"attachment": attachment.pk, "name": checked.name,
                                 "content_type": checked.content_type, "size": attachment.size,
                                 "sha256": attachment.sha256},
                           visibility=Visibility.INTERNAL)
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment


def case_attachment_add(*, tracking: str, actor, upload) -> Attachment:
    checked = attachment_checked(upload)
    with transaction.atomic():
        case = case_get_for_update(tracking=tracking, user=actor)
        if not triages_case(case, actor):
            raise PermissionDenied("You may read this case but not attach files to it.")
        if case.status in FINAL_STATUSES:
            raise Conflict("This case is closed; nothing more can be attached to it.")
        return attachment_store(case=case, checked=checked, actor=actor)


def case_attachments(*, tracking: str, user) -> tuple[Case, list[Attachment]]:
    case = case_get_visible(tracking=tracking, user=user)
    return case, list(case.attachments.select_related("uploaded_by"))


def case_attachment_get(*, tracking: str, user, attachment_id: int) -> Attachment:
    """One attachment of a case the user may see (NotFound otherwise, and for another case's file)."""
    case = case_get_visible(tracking=tracking, user=user)
    attachment = case.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFound("The case has no such attachment.")
    return attachment
