"""Statistics and report documents on the million-case database (issue 14's bounds), in this process:

- ``statistics_fiscal_year``: the whole office's fiscal-year figures as pages and the API read them
  (``core.statistics.period_statistics``), warm: after the first read has stored the snapshot. p50/p99 over
  ``--reads`` reads, alternating the current and the previous fiscal year. Also the time to compute a fiscal
  year from the cases (what beat does every ten minutes, and a read of a stale snapshot).
- ``report_fiscal_year``: drafting the previous fiscal year's complaint report and making its PDF, XLSX and CSV
  (``reports.documents.report_files_make``, the reports.generate task's work), in seconds.

Usage: DATABASE_URL=.../rabfang_bench_scale .venv/bin/python bench/reports.py [--reads 200]
Prints one JSON line per scenario.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def percentile(values: list[float], percent: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(percent / 100 * (len(ordered) - 1)))]


def statistics_fiscal_year(reads: int) -> dict:
    from django.utils import timezone

    from core.periods import fiscal_year_period, period_parse
    from core.statistics import period_statistics, statistics_compute

    now = timezone.now()
    current = fiscal_year_period(now)
    periods = [current, period_parse(str(current.fiscal_year - 1))]
    computes = []
    for period in periods + periods:
        started = time.perf_counter()
        statistics_compute(period, now=now)
        computes.append(time.perf_counter() - started)
    for period in periods:
        period_statistics(period, now=now)  # stores the snapshot: the reads below are warm
    timings = []
    for n in range(reads):
        started = time.perf_counter()
        figures = period_statistics(periods[n % 2], now=timezone.now())
        timings.append(time.perf_counter() - started)
    return {"scenario": "statistics_fiscal_year", "reads": reads, "cases_in_year": figures["totals"]["received"],
            "p50_ms": round(statistics.median(timings) * 1000, 2), "p99_ms": round(percentile(timings, 99) * 1000, 2),
            "compute_median_s": round(statistics.median(computes), 2)}


def report_fiscal_year() -> dict:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from core.models import Report
    from core.periods import fiscal_year_period
    from reports import documents
    from workflows.reports import report_draft

    settings.MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="rabfang-bench-reports-"))
    year = str(fiscal_year_period(timezone.now()).fiscal_year - 1)
    _remove(Report.objects.filter(period=year, scope="complaint"))
    director = get_user_model().objects.get(username="director")
    started = time.perf_counter()
    report = report_draft(period_code=year, scope="complaint", actor=director)
    drafted = time.perf_counter() - started
    parts = {}
    for name, make in (("pdf", documents.report_pdf), ("xlsx", documents.report_xlsx),
                       ("csv", documents.report_csv)):
        with documents.translation.override("th"):
            started = time.perf_counter()
            make(report)
            parts[name] = round(time.perf_counter() - started, 2)
    started = time.perf_counter()
    documents.report_files_make(report_id=report.pk)
    made = time.perf_counter() - started
    report.refresh_from_db()
    assert report.files_status == "ready", report.files_error
    _remove(Report.objects.filter(pk=report.pk))  # a scratch database: the bench leaves no report behind
    return {"scenario": "report_fiscal_year", "period": year, "cases_in_year": report.figures["totals"]["received"],
            "draft_s": round(drafted, 2), "files_s": round(made, 2), **{f"{k}_s": v for k, v in parts.items()},
            "pdf_bytes": report.files["pdf"]["size"], "xlsx_bytes": report.files["xlsx"]["size"]}


def _remove(reports) -> None:
    from core.models import ReportEvent

    ReportEvent.objects.filter(report__in=reports).delete()
    reports.delete()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reads", type=int, default=200)
    options = parser.parse_args()
    import django

    django.setup()
    print(json.dumps(statistics_fiscal_year(options.reads)))
    print(json.dumps(report_fiscal_year()))


if __name__ == "__main__":
    main()
