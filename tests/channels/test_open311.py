"""Open311 GeoReport v2 (issue 16): a client that knows only the specification finds the endpoint, lists services,
posts a request with its API key and follows it, in XML and JSON; every refusal in the specification's error format.
The request becomes a case through the one intake service and a real Celery worker routes it."""

import time
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from core.models import Case, CaseEvent
from tests.channels.open311_client import GeoReportClient, Open311Error
from tests.conftest import submit
from tests.workers.conftest import task_results, worker_process  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db(transaction=True)


def api_key(name: str = "แอปพลิเคชันเมืองทดสอบ") -> str:
    out = StringIO()
    call_command("open311_client", name, stdout=out)
    return out.getvalue().rsplit(" ", 1)[1].strip()


@pytest.fixture
def client(live_server, demo):
    def make(fmt: str = "xml", **kwargs) -> GeoReportClient:
        return GeoReportClient(f"{live_server.url}/open311/discovery.{fmt}", fmt=fmt, **kwargs)
    return make


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_services_and_their_definitions(client, fmt):
    services = client(fmt).services()
    codes = {service["service_code"] for service in services}
    assert "complaint-teacher-conduct" in codes and not any(code.startswith("corruption") for code in codes)
    service = next(s for s in services if s["service_code"] == "complaint-teacher-conduct")
    assert service["service_name"] == "พฤติกรรมครูและบุคลากรทางการศึกษา"
    assert service["type"] == "realtime" and str(service["metadata"]).lower() == "false"
    definition = client(fmt).service_definition("complaint-teacher-conduct")
    assert definition["service_code"] == "complaint-teacher-conduct" and definition["attributes"] in ([], "")
    with pytest.raises(Open311Error) as refused:
        client(fmt).service_definition("corruption-bribery")
    assert refused.value.status == 404 and refused.value.errors[0]["code"] in (404, "404")


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_a_request_posted_and_followed(client, fmt, worker_process):  # noqa: F811 - the worker routes it
    georeport = client(fmt, api_key=api_key())
    [created] = georeport.post_request(service_code="complaint-teacher-conduct", lat="15.704", long="100.137",
                                       description="ครูไม่เข้าสอนวิชาคณิตศาสตร์ติดต่อกันสามสัปดาห์",
                                       email="parent@example.com", first_name="สมศรี", last_name="ใจดี")
    number = created["service_request_id"]
    case = Case.objects.get(tracking_number=number)
    assert (case.channel, case.kind, str(case.latitude), str(case.longitude)) == (
        "open311", "complaint", "15.704000", "100.137000")
    first = CaseEvent.objects.get(case=case, seq=1)
    assert first.data["source"] == {"open311_client": "แอปพลิเคชันเมืองทดสอบ"}
    deadline = time.monotonic() + 90
    while Case.objects.get(pk=case.pk).unit_id is None and time.monotonic() < deadline:
        time.sleep(0.2)  # the worker's routing, waited for as an event
    [followed] = georeport.request(number)
    assert followed["status"] == "open" and followed["service_code"] == "complaint-teacher-conduct"
    assert followed["agency_responsible"] == "กลุ่มบริหารงานบุคคล" and followed["description"] in ("", None)
    assert followed["expected_datetime"] and followed["requested_datetime"].endswith("+07:00")
    assert number in {row["service_request_id"] for row in georeport.requests()}
    assert number in {row["service_request_id"] for row in georeport.requests(status="open")}
    assert number not in {row["service_request_id"] for row in georeport.requests(status="closed")}


