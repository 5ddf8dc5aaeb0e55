"""The probe's pure pieces: article URL patterns from lists of URLs, the timezone from date
offsets, and appending an entry to a sources file without touching the rest of its text."""

from __future__ import annotations

import pytest
import yaml

from newsbot.config.outlet import Outlet
from newsbot.config.sources_append import (
    BUNDLED,
    STARTED_FROM_BUNDLED,
    SourcesFileError,
    append_entry,
    appended_text,
    check_new,
    read_outlets,
)
from newsbot.discovery.article_urls import ArticleUrls
from newsbot.probe.naming import name_from_host
from newsbot.probe.timezones import dates_with_offsets, infer_timezone
from newsbot.probe.url_patterns import infer_pattern, rank_groups

B = "https://example.com"


def _pattern(listing=(), sitemap=(), feed=(), not_articles=()):
    found = infer_pattern(
        {"listing": list(listing), "sitemap": list(sitemap), "feed": list(feed)}, not_articles
    )
    assert found is not None
    return found


def _roundtrip(pattern, urls):
    """The project's own matcher, given the proposed pattern: each URL's canonical form."""
    outlet = Outlet(
        name="probe",
        base_url=B,
        article_pattern=pattern.pattern,
        canonical_template=pattern.canonical,
    )
    matcher = ArticleUrls(outlet)
    refs = [matcher.match(url) for url in urls]
    assert all(refs), [u for u, r in zip(urls, refs, strict=True) if r is None]
    for ref in refs:
        assert matcher.match(ref.url) == ref  # the canonical URL is an article URL of its own
    return [ref.url for ref in refs]


def test_numeric_ids_under_a_path_walk_upward_and_exclude_sections_and_pages():
    articles = [f"{B}/articles/{n}" for n in (118, 120, 121, 123)]
    others = [f"{B}/section/politics", f"{B}/section/economy", f"{B}/articles?page=2",
              f"{B}/about", f"{B}/tag/harbor"]  # fmt: skip
    found = _pattern(listing=articles + others)
    assert found.pattern == r"^/articles/(?P<id>\d+)/?$"
    assert (found.canonical, found.numeric, found.id_walk) == ("{base}/articles/{id}", True, True)
    assert _roundtrip(found, [*articles, f"{B}/articles/118/?utm_source=x"])[-1] == articles[0]
    assert not any(found.match(url) for url in others)


def test_numbers_far_apart_are_ids_but_not_walked():
    found = _pattern(feed=[f"{B}/news/{n}" for n in (104400, 104911, 105777, 106002)])
    assert found.pattern == r"^/news/(?P<id>\d+)/?$"
    assert (found.numeric, found.id_walk) == (True, False)


def test_slugs_under_a_section_word_are_told_from_category_pages_of_the_same_depth():
    articles = [f"{B}/news/council-approves-harbor-budget", f"{B}/news/ferry-timetable-changes",
                f"{B}/news/new-library-opens-downtown"]  # fmt: skip
    others = [f"{B}/news/politics", f"{B}/news/economy", f"{B}/tag/climate", f"{B}/page/2",
              f"{B}/category/world"]  # fmt: skip
    found = _pattern(listing=articles + others)
    assert (found.numeric, found.id_walk) == (False, False)
    assert _roundtrip(found, articles) == articles
    assert not any(found.match(url) for url in others)


def test_dated_slugs_capture_the_date_so_the_canonical_url_can_be_rebuilt():
    articles = [f"{B}/2024/05/12/river-walk-reopens/", f"{B}/2024/05/13/school-lunch-prices/",
                f"{B}/2024/04/01/spring-market-returns/"]  # fmt: skip
    others = [f"{B}/2024/05/", f"{B}/2024/", f"{B}/2024/05/page/2/"]
    found = _pattern(sitemap=articles, listing=others)
    assert found.pattern == r"^/(?P<id>\d{4}/\d{2}/\d{2}/[^/]*[-_][^/]*)/?$"
    assert found.canonical == "{base}/{id}/"
    assert _roundtrip(found, articles) == articles
    assert found.match(f"{B}/2025/01/02/next-years-story/") == "2025/01/02/next-years-story"
    assert not any(found.match(url) for url in others)


