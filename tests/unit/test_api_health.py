"""GET /v1/health names each failing part (here: nothing is reachable)."""

from api import health


def test_health_is_503_naming_every_unreachable_part(client):
    response = client.get("/v1/health")
    assert response.status_code == 503
    assert response.headers["Retry-After"]
    error = response.get_json()["error"]
    assert error["code"] == "unhealthy"
    assert error["details"]["failing"] == ["elasticsearch", "redis", "worker", "ner"]
    assert error["message"] == "Unavailable: elasticsearch, redis, worker, ner."
    checks = error["details"]["checks"]
    assert {name: check["status"] for name, check in checks.items()} == \
        {"elasticsearch": "down", "redis": "down", "worker": "down", "ner": "down"}
    assert all(check["error"] for check in checks.values())


class _Heartbeats:
    """Stands in for Redis's sorted set of heartbeats (the reading logic is tested)."""

    def __init__(self, workers):
        self.workers = workers

    def zremrangebyscore(self, *args):
        return 0

    def zrangebyscore(self, key, low, high):
        return [name for name, beat in self.workers.items() if beat >= low]


def test_worker_is_up_only_with_a_fresh_heartbeat(monkeypatch):
    import time
    now = time.time()
    up = health.check_worker(_Heartbeats({"w1@h": now - 1, "w2@h": now - 600}), "p")
    assert up == {"status": "up", "workers": ["w1@h"]}
    down = health.check_worker(_Heartbeats({"w2@h": now - 600}), "p")
    assert down["status"] == "down" and "heartbeat" in down["error"]
