"""Admin API for the office's configuration. Every change is validated by the model and written to the config log."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from api.fields import StrictCharField, StrictChoiceField, StrictModelSerializer
from api.views.admin import IsOfficeAdmin
from core.choices import Role
from core.config_changes import config_delete, config_save
from core.models import Category, ConfigChange, Membership, Office, ReplyTemplate, RoutingRule, SlaPolicy, Unit


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

    class Meta:
        model = RoutingRule
        fields = ["id", "name", "position", "kind", "category", "channel", "keywords", "unit", "active"]


class SlaPolicySerializer(StrictModelSerializer):
    class Meta:
        model = SlaPolicy
        fields = ["id", "name", "kind", "category", "priority", "calendar", "acknowledge_value", "acknowledge_unit",
                  "resolve_value", "resolve_unit", "max_pause_value", "max_pause_unit", "ladder", "active"]


class ReplyTemplateSerializer(StrictModelSerializer):
    class Meta:
        model = ReplyTemplate
        fields = ["id", "code", "title", "body", "kind", "active"]


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
        # One office per installation: new units belong to it.
        fields = {"office": Office.objects.order_by("pk").first(), **serializer.validated_data}
        serializer.instance = config_save(instance=Unit(), actor=self.request.user, fields=fields)


UnitViewSet = _config_viewset(UnitSerializer, Unit.objects.all(), "Units", base=UnitConfigViewSet)
CategoryViewSet = _config_viewset(CategorySerializer, Category.objects.all(), "Categories")
RoutingRuleViewSet = _config_viewset(RoutingRuleSerializer, RoutingRule.objects.select_related("unit"),
                                     "Routing rules")
SlaPolicyViewSet = _config_viewset(SlaPolicySerializer, SlaPolicy.objects.all(), "SLA policies")
ReplyTemplateViewSet = _config_viewset(ReplyTemplateSerializer, ReplyTemplate.objects.all(), "Reply templates")
MembershipViewSet = _config_viewset(MembershipSerializer, Membership.objects.select_related("user", "unit"),
                                    "Unit memberships")


@extend_schema_view(**{action: extend_schema(tags=["admin"], summary=f"Users: {action}")
                       for action in ("list", "retrieve", "create", "partial_update", "destroy")})
class UserViewSet(ConfigViewSet):
    """Users and their office-wide roles. Deleting deactivates: their past actions stay attributed."""

    queryset = get_user_model().objects.prefetch_related("groups").order_by("username")
    serializer_class = UserSerializer

    def _save(self, instance, serializer):
        fields = dict(serializer.validated_data)
        roles, password = fields.pop("roles", None), fields.pop("password", None)
        user = config_save(instance=instance, actor=self.request.user, fields=fields, clean=False)
        if password:
            user.set_password(password)
            user.save(update_fields=["password"])
        if roles is not None:
            user.groups.set([Group.objects.get_or_create(name=role)[0] for role in roles])
        return user

    def perform_create(self, serializer):
        serializer.instance = self._save(get_user_model()(), serializer)

    def perform_update(self, serializer):
        serializer.instance = self._save(serializer.instance, serializer)

    def perform_destroy(self, instance):
        config_save(instance=instance, actor=self.request.user, fields={"is_active": False}, clean=False)


@extend_schema_view(list=extend_schema(tags=["admin"], summary="The configuration change log"),
                    retrieve=extend_schema(tags=["admin"], summary="One configuration change"))
class ConfigChangeViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [IsOfficeAdmin]
    queryset = ConfigChange.objects.select_related("actor")[:500]
    serializer_class = ConfigChangeSerializer
