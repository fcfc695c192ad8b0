"""The public statistics page (/stats/) and the handling guideline (/guideline/): thin views over
core.statistics and reports.guideline."""

from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.statistics import period_statistics
from reports.charts import statistics_charts
from reports.forms import StatisticsPeriodForm
from reports.guideline import guideline_read

# How long a rendered set of figures is served before the snapshot is read again (the figures themselves are
# refreshed by beat every ten minutes: core.statistics).
FIGURES_CACHE_SECONDS = 60


@require_http_methods(["GET", "HEAD"])
def statistics(request):
    now = timezone.now()
    form = StatisticsPeriodForm(request.GET or None, now=now)
    period = form.period()

    def content() -> dict:
        figures = period_statistics(period, now=now)
        return {"figures": figures, "charts": statistics_charts(figures)}

    # Read only when the page's cached fragment has expired (templates evaluate it on first use).
    return render(request, "reports/statistics.html", {
        "form": form, "period": period, "content": SimpleLazyObject(content),
        "cache_seconds": FIGURES_CACHE_SECONDS, "title": _("Complaint and suggestion statistics"),
    }, status=400 if form.errors else 200)


@require_http_methods(["GET", "HEAD"])
def guideline(request):
    return render(request, "reports/guideline.html", {"guideline": guideline_read()})
