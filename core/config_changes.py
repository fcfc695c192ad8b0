"""Changing configuration (units, categories, rules, policies, templates, users) with a log entry for each change."""

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import ProtectedError
from django.forms.models import model_to_dict

from core.errors import Conflict
from core.models import ConfigChange

SECRET_FIELDS = {"password"}


def _plain(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set):
        if value and all(isinstance(item, models.Model) for item in value):
            return sorted(item.pk for item in value)  # many-to-many: the related ids
        return [_plain(item) for item in value]
    return value


def snapshot(instance: models.Model) -> dict[str, Any]:
    data = {key: _plain(value) for key, value in model_to_dict(instance).items() if key not in SECRET_FIELDS}
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def config_log(*, actor, instance: models.Model, action: str, before: dict | None, after: dict | None) -> None:
    """One entry in the configuration log: what the object was and became (None: it did not exist)."""
    ConfigChange.objects.create(actor=actor, model=instance._meta.label, object_id=str(instance.pk), action=action,
                                before=before, after=after)


@transaction.atomic
def config_save(*, instance: models.Model, actor, fields: dict[str, Any], clean: bool = True,
                log: bool = True) -> models.Model:
    """Create (no pk yet) or update ``instance`` with ``fields``, validated by the model, and log it
    (``log=False``: the caller logs once it has also changed related rows)."""
    creating = instance.pk is None
    before = None if creating else snapshot(type(instance).objects.select_for_update().get(pk=instance.pk))
    for name, value in fields.items():
        setattr(instance, name, value)
    if clean:
        instance.full_clean()
    instance.save()
    if log:
        config_log(actor=actor, instance=instance, action="create" if creating else "update", before=before,
                   after=snapshot(instance))
    return instance


@transaction.atomic
def config_delete(*, instance: models.Model, actor) -> None:
    before, pk = snapshot(instance), instance.pk
    try:
        with transaction.atomic():
            instance.delete()
    except ProtectedError:
        raise Conflict(f"This {instance._meta.verbose_name} is in use by cases or other records; "
                       "deactivate it instead.") from None
    instance.pk = pk
    config_log(actor=actor, instance=instance, action="delete", before=before, after=None)
