"""Each pytest-xdist worker gets its own Redis database, so no test sees another's keys."""

from tests.services import worker_redis_url


def test_each_worker_adds_its_index_to_the_base_database():
    assert worker_redis_url("redis://127.0.0.1:6379/10", 0) == "redis://127.0.0.1:6379/10"
    assert worker_redis_url("redis://127.0.0.1:6379/10", 1) == "redis://127.0.0.1:6379/11"


def test_a_url_without_a_database_starts_at_zero():
    assert worker_redis_url("redis://127.0.0.1:6379", 2) == "redis://127.0.0.1:6379/2"
