"""Admin API: configuration validated, restricted to administrators, and every change in the config log."""

import pytest
from django.contrib.auth import authenticate
from django.db import DatabaseError, connection, transaction

from core.models import Category, ConfigChange, RoutingRule, SlaPolicy, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(staff):
    return staff("admin")


def test_only_administrators(staff, demo):
    for username in ("officer1", "supervisor1", "director", "auditor1", "clerk1"):
        assert staff(username).get("/api/v1/admin/units/").status_code == 403
        assert staff(username).post("/api/v1/admin/units/", {"code": "x"}, format="json").status_code == 403


def test_units_are_created_changed_and_logged(admin):
    response = admin.post("/api/v1/admin/units/", {"code": "ombudsman", "name_th": "ศูนย์รับเรื่อง",
                                                   "strategy": "least_loaded"}, format="json")
    assert response.status_code == 201, response.json()
    unit_id = response.json()["id"]
    changed = admin.patch(f"/api/v1/admin/units/{unit_id}/", {"strategy": "manual"}, format="json")
    assert changed.status_code == 200 and changed.json()["strategy"] == "manual"
    log = list(ConfigChange.objects.filter(model="core.Unit", object_id=str(unit_id)).order_by("pk"))
    assert [(c.action, c.actor.username) for c in log] == [("create", "admin"), ("update", "admin")]
    assert (log[1].before["strategy"], log[1].after["strategy"]) == ("least_loaded", "manual")
    listed = admin.get("/api/v1/admin/config-log/").json()
    assert listed[0]["action"] == "update" and listed[0]["actor"] == "admin"


@pytest.mark.parametrize("path,body,field", [
    ("units", {"code": "personnel", "name_th": "ซ้ำ"}, "code"),              # unique
    ("units", {"code": "x", "name_th": "x", "strategy": "lottery"}, "strategy"),
    ("units", {"code": "x", "name_th": "x", "colour": "red"}, "colour"),     # unknown field
    ("units", {"code": "x", "name_th": 5}, "name_th"),                       # wrong type
    ("categories", {"kind": "petition", "code": "x", "name_th": "x"}, "kind"),
    ("routing-rules", {"name": "r", "unit": "nowhere"}, "unit"),
    ("sla-policies", {"name": "p", "kind": "complaint", "calendar": "business", "acknowledge_value": 1,
                      "acknowledge_unit": "minutes", "resolve_value": 1, "resolve_unit": "business_days"},
     "acknowledge_unit"),                                                     # model clean(): units vs calendar
    ("sla-policies", {"name": "p", "kind": "complaint", "calendar": "24x7", "acknowledge_value": 1,
                      "acknowledge_unit": "minutes", "resolve_value": 1, "resolve_unit": "minutes",
                      "ladder": [{"percent": 75, "level": 9}]}, "ladder"),
    ("users", {"username": "new", "roles": ["emperor"]}, "roles"),
    ("users", {"username": "new", "password": "short"}, "password"),
    ("memberships", {"user": "ghost", "unit": "personnel"}, "user"),
])
def test_invalid_configuration_is_refused_and_nothing_is_written(admin, path, body, field):
    before = ConfigChange.objects.count()
    response = admin.post(f"/api/v1/admin/{path}/", body, format="json")
    assert response.status_code == 400, response.json()
    assert response.json()["error"]["code"] == "validation_error"
    assert any(name.startswith(field) for name in response.json()["error"]["fields"]), response.json()
    assert ConfigChange.objects.count() == before


def test_a_one_minute_policy_and_a_keyword_rule(admin):
    policy = admin.post("/api/v1/admin/sla-policies/", {
        "name": "ด่วนมาก", "kind": "complaint", "priority": "urgent", "calendar": "24x7",
        "acknowledge_value": 1, "acknowledge_unit": "minutes", "resolve_value": 60, "resolve_unit": "minutes"},
        format="json")
    assert policy.status_code == 201, policy.json()
    assert SlaPolicy.objects.get(pk=policy.json()["id"]).ladder[0] == {"percent": 75, "level": 0}
    rule = admin.post("/api/v1/admin/routing-rules/", {"name": "ชุดนักเรียน", "position": 1,
                                                       "keywords": "ชุดนักเรียน, เครื่องแบบ", "unit": "promotion"},
                      format="json")
    assert rule.status_code == 201 and RoutingRule.objects.get(pk=rule.json()["id"]).unit.code == "promotion"


def test_things_in_use_are_not_deleted(admin):
    from tests.conftest import submit

    submit(category_code="admission")
    category = Category.objects.get(kind="complaint", code="admission")
    response = admin.delete(f"/api/v1/admin/categories/{category.pk}/")
    assert response.status_code == 409 and response.json()["error"]["code"] == "conflict"
    unused = Category.objects.create(kind="complaint", code="unused", name_th="ไม่ใช้")
    assert admin.delete(f"/api/v1/admin/categories/{unused.pk}/").status_code == 204
    assert ConfigChange.objects.filter(model="core.Category", action="delete", object_id=str(unused.pk)).exists()


