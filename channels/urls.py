from django.urls import path, re_path

from channels import line, open311

app_name = "channels"

FORMAT = r"\.(?P<fmt>json|xml)$"

urlpatterns = [
    path("channels/line/webhook/", line.webhook, name="line-webhook"),
    re_path(r"^open311/discovery" + FORMAT, open311.discovery, name="open311-discovery"),
    re_path(r"^open311/v2/services" + FORMAT, open311.services, name="open311-services"),
    re_path(r"^open311/v2/services/(?P<code>[\w-]{1,90})" + FORMAT, open311.service_definition,
            name="open311-service"),
    re_path(r"^open311/v2/requests" + FORMAT, open311.requests_, name="open311-requests"),
    re_path(r"^open311/v2/requests/(?P<tracking>[\w-]{1,64})" + FORMAT, open311.request_one, name="open311-request"),
]
