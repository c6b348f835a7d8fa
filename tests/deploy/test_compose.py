"""docker-compose.yml is a deliverable that cannot run here (no Docker engine).

These are pure file checks: the services a single-machine deployment needs exist, start
in a healthy order, and every command names things that exist in the project.
"""

from __future__ import annotations

import ast
import re
import shlex
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
REQUIRED_SERVICES = {"db", "redis", "web", "worker", "beat", "mailpit"}
APP_SERVICES = ("web", "worker", "beat")


@pytest.fixture(scope="module")
def compose() -> dict:
    assert COMPOSE_FILE.is_file(), "docker-compose.yml is missing"
    data = yaml.safe_load(COMPOSE_FILE.read_text())
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def command_text(service: dict) -> str:
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else str(command)


def module_defines(path: Path, name: str) -> bool:
    """True when the module file binds `name` at top level (assignment, def, class, import)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in tree.body:
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                return True
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            if node.name == name:
                return True
        elif isinstance(node, ast.Import | ast.ImportFrom) and any(
            (alias.asname or alias.name.split(".")[0]) == name for alias in node.names
        ):
            return True
    return False


def module_file(dotted: str) -> Path:
    base = ROOT.joinpath(*dotted.split("."))
    if base.with_suffix(".py").is_file():
        return base.with_suffix(".py")
    return base / "__init__.py"


def test_required_services_exist(services):
    assert set(services) >= REQUIRED_SERVICES, REQUIRED_SERVICES - set(services)


def test_images(services):
    assert str(services["db"]["image"]).startswith("postgres:15")
    assert str(services["redis"]["image"]).startswith("redis:7")
    assert str(services["mailpit"]["image"]).startswith("axllent/mailpit")
    for name in APP_SERVICES:
        build = services[name].get("build")
        assert build, f"{name} must be built from the project's Dockerfile"
        context = build if isinstance(build, str) else build.get("context", ".")
        dockerfile = (
            "Dockerfile" if isinstance(build, str) else build.get("dockerfile", "Dockerfile")
        )
        assert (ROOT / context / dockerfile).is_file(), f"{name}: {context}/{dockerfile} missing"


def test_healthchecks(services):
    db_check = " ".join(services["db"]["healthcheck"]["test"])
    assert "pg_isready" in db_check
    redis_check = " ".join(services["redis"]["healthcheck"]["test"])
    assert "redis-cli" in redis_check and "ping" in redis_check
    web_check = " ".join(services["web"]["healthcheck"]["test"])
    assert "/healthz" in web_check and "urllib" in web_check


def test_every_service_is_checked_or_waits_for_healthy_dependencies(services):
    for name, service in services.items():
        depends = service.get("depends_on", {})
        waits_for_healthy = isinstance(depends, dict) and any(
            (spec or {}).get("condition") == "service_healthy" for spec in depends.values()
        )
        assert "healthcheck" in service or waits_for_healthy, name


def test_app_services_wait_for_healthy_db_and_redis(services):
    for name in APP_SERVICES:
        depends = services[name].get("depends_on")
        assert isinstance(depends, dict), f"{name}: depends_on must use conditions"
        for dependency in ("db", "redis"):
            assert depends.get(dependency, {}).get("condition") == "service_healthy", (
                f"{name} must wait for {dependency} to be healthy"
            )


def test_dependencies_name_real_services(services):
    for name, service in services.items():
        for dependency in service.get("depends_on", {}) or {}:
            assert dependency in services, f"{name} depends on unknown service {dependency}"


def test_web_migrates_then_serves_the_asgi_app(services):
    command = command_text(services["web"])
    assert "manage.py migrate" in command
    # Several worker processes: Django runs sync views one at a time per ASGI process.
    assert command.index("migrate") < command.index("uvicorn")
    assert "--workers" in command
    match = re.search(r"uvicorn\s+([\w.]+):(\w+)", command)
    assert match, command
    module, attribute = match.groups()
    assert (module, attribute) == ("helpdesk.asgi", "application")
    assert "--host 0.0.0.0" in command
    port = re.search(r"--port\s+(\d+)", command).group(1)
    assert port in " ".join(services["web"]["healthcheck"]["test"])
    assert any(str(p).endswith(f":{port}") for p in services["web"].get("ports", []))


@pytest.mark.parametrize(("service", "subcommand"), [("worker", "worker"), ("beat", "beat")])
def test_celery_services(services, service, subcommand):
    tokens = shlex.split(command_text(services[service]))
    inner = " ".join(tokens)
    match = re.search(r"celery\s+-A\s+([\w.]+):(\w+)\s+(\w+)", inner)
    assert match, inner
    module, attribute, sub = match.groups()
    assert (module, attribute, sub) == ("helpdesk.celery", "app", subcommand)


def test_commands_refer_to_existing_files(services):
    for name, service in services.items():
        command = command_text(service)
        if "manage.py" in command:
            assert (ROOT / "manage.py").is_file(), f"{name} runs manage.py, which is missing"
        for module, attribute in re.findall(r"\b(helpdesk(?:\.\w+)+):(\w+)", command):
            path = module_file(module)
            assert path.is_file(), f"{name}: {module} ({path}) does not exist"
            assert module_defines(path, attribute), f"{name}: {path} does not define {attribute}"


def test_asgi_and_celery_modules():
    asgi = ROOT / "helpdesk" / "asgi.py"
    celery = ROOT / "helpdesk" / "celery.py"
    assert asgi.is_file() and module_defines(asgi, "application")
    assert celery.is_file() and module_defines(celery, "app")
    assert (ROOT / "manage.py").is_file()


def test_env_file_and_example(services):
    assert (ROOT / ".env.example").is_file()
    for name in APP_SERVICES:
        env_file = services[name].get("env_file")
        entries = env_file if isinstance(env_file, list) else [env_file]
        paths = [e["path"] if isinstance(e, dict) else e for e in entries if e]
        assert ".env" in paths, f"{name} must read .env"


def test_env_example_documents_every_setting():
    """Every variable helpdesk/settings.py reads is listed in .env.example with a comment."""
    settings = (ROOT / "helpdesk" / "settings.py").read_text()
    read = set(
        re.findall(r"\b(?:env(?:\.\w+)?|_minutes)\(\s*[\"']([A-Z][A-Z0-9_]*)[\"']", settings)
    )
    assert read >= {"SECRET_KEY", "DATABASE_URL", "REDIS_URL"}
    lines = (ROOT / ".env.example").read_text().splitlines()
    documented = {}
    for index, line in enumerate(lines):
        match = re.match(r"^#?\s*([A-Z][A-Z0-9_]*)=", line)
        if match:
            documented.setdefault(match.group(1), index)
    missing = sorted(read - set(documented))
    assert not missing, f".env.example does not list {missing}"
    for name in read:
        index = documented[name]
        above = [
            line
            for line in lines[max(0, index - 3) : index]
            if line.startswith("#") and not re.match(r"^#\s*[A-Z][A-Z0-9_]*=", line)
        ]
        assert above, f".env.example: {name} has no explanatory comment above it"


def test_dockerfile():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim", dockerfile, re.M)
    assert "collectstatic" in dockerfile
    assert "SECRET_KEY=" in dockerfile
    assert (ROOT / ".dockerignore").is_file()
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert ".env" in ignored and ".venv" in ignored
