"""newsbot: news outlets -> front-matter posts for static blogs."""

__version__ = "0.1.0"
