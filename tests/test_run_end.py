"""The end of a run happens in one order -- ledger, commit, run log -- off the reactor thread,
also for a crawl that a script starts with Scrapy's own CrawlerProcess (as scrapyd's runner
does): no extension priority decides it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from newsbot.demo.outlet import OutletSite
from tests.git_helpers import git, isolate_git, make_remote_and_blog
from tests.newsbot_runner import REPO

pytestmark = pytest.mark.tool

SCRIPT = """
import json, sys, threading
from scrapy.crawler import CrawlerProcess
from newsbot.extensions.git_publish import GitPublish
from newsbot.extensions.run_summary import RunSummary
from newsbot.run.plan import project_settings
from newsbot.state.folder import StateFolder

seen = []

class WatchedGitPublish(GitPublish):
    def commit(self, spider, reason):
        run_log = StateFolder.from_settings(self.crawler.settings).run_log
        seen.append({
            "reactor_thread": threading.current_thread() is threading.main_thread(),
            "ledger_closed": self.crawler.get_extension(RunSummary).ledger is not None,
            "run_log_written": run_log.exists(),
        })
        super().commit(spider, reason)

blog, base = sys.argv[1], sys.argv[2]
settings = project_settings()
extensions = dict(settings.getdict("EXTENSIONS"))
extensions["newsbot.extensions.git_publish.GitPublish"] = None
extensions["__main__.WatchedGitPublish"] = 520
settings.setdict({
    "NEWSBOT_OUTPUT_DIR": blog, "NEWSBOT_BASE_URL": base, "NEWSBOT_FAST": True,
    "NEWSBOT_GIT_COMMIT": True, "EXTENSIONS": extensions, "LOG_LEVEL": "ERROR",
}, priority="cmdline")
process = CrawlerProcess(settings)
process.crawl("newsdao")
process.start()
print(json.dumps(seen))
"""


def test_a_script_crawl_commits_off_the_reactor_thread_after_the_ledger_and_before_the_run_log(
    serve_site, samples, tmp_path, monkeypatch
):
    isolate_git(monkeypatch, tmp_path)
    _, blog = make_remote_and_blog(tmp_path)
    base = serve_site(OutletSite(samples))
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(blog), base],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    assert seen == [{"reactor_thread": False, "ledger_closed": True, "run_log_written": False}]
    line = json.loads((blog / ".newsbot" / "runs.jsonl").read_text().splitlines()[-1])
    assert line["new"] == len(samples)
    assert line["committed"] == git(blog, "rev-parse", "HEAD").strip()
