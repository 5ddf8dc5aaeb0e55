"""Send one message to Apprise URLs (e-mail, Telegram, Slack, Discord, ntfy, webhooks...).

A notifier that fails never fails the run: :func:`send` returns what went wrong instead.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

logger = logging.getLogger(__name__)


def send(urls: Sequence[str], title: str, body: str) -> str | None:
    """Tell every URL; None when all of them took the message, else why not (one line)."""
    import apprise  # only when there is something to tell: 80 ms of every run's start-up

    notifier = apprise.Apprise()
    refused = [url for url in urls if not notifier.add(url)]
    problems = [f"not an Apprise URL: {_redact(url)}" for url in refused]
    if len(notifier):
        try:
            delivered = bool(notifier.notify(body=body, title=title))
        except Exception as exc:  # a plugin's bug must not end the run
            delivered = False
            logger.exception("Apprise raised while notifying")
            problems.append(f"{type(exc).__name__}: {exc}")
        if not delivered:
            problems.append("a notification service did not take the message (see the log)")
    return "; ".join(problems) or None


def _redact(url: str) -> str:
    """The URL's scheme and host only: its credentials stay out of logs."""
    scheme, _, rest = url.partition("://")
    host = rest.split("/", 1)[0].rsplit("@", 1)[-1]
    return f"{scheme}://{host}/…" if rest else url
