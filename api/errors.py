"""One error format everywhere (docs/api.md, "Errors"):

    {"error": {"code": "<stable_code>", "message": "<human text>", "fields": {<field>: [<msg>]}}}
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from core.errors import ApplicationError

DRF_CODES = [
    (exceptions.ParseError, "parse_error"),
    (exceptions.ValidationError, "validation_error"),
    (exceptions.NotAuthenticated, "not_authenticated"),
    (exceptions.AuthenticationFailed, "not_authenticated"),
    (exceptions.PermissionDenied, "permission_denied"),
    (exceptions.NotFound, "not_found"),
    (exceptions.MethodNotAllowed, "method_not_allowed"),
    (exceptions.NotAcceptable, "not_acceptable"),
    (exceptions.UnsupportedMediaType, "unsupported_media_type"),
    (exceptions.Throttled, "throttled"),
]


def error_body(code: str, message: str, fields: dict | None = None, **extra) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or {}, **extra}}


def _flatten(detail) -> dict[str, list[str]]:
    """DRF's nested error detail as {"field" or "parent.child": [messages]}."""
    if isinstance(detail, list):
        return {"non_field_errors": [str(item) for item in detail]}
    flat: dict[str, list[str]] = {}
    for name, value in detail.items():
        if isinstance(value, dict):
            for child, messages in _flatten(value).items():
                flat[f"{name}.{child}"] = messages
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            for index, item in enumerate(value):
                for child, messages in _flatten(item).items():
                    flat[f"{name}[{index}].{child}"] = messages
        else:
            flat[name] = [str(item) for item in (value if isinstance(value, list) else [value])]
    return flat


def _validation_message(fields: dict[str, list[str]]) -> str:
    if list(fields) == ["non_field_errors"]:
        return fields["non_field_errors"][0]
    return "Some fields are invalid: " + ", ".join(sorted(fields)) + "."


def exception_handler(exc, context):
    if isinstance(exc, ApplicationError):
        set_rollback()
        return Response(error_body(exc.code, exc.message, exc.fields, **exc.extra), status=exc.http_status)
    if isinstance(exc, DjangoValidationError):  # a model's own validation (full_clean)
        set_rollback()
        fields = {name: [str(m) for m in messages] for name, messages in exc.message_dict.items()} \
            if hasattr(exc, "error_dict") else {"non_field_errors": [str(m) for m in exc.messages]}
        fields = {("non_field_errors" if name == "__all__" else name): messages for name, messages in fields.items()}
        return Response(error_body("validation_error", _validation_message(fields), fields), status=400)
    if isinstance(exc, RequestDataTooBig):
        return Response(error_body("payload_too_large", "The request body is too large."), status=413)
    if isinstance(exc, SuspiciousOperation):
        return Response(error_body("bad_request", "The request was refused as malformed."), status=400)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None  # a real bug: let Django log it and answer 500
    set_rollback()
    code = next((name for cls, name in DRF_CODES if isinstance(exc, cls)), "error")
    headers = {}
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        headers["Retry-After"] = str(int(exc.wait) + 1)
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        return Response(error_body(code, _validation_message(fields), fields), status=exc.status_code)
    if isinstance(exc, exceptions.ParseError):
        message = f"The request body is not valid JSON: {exc.detail}"
    else:
        message = str(exc.detail)
    return Response(error_body(code, message), status=exc.status_code, headers=headers)


def json_not_found(request, exception=None):
    return JsonResponse(error_body("not_found", "There is nothing at this address."), status=404)


def json_server_error(request):
    return JsonResponse(error_body("server_error", "Something went wrong on our side; it has been logged."), status=500)


def json_service_unavailable(request, retry_after: int):
    response = JsonResponse(error_body("service_unavailable", "The service is briefly unavailable (its database or "
                                       "message broker is restarting); please try again shortly."), status=503)
    response["Retry-After"] = str(retry_after)
    return response


def json_bad_request(request, exception=None):
    return JsonResponse(error_body("bad_request", "The request was refused as malformed."), status=400)


def json_permission_denied(request, exception=None):
    return JsonResponse(error_body("permission_denied", "You may not do this."), status=status.HTTP_403_FORBIDDEN)
