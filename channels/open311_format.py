"""Open311 GeoReport v2's two formats (http://wiki.open311.org/GeoReport_v2): JSON, and XML with the UTF-8 declaration
and the element names the specification gives; errors as its list of ``{code, description}``."""

import json
import re
from xml.etree import ElementTree

from django.http import HttpResponse

CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}


def rendered(data, fmt: str, *, root: str, item: str, status: int = 200) -> HttpResponse:
    """``data``: a list of flat dicts (or a dict for the discovery document), as the specification shapes it; in XML
    ``<root><item>...</item></root>``, a list inside an item (a service definition's attributes, their values) as
    repeated child elements."""
    if fmt == "json":
        body = json.dumps(data, ensure_ascii=False).encode()
    else:
        element = ElementTree.Element(root)
        for entry in (data if isinstance(data, list) else [data]):
            _fill(ElementTree.SubElement(element, item) if item else element, entry)
        body = b'<?xml version="1.0" encoding="utf-8"?>' + ElementTree.tostring(element, encoding="unicode").encode()
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])


# How a list inside an XML element is written: its container and each entry's element.
XML_LISTS = {"attributes": "attribute", "values": "value", "endpoints": "endpoint", "formats": "format",
             "keywords": None}


def _fill(element, entry: dict) -> None:
    for key, value in entry.items():
        if isinstance(value, list) and key in XML_LISTS and XML_LISTS[key] is not None:
            container = ElementTree.SubElement(element, key)
            for member in value:
                child = ElementTree.SubElement(container, XML_LISTS[key])
                if isinstance(member, dict):
                    _fill(child, member)
                else:
                    child.text = _text(member)
        elif isinstance(value, list):
            ElementTree.SubElement(element, key).text = ",".join(_text(member) for member in value)
        else:
            ElementTree.SubElement(element, key).text = _text(value)


# Characters XML 1.0 cannot hold at all (ElementTree would write them and break the document).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return NOT_XML.sub("", str(value))


def error(fmt: str, status: int, description: str) -> HttpResponse:
    """The specification's error document, with the HTTP status as its code."""
    return rendered([{"code": status, "description": description}], fmt if fmt in CONTENT_TYPES else "json",
                    root="errors", item="error", status=status)