def test_users_roles_and_memberships(admin, api):
    created = admin.post("/api/v1/admin/users/", {"username": "officer9", "email": "officer9@example.go.th",
                                                  "password": "a-long-enough-password", "roles": ["clerk"]},
                         format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["roles"] == ["clerk"] and "password" not in created.json()
    assert authenticate(username="officer9", password="a-long-enough-password") is not None
    member = admin.post("/api/v1/admin/memberships/", {"user": "officer9", "unit": "finance", "is_head": False},
                        format="json")
    assert member.status_code == 201
    logged = str(list(ConfigChange.objects.filter(model="auth.User").values_list("after", flat=True)))
    assert "a-long-enough-password" not in logged and "'password':" not in logged and "md5$" not in logged
    assert "'roles'" not in logged and "'groups': [" in logged
    user_id = created.json()["id"]
    assert admin.delete(f"/api/v1/admin/users/{user_id}/").status_code == 204
    assert admin.get(f"/api/v1/admin/users/{user_id}/").json()["is_active"] is False  # kept, deactivated
    assert Unit.objects.get(code="finance").memberships.filter(user_id=user_id).exists()


def test_the_config_log_is_append_only(admin):
    admin.post("/api/v1/admin/units/", {"code": "tmp", "name_th": "ชั่วคราว"}, format="json")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_configchange SET action = 'forged'")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_configchange")


def test_reply_templates_fill_in_the_case(admin, staff, api):
    from tests.conftest import put_in_status, submit, user_named

    bad = admin.post("/api/v1/admin/reply-templates/", {"code": "x", "title": "x", "body": "เรียน {name}"},
                     format="json")
    assert bad.status_code == 400 and "body" in bad.json()["error"]["fields"]
    created = admin.post("/api/v1/admin/reply-templates/", {
        "code": "received", "title": "รับเรื่องแล้ว", "kind": "complaint",
        "body": "เรื่องเลขที่ {tracking_number} อยู่ที่{unit} กำหนดแจ้งผลภายใน {due_date} ({officer})"},
        format="json")
    assert created.status_code == 201, created.json()
    receipt = submit()
    case = put_in_status(receipt.case, "in_progress", unit="personnel", assignee=user_named("officer1"))
    response = staff("officer1").post(f"/api/v1/cases/{case.tracking_number}/replies/",
                                      {"template": "received", "text": "ขอบคุณค่ะ"}, format="json")
    assert response.status_code == 201, response.json()
    message = response.json()["data"]["message"]
    assert message.startswith(f"เรื่องเลขที่ {case.tracking_number} อยู่ที่กลุ่มบริหารงานบุคคล กำหนดแจ้งผลภายใน ")
    assert "2569" in message or "2570" in message  # a Buddhist Era date
    assert message.endswith("(สมชาย ใจดี)\n\nขอบคุณค่ะ")
    missing = staff("officer1").post(f"/api/v1/cases/{case.tracking_number}/replies/", {"template": "nope"},
                                     format="json")
    assert missing.status_code == 400 and "template" in missing.json()["error"]["fields"]
    empty = staff("officer1").post(f"/api/v1/cases/{case.tracking_number}/replies/", {}, format="json")
    assert empty.status_code == 400


def test_changes_in_the_django_admin_are_logged_too(client, demo):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="admin")
    client.force_login(user)
    unit = Unit.objects.get(code="finance")
    response = client.post(f"/admin/core/unit/{unit.pk}/change/", {
        "code": "finance", "name_th": unit.name_th, "name_en": unit.name_en, "strategy": "manual",
        "active": "on", "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0", "memberships-MAX_NUM_FORMS": "1000", "office": unit.office_id,
    })
    assert response.status_code == 302, response.content[:2000]
    change = ConfigChange.objects.get(model="core.Unit", object_id=str(unit.pk))
    assert (change.action, change.before["strategy"], change.after["strategy"]) == ("update", "round_robin", "manual")



