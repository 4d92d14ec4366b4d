import pytest
from django.db import DatabaseError


@pytest.mark.django_db
def test_healthz_reports_database_and_broker(client, settings):
    settings.REDIS_URL = ""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "broker": "embedded",
        "encryption": "ok",
    }


@pytest.mark.django_db
@pytest.mark.no_tally_check  # the database is made unreachable on purpose
def test_healthz_is_503_when_the_database_is_down(client, settings, monkeypatch):
    settings.REDIS_URL = ""

    def broken_cursor(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr("casework.health.connection.cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "down"


@pytest.mark.django_db
def test_healthz_is_503_when_redis_is_unreachable(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] == "down"


@pytest.mark.django_db
def test_healthz_is_503_when_the_embedded_broker_folder_is_not_writable(client, settings, tmp_path):
    settings.REDIS_URL = ""
    blocker = tmp_path / "broker"
    blocker.write_text("a file where the broker folder should be")
    settings.CELERY_BROKER_DIR = blocker
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] == "down"


@pytest.mark.django_db
def test_healthz_creates_the_embedded_broker_folder(client, settings, tmp_path):
    settings.REDIS_URL = ""
    settings.CELERY_BROKER_DIR = tmp_path / "fresh"
    assert client.get("/healthz").json()["broker"] == "embedded"
    assert (tmp_path / "fresh" / "queue").is_dir()


@pytest.mark.redis
@pytest.mark.django_db
def test_healthz_reports_a_reachable_redis_as_ok(client, settings):
    import redis

    settings.REDIS_URL = "redis://127.0.0.1:6379/5"
    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("needs a Redis server at 127.0.0.1:6379")
    response = client.get("/healthz")
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "broker": "ok",
        "encryption": "ok",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("people", [1, 3])
def test_healthz_reads_the_same_few_rows_whatever_is_stored(
    client, settings, django_assert_num_queries, people
):
    from django.apps import apps

    from casework.cases.encryption import encrypted_fields, encrypted_file_kinds
    from tests.factories import PersonFactory

    settings.REDIS_URL = ""
    PersonFactory.create_batch(people)
    encrypted_models = [m for m in apps.get_models() if encrypted_fields(m)]

    # SELECT 1, the newest rows of each model with encrypted columns, the newest file of
    # each kind (documents, letter files).
    with django_assert_num_queries(1 + len(encrypted_models) + len(encrypted_file_kinds())):
        response = client.get("/healthz")

    assert response.json()["encryption"] == "ok"
