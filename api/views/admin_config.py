"""Admin API for the office's configuration. Every change is validated by the model and written to the config log."""

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from api.fields import StrictCharField, StrictChoiceField, StrictModelSerializer
from api.views.admin import IsOfficeAdmin
from core.choices import Role
from core.config_changes import config_delete, config_save
from core.models import (
    Agency,
    Category,
    ConfigChange,
    Membership,
    Office,
    ReplyTemplate,
    RoutingRule,
    School,
    SlaPolicy,
    Unit,
    WaitingReason,
)
from core.user_admin import membership_admin_check, unit_admin_check, user_admin_save


class UnitSerializer(StrictModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "code", "name_th", "name_en", "is_integrity", "receives_unrouted", "strategy", "active"]


class CategorySerializer(StrictModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "kind", "code", "name_th", "name_en", "position", "active"]


class RoutingRuleSerializer(StrictModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", queryset=Unit.objects.all())
    school = serializers.SlugRelatedField(slug_field="code", queryset=School.objects.all(), allow_null=True,
                                          required=False, help_text="A school's OBEC code: the rule takes its cases.")

    class Meta:
        model = RoutingRule
        fields = ["id", "name", "position", "kind", "category", "channel", "school", "district", "keywords", "unit",
                  "active"]


class SlaPolicySerializer(StrictModelSerializer):
    class Meta:
        model = SlaPolicy
        fields = ["id", "name", "kind", "category", "priority", "calendar", "acknowledge_value", "acknowledge_unit",
                  "resolve_value", "resolve_unit", "max_pause_value", "max_pause_unit", "ladder", "answer_window_days",
                  "reopen_limit", "active"]


class ReplyTemplateSerializer(StrictModelSerializer):
    class Meta:
        model = ReplyTemplate
        fields = ["id", "code", "title", "body", "kind", "active"]


class AgencySerializer(StrictModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "code", "name_th", "name_en", "email", "phone", "address", "reply_days", "handles_corruption",
                  "active"]


class WaitingReasonSerializer(StrictModelSerializer):
    class Meta:
        model = WaitingReason
        fields = ["id", "code", "name_th", "name_en", "explanation_th", "explanation_en", "stops_clock",
                  "max_business_days", "position", "active"]


class MembershipSerializer(StrictModelSerializer):
    user = serializers.SlugRelatedField(slug_field="username", queryset=get_user_model().objects.all())
    unit = serializers.SlugRelatedField(slug_field="code", queryset=Unit.objects.all())

    class Meta:
        model = Membership
        fields = ["id", "user", "unit", "is_head"]


class UserSerializer(StrictModelSerializer):
    roles = serializers.ListField(child=StrictChoiceField(choices=Role.choices), required=False,
                                  help_text="Office-wide roles; unit roles come from memberships.")
    password = StrictCharField(write_only=True, required=False, min_length=10, max_length=128,
                               trim_whitespace=False)

    class Meta:
        model = get_user_model()
        fields = ["id", "username", "first_name", "last_name", "email", "is_active", "roles", "password"]

    def to_representation(self, user):
        data = super().to_representation(user)
        data["roles"] = sorted(user.groups.values_list("name", flat=True))
        return data


class ConfigChangeSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username")

    class Meta:
        model = ConfigChange
        fields = ["id", "at", "actor", "model", "object_id", "action", "before", "after"]


class ConfigViewSet(viewsets.ModelViewSet):
    """Create, read, update and delete one kind of configuration; every write goes through config_save/delete."""

    permission_classes = [IsOfficeAdmin]
    http_method_names = ["get", "post", "patch", "delete"]

    def perform_create(self, serializer):
        serializer.instance = config_save(instance=self.queryset.model(), actor=self.request.user,
                                          fields=serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = config_save(instance=serializer.instance, actor=self.request.user,
                                          fields=serializer.validated_data)

    def perform_destroy(self, instance):
        config_delete(instance=instance, actor=self.request.user)


def _config_viewset(model_serializer, queryset, label: str, base=ConfigViewSet):
    tagged = extend_schema_view(**{action: extend_schema(tags=["admin"], summary=f"{label}: {action}")
                                   for action in ("list", "retrieve", "create", "partial_update", "destroy")})
    return tagged(type(f"{model_serializer.Meta.model.__name__}AdminViewSet", (base,),
                       {"queryset": queryset, "serializer_class": model_serializer}))


class UnitConfigViewSet(ConfigViewSet):
    def perform_create(self, serializer):
        unit_admin_check(actor=self.request.user, unit=Unit(), fields=serializer.validated_data)
        # One office per installation: new units belong to it.
        fields = {"office": Office.objects.order_by("pk").first(), **serializer.validated_data}
        serializer.instance = config_save(instance=Unit(), actor=self.request.user, fields=fields)

    def perform_update(self, serializer):
        unit_admin_check(actor=self.request.user, unit=serializer.instance, fields=serializer.validated_data)
        super().perform_update(serializer)

    def perform_destroy(self, instance):
        unit_admin_check(actor=self.request.user, unit=instance, fields={})
        super().perform_destroy(instance)


class MembershipConfigViewSet(ConfigViewSet):
    def _check(self, membership, fields: dict) -> None:
        for user, unit in {(membership.user if membership.pk else None, membership.unit if membership.pk else None),
                           (fields.get("user"), fields.get("unit"))}:
            if user is not None and unit is not None:
                membership_admin_check(actor=self.request.user, user=user, unit=unit)

    def perform_create(self, serializer):
        self._check(Membership(), serializer.validated_data)
        super().perform_create(serializer)

    def perform_update(self, serializer):
        fields = {"user": serializer.instance.user, "unit": serializer.instance.unit, **serializer.validated_data}
        self._check(serializer.instance, fields)
        super().perform_update(serializer)

    def perform_destroy(self, instance):
        membership_admin_check(actor=self.request.user, user=instance.user, unit=instance.unit)
        super().perform_destroy(instance)


UnitViewSet = _config_viewset(UnitSerializer, Unit.objects.all(), "Units", base=UnitConfigViewSet)
CategoryViewSet = _config_viewset(CategorySerializer, Category.objects.all(), "Categories")
RoutingRuleViewSet = _config_viewset(RoutingRuleSerializer, RoutingRule.objects.select_related("unit"),
                                     "Routing rules")
SlaPolicyViewSet = _config_viewset(SlaPolicySerializer, SlaPolicy.objects.all(), "SLA policies")
ReplyTemplateViewSet = _config_viewset(ReplyTemplateSerializer, ReplyTemplate.objects.all(), "Reply templates")
AgencyViewSet = _config_viewset(AgencySerializer, Agency.objects.all(), "Agencies (referrals)")
WaitingReasonViewSet = _config_viewset(WaitingReasonSerializer, WaitingReason.objects.all(), "Waiting reasons")
MembershipViewSet = _config_viewset(MembershipSerializer, Membership.objects.select_related("user", "unit"),
                                    "Unit memberships", base=MembershipConfigViewSet)


@extend_schema_view(**{action: extend_schema(tags=["admin"], summary=f"Users: {action}")
                       for action in ("list", "retrieve", "create", "partial_update", "destroy")})
class UserViewSet(ConfigViewSet):
    """Users and their office-wide roles. Deleting deactivates: their past actions stay attributed."""

    queryset = get_user_model().objects.prefetch_related("groups").order_by("username")
    serializer_class = UserSerializer

    def _save(self, instance, serializer):
        fields = dict(serializer.validated_data)
        roles, password = fields.pop("roles", None), fields.pop("password", None)
        return user_admin_save(instance=instance, actor=self.request.user, fields=fields, roles=roles,
                               password=password)

    def perform_create(self, serializer):
        serializer.instance = self._save(get_user_model()(), serializer)

    def perform_update(self, serializer):
        serializer.instance = self._save(serializer.instance, serializer)

    def perform_destroy(self, instance):
        user_admin_save(instance=instance, actor=self.request.user, fields={"is_active": False}, roles=None,
                        password=None)


@extend_schema_view(list=extend_schema(tags=["admin"], summary="The configuration change log"),
                    retrieve=extend_schema(tags=["admin"], summary="One configuration change"))
class ConfigChangeViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [IsOfficeAdmin]
    queryset = ConfigChange.objects.select_related("actor")
    serializer_class = ConfigChangeSerializer

    def list(self, request, *args, **kwargs):
        # The newest 500 changes; older ones stay in the database and the Django admin.
        return Response(self.get_serializer(self.get_queryset()[:500], many=True).data)
