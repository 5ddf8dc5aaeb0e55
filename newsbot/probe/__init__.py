"""``newsbot add``'s probe of a new site: fetch what the site offers (``fetch``), then infer,
from pure functions, what its sources file entry should say (``url_patterns``, ``timezones``,
``site_pages``, ``proposal``)."""
