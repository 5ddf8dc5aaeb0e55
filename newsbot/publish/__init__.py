"""Publishing primitives that are safe to run from cron.

* :mod:`newsbot.publish.git_repo` -- commit exactly the posts a run wrote and push them,
  rebasing over a remote that moved and retrying with backoff; a commit whose push
  failed is pushed by the next run.
* :mod:`newsbot.publish.run_lock` -- one OS lock per output folder, so two runs never
  write the same blog at once; a killed run never leaves a lock that blocks.
* :mod:`newsbot.publish.run_log` -- a JSON-lines log of runs and the ``newsbot status``
  table with its "nothing new for a while" warning.
* :mod:`newsbot.publish.cron_line` -- a crontab entry that works in cron's bare environment.
"""
