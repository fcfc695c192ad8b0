"""What surveys' readers see (docs/participation.md, "Surveys"): the surveys open now, and a survey's results per
question and per stakeholder group, with the citizens' ratings of their own cases over the same period beside them.
Free-text answers are shown only once reviewed, except to staff reviewing them."""

import csv
import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Avg, Count
from django.utils import timezone

from core.models import Case, QuestionKind, Survey, SurveyAnswer, SurveyQuestion, TextReview
from core.spreadsheets import spreadsheet_safe


def surveys_open(*, now: datetime | None = None) -> list[Survey]:
    now = now or timezone.now()
    return list(Survey.objects.filter(opens_at__lte=now, closes_at__gt=now).order_by("closes_at"))


def surveys_closed() -> list[Survey]:
    return list(Survey.objects.filter(closes_at__lte=timezone.now()).order_by("-closes_at")[:50])


@dataclass
class QuestionResult:
    question: SurveyQuestion
    count: int = 0
    average: float | None = None  # scales
    distribution: list[tuple[str, int]] = field(default_factory=list)  # (label, count): 1..5 or the choices
    by_group: list[tuple[str, int, float | None]] = field(default_factory=list)  # (group, count, average)
    texts: list[SurveyAnswer] = field(default_factory=list)


@dataclass
class SurveyResults:
    survey: Survey
    responses: int
    responses_by_group: list[tuple[str, int]]
    questions: list[QuestionResult]
    case_ratings: dict  # the citizens' ratings of their answered cases in the survey's period


def survey_results(survey: Survey, *, reviewing: bool = False, unstated: str = "") -> SurveyResults:
    """``reviewing``: staff see every free-text answer with its review state; everyone else the published ones."""
    responses = survey.responses.count()
    by_group = [(name or unstated, count) for name, count in survey.responses.values_list("group__name_th").annotate(
        n=Count("pk")).values_list("group__name_th", "n").order_by("group__name_th")]
    answers = defaultdict(list)
    for answer in SurveyAnswer.objects.filter(response__survey=survey).select_related("response__group").order_by("pk"):
        answers[answer.question_id].append(answer)
    results = []
    for question in survey.questions.all():
        rows = answers.get(question.pk, [])
        result = QuestionResult(question=question, count=len(rows))
        if question.kind == QuestionKind.SCALE:
            scores = Counter(row.scale for row in rows)
            result.distribution = [(str(n), scores.get(n, 0)) for n in range(1, 6)]
            result.average = round(sum(row.scale for row in rows) / len(rows), 2) if rows else None
            groups = defaultdict(list)
            for row in rows:
                groups[row.response.group.name_th if row.response.group_id else unstated].append(row.scale)
            result.by_group = [(name, len(values), round(sum(values) / len(values), 2))
                               for name, values in sorted(groups.items())]
        elif question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            chosen = Counter(index for row in rows for index in row.chosen)
            result.distribution = [(label, chosen.get(n, 0)) for n, label in enumerate(question.choice_labels())]
        else:
            result.texts = [row for row in rows if reviewing or row.review == TextReview.PUBLISHED]
        results.append(result)
    return SurveyResults(survey=survey, responses=responses, responses_by_group=by_group, questions=results,
                         case_ratings=_case_ratings(survey))


def _case_ratings(survey: Survey) -> dict:
    """The per-case ratings citizens gave over the survey's period (1-5), shown beside a service survey's results."""
    rated = Case.objects.filter(feedback_at__gte=survey.opens_at, feedback_at__lt=survey.closes_at, sealed=False,
                                satisfaction_score__isnull=False)
    summary = rated.aggregate(count=Count("pk"), average=Avg("satisfaction_score"))
    scores = dict(rated.values_list("satisfaction_score").annotate(n=Count("pk")).values_list("satisfaction_score",
                                                                                              "n"))
    return {"count": summary["count"], "average": round(summary["average"], 2) if summary["average"] else None,
            "distribution": [(str(n), scores.get(n, 0)) for n in range(1, 6)]}


def survey_results_csv(results: SurveyResults) -> bytes:
    """One row per question and value (and per group for scales), for a spreadsheet (UTF-8 with BOM)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["question", "kind", "value", "count", "average"])
    for result in results.questions:
        text = spreadsheet_safe(result.question.text_th)
        writer.writerow([text, result.question.kind, "", result.count, result.average if result.average else ""])
        for label, count in result.distribution:
            writer.writerow([text, result.question.kind, spreadsheet_safe(label), count, ""])
        for name, count, average in result.by_group:
            writer.writerow([text, "group", spreadsheet_safe(name), count, average])
        for answer in result.texts:
            writer.writerow([text, "text", spreadsheet_safe(answer.text), "", ""])
    return ("\ufeff" + out.getvalue()).encode()
