"""RunSettings: every NEWSBOT_* setting as one typed, documented object, made once per crawler."""

from __future__ import annotations

from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from newsbot import settings as defaults
from newsbot.config.run_settings import RunSettings


def test_every_newsbot_setting_is_a_documented_field_with_the_settings_module_default():
    names = {
        name.removeprefix("NEWSBOT_").lower()
        for name in dir(defaults)
        if name.startswith("NEWSBOT_")
        and name not in ("NEWSBOT_CONTACT_URL", "NEWSBOT_FAST_SETTINGS")
    }
    assert set(RunSettings.model_fields) == names
    for name, field in RunSettings.model_fields.items():
        assert field.description, name
        if name != "redis_url":  # read from the environment when the settings load
            assert field.default == getattr(defaults, f"NEWSBOT_{name.upper()}"), name


def test_command_line_strings_are_read_as_scrapy_reads_them():
    settings = Settings(
        {
            "NEWSBOT_GIT_PUSH": "1",
            "NEWSBOT_LIMIT": "7",
            "NEWSBOT_GIT_PUSH_BACKOFF": "0.5",
            "NEWSBOT_MIN_BODY_CHARS": None,
            "NEWSBOT_OUTPUT_DIR": "blog",
        }
    )
    run = RunSettings.from_settings(settings)
    assert (run.git_push, run.limit, run.git_push_backoff) == (True, 7, 0.5)
    assert run.min_body_chars is None and run.publishing
    assert run.state.root == run.output / ".newsbot"


def test_one_object_per_crawler():
    crawler = get_crawler(settings_dict={"NEWSBOT_DRY_RUN": True})
    first = RunSettings.from_crawler(crawler)
    assert first is RunSettings.from_crawler(crawler) and first.dry_run
