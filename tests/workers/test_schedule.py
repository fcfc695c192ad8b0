"""Task names are spelled once (core/task_names.py): every one is registered by a worker, every beat
entry and every sender uses one of them, and no sender spells a name of its own."""

import ast
from pathlib import Path

from config.celery import app
from core import task_names
from workers.schedule import BEAT_SCHEDULE

ROOT = Path(__file__).resolve().parents[2]
SENDERS = {"send_task_on_commit", "send_ids_on_commit", "send_task_now", "send_task", "shared_task", "task"}


def test_every_task_name_is_registered_by_the_workers():
    app.loader.import_default_modules()
    constants = {value for name, value in vars(task_names).items() if name.isupper() and isinstance(value, str)}
    assert constants == task_names.ALL, "add the new name to task_names.ALL"
    assert sorted(task_names.ALL - set(app.tasks)) == [], "register a task under each name (workers/tasks.py)"


def test_every_scheduled_task_is_a_known_name():
    assert {entry["task"] for entry in BEAT_SCHEDULE.values()} <= task_names.ALL
    assert task_names.PRIVACY_REMOVE_EXPIRED in {entry["task"] for entry in BEAT_SCHEDULE.values()}


def _spelled_names(tree: ast.AST) -> list[str]:
    """String constants given as a task's name to a sender, to ``@shared_task(name=...)`` or as a beat
    entry's ``"task"``."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if called in SENDERS:
                candidates = node.args[:1] + [keyword.value for keyword in node.keywords if keyword.arg == "name"]
                found += [arg.value for arg in candidates if isinstance(arg, ast.Constant) and isinstance(arg.value, str)]
        elif isinstance(node, ast.Dict):
            found += [value.value for key, value in zip(node.keys, node.values, strict=True)
                      if isinstance(key, ast.Constant) and key.value == "task" and isinstance(value, ast.Constant)]
    return found


def test_no_code_spells_a_task_name_of_its_own():
    spelled = {}
    for folder in ("config", "core", "workflows", "workers", "api", "portal"):
        for path in (ROOT / folder).rglob("*.py"):
            if names := _spelled_names(ast.parse(path.read_text())):
                spelled[str(path.relative_to(ROOT))] = names
    assert spelled == {}, f"use the names in core/task_names.py instead: {spelled}"


def test_the_detector_finds_each_way_of_spelling_a_name():
    for source in ('send_task_on_commit("routing.route_case", 1)', '@shared_task(name="x.y")\ndef f(): pass',
                   'current_app.send_task("x.y")', 'S = {"e": {"task": "x.y", "schedule": 60}}'):
        assert _spelled_names(ast.parse(source)) == ["x.y"] or _spelled_names(ast.parse(source)) == [
            "routing.route_case"], source
