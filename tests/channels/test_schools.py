"""Schools and places (issue 16): the office's schools from its CSV (all or nothing), a case naming its school from the
portal, the API and the workspace, routing by school or district, the queues' school filter, and the statistics
counting by school and district."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from core.models import Case, ConfigChange, RoutingRule, School, Unit
from core.periods import fiscal_year_period
from core.schools import schools_import
from core.statistics import statistics_compute, statistics_labelled
from tests.conftest import submit, user_named
from tests.workspace.conftest import post
from workflows.routing import case_route

pytestmark = pytest.mark.django_db
CSV = ("รหัสโรงเรียน,ชื่อโรงเรียน,อำเภอ,ตำบล,ละติจูด,ลองจิจูด\n"
       "1060050001,โรงเรียนบ้านหนองปลิง,เมืองนครสวรรค์,หนองปลิง,15.7040,100.1370\n"
       "1060050002,โรงเรียนวัดเกรียงไกร,เมืองนครสวรรค์,เกรียงไกร,,\n"
       "1060080001,โรงเรียนบ้านโกรกพระ,โกรกพระ,โกรกพระ,,\n")
COMPLAINT = {"kind": "complaint", "category": "complaint:teacher-conduct", "title": "ครูไม่เข้าสอน",
             "description": "ครูไม่เข้าสอนสามสัปดาห์", "consent": "on"}


@pytest.fixture
def schools(demo):
    result = schools_import(CSV.encode("cp874"), actor=user_named("admin"))  # as Excel on a Thai Windows saves it
    assert (result.created, result.errors) == (3, [])
    return {school.code: school for school in School.objects.all()}


def test_the_csv_is_all_or_nothing_and_updates_what_is_known(schools):
    bad = CSV.replace("1060080001,โรงเรียนบ้านโกรกพระ", "1060050001,โรงเรียนซ้ำ") + ",ไม่มีรหัส,,,,\n1,x,,,95,100\n"
    result = schools_import(bad.encode(), actor=user_named("admin"))
    assert result.created == result.updated == 0 and len(result.errors) == 3
    assert [error.split(":")[0] for error in result.errors] == ["line 4", "line 5", "line 6"]
    assert School.objects.get(code="1060050001").name_th == "โรงเรียนบ้านหนองปลิง"  # nothing written
    renamed = CSV.replace("โรงเรียนวัดเกรียงไกร", "โรงเรียนวัดเกรียงไกรกลาง")
    assert schools_import(renamed.encode(), actor=user_named("admin")).updated == 3
    assert School.objects.get(code="1060050002").name_th == "โรงเรียนวัดเกรียงไกรกลาง"
    assert schools_import(b"name,x\n", actor=user_named("admin")).errors
    assert ConfigChange.objects.filter(model="core.School", action="import").count() == 2


def test_the_admin_imports_the_csv(demo):
    client = Client()
    client.force_login(user_named("admin"))
    page = client.get("/admin/core/school/import/")
    assert page.status_code == 200
    response = client.post("/admin/core/school/import/", {"file": SimpleUploadedFile("schools.csv", CSV.encode())})
    assert response.status_code == 302 and School.objects.count() == 3
    refused = client.post("/admin/core/school/import/", {"file": SimpleUploadedFile("bad.csv", b"code\n1\n")})
    assert refused.status_code == 400


def test_a_case_names_its_school_from_the_portal_the_api_and_the_workspace(schools, api, desk):
    portal = Client()
    assert portal.post("/submit/", {**COMPLAINT, "school": "1060050001 โรงเรียนบ้านหนองปลิง"}).status_code == 302
    assert Case.objects.get().school.code == "1060050001"
    refused = portal.post("/submit/", {**COMPLAINT, "school": "โรงเรียนที่ไม่มี"})
    assert refused.status_code == 400 and "กรุณาเลือกโรงเรียนจากรายการ" in refused.content.decode()
    assert "โรงเรียนบ้านโกรกพระ" in portal.get("/submit/").content.decode()  # the list to choose from
    body = {"kind": "complaint", "category": "teacher-conduct", "title": "t", "description": "d", "consent": True}
    assert api.post("/api/v1/public/cases/", {**body, "school": "1060080001"}, format="json").status_code == 201
    unknown = api.post("/api/v1/public/cases/", {**body, "school": "999"}, format="json")
    assert unknown.status_code == 400 and "school" in unknown.json()["error"]["fields"]
    assert post(desk("clerk1"), "/staff/intake/", {
        "kind": "complaint", "channel": "phone", "category": "complaint:teacher-conduct", "priority": "normal",
        "title": "โทรแจ้ง", "description": "ครูไม่เข้าสอน", "school": "โรงเรียนวัดเกรียงไกร",
        "language": "th"}).status_code == 302
    assert Case.objects.get(title="โทรแจ้ง").school.code == "1060050002"


def test_routing_by_school_or_district_and_the_queue_filter(schools, staff):
    unit = Unit.objects.get(code="supervision")
    RoutingRule.objects.create(name="อำเภอโกรกพระ", position=1, district="โกรกพระ", unit=unit)
    there = submit(school_code="1060080001").case
    elsewhere = submit(school_code="1060050001").case
    case_route(case_id=there.pk)
    case_route(case_id=elsewhere.pk)
    assert Case.objects.get(pk=there.pk).unit.code == "supervision"
    assert Case.objects.get(pk=elsewhere.pk).unit.code != "supervision"
    listed = staff("director").get("/api/v1/cases/?school=1060080001").json()["results"]
    assert [row["tracking_number"] for row in listed] == [there.tracking_number]
    detail = staff("director").get(f"/api/v1/cases/{there.tracking_number}/").json()
    assert (detail["school"], detail["school_name"]) == ("1060080001", "โรงเรียนบ้านโกรกพระ")


def test_the_statistics_count_by_school_and_district_never_sealed_reports(schools):
    for code in ("1060050001", "1060050001", "1060050002", "1060080001"):
        submit(school_code=code)
    submit("corruption", school_code="1060080001")
    figures = statistics_labelled(statistics_compute(fiscal_year_period(timezone.now()), now=timezone.now()))
    assert [(row["label"], row["received"]) for row in figures["by_school"]] == [
        ("โรงเรียนบ้านหนองปลิง", 2), ("โรงเรียนวัดเกรียงไกร", 1), ("โรงเรียนบ้านโกรกพระ", 1)]  # ties by code
    assert [(row["label"], row["received"]) for row in figures["by_district"]] == [
        ("เมืองนครสวรรค์", 3), ("โกรกพระ", 1)]


def test_the_admin_api_sets_a_routing_rule_by_school_or_district(schools, staff):
    admin = staff("admin")
    created = admin.post("/api/v1/admin/routing-rules/", {"name": "บ้านโกรกพระ", "position": 1, "school": "1060080001",
                                                           "unit": "supervision"}, format="json")
    assert created.status_code == 201 and created.json()["school"] == "1060080001"
    assert admin.post("/api/v1/admin/routing-rules/", {"name": "x", "school": "nope", "unit": "supervision"},
                      format="json").status_code == 400
    district = admin.post("/api/v1/admin/routing-rules/", {"name": "อำเภอ", "district": "โกรกพระ",
                                                            "unit": "supervision"}, format="json")
    assert district.status_code == 201 and district.json()["district"] == "โกรกพระ"


def test_a_code_with_spaces_or_a_nul_is_a_wrong_line(demo):
    for bad in ("code,name_th\n1060 050002,โรงเรียน\n", "code,name_th\n1060050004,a\x00b\n"):
        result = schools_import(bad.encode(), actor=user_named("admin"))
        assert result.errors and School.objects.count() == 0
