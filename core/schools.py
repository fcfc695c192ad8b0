"""The office's schools from its CSV (docs/channels.md, "Schools and places"): all or nothing, each bad line named."""

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction

from core.config_changes import config_log
from core.models import School

# The columns, by their English names or the Thai ones an office's spreadsheet has.
COLUMNS = {
    "code": ("code", "รหัสโรงเรียน", "รหัส"), "name_th": ("name_th", "ชื่อโรงเรียน", "ชื่อ"), "name_en": ("name_en",),
    "district": ("district", "อำเภอ"), "subdistrict": ("subdistrict", "ตำบล"),
    "latitude": ("latitude", "lat", "ละติจูด"), "longitude": ("longitude", "long", "lon", "ลองจิจูด"),
}


CODE = re.compile(r"[0-9A-Za-z-]{1,16}")
CONTROL = re.compile("[\x00-\x1f\x7f]")


@dataclass
class SchoolsImported:
    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)


def _text(data: bytes) -> str:
    for charset in ("utf-8-sig", "cp874"):  # Excel on a Thai Windows saves CSV as windows-874
        try:
            return data.decode(charset)
        except UnicodeDecodeError:
            continue
    raise ValueError("the file is neither UTF-8 nor Thai windows-874 text")


@transaction.atomic
def schools_import(data: bytes, *, actor) -> SchoolsImported:
    """Create or update the schools of a CSV with a header row; nothing is written if any line is wrong."""
    result = SchoolsImported()
    try:
        rows = list(csv.reader(io.StringIO(_text(data))))
    except (ValueError, csv.Error) as problem:
        result.errors.append(str(problem))
        return result
    if not rows:
        result.errors.append("the file is empty")
        return result
    header = [name.strip().lower() for name in rows[0]]
    where = {key: next((header.index(alias) for alias in aliases if alias in header), None)
             for key, aliases in COLUMNS.items()}
    if where["code"] is None or where["name_th"] is None:
        result.errors.append("the header row must name the columns code and name_th (รหัสโรงเรียน, ชื่อโรงเรียน)")
        return result
    seen = set()
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        values = {key: (row[index].strip() if index is not None and index < len(row) else "")
                  for key, index in where.items()}
        problem = _problem(values, seen)
        if problem:
            result.errors.append(f"line {number}: {problem}")
            continue
        seen.add(values["code"])
        coordinates = {name: Decimal(values[name]) if values[name] else None for name in ("latitude", "longitude")}
        _school, created = School.objects.update_or_create(code=values["code"], defaults={
            "name_th": values["name_th"][:200], "name_en": values["name_en"][:200], "district": values["district"][:100],
            "subdistrict": values["subdistrict"][:100], "active": True, **coordinates})
        result.created += created
        result.updated += not created
    if result.errors:
        transaction.set_rollback(True)
        result.created = result.updated = 0
        return result
    config_log(actor=actor, instance=School(pk=0), action="import", before=None,
               after={"created": result.created, "updated": result.updated})
    return result


def _problem(values: dict, seen: set) -> str | None:
    if not values["code"] or not values["name_th"]:
        return "a school needs its code and its Thai name"
    if not CODE.fullmatch(values["code"]):
        return "a school code is up to 16 Latin letters, digits or hyphens, with no spaces"
    if any(CONTROL.search(value) for value in values.values()):
        return "the line holds control characters (a NUL, say)"
    if values["code"] in seen:
        return f"school {values['code']} is listed twice"
    for name, limit in (("latitude", 90), ("longitude", 180)):
        if values[name]:
            try:
                degrees = Decimal(values[name])
            except InvalidOperation:
                return f"{name} is not a number"
            if not degrees.is_finite() or not -limit <= degrees <= limit:
                return f"{name} is out of range"
    if bool(values["latitude"]) != bool(values["longitude"]):
        return "give both latitude and longitude, or neither"
    return None


def school_typed(typed: str) -> School | None:
    """The active school a person typed: "code name" as the pickers offer it, a code, or a Thai name written whole
    (the portal's and the workspace's school box, and the LINE bot)."""
    typed = typed.strip()
    if not typed:
        return None
    return (School.objects.filter(active=True, code=typed.split(" ", 1)[0]).first()
            or School.objects.filter(active=True, name_th=typed).first())
