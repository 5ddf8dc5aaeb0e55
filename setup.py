"""For scrapyd-deploy, which builds the project's egg with ``python setup.py bdist_egg``.
Everything (metadata, packages, package data, the ``scrapy`` settings entry point) is in
pyproject.toml."""

from setuptools import setup

setup()
