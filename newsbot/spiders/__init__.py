"""One spider per outlet; all of them are OutletSpider with a different declaration."""
