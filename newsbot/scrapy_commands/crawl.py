"""``scrapy crawl newsdao`` with newsbot's guarantees, as ``newsbot crawl`` gives them.

Scrapy's own ``crawl`` exits 0 whatever happened (1 only when the spider failed to start).
This one checks the settings before anything is fetched (exit 2, one line), takes the output
folder's lock (exit 3), records the run in ``OUTPUT/.newsbot/runs.jsonl``, prints the summary
line and exits with newsbot's codes (see ``newsbot.exitcodes``).
"""

from __future__ import annotations

import argparse

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError

from newsbot.run.runner import run_checked


class Command(ScrapyCrawlCommand):
    def short_desc(self) -> str:
        return "Run a spider of the project, with newsbot's checks, lock, run log and exit codes"

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) < 1:
            raise UsageError
        if len(args) > 1:
            raise UsageError("running 'scrapy crawl' with more than one spider is not supported")
        process = self.crawler_process
        assert process is not None and self.settings is not None
        self.exitcode = run_checked(
            lambda: process, self.settings, args[0], dict(opts.spargs), prog="scrapy crawl"
        )
