"""The discovery cache's policy on its own: what it caches and when it asks the outlet again."""

from __future__ import annotations

from email.utils import formatdate
from time import time

from scrapy.http import Request, Response
from scrapy.settings import Settings

from newsbot.downloadermiddlewares.discovery_cache import DISCOVERY, DiscoveryCachePolicy

HOUR = 3600.0
POLICY = DiscoveryCachePolicy(Settings())
VALIDATORS = {"ETag": '"abc"', "Last-Modified": formatdate(time() - 90 * 24 * HOUR, usegmt=True)}


def cached(path: str, age_hours: float, **headers: str) -> tuple[Request, Response]:
    url = f"https://example.com{path}"
    request = Request(url, meta={DISCOVERY: "robots" if path == "/robots.txt" else "sitemap"})
    date = formatdate(time() - age_hours * HOUR, usegmt=True)
    return request, Response(url, headers={"Date": date, **VALIDATORS, **headers})


def test_only_requests_marked_as_discovery_are_cached():
    assert POLICY.should_cache_request(Request("https://example.com/rss", meta={DISCOVERY: "feed"}))
    assert not POLICY.should_cache_request(Request("https://example.com/5313"))


def test_a_sitemap_is_revalidated_on_every_run_whatever_its_heuristic_freshness():
    request, response = cached("/sitemap.xml", age_hours=0.1)
    assert not POLICY.is_cached_response_fresh(response, request)
    assert request.headers["If-None-Match"] == b'"abc"'
    assert request.headers["If-Modified-Since"] == VALIDATORS["Last-Modified"].encode()


def test_robots_txt_is_reused_for_a_day_at_most():
    assert POLICY.is_cached_response_fresh(*reversed(cached("/robots.txt", age_hours=23)))
    request, response = cached("/robots.txt", age_hours=25, **{"Cache-Control": "max-age=604800"})
    assert not POLICY.is_cached_response_fresh(response, request)  # a week asked, a day given
    assert request.headers["If-None-Match"] == b'"abc"'


def test_robots_txt_obeys_a_shorter_lifetime_and_no_cache():
    short = cached("/robots.txt", age_hours=1, **{"Cache-Control": "max-age=600"})
    assert not POLICY.is_cached_response_fresh(*reversed(short))
    assert not POLICY.is_cached_response_fresh(
        *reversed(cached("/robots.txt", age_hours=0.1, **{"Cache-Control": "no-cache"}))
    )


def test_robots_txt_without_validators_or_missing_is_still_kept_for_the_day():
    url = "https://example.com/robots.txt"
    request = Request(url, meta={DISCOVERY: "robots"})
    for status in (200, 404):
        response = Response(url, status=status, headers={"Date": formatdate(usegmt=True)})
        assert POLICY.should_cache_response(response, request)
    assert not POLICY.should_cache_response(Response(url, status=503), request)
