"""The blog's state folder (``OUTPUT/.newsbot/``): run log, retry lists, written log, caches."""
