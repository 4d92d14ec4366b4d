"""The production stack's files (deploy/, docker-compose.yml, Dockerfile) say what they
should; CI's production smoke (.ci/production_smoke.py) then runs them for real."""

import io
import runpy
from datetime import timedelta
from types import SimpleNamespace

import pytest
import yaml
from gunicorn.config import Config
from gunicorn.glogging import Logger

from tests.production import ROOT

CANARY = "Canarynamekim"
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture
def gunicorn_logger(monkeypatch):
    """gunicorn's own logger, configured from deploy/gunicorn.conf.py as at start-up;
    ``logger.written(log)`` is what its handlers wrote."""
    monkeypatch.setenv("TRUSTED_PROXIES", "172.30.80.2")
    module = runpy.run_path(str(GUNICORN_CONF))
    cfg = Config()
    for key, value in module.items():
        if key in cfg.settings:
            cfg.set(key, value)
    cfg.on_starting(None)
    logger = Logger(cfg)
    streams = {}
    for log in (logger.error_log, logger.access_log):
        streams[log] = io.StringIO()
        for handler in log.handlers:
            handler.setStream(streams[log])
    logger.written = lambda log: streams[log].getvalue()
    yield logger
    for log in (logger.error_log, logger.access_log):
        for handler in list(log.handlers):
            log.removeHandler(handler)
        for installed in list(log.filters):
            log.removeFilter(installed)


def test_the_access_log_keeps_the_path_of_a_search_not_its_terms(gunicorn_logger):
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/cases/?q={CANARY}",
        "PATH_INFO": "/cases/",
        "QUERY_STRING": f"q={CANARY}",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "172.30.80.2",
        "HTTP_REFERER": f"https://casework.example.org/cases/?q={CANARY}",
    }
    response = SimpleNamespace(status="200 OK", sent=512, headers=[("Content-Type", "text/html")])
    request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])

    gunicorn_logger.access(response, request, environ, timedelta(milliseconds=42))

    line = gunicorn_logger.written(gunicorn_logger.access_log)
    assert '"GET /cases/ HTTP/1.1" 200 512 42ms' in line
    assert CANARY not in line


def test_gunicorns_error_messages_lose_the_query_string(gunicorn_logger):
    gunicorn_logger.error("Error handling request %s %s", "GET", f"/board/export.csv?q={CANARY}")

    written = gunicorn_logger.written(gunicorn_logger.error_log)
    assert "Error handling request GET /board/export.csv?[query removed]" in written
    assert CANARY not in written


def test_gunicorn_believes_forwarded_headers_from_the_proxy_alone(gunicorn_logger, monkeypatch):
    assert gunicorn_logger.cfg.forwarded_allow_ips == ["172.30.80.2"]

    monkeypatch.delenv("TRUSTED_PROXIES")
    assert runpy.run_path(str(GUNICORN_CONF))["forwarded_allow_ips"] == ""


def test_only_the_proxy_is_published():
    services = compose()["services"]

    assert [name for name, service in services.items() if service.get("ports")] == ["proxy"]
    assert services["proxy"]["image"].startswith("caddy:")
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in services["proxy"]["volumes"]


def test_web_trusts_the_proxys_fixed_address_on_an_internal_network():
    stack = compose()
    web, proxy = stack["services"]["web"], stack["services"]["proxy"]

    assert stack["networks"]["edge"]["internal"] is True
    assert web["environment"]["TRUSTED_PROXIES"] == proxy["networks"]["edge"]["ipv4_address"]
    assert set(web["networks"]) == {"default", "edge"}
    assert "edge" not in stack["services"]["postgres"].get("networks", {})


def test_the_web_service_and_the_image_start_through_deploy_web_sh():
    web = compose()["services"]["web"]
    start = (ROOT / "deploy" / "web.sh").read_text()

    assert web["command"] == ["sh", "deploy/web.sh"]
    assert web["healthcheck"]["test"] == ["CMD", "python", "deploy/healthcheck.py"]
    assert 'CMD ["sh", "deploy/web.sh"]' in (ROOT / "Dockerfile").read_text()
    assert "check --deploy --fail-level ERROR" in start
    assert "gunicorn --config deploy/gunicorn.conf.py casework.wsgi:application" in start


def test_every_handler_django_configures_drops_query_strings(settings):
    """Read from the settings, not the live root logger, which a worker test may replace."""
    logging_config = settings.LOGGING
    redacting = {
        name
        for name, spec in logging_config["filters"].items()
        if spec["()"] == "casework.logs.RedactQueryStrings"
    }

    assert redacting
    for name, handler in logging_config["handlers"].items():
        assert redacting & set(handler.get("filters", [])), name


@pytest.mark.parametrize("variable", ["MEDIA_ROOT", "ERASURE_LEDGER_PATH"])
def test_files_and_the_erasure_ledger_outlive_the_containers(variable):
    """A ledger lost with its container would let a restore bring the erased back."""
    stack = compose()
    for name in ("web", "worker", "beat"):
        service = stack["services"][name]
        path = service["environment"][variable]
        mounts = [volume.split(":") for volume in service["volumes"]]
        assert any(
            source in stack["volumes"] and (path + "/").startswith(target.rstrip("/") + "/")
            for source, target, *_ in mounts
        ), (name, path)
