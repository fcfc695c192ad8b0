"""Admin API: configuration that moves deadlines (office closures)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from api.fields import StrictCharField, StrictSerializer
from core.access import staff_profile
from core.choices import Role
from core.models import OfficeClosure
from workflows.closures import closure_add, closure_remove


class IsOfficeAdmin(BasePermission):
    message = "Only administrators may change the office configuration."

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and Role.ADMIN in staff_profile(request.user).roles)


class ClosureInput(StrictSerializer):
    day = serializers.DateField()
    reason = StrictCharField(max_length=200)


class ClosureOutput(serializers.Serializer):
    day = serializers.DateField()
    reason = serializers.CharField()


class ClosureListCreateApi(APIView):
    permission_classes = [IsOfficeAdmin]

    @extend_schema(responses=ClosureOutput(many=True), summary="Office closures (days the office is shut)")
    def get(self, request):
        return Response(ClosureOutput(OfficeClosure.objects.all(), many=True).data)

    @extend_schema(request=ClosureInput, responses={201: ClosureOutput},
                   summary="Add a closure; open cases' deadlines are recomputed")
    def post(self, request):
        data = ClosureInput(data=request.data)
        data.is_valid(raise_exception=True)
        closure = closure_add(actor=request.user, **data.validated_data)
        return Response(ClosureOutput(closure).data, status=status.HTTP_201_CREATED)


class ClosureDeleteApi(APIView):
    permission_classes = [IsOfficeAdmin]

    @extend_schema(responses={204: None}, summary="Remove a closure; open cases' deadlines are recomputed")
    def delete(self, request, day: str):
        data = ClosureInput(data={"day": day, "reason": "-"})
        data.is_valid(raise_exception=True)
        closure_remove(day=data.validated_data["day"], actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
