"""Who is crawling a shared frontier, and whether any of them still has work.

The workers of one run share a frontier in redis (scrapy-redis's request queue and duplicate
filter, under ``<prefix>``). This registry keeps, next to it:

* ``<prefix>:workers`` -- the ids of the workers that joined;
* ``<prefix>:worker:<id>`` -- each worker's state, ``busy`` or ``idle``, with a time to live
  that the worker renews while it runs: a worker killed without a word drops out by itself;
* ``<prefix>:counts`` -- run-wide counts (articles found, posts published) that each worker
  adds to whenever it becomes idle, so that a worker that got little of the work can still
  tell whether the run as a whole found and published anything.

A frontier lives as long as one of its workers does. The first worker to join a frontier
that has no live worker starts it afresh (whatever is left belonged to workers that died);
the last worker to leave deletes it. So the workers that overlap in time share one frontier,
and the next run (the next cron tick) starts with an empty duplicate filter and discovers
new articles; what is already published is known from the blog itself.

Every decision is one Lua script, so it sees the queue and all the states at one instant.
"""

from __future__ import annotations

import os
import socket
import threading
from dataclasses import dataclass
from typing import Any

BUSY, IDLE = "busy", "idle"

# Lua shared by join and leave: count the other live workers of the frontier (members whose
# key has not expired), forget the dead ones, and delete the frontier when none is live.
# KEYS[1]: members, KEYS[2..]: frontier keys; ARGV[1]: worker key prefix, ARGV[2]: this worker.
_COUNT_LIVE_DROP_FRONTIER_IF_NONE = """local live = 0
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if id ~= ARGV[2] and redis.call('EXISTS', ARGV[1] .. id) == 1 then
    live = live + 1
  else
    redis.call('SREM', KEYS[1], id)
  end
end
if live == 0 then
  for i = 2, #KEYS do redis.call('DEL', KEYS[i]) end
end
"""

# KEYS: members, frontier keys to delete when alone... ARGV: worker key prefix, id, ttl (ms)
_JOIN = f"""
local mine = ARGV[1] .. ARGV[2]
if redis.call('SISMEMBER', KEYS[1], ARGV[2]) == 1 and redis.call('EXISTS', mine) == 1 then
  redis.call('SET', ARGV[1] .. ARGV[2], 'busy', 'PX', ARGV[3])
  return -1
end
{_COUNT_LIVE_DROP_FRONTIER_IF_NONE}redis.call('SADD', KEYS[1], ARGV[2])
redis.call('SET', ARGV[1] .. ARGV[2], 'busy', 'PX', ARGV[3])
return live
"""

# KEYS: members, frontier keys to delete when last... ARGV: worker key prefix, id
_LEAVE = f"""
redis.call('SREM', KEYS[1], ARGV[2])
redis.call('DEL', ARGV[1] .. ARGV[2])
{_COUNT_LIVE_DROP_FRONTIER_IF_NONE}return live
"""

# KEYS: members, queue, counts. ARGV: worker key prefix, id, ttl (ms), found, published
_IDLE = """
if tonumber(ARGV[4]) > 0 then redis.call('HINCRBY', KEYS[3], 'found', ARGV[4]) end
if tonumber(ARGV[5]) > 0 then redis.call('HINCRBY', KEYS[3], 'published', ARGV[5]) end
redis.call('SET', ARGV[1] .. ARGV[2], 'idle', 'PX', ARGV[3])
local busy, live = 0, 0
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if id ~= ARGV[2] then
    local state = redis.call('GET', ARGV[1] .. id)
    if state then
      live = live + 1
      if state == 'busy' then busy = busy + 1 end
    else
      redis.call('SREM', KEYS[1], id)
    end
  end
end
local counts = redis.call('HMGET', KEYS[3], 'found', 'published')
local found, published = tonumber(counts[1]) or 0, tonumber(counts[2]) or 0
return {redis.call('ZCARD', KEYS[2]), busy, live, found, published}
"""


def frontier_prefix(key: str, spider: str) -> str:
    """``<NEWSBOT_REDIS_KEY>:<spider>``: the keys of one blog's frontier for one outlet."""
    return f"{key}:{spider}"


def default_worker_id() -> str:
    """``host:pid``: unique among live workers, and the same for everything in one process."""
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass(frozen=True)
class FrontierState:
    """What an idle worker sees, at one instant."""

    queued: int  # requests waiting in the shared queue
    busy_others: int  # other live workers still fetching or processing
    live_others: int  # other live workers, busy or idle
    run_found: int  # articles found by the whole run (fetched or already published)
    run_published: int  # posts the whole run published (new, updated, unchanged, kept)

    @property
    def done(self) -> bool:
        """Nothing queued and nobody who could still add to the queue: the run is over."""
        return self.queued == 0 and self.busy_others == 0


class WorkerRegistry:
    """One worker's view of the frontier ``prefix`` on the redis ``server``."""

    def __init__(self, server: Any, prefix: str, worker_id: str, ttl: float = 60.0) -> None:
        self.server = server
        self.prefix = prefix
        self.worker_id = worker_id
        self.ttl_ms = int(ttl * 1000)
        self.members = f"{prefix}:workers"
        self.worker_keys = f"{prefix}:worker:"
        self.counts = f"{prefix}:counts"
        self.state = BUSY
        self._lock = threading.Lock()  # the state and its key change together (see renew)
        self._join = server.register_script(_JOIN)
        self._leave = server.register_script(_LEAVE)
        self._idle = server.register_script(_IDLE)

    def frontier_keys(self, *keys: str) -> list[str]:
        """The keys deleted with the frontier: the run counts plus ``keys`` (queue, filter)."""
        return [self.counts, *keys]

    def join(self, *frontier: str) -> int:
        """Register (busy). Returns how many other workers are live, -1 when this worker had
        joined already; with none live, the ``frontier`` keys left by dead workers are
        deleted first."""
        keys = [self.members, *self.frontier_keys(*frontier)]
        with self._lock:
            self.state = BUSY
            return int(self._join(keys=keys, args=[self.worker_keys, self.worker_id, self.ttl_ms]))

    def leave(self, *frontier: str) -> int:
        """Unregister; the last worker out deletes the ``frontier`` keys. Returns how many
        other workers are still live."""
        keys = [self.members, *self.frontier_keys(*frontier)]
        return int(self._leave(keys=keys, args=[self.worker_keys, self.worker_id]))

    def busy(self) -> None:
        """About to take a request from the queue (marked before taking it, so that a request
        is always either queued or held by a busy worker)."""
        self._set(BUSY)

    def idle_again(self) -> None:
        """Nothing was taken after :meth:`busy`: back to idle, as before."""
        self._set(IDLE)

    def _set(self, state: str) -> None:
        with self._lock:
            if self.state != state:
                self.state = state
                self.server.set(self.worker_keys + self.worker_id, state, px=self.ttl_ms)

    def renew(self) -> None:
        """Keep this worker live (a heartbeat thread calls it well within the TTL)."""
        with self._lock:
            self.server.set(self.worker_keys + self.worker_id, self.state, px=self.ttl_ms)

    def idle(self, queue: str, found: int = 0, published: int = 0) -> FrontierState:
        """This worker has nothing in flight: add its new counts to the run's, mark it idle
        and look at the frontier."""
        with self._lock:
            self.state = IDLE
            queued, busy, live, run_found, run_published = self._idle(
                keys=[self.members, queue, self.counts],
                args=[self.worker_keys, self.worker_id, self.ttl_ms, found, published],
            )
        return FrontierState(int(queued), int(busy), int(live), int(run_found), int(run_published))
