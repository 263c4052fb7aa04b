"""Deployment files are valid (checked statically: there is no Docker engine here)."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "deploy" / "docker-compose.yml"


def compose_command():
    docker = shutil.which("docker")
    if docker and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0:
        return [docker, "compose"]
    legacy = shutil.which("docker-compose")
    return [legacy] if legacy else None


def test_docker_compose_config_succeeds_when_a_compose_client_is_present():
    command = compose_command()
    if command is None:
        pytest.skip("no docker compose client installed")
    env = {**os.environ, "SECRET_KEY": "x" * 40, "BLIND_INDEX_KEY": "y" * 40,
           "POSTGRES_PASSWORD": "pw"}
    result = subprocess.run([*command, "-f", str(COMPOSE), "config", "--quiet"], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_compose_publishes_only_nginx_and_keeps_databases_private():
    spec = yaml.safe_load(COMPOSE.read_text())
    published = {name for name, service in spec["services"].items() if service.get("ports")}
    assert published == {"nginx"}
    assert spec["networks"]["backend"]["internal"] is True
    for name in ("postgres", "redis"):
        assert spec["services"][name]["networks"] == ["backend"]


def test_dockerfile_is_multi_stage_and_runs_as_non_root():
    text = (ROOT / "deploy" / "Dockerfile").read_text()
    assert text.count("FROM ") >= 3
    assert "USER invsim" in text
    assert "npm run build" in text
