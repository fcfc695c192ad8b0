"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2; docs/channels.md): another application's way to send
complaints and suggestions and follow their status, as any city's Open311 client speaks it.

- services: the public categories of complaints and suggestions (``complaint-teacher-conduct``), none with
  attributes;
- ``POST requests``: a new case through the one intake service, with the client's API key (one per application,
  kept as a keyed hash), a location (``lat`` and ``long``, or ``address_string``, or ``address_id``) and the citizen's
  contact details if given;
- ``GET requests`` and ``GET requests/{id}``: status open or closed, our status in ``status_notes``, the expected
  date from the resolve clock. A case is its citizen's, not a public report: what anyone may read of it here is what
  the public status page shows (no description, no location, nothing personal). Corruption reports are never here.
"""

from datetime import UTC, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from channels.open311_format import error, rendered
from core.catalog import categories_active
from core.choices import NO_WORK_STATUSES, Channel, Kind, Status, choice_label
from core.crypto import keyed_hash
from core.errors import ApplicationError
from core.models import Case, Category, Office, Open311Client
from core.throttle import INTAKE, LOOKUP, throttle_wait
from core.tracking import tracking_number_parse
from core.validators import phone_validator, storable_text
from workflows.intake import case_submit

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
KINDS = (Kind.COMPLAINT, Kind.SUGGESTION)  # what Open311 may send; corruption reports only through the sealed page
DESCRIPTION_MAX = 4000  # the specification's limit
WINDOW = timedelta(days=90)  # GET requests: the default period, and the longest one asked for
MAX_REQUESTS = 1000


def _throttled(request, scope: str, fmt: str):
    wait = throttle_wait(request, scope)
    if wait is None:
        return None
    response = error(fmt, 429, _("Too many requests; try again in %(seconds)d seconds.") % {"seconds": int(wait) + 1})
    response["Retry-After"] = str(int(wait) + 1)
    return response


def _jurisdiction_refused(request, fmt: str):
    given = request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id")
    if given and settings.OPEN311_JURISDICTION_ID and given != settings.OPEN311_JURISDICTION_ID:
        return error(fmt, 404, _("jurisdiction_id not found"))
    return None


def service_code(category: Category) -> str:
    return f"{category.kind}-{category.code}"


def _category(code: str) -> Category | None:
    kind, _sep, category = (code or "").partition("-")
    if kind not in KINDS:
        return None
    return categories_active(kind=kind).filter(code=category).first()


@require_safe
def discovery(request, fmt: str):
    office = Office.objects.order_by("pk").first()
    base = settings.PUBLIC_BASE_URL or request.build_absolute_uri("/").rstrip("/")
    changeset = timezone.localtime().replace(microsecond=0).isoformat()
    return rendered({
        "changeset": changeset,
        "contact": office.name if office else "",
        "key_service": _("Ask the office's administrator for an API key (docs/channels.md)."),
        "endpoints": [{"specification": SPECIFICATION, "url": f"{base}/open311/v2", "changeset": changeset,
                       "type": "production", "formats": ["text/xml", "application/json"]}],
    }, fmt, root="discovery", item="")


@require_safe
def services(request, fmt: str):
    if (refused := _throttled(request, LOOKUP, fmt) or _jurisdiction_refused(request, fmt)) is not None:
        return refused
    return rendered([{
        "service_code": service_code(category), "service_name": category.name,
        "description": str(choice_label(Kind, category.kind)), "metadata": False, "type": "realtime",
        "keywords": "", "group": str(choice_label(Kind, category.kind)),
    } for category in categories_active().filter(kind__in=KINDS).order_by("kind", "position", "code")],
        fmt, root="services", item="service")


@require_safe
def service_definition(request, code: str, fmt: str):
    if (refused := _throttled(request, LOOKUP, fmt) or _jurisdiction_refused(request, fmt)) is not None:
        return refused
    category = _category(code)
    if category is None:
        return error(fmt, 404, _("service_code not found"))
    return rendered({"service_code": service_code(category), "attributes": []}, fmt, root="service_definition",
                    item="")


@csrf_exempt  # another application's call, authenticated by its API key, not a browser's form
@require_http_methods(["GET", "HEAD", "POST"])
def requests_(request, fmt: str):
    if request.method == "POST":
        return _create(request, fmt)
    if (refused := _throttled(request, LOOKUP, fmt) or _jurisdiction_refused(request, fmt)) is not None:
        return refused
    cases = _filtered(request.GET)
    if isinstance(cases, str):
        return error(fmt, 400, cases)
    return rendered([_request_row(case) for case in cases], fmt, root="service_requests", item="request")


@require_safe
def request_one(request, tracking: str, fmt: str):
    if (refused := _throttled(request, LOOKUP, fmt) or _jurisdiction_refused(request, fmt)) is not None:
        return refused
    case = _public_cases().filter(tracking_number=tracking_number_parse(tracking) or "-").first()
    if case is None:
        return error(fmt, 404, _("service_request_id not found"))
    return rendered([_request_row(case)], fmt, root="service_requests", item="request")


def _public_cases():
    return Case.objects.filter(kind__in=KINDS, sealed=False).select_related("category", "unit")


def _request_row(case: Case) -> dict:
    def moment(value):
        return timezone.localtime(value).replace(microsecond=0).isoformat() if value else None

    return {
        "service_request_id": case.tracking_number,
        "status": "closed" if case.status in NO_WORK_STATUSES else "open",
        "status_notes": str(choice_label(Status, case.status)),
        "service_name": case.category.name if case.category_id else "",
        "service_code": service_code(case.category) if case.category_id else "",
        "description": "",  # the citizen's words stay with the office
        "agency_responsible": case.unit.name if case.unit_id else "",
        "service_notice": "",
        "requested_datetime": moment(case.submitted_at),
        "updated_datetime": moment(case.updated_at),
        "expected_datetime": moment(case.resolve_due_at),
        "address": "", "address_id": "", "zipcode": "", "lat": None, "long": None, "media_url": "",
    }


def _filtered(query) -> list[Case] | str:
    """The cases ``GET requests`` asks for, or why the question is malformed. Without ``service_request_id``, only
    requests received through Open311: the list is open to anyone, and a case sent by other ways is its citizen's."""
    if any(not storable_text(value) for value in query.values()):
        return _("A field holds characters that cannot be stored.")
    cases = _public_cases()
    if ids := query.get("service_request_id"):
        numbers = [tracking_number_parse(number) or "-" for number in ids.split(",")[:MAX_REQUESTS]]
        return list(cases.filter(tracking_number__in=numbers).order_by("-submitted_at"))
    if codes := query.get("service_code"):
        wanted = Q(pk__in=[])
        for code in codes.split(",")[:100]:
            kind, _sep, category = code.partition("-")
            wanted |= Q(kind=kind, category__code=category)
        cases = cases.filter(wanted)
    if statuses := query.get("status"):
        chosen = set(statuses.split(","))
        if not chosen <= {"open", "closed"}:
            return _("status is open, closed, or both separated by a comma")
        if chosen == {"open"}:
            cases = cases.exclude(status__in=NO_WORK_STATUSES)
        elif chosen == {"closed"}:
            cases = cases.filter(status__in=NO_WORK_STATUSES)
    cases = cases.filter(channel=Channel.OPEN311)
    start, end = query.get("start_date"), query.get("end_date")
    start_at, end_at = _moment(start), _moment(end)
    if (start and start_at is None) or (end and end_at is None):
        return _("start_date and end_date are ISO 8601 date-times with a time zone, e.g. 2026-12-01T08:30:00+07:00")
    end_at = end_at or timezone.now()
    start_at = start_at or end_at - WINDOW
    if end_at - start_at > WINDOW:
        return _("The dates may span at most 90 days.")
    return list(cases.filter(submitted_at__gte=start_at, submitted_at__lte=end_at).order_by("-submitted_at")[
        :MAX_REQUESTS])


