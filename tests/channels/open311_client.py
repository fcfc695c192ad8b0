"""An Open311 GeoReport v2 client that knows only the specification (http://wiki.open311.org/GeoReport_v2): it finds
the endpoint in the discovery document, speaks XML (the required format) or JSON, and reads errors as the
specification writes them. Nothing in it knows Rabfang."""

import json
import urllib.error
import urllib.parse
import urllib.request
from xml.etree import ElementTree

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"


class Open311Error(Exception):
    def __init__(self, status: int, errors: list[dict]):
        super().__init__(f"{status}: {errors}")
        self.status, self.errors = status, errors


class GeoReportClient:
    def __init__(self, discovery_url: str, *, fmt: str = "xml", api_key: str = "", jurisdiction_id: str = ""):
        self.fmt, self.api_key, self.jurisdiction_id = fmt, api_key, jurisdiction_id
        discovery = self._get(discovery_url)
        endpoint = next(e for e in discovery["endpoints"] if e["specification"] == SPECIFICATION)
        assert ("text/xml" if fmt == "xml" else "application/json") in endpoint["formats"]
        self.base = endpoint["url"].rstrip("/")

    def services(self) -> list[dict]:
        return self._get(self._url("services"))

    def service_definition(self, code: str) -> dict:
        return self._get(self._url(f"services/{urllib.parse.quote(code)}"))

    def post_request(self, **fields) -> list[dict]:
        body = {"api_key": self.api_key, **({"jurisdiction_id": self.jurisdiction_id} if self.jurisdiction_id else {}),
                **fields}
        return self._call(urllib.request.Request(self._url("requests"), data=urllib.parse.urlencode(body).encode(),
                                                 method="POST"))

    def requests(self, **filters) -> list[dict]:
        return self._get(self._url("requests", **filters))

    def request(self, service_request_id: str) -> list[dict]:
        return self._get(self._url(f"requests/{urllib.parse.quote(service_request_id)}"))

    def _url(self, resource: str, **query) -> str:
        if self.jurisdiction_id:
            query["jurisdiction_id"] = self.jurisdiction_id
        return f"{self.base}/{resource}.{self.fmt}" + (f"?{urllib.parse.urlencode(query)}" if query else "")

    def _get(self, url: str):
        return self._call(urllib.request.Request(url))

    def _call(self, request):
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return self._parse(response.read(), response.headers.get("Content-Type", ""))
        except urllib.error.HTTPError as failure:
            body = failure.read()
            raise Open311Error(failure.code, self._parse(body, failure.headers.get("Content-Type", ""))) from None

    @staticmethod
    def _parse(body: bytes, content_type: str):
        if "json" in content_type:
            return json.loads(body)
        assert body.startswith(b'<?xml version="1.0" encoding="utf-8"?>'), body[:80]
        return _element(ElementTree.fromstring(body))


def _element(element):
    """XML as the specification nests it: a document of repeated items is a list; an item is a dict of its children;
    a child holding repeated children (attributes, values, endpoints, formats) is a list."""
    children = list(element)
    if element.tag in ("services", "service_requests", "errors", "attributes", "values", "endpoints", "formats"):
        return [_element(child) for child in children]
    if not children:
        return element.text or ""
    return {child.tag: _element(child) for child in children}
