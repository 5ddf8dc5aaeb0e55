"""The spider of every outlet: OutletSpider, one subclass per entry of the sources file, built
by ``newsbot.spiders.loader.OutletSpiderLoader``."""
