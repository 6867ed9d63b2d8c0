"""The audit log: one entry per write, with who, when, what, before and after."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import models

from registre.web.clock import Clock
from registre.web.core.models import AuditEntry, Collectivity

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

JsonValue = str | int | float | bool | None
Snapshot = dict[str, JsonValue]


def snapshot(instance: models.Model | None) -> Snapshot | None:
    """The instance's concrete field values as JSON values (foreign keys by id)."""
    if instance is None:
        return None
    values: Snapshot = {}
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname)
        values[field.attname] = _json(value)
    return values


def _json(value: object) -> JsonValue:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def record(
    actor: AbstractBaseUser | None,
    clock: Clock,
    collectivity: Collectivity | None,
    action: str,
    target: models.Model,
    summary: str,
    *,
    before: Snapshot | None = None,
    after: Snapshot | None = None,
) -> AuditEntry:
    """Append one audit entry (inside the caller's transaction)."""
    return AuditEntry.objects.create(
        collectivity=collectivity,
        actor=actor if actor is not None and actor.is_authenticated else None,
        at=clock(),
        action=action,
        object_type=target._meta.label_lower,
        object_id=str(target.pk),
        summary=summary[:300],
        before=before,
        after=after,
    )
