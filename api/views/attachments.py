"""Attachments: upload (multipart), list, and download only for those who may see the case."""

from django.http import FileResponse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from api.fields import StrictSerializer
from workflows.attachments import case_attachment_add, case_attachment_get, case_attachments


class AttachmentInput(StrictSerializer):
    file = serializers.FileField(allow_empty_file=True)


class AttachmentOutput(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField(source="original_name")
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    uploaded_by = serializers.CharField(source="uploaded_by.username", allow_null=True, default=None)
    uploaded_at = serializers.DateTimeField()


class CaseAttachmentsApi(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(responses=AttachmentOutput(many=True), summary="The case's attachments")
    def get(self, request, tracking: str):
        _, attachments = case_attachments(tracking=tracking, user=request.user)
        return Response(AttachmentOutput(attachments, many=True).data)

    @extend_schema(request={"multipart/form-data": AttachmentInput}, responses={201: AttachmentOutput},
                   summary="Attach a file (PDF, JPEG, PNG, DOCX, XLSX, text; checked by content)")
    def post(self, request, tracking: str):
        data = AttachmentInput(data=request.data)
        data.is_valid(raise_exception=True)
        attachment = case_attachment_add(tracking=tracking, actor=request.user, upload=data.validated_data["file"])
        return Response(AttachmentOutput(attachment).data, status=status.HTTP_201_CREATED)


class CaseAttachmentDownloadApi(APIView):
    @extend_schema(responses={(200, "application/octet-stream"): bytes}, summary="Download an attachment")
    def get(self, request, tracking: str, attachment_id: int):
        attachment = case_attachment_get(tracking=tracking, user=request.user, attachment_id=attachment_id)
        response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name,
                                content_type=attachment.content_type)
        response["X-Content-Type-Options"] = "nosniff"
        return response
