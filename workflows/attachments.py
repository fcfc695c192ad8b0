"""Attaching files to a case: size limit, content allow-list, storage, audit."""

import os

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from core.choices import FINAL_STATUSES, ActorKind, Visibility
from core.errors import Conflict, PermissionDenied, ValidationFailed
from core.files import ALLOWED, is_text, sha256_of, sniff
from core.models import Attachment, Case
from core.selectors import case_get_for_update, case_get_visible
from workflows.events import case_event_record
from workflows.permissions import triages_case

SNIFF_BYTES = 8192


def _invalid(message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={"file": [message]})


def _checked(upload) -> tuple[str, bytes]:
    if upload.size > settings.ATTACHMENT_MAX_BYTES:
        raise _invalid(f"The file is larger than {settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)} MB.")
    if upload.size == 0:
        raise _invalid("The file is empty.")
    content = b"".join(upload.chunks())
    content_type = sniff(content[:SNIFF_BYTES])
    if content_type == "text/plain" and not is_text(content):
        content_type = None  # text at the start, something else further on
    if content_type is None:
        raise _invalid("Only PDF, JPEG, PNG, Word (.docx), Excel (.xlsx) and plain text files can be attached.")
    return content_type, content


def case_attachment_add(*, tracking: str, actor, upload) -> Attachment:
    content_type, content = _checked(upload)
    name = os.path.basename(upload.name or "")[:200] or "attachment"
    with transaction.atomic():
        case = case_get_for_update(tracking=tracking, user=actor)
        if not triages_case(case, actor):
            raise PermissionDenied("You may read this case but not attach files to it.")
        if case.status in FINAL_STATUSES:
            raise Conflict("This case is closed; nothing more can be attached to it.")
        attachment = Attachment(case=case, original_name=name, content_type=content_type, size=len(content),
                                sha256=sha256_of([content]), uploaded_by=actor)
        # The stored name is ours (random, with the extension of what the content is), never the upload's.
        attachment.file.save(f"{case.pk}.{ALLOWED[content_type]}", ContentFile(content), save=False)
        try:
            attachment.save()
            case_event_record(case=case, type="attachment", actor=actor, actor_kind=ActorKind.STAFF,
                              data={"attachment": attachment.pk, "name": name, "content_type": content_type,
                                    "size": attachment.size, "sha256": attachment.sha256},
                              visibility=Visibility.INTERNAL)
        except Exception:
            attachment.file.delete(save=False)
            raise
    return attachment


def case_attachments(*, tracking: str, user) -> tuple[Case, list[Attachment]]:
    case = case_get_visible(tracking=tracking, user=user)
    return case, list(case.attachments.select_related("uploaded_by"))
