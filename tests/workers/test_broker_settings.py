"""With no broker configured (`make run`), kombu's filesystem transport keeps every file under the var
folder, its control (broadcast) files included, never in the working directory."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_filesystem_broker_keeps_its_control_folder_under_var(tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in ("CELERY_BROKER_URL", "REDIS_URL")}
    env.update(RABFANG_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="config.settings")
    # A worker binds its control queue to the fanout exchange "celery.pidbox": kombu records the binding in a
    # file under control_folder. Bind one here as the worker does.
    script = ("import django; django.setup(); from config.celery import app; from django.conf import settings;"
              "from kombu import Exchange, Queue;"
              "connection = app.connection_for_write();"
              "Queue('probe.pidbox', Exchange('celery.pidbox', type='fanout'))(connection.default_channel).declare();"
              "print(json.dumps(settings.CELERY_BROKER_TRANSPORT_OPTIONS))")
    work = tmp_path / "cwd"
    work.mkdir()
    run = subprocess.run([sys.executable, "-c", f"import json; {script}"], cwd=work, capture_output=True, text=True,
                         env={**env, "PYTHONPATH": str(ROOT)}, timeout=60)
    assert run.returncode == 0, run.stderr
    options = json.loads(run.stdout.strip().splitlines()[-1])
    assert Path(options["control_folder"]) == tmp_path / "broker-control"
    assert list((tmp_path / "broker-control").glob("*.exchange"))
    assert not (work / "control").exists()


def test_no_broker_files_are_committed():
    tracked = subprocess.run(["git", "ls-files", "control", "var"], cwd=ROOT, capture_output=True, text=True).stdout
    assert tracked == ""
