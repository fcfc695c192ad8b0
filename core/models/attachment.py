"""Files attached to a case: stored through Django's storage API, served only through the API."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models.case import Case


class Attachment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to="attachments/%Y/%m/")
    original_name = models.CharField(max_length=255)
    # What the content is (sniffed from its bytes), not what its name claims.
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # A co-decision item's consultation documents, which the public page offers (workflows.consultation).
    public = models.BooleanField(default=False, db_default=False)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("attachment")
