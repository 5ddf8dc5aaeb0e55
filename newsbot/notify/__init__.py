"""Actions on an outlet's health (``newsbot.health`` judges it): people told through Apprise,
on changes of state only."""