def _moment(text: str | None):
    if not text:
        return None
    try:
        moment = parse_datetime(text.replace(" ", "+"))  # a "+" sent unencoded in a query arrives as a space
    except ValueError:
        return None
    if moment is None or moment.tzinfo is None:
        return None
    try:
        moment = moment.astimezone(UTC)  # (PostgreSQL takes offsets only to ±15:59; an instant is an instant)
    except OverflowError:
        return None
    return moment if 1900 <= moment.year <= 9000 else None


def _create(request, fmt: str):
    if (refused := _throttled(request, INTAKE, fmt) or _jurisdiction_refused(request, fmt)) is not None:
        return refused
    data = request.POST
    key = data.get("api_key", "")
    client = Open311Client.objects.filter(key_hash=keyed_hash(key), active=True).first() if key else None
    if client is None:
        return error(fmt, 403, _("api_key is missing or not valid"))
    if not data.get("service_code"):
        return error(fmt, 400, _("service_code is required"))
    category = _category(data["service_code"])
    if category is None:
        return error(fmt, 404, _("service_code not found"))
    fields = _request_fields(data, category)
    if isinstance(fields, str):
        return error(fmt, 400, fields)
    try:
        receipt = case_submit(kind=category.kind, category_code=category.code, channel=Channel.OPEN311,
                              language=(get_language() or "th")[:2], source={"open311_client": client.name},
                              **fields)
    except ApplicationError as refusal:
        return error(fmt, refusal.http_status, refusal.message)
    notice = _("Received. The office answers within its published time limits; follow the request by its number.")
    return rendered([{"service_request_id": receipt.case.tracking_number, "service_notice": notice,
                      "account_id": None}], fmt, root="service_requests", item="request", status=201)


