"""``scrapy list``: the outlets of the sources file, or one line naming what is wrong with it."""

from __future__ import annotations

import argparse
import sys

from scrapy.commands.list import Command as ScrapyListCommand
from scrapy.spiderloader import get_spider_loader

from newsbot import exitcodes
from newsbot.config.sources import SourcesError


class Command(ScrapyListCommand):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        try:
            names = get_spider_loader(self.settings).list()
        except SourcesError as exc:
            print(f"scrapy list: {exc}", file=sys.stderr)
            self.exitcode = exitcodes.USAGE
            return
        print("\n".join(sorted(names)))