def test_requests_list_public_kinds_only_and_its_filters(client):
    complaint, sealed = submit(channel="open311").case, submit("corruption").case
    from_the_portal = submit().case
    georeport = client("json")
    listed = {row["service_request_id"] for row in georeport.requests()}
    assert complaint.tracking_number in listed and sealed.tracking_number not in listed
    # The open list holds what came through Open311; a portal case is found only by its number.
    assert from_the_portal.tracking_number not in listed
    assert georeport.request(from_the_portal.tracking_number)[0]["status"] == "open"
    with pytest.raises(Open311Error) as refused:
        georeport.request(sealed.tracking_number)
    assert refused.value.status == 404
    now = timezone.now()
    assert complaint.tracking_number not in {row["service_request_id"] for row in georeport.requests(
        start_date=(now + timedelta(days=1)).isoformat(), end_date=(now + timedelta(days=2)).isoformat())}
    for bad in ({"start_date": "yesterday"}, {"status": "pending"},
                {"start_date": (now - timedelta(days=200)).isoformat(), "end_date": now.isoformat()}):
        with pytest.raises(Open311Error) as refused:
            georeport.requests(**bad)
        assert refused.value.status == 400, bad
    assert [row["service_request_id"] for row in georeport.requests(
        service_request_id=f"{complaint.tracking_number},{sealed.tracking_number}")] == [complaint.tracking_number]


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_refusals_in_the_specifications_format_and_nothing_stored(client, fmt, settings):
    settings.OPEN311_JURISDICTION_ID = "nsw1.example.go.th"
    key = api_key()
    before = Case.objects.count()
    cases = [
        ({}, {"service_code": "complaint-teacher-conduct", "address_string": "โรงเรียน"}, 403),
        ({"api_key": "wrong"}, {"service_code": "complaint-teacher-conduct", "address_string": "โรงเรียน"}, 403),
        ({"api_key": key}, {"address_string": "โรงเรียน"}, 400),
        ({"api_key": key}, {"service_code": "complaint-nothing", "address_string": "x"}, 404),
        ({"api_key": key}, {"service_code": "complaint-teacher-conduct", "description": "ไม่มีสถานที่"}, 400),
        ({"api_key": key}, {"service_code": "complaint-teacher-conduct", "lat": "95", "long": "100"}, 400),
        ({"api_key": key}, {"service_code": "complaint-teacher-conduct", "lat": "nan", "long": "100"}, 400),
        ({"api_key": key}, {"service_code": "complaint-teacher-conduct", "address_string": "x",
                            "description": "ก" * 4001}, 400),
        ({"api_key": key}, {"service_code": "complaint-teacher-conduct", "address_string": "x",
                            "email": "not-an-address"}, 400),
        ({"api_key": key, "jurisdiction_id": "elsewhere.example"},
         {"service_code": "complaint-teacher-conduct", "address_string": "x"}, 404),
    ]
    for settings_kwargs, fields, status in cases:
        georeport = client(fmt, **{"api_key": settings_kwargs.get("api_key", "")})
        georeport.jurisdiction_id = settings_kwargs.get("jurisdiction_id", "")
        with pytest.raises(Open311Error) as refused:
            georeport.post_request(**fields)
        assert refused.value.status == status, (fields, refused.value.errors)
        [problem] = refused.value.errors
        assert int(problem["code"]) == status and problem["description"]
    assert Case.objects.count() == before


def test_a_revoked_key_stops_working(client, settings):
    settings.OPEN311_JURISDICTION_ID = "nsw1.example.go.th"
    key = api_key("แอปเก่า")
    georeport = client("json", api_key=key, jurisdiction_id="nsw1.example.go.th")
    assert georeport.post_request(service_code="suggestion-education-quality", address_string="โรงเรียนบ้านหนองปลิง",
                                  description="ขอให้มีห้องสมุด")[0]["service_request_id"].startswith("SG-")
    call_command("open311_client", "แอปเก่า", "--revoke", stdout=StringIO())
    with pytest.raises(Open311Error) as refused:
        georeport.post_request(service_code="suggestion-education-quality", address_string="x")
    assert refused.value.status == 403


def test_what_the_probe_sent_is_answered_cleanly(client, live_server):
    import urllib.request
    from xml.etree import ElementTree

    from core.models import Category

    georeport = client("json")
    for start in ("2026-11-20T00:00:00+20:00", "9000-12-31T23:59:59-23:00"):
        try:
            georeport.requests(start_date=start)
        except Open311Error as refused:
            assert refused.status == 400
    with pytest.raises(Open311Error) as refused:
        georeport.requests(service_code="\x00")
    assert refused.value.status == 400
    Category.objects.filter(code="teacher-conduct").update(name_th="พฤติกรรม\x1b\x08ครู")
    with urllib.request.urlopen(f"{live_server.url}/open311/v2/services.xml", timeout=30) as response:
        ElementTree.fromstring(response.read())  # still well-formed
