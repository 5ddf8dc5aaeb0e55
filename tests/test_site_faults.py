"""The fault layer of the test sites (tests/sites/faults.py) wraps any site, served for real."""

from __future__ import annotations

import http.client
import threading
import urllib.request
from urllib.error import HTTPError
from urllib.parse import urlsplit

import pytest

from tests.sites import OutletSite
from tests.sites.designs import ListingsOnlySite
from tests.sites.faults import (
    Answer,
    Charset,
    Faulty,
    Hold,
    NotFound,
    ServerErrors,
    Slow,
    Truncated,
    article_pages,
    everything_but,
    paths,
)
from tests.sites.tistory import TistorySite

_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with _opener.open(url, timeout=10) as response:
            return response.status, dict(response.headers.items()), response.read()
    except HTTPError as err:
        with err:
            return err.code, dict(err.headers.items()), err.read()


@pytest.fixture
def outlet(samples) -> OutletSite:
    return OutletSite(samples)


def test_a_faulty_site_answers_like_the_site_where_no_fault_matches(serve_site, outlet, samples):
    plain = serve_site(outlet)
    faulty = serve_site(Faulty(outlet, NotFound(article_pages([samples[0].id]))))
    for path in ("/robots.txt", "/sitemap.xml"):
        assert fetch(faulty + path)[2] == fetch(plain + path)[2].replace(
            plain.encode(), faulty.encode()
        )
    status, _, body = fetch(f"{faulty}/{samples[1].id}")
    assert status == 200 and samples[1].title.encode() in body
    assert fetch(f"{faulty}/{samples[0].id}")[0] == 404
    assert fetch(f"{faulty}/{samples[0].id}/?ref=home")[0] == 404


def test_server_errors_come_in_a_burst_per_page_then_the_page(serve_site, outlet, samples):
    article = samples[0].id
    base = serve_site(Faulty(outlet, ServerErrors(article_pages([article]), [500, 503])))
    assert [fetch(f"{base}/{article}")[0] for _ in range(3)] == [500, 503, 200]
    assert fetch(f"{base}/{samples[1].id}")[0] == 200  # its own burst, untouched


def test_answer_replaces_the_page_until_switched_off(serve_site, outlet, samples):
    broken = Answer(everything_but(article_pages()), 500, b"down")
    base = serve_site(Faulty(outlet, broken))
    assert fetch(f"{base}/robots.txt")[:3:2] == (500, b"down")
    assert fetch(f"{base}/{samples[0].id}")[0] == 200
    broken.active = False
    assert fetch(f"{base}/robots.txt")[0] == 200


def test_charset_sends_the_page_in_euc_kr_under_the_declared_label(serve_site, outlet, samples):
    article = samples[0]
    base = serve_site(Faulty(outlet, Charset(article_pages([article.id]), declared="utf-8")))
    status, headers, body = fetch(f"{base}/{article.id}")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    assert article.title in body.decode("euc-kr")


def test_truncated_pages_end_before_their_content_length(serve_site, outlet, samples):
    article = samples[0].id
    base = serve_site(Faulty(outlet, Truncated(article_pages([article]), keep=100, times=1)))
    with pytest.raises(http.client.IncompleteRead) as cut:
        fetch(f"{base}/{article}")
    assert len(cut.value.partial) == 100
    assert fetch(f"{base}/{article}")[0] == 200  # once only


def test_hold_keeps_pages_until_released_and_counts_them(serve_site, outlet, samples):
    hold = Hold(article_pages(of=outlet), first_free=1)
    base = serve_site(Faulty(outlet, hold))
    assert fetch(f"{base}/{samples[0].id}")[0] == 200  # the free one
    assert fetch(f"{base}/999999")[0] == 404  # not an article of the site: never held
    answers: list[int] = []
    held = threading.Thread(target=lambda: answers.append(fetch(f"{base}/{samples[1].id}")[0]))
    held.start()
    assert hold.requested.wait(10)
    assert answers == [] and hold.answered == 0
    hold.release()
    held.join(10)
    assert answers == [200] and hold.answered == 1


def test_slow_pages_still_come_whole(serve_site, outlet, samples):
    slow = Slow(paths(r"/\d+/?"), 0.05, one_at_a_time=True)
    base = serve_site(Faulty(outlet, slow))
    status, _, body = fetch(f"{base}/{samples[0].id}")
    assert status == 200 and samples[0].title.encode() in body


@pytest.mark.parametrize(
    "site",
    [
        lambda samples: TistorySite(samples, "odyssey-like"),
        lambda samples: ListingsOnlySite.build(3),
    ],
    ids=["tistory", "listings-only"],
)
def test_every_site_of_the_kit_takes_the_same_faults(serve_site, samples, site):
    inner = site(samples)
    base = serve_site(Faulty(inner, Answer(paths("/robots.txt"), 503, b"busy")))
    assert fetch(f"{base}/robots.txt")[:3:2] == (503, b"busy")
    home = fetch(f"{base}/")
    assert home[0] == 200
    assert urlsplit(base).netloc  # served on 127.0.0.1 like any other site