def test_a_year_shared_by_every_url_at_hand_stays_part_of_the_id():
    articles = [f"{B}/news/2024/{m:02d}/story-number-{m}" for m in (1, 2, 3)]
    found = _pattern(sitemap=articles)
    assert found.match(f"{B}/news/2025/01/a-later-story") == "2025/01/a-later-story"


def test_query_string_ids_with_listings_and_tracking_parameters():
    articles = [f"{B}/story.php?id=101", f"{B}/story.php?id=102&ref=home", f"{B}/story.php?id=107"]
    others = [f"{B}/list.php?cat=politics", f"{B}/list.php?cat=economy",
              f"{B}/list.php?cat=politics&page=2", f"{B}/impressum.php"]  # fmt: skip
    found = _pattern(listing=articles + others)
    assert found.canonical == "{base}/story.php?id={id}"
    assert (found.numeric, found.id_walk) == (True, True)
    assert _roundtrip(found, articles) == [f"{B}/story.php?id={n}" for n in (101, 102, 107)]
    assert not any(found.match(url) for url in others)


def test_wordpress_query_ids_are_not_mistaken_for_a_listing():
    found = _pattern(feed=[f"{B}/?p={n}" for n in (40, 41, 43)])
    assert found.match(f"{B}/?p=44") == "44"
    assert found.canonical == "{base}/?p={id}"


def test_feed_links_outrank_the_more_numerous_section_links_of_a_home_page():
    feed = [f"{B}/articles/{n}" for n in (5, 6)]
    listing = [f"{B}/topics/{w}" for w in ("a", "b", "c", "d", "e", "f", "g")]
    groups = rank_groups({"feed": feed, "listing": listing})
    assert groups[0].pattern.pattern == r"^/articles/(?P<id>\d+)/?$"
    assert groups[-1].listing_words == ("topics",)


def test_a_pattern_matching_a_known_listing_page_ranks_last():
    urls = [f"{B}/p/{w}-story" for w in ("one", "two", "three")]
    listing = f"{B}/p/archive-page"  # same shape, but a page the site lists with
    groups = rank_groups({"sitemap": urls, "listing": [f"{B}/x/1", f"{B}/x/2"]}, [listing])
    assert groups[0].pattern.pattern == r"^/x/(?P<id>\d+)/?$"


def test_one_url_or_none_gives_no_pattern():
    assert infer_pattern({"listing": [f"{B}/articles/1", f"{B}/"]}) is None
    assert infer_pattern({}) is None


# ------------------------------------------------------------------ timezone


@pytest.mark.parametrize(
    ("dates", "language", "given", "zone", "source"),
    [
        (["2024-05-12T09:30:00-04:00", "2024-01-10T08:00:00-05:00"], "en", None,
         "America/New_York", "offsets"),
        (["2024-05-12T09:30:00+09:00"], "ko", None, "Asia/Seoul", "offsets"),
        (["2024-05-12T09:30:00+09:00"], "en", None, "UTC", "default"),  # Seoul or Tokyo?
        (["2024-05-12T09:30:00+09:00"], "en", "Asia/Tokyo", "Asia/Tokyo", "option"),
        (["2024-05-12T09:30:00-04:00"], "en", "Europe/Berlin", "America/New_York", "offsets"),
        (["Sun, 12 May 2024 09:30:00 GMT", "2024-01-02T10:00:00Z"], None, None, "UTC",
         "offsets"),
        (["2024-05-12T09:30:00+05:45"], None, None, "Asia/Kathmandu", "offsets"),
        (["2024-05-12 09:30", "12.05.2024"], "de", "Europe/Berlin", "Europe/Berlin", "option"),
        (["2024-05-12 09:30"], "de", None, "UTC", "default"),
    ],
)  # fmt: skip
def test_timezone_from_offsets_language_and_option(dates, language, given, zone, source):
    guess = infer_timezone(dates_with_offsets(dates), language, given)
    assert (guess.name, guess.source) == (zone, source), guess.reason


