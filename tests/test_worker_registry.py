"""The workers' registry on a real redis-server: who is live, who is busy, when the shared
frontier is started afresh and when it is deleted."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import redis

from newsbot.schedulers.worker_registry import WorkerRegistry
from tests.redis_server import redis_server

PREFIX = "newsbot:newsdao"
QUEUE, FILTER = f"{PREFIX}:requests", f"{PREFIX}:dupefilter"

pytestmark = pytest.mark.tool


@pytest.fixture
def server(tmp_path) -> Iterator[redis.Redis]:
    with redis_server(tmp_path / "redis") as url:
        client = redis.Redis.from_url(url)
        yield client
        client.close()


def worker(server: redis.Redis, name: str, ttl: float = 60.0) -> WorkerRegistry:
    return WorkerRegistry(server, PREFIX, name, ttl=ttl)


def test_workers_that_overlap_share_the_frontier_and_the_last_one_out_deletes_it(server):
    first, second = worker(server, "a"), worker(server, "b")
    assert first.join(QUEUE, FILTER) == 0
    server.sadd(FILTER, "fingerprint")
    server.zadd(QUEUE, {"request": 0})
    assert second.join(QUEUE, FILTER) == 1  # joins the live frontier: nothing deleted
    assert server.exists(QUEUE, FILTER) == 2
    assert first.leave(QUEUE, FILTER) == 1  # the other still uses it
    assert server.exists(QUEUE, FILTER) == 2
    assert second.leave(QUEUE, FILTER) == 0  # last one out
    assert server.keys(f"{PREFIX}:*") == []


def test_a_frontier_left_by_dead_workers_is_started_afresh(server):
    dead = worker(server, "killed", ttl=0.2)
    dead.join(QUEUE, FILTER)
    server.sadd(FILTER, "fingerprint")
    time.sleep(0.4)  # it stopped renewing: its registration expired
    fresh = worker(server, "next-run")
    assert fresh.join(QUEUE, FILTER) == 0
    assert not server.exists(FILTER)
    assert server.smembers(f"{PREFIX}:workers") == {b"next-run"}


def test_joining_twice_keeps_the_frontier(server):
    """The command joins before it updates the clone; the scheduler joins again at open."""
    first = worker(server, "a")
    first.join(QUEUE, FILTER)
    server.sadd(FILTER, "fingerprint")
    assert first.join(QUEUE, FILTER) == -1
    assert server.exists(FILTER)


def test_an_idle_worker_waits_while_another_is_busy_or_requests_are_queued(server):
    first, second = worker(server, "a"), worker(server, "b")
    first.join(QUEUE, FILTER)
    second.join(QUEUE, FILTER)
    state = first.idle(QUEUE, found=3, published=2)
    assert (state.busy_others, state.live_others, state.done) == (1, 1, False)
    server.zadd(QUEUE, {"request": 0})
    state = second.idle(QUEUE, found=1, published=1)
    assert (state.queued, state.busy_others, state.done) == (1, 0, False)
    second.busy()  # takes the request
    server.zpopmin(QUEUE)
    assert not first.idle(QUEUE).done
    state = second.idle(QUEUE)
    assert state.done
    assert (state.run_found, state.run_published) == (4, 3)  # both workers' counts


def test_a_worker_that_found_nothing_to_take_is_idle_again(server):
    first, second = worker(server, "a"), worker(server, "b")
    first.join(QUEUE, FILTER)
    second.join(QUEUE, FILTER)
    first.idle(QUEUE)
    first.busy()
    assert not second.idle(QUEUE).done  # a worker about to take a request counts as busy
    first.idle_again()
    assert second.idle(QUEUE).done
