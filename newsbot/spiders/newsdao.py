"""``scrapy crawl newsdao`` — newsdao.kr, as declared in ``newsbot/outlets/newsdao.py``."""

from newsbot.outlets.newsdao import OUTLET
from newsbot.spiders.outlet import OutletSpider


class NewsdaoSpider(OutletSpider):
    name = "newsdao"
    outlet = OUTLET