def test_names_come_from_the_host_or_for_a_bare_address_from_the_site_label():
    assert name_from_host("https://www.example.com/") == "example"
    assert name_from_host("https://m.newsdao.kr") == "newsdao"
    assert name_from_host("https://news.example.co.kr") == "news-example"
    assert (
        name_from_host("http://127.0.0.1:8000/", "The Riverside Ledger") == "the-riverside-ledger"
    )
    assert name_from_host("http://127.0.0.1:8000/", "뉴스다오") == "127-0-0-1"


# ------------------------------------------------------------------ sources file

ENTRY = {
    "name": "ledger",
    "enabled": True,
    "base_url": "https://ledger.example",
    "timezone": "America/New_York",
    "articles": {
        "pattern": r"^/news/(?P<id>\d{4}/\d{2}/[^/]*[-_][^/]*)/?$",
        "canonical": "{base}/news/{id}",
        "slug": "{outlet}-{id}",
    },
    "discovery": {
        "sitemaps": ["/sitemap-index.xml"],
        "feeds": [],
        "listing_pages": [],
        "id_walk": False,
    },
    "branding": {"label": "The Riverside Ledger: daily", "site_url": "https://ledger.example"},
}
EXISTING = """\
# Our outlets. Keep this comment.
outlets:
    - name: herald   # the first one
      base_url: https://herald.example
      timezone: Asia/Seoul
      articles: {pattern: '^/articles/(?P<id>\\d+)/?$', canonical: '{base}/articles/{id}'}

# end of list
"""


def test_an_entry_is_appended_as_text_keeping_comments_and_indentation(tmp_path):
    path = tmp_path / "sources.yaml"
    path.write_text(EXISTING, encoding="utf-8")
    append_entry(path, ENTRY)
    text = path.read_text(encoding="utf-8")
    assert text.startswith(EXISTING)
    added = text[len(EXISTING) :]
    assert added.startswith("    - name: ledger\n      enabled: true\n")
    assert "sitemaps: [/sitemap-index.xml]" in added
    assert yaml.safe_load(text)["outlets"][1] == ENTRY


def test_a_missing_file_starts_from_the_bundled_outlets(tmp_path):
    path = tmp_path / "new" / "sources.yaml"
    assert append_entry(path, ENTRY) is True  # said to the operator by newsbot add
    bundled = yaml.safe_load(BUNDLED.read_text(encoding="utf-8"))["outlets"]
    assert yaml.safe_load(path.read_text(encoding="utf-8")) == {"outlets": [*bundled, ENTRY]}
    assert path.read_text(encoding="utf-8").startswith(STARTED_FROM_BUNDLED)
    assert append_entry(path, {**ENTRY, "name": "other", "base_url": "https://o.example"}) is False


def test_an_empty_flow_list_becomes_a_block_list():
    text = appended_text("outlets: []  # none yet\n", ENTRY)
    assert text.startswith("outlets:   # none yet\n  - name: ledger")
    assert yaml.safe_load(text) == {"outlets": [ENTRY]}


@pytest.mark.parametrize(
    ("name", "base_url", "says"),
    [
        ("herald", "https://other.example", "an outlet named 'herald' is already there"),
        ("other", "https://www.herald.example/", "outlet 'herald' already crawls"),
    ],
)
def test_a_duplicate_name_or_site_is_refused_in_one_line(tmp_path, name, base_url, says):
    path = tmp_path / "sources.yaml"
    path.write_text(EXISTING, encoding="utf-8")
    _, outlets = read_outlets(path)
    with pytest.raises(SourcesFileError, match=says) as caught:
        check_new(path, outlets, name, base_url)
    assert "\n" not in str(caught.value)


def test_a_file_whose_outlets_do_not_end_it_is_left_alone(tmp_path):
    path = tmp_path / "sources.yaml"
    original = "outlets:\n  - name: herald\n    base_url: https://herald.example\nother: 1\n"
    path.write_text(original, encoding="utf-8")
    with pytest.raises(SourcesFileError, match="does not end the file"):
        append_entry(path, ENTRY)
    assert path.read_text(encoding="utf-8") == original


def test_broken_yaml_is_named_with_its_line(tmp_path):
    path = tmp_path / "sources.yaml"
    path.write_text("outlets:\n  - name: [unclosed\n", encoding="utf-8")
    with pytest.raises(SourcesFileError, match=r"sources\.yaml: invalid YAML at line \d"):
        read_outlets(path)
