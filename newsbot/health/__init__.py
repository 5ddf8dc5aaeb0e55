"""Health over time: each run judged against the outlet's own run log (monitors), apart from
what is done about it (``newsbot.notify``: actions, on changes of state only)."""
