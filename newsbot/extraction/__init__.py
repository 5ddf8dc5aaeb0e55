"""Article extraction: a pure function from page text + URL + discovery hints to an article.

``extract_article`` touches no spider, settings or network, so it can run in a process pool.
"""

from newsbot.extraction.article import NotAnArticle, extract_article
from newsbot.extraction.hints import Hints

__all__ = ["Hints", "NotAnArticle", "extract_article"]
