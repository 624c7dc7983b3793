"""The production shape refuses to start misconfigured and passes Django's deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STRONG_KEY = "k" * 20 + "-production-secret-for-tests-only-" + "9" * 20


def _manage(*args, **env):
    environment = {key: value for key, value in os.environ.items() if key not in {"SECRET_KEY"}}
    environment.update(
        DJANGO_SETTINGS_MODULE="zhongcai.settings.production",
        DATABASE_URL=os.environ.get(
            "DATABASE_URL", "sqlite:////tmp/zhongcai-settings-test.sqlite3"
        ),
        REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"),
    )
    environment.update(env)
    return subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), *args],
        capture_output=True,
        text=True,
        env=environment,
        cwd=ROOT,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_the_development_key():
    result = _manage("check", SECRET_KEY="insecure-dev-key-never-use-in-production")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_passes_the_deploy_checks():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", SECRET_KEY=STRONG_KEY)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_demo_data():
    result = _manage("load_demo", SECRET_KEY=STRONG_KEY)
    assert result.returncode != 0
    assert "生产" in result.stderr or "production" in result.stderr


def test_production_refuses_to_start_without_its_database():
    result = _manage("check", SECRET_KEY=STRONG_KEY, DATABASE_URL="")
    assert result.returncode != 0
    assert "DATABASE_URL must be set" in result.stderr


def test_every_production_process_names_the_production_settings():
    procfile = (ROOT / "Procfile").read_text(encoding="utf-8")
    processes = [line for line in procfile.splitlines() if line and not line.startswith("#")]
    assert processes
    assert all("DJANGO_SETTINGS_MODULE=zhongcai.settings.production" in p for p in processes)