@pytest.fixture
def role_admin(staff, demo):
    """An administrator by role only (not a superuser): manages ordinary staff, never the keys to sealed reports."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user("office-admin", email="oa@example.go.th")
    user.groups.add(Group.objects.get(name="admin"))
    return staff("office-admin"), user


def test_a_role_admin_cannot_widen_their_own_reach(role_admin):
    from django.contrib.auth import get_user_model

    client, me = role_admin
    superuser = get_user_model().objects.get(username="admin")
    director = get_user_model().objects.get(username="director")
    integrity = Unit.objects.get(code="audit")
    attempts = [
        client.patch(f"/api/v1/admin/users/{superuser.pk}/", {"password": "another-long-password"}, format="json"),
        client.patch(f"/api/v1/admin/users/{director.pk}/", {"is_active": False}, format="json"),
        client.patch(f"/api/v1/admin/users/{me.pk}/", {"roles": ["admin", "director"]}, format="json"),
        client.post("/api/v1/admin/users/", {"username": "friend", "roles": ["director"]}, format="json"),
        client.post("/api/v1/admin/memberships/", {"user": "office-admin", "unit": "audit"}, format="json"),
        client.post("/api/v1/admin/memberships/", {"user": "officer1", "unit": "audit"}, format="json"),
        client.patch(f"/api/v1/admin/units/{integrity.pk}/", {"active": False}, format="json"),
        client.patch(f"/api/v1/admin/units/{Unit.objects.get(code='finance').pk}/", {"is_integrity": True},
                     format="json"),
    ]
    assert [response.status_code for response in attempts] == [403] * len(attempts)
    assert authenticate(username="admin", password="another-long-password") is None
    assert director.groups.filter(name="director").exists() and get_user_model().objects.get(pk=director.pk).is_active
    # ordinary staff are theirs to manage
    created = client.post("/api/v1/admin/users/", {"username": "clerk2", "roles": ["clerk"],
                                                   "password": "clerk2-long-password"}, format="json")
    assert created.status_code == 201
    assert client.post("/api/v1/admin/memberships/", {"user": "clerk2", "unit": "finance"},
                       format="json").status_code == 201


def test_role_changes_and_weak_passwords(admin):
    from django.contrib.auth import get_user_model

    clerk = get_user_model().objects.get(username="clerk1")
    response = admin.patch(f"/api/v1/admin/users/{clerk.pk}/", {"roles": ["clerk", "auditor"]}, format="json")
    assert response.status_code == 200 and response.json()["roles"] == ["auditor", "clerk"]
    change = ConfigChange.objects.filter(model="auth.User", object_id=str(clerk.pk)).latest("pk")
    assert len(change.after["groups"]) == len(change.before["groups"]) + 1  # the role change is in the log
    weak = admin.patch(f"/api/v1/admin/users/{clerk.pk}/", {"password": "password123"}, format="json")
    assert weak.status_code == 400 and "password" in weak.json()["error"]["fields"]


def test_the_last_integrity_unit_stays(admin):
    integrity = Unit.objects.get(code="audit")
    response = admin.patch(f"/api/v1/admin/units/{integrity.pk}/", {"is_integrity": False}, format="json")
    assert response.status_code == 400
    assert Unit.objects.get(pk=integrity.pk).is_integrity


@pytest.mark.parametrize("body,field", [
    ({"ladder": 5}, "ladder"),
    ({"ladder": True}, "ladder"),
    ({"ladder": [{"percent": 1e300, "level": 1}]}, "ladder"),
    ({"ladder": [{"percent": True, "level": 1}]}, "ladder"),
    ({"resolve_value": -5}, "resolve_value"),
    ({"resolve_value": 0}, "resolve_value"),
    ({"resolve_value": 999999}, "resolve_value"),
])
def test_policy_values_are_bounded(admin, body, field):
    policy = SlaPolicy.objects.get(name__startswith="ข้อร้องเรียน (")
    response = admin.patch(f"/api/v1/admin/sla-policies/{policy.pk}/", body, format="json")
    assert response.status_code == 400 and field in response.json()["error"]["fields"], response.json()


@pytest.mark.parametrize("body", ["{due_date:%Y}", "{unit!r}", "{officer:>99999}", "{unit.name}", "{0}"])
def test_template_placeholders_are_plain(admin, body):
    response = admin.post("/api/v1/admin/reply-templates/", {"code": "t", "title": "t", "body": body}, format="json")
    assert response.status_code == 400 and "body" in response.json()["error"]["fields"]


def test_one_config_log_entry_can_be_read(admin):
    admin.post("/api/v1/admin/units/", {"code": "tmp2", "name_th": "ชั่วคราว"}, format="json")
    entry = ConfigChange.objects.latest("pk")
    assert admin.get(f"/api/v1/admin/config-log/{entry.pk}/").json()["action"] == "create"


def test_role_and_password_changes_in_the_django_admin_are_logged(client, demo):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    client.force_login(get_user_model().objects.get(username="admin"))
    clerk = get_user_model().objects.get(username="clerk1")
    auditor_group = Group.objects.get(name="auditor")
    response = client.post(f"/admin/auth/user/{clerk.pk}/change/", {
        "username": "clerk1", "first_name": clerk.first_name, "last_name": clerk.last_name, "email": clerk.email,
        "is_active": "on", "is_staff": "on", "groups": [str(g.pk) for g in clerk.groups.all()] + [str(auditor_group.pk)],
        "date_joined_0": "2026-11-01", "date_joined_1": "08:00:00",
    })
    assert response.status_code == 302, response.content[:3000]
    entry = ConfigChange.objects.filter(model="auth.User", object_id=str(clerk.pk)).latest("pk")
    assert auditor_group.pk in entry.after["groups"] and auditor_group.pk not in entry.before["groups"]
    response = client.post(f"/admin/auth/user/{clerk.pk}/password/", {
        "password1": "a-brand-new-long-password", "password2": "a-brand-new-long-password"})
    assert response.status_code == 302
    entry = ConfigChange.objects.filter(model="auth.User", object_id=str(clerk.pk)).latest("pk")
    assert entry.after == {"password_changed": True}