def _request_fields(data, category: Category) -> dict | str:
    """What ``case_submit`` takes from a POST, or why it cannot."""
    description = (data.get("description") or "").strip()
    texts = [description, data.get("address_string", ""), data.get("address_id", ""), data.get("first_name", ""),
             data.get("last_name", ""), data.get("media_url", "")]
    if any(not storable_text(text) for text in texts):
        return _("A field holds characters that cannot be stored.")
    if len(description) > DESCRIPTION_MAX:
        return _("description is at most 4000 characters")
    location = _location(data)
    if isinstance(location, str):
        return location
    contact = {"name": " ".join(part.strip()[:100] for part in (data.get("first_name", ""), data.get("last_name", ""))
                                if part.strip()),
               "email": (data.get("email") or "").strip(), "phone": (data.get("phone") or "").strip()}
    try:
        if contact["email"]:
            validate_email(contact["email"])
        if contact["phone"]:
            phone_validator(contact["phone"])
    except ValidationError:
        return _("email or phone is not valid")
    if media := (data.get("media_url") or "").strip()[:500]:
        photo = _("Photo")
        description = f"{description}\n\n{photo}: {media}".strip()
    title = (description.splitlines()[0] if description else category.name)[:120]
    return {"title": title, "description": description or category.name, "contact": contact,
            "anonymous": not any(contact.values()), "location": location}


def _location(data) -> dict | str:
    """The specification asks for one of: ``lat`` and ``long``, ``address_string``, ``address_id``."""
    lat, long = data.get("lat"), data.get("long")
    address = (data.get("address_string") or data.get("address_id") or "").strip()[:300]
    if lat or long:
        try:
            latitude, longitude = Decimal(lat), Decimal(long)
        except (InvalidOperation, TypeError, ValueError):
            return _("lat and long are decimal degrees")
        if not (latitude.is_finite() and longitude.is_finite() and -90 <= latitude <= 90 and -180 <= longitude <= 180):
            return _("lat and long are decimal degrees")
        return {"latitude": round(latitude, 6), "longitude": round(longitude, 6), "address": address}
    if address:
        return {"address": address}
    return _("A location is required: lat and long, address_string, or address_id")
