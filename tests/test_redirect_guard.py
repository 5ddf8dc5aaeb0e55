"""A redirect loop or a redirect off the outlet fails the request with its reason."""

from __future__ import annotations

import pytest
from scrapy import Spider
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Request, Response
from scrapy.utils.test import get_crawler

from newsbot.downloadermiddlewares.redirect_guard import RedirectGuardMiddleware


def guard() -> RedirectGuardMiddleware:
    crawler = get_crawler(Spider, settings_dict={"NEWSBOT_REDIRECT_GUARD": True})
    crawler.spider = Spider(name="outlet")
    crawler.spider.allowed_domains = ["newsdao.kr"]
    crawler.stats.open_spider()
    return RedirectGuardMiddleware.from_crawler(crawler)


def redirect(location: str, status: int = 302) -> Response:
    return Response("https://newsdao.kr/5301", status=status, headers={"Location": location})


def test_a_redirect_within_the_outlet_is_left_to_scrapy():
    response = redirect("https://www.newsdao.kr/5301/")
    assert guard().process_response(Request("https://newsdao.kr/5301"), response) is response


def test_a_redirect_back_to_an_url_of_the_chain_is_a_loop():
    mw = guard()
    request = Request(
        "https://newsdao.kr/5301?loop=2",
        meta={"redirect_urls": ["https://newsdao.kr/5301", "https://newsdao.kr/5301?loop=1"]},
    )
    with pytest.raises(IgnoreRequest, match="redirect loop"):
        mw.process_response(request, redirect("/5301?loop=1", 301))
    assert mw.crawler.stats.get_value("newsbot/redirect/loop") == 1


def test_a_redirect_to_another_host_fails_with_the_target_named():
    mw = guard()
    with pytest.raises(IgnoreRequest, match=r"off the outlet: .* -> https://elsewhere\.example/a"):
        mw.process_response(
            Request("https://newsdao.kr/5301"), redirect("https://elsewhere.example/a")
        )
    assert mw.crawler.stats.get_value("newsbot/redirect/offsite") == 1


def test_responses_that_are_not_redirects_pass_through():
    response = Response("https://newsdao.kr/5301", status=200)
    assert guard().process_response(Request(response.url), response) is response


def test_the_guard_can_be_switched_off():
    with pytest.raises(NotConfigured):
        RedirectGuardMiddleware.from_crawler(
            get_crawler(settings_dict={"NEWSBOT_REDIRECT_GUARD": False})
        )
