"""GitRepo / publish against real git repositories: a bare "remote" and clones of it."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import pytest

from newsbot.blog import git_repo as git_repo_module
from newsbot.blog.git_command import GitError, PublishError
from newsbot.blog.git_repo import GitRepo
from newsbot.blog.publish_posts import commit_message, publish
from tests.git_helpers import isolate_git

pytestmark = pytest.mark.tool

NEWSBOT = "newsbot <newsbot@users.noreply.invalid>"


@pytest.fixture(autouse=True)
def isolated_git(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate_git(monkeypatch, tmp_path)


def git(cwd: Path, *args: str) -> str:
    """Run git as "the operator" (identity given per command, none configured)."""
    result = subprocess.run(
        ["git", "-c", "user.name=Operator", "-c", "user.email=op@example.invalid", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    """A bare repository with one commit on main."""
    bare = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(bare)], check=True)
    seed = tmp_path / "seed"
    subprocess.run(["git", "clone", "-q", str(bare), str(seed)], check=True, capture_output=True)
    write(seed / "README.md", "my blog\n")
    write(seed / "_posts" / "2020-01-01-old.md", "old post\n")
    git(seed, "add", ".")
    git(seed, "commit", "-q", "-m", "initial")
    git(seed, "push", "-q", "origin", "main")
    return bare


def clone(remote: Path, dest: Path) -> Path:
    subprocess.run(["git", "clone", "-q", str(remote), str(dest)], check=True, capture_output=True)
    return dest


@pytest.fixture
def blog(remote: Path, tmp_path: Path) -> Path:
    return clone(remote, tmp_path / "blog")


def remote_log(remote: Path) -> list[str]:
    return git(remote, "log", "--format=%s", "main").splitlines()


def test_commit_paths_commits_given_files_with_message_and_newsbot_as_author_and_committer(
    blog: Path,
) -> None:
    a = write(blog / "_posts" / "2024-05-01-a.md", "post a\n")
    b = write(blog / "_posts" / "2024-05-01-b.md", "post b\n")
    message = commit_message("newsdao", ["https://x.test/a", "https://x.test/b"], [])

    sha = GitRepo(blog).commit_paths([a, Path("_posts/2024-05-01-b.md")], message)

    assert sha == git(blog, "rev-parse", "HEAD").strip()
    files = git(blog, "show", "--name-status", "--format=", sha).split()
    assert files == ["A", "_posts/2024-05-01-a.md", "A", "_posts/2024-05-01-b.md"]
    assert git(blog, "log", "-1", "--format=%B", sha) == message + "\n"
    who = git(blog, "log", "-1", "--format=%an <%ae>|%cn <%ce>", sha).strip()
    assert who == f"{NEWSBOT}|{NEWSBOT}"
    assert git(blog, "show", f"{sha}:_posts/2024-05-01-b.md") == b.read_text()


def test_commit_paths_returns_none_when_the_paths_have_no_changes(blog: Path) -> None:
    repo = GitRepo(blog)
    post = write(blog / "_posts" / "p.md", "p\n")
    assert repo.commit_paths([post], "first") is not None
    head = git(blog, "rev-parse", "HEAD")

    assert repo.commit_paths([post], "again") is None
    assert repo.commit_paths([], "empty") is None
    assert repo.commit_paths([blog / "_posts" / "never-written.md"], "ghost") is None
    assert git(blog, "rev-parse", "HEAD") == head


def test_commit_paths_records_modifications_and_deletions(blog: Path) -> None:
    old = blog / "_posts" / "2020-01-01-old.md"
    old.unlink()
    readme = write(blog / "README.md", "my blog, edited by newsbot\n")

    sha = GitRepo(blog).commit_paths([old, readme], "update")

    assert sha is not None
    status = git(blog, "show", "--name-status", "--format=", sha).split()
    assert status == ["M", "README.md", "D", "_posts/2020-01-01-old.md"]
    assert git(blog, "status", "--porcelain") == ""


def test_commit_paths_takes_file_names_literally_not_as_globs(blog: Path) -> None:
    star = write(blog / "_posts" / "a*b [1].md", "odd name\n")
    write(blog / "_posts" / "aXb 1.md", "would match the glob\n")

    sha = GitRepo(blog).commit_paths([star], "odd")

    assert sha is not None
    assert git(blog, "show", "--name-only", "--format=", sha).splitlines() == ["_posts/a*b [1].md"]
    assert "?? " in git(blog, "status", "--porcelain", "_posts/aXb 1.md")


def test_commit_paths_leaves_the_operators_staged_and_unstaged_edits_untouched(
    blog: Path,
) -> None:
    write(blog / "README.md", "operator's unstaged edit\n")
    write(blog / "_config.yml", "title: staged by operator\n")
    git(blog, "add", "_config.yml")
    write(blog / "_config.yml", "title: staged, then edited again\n")
    write(blog / "notes.txt", "untracked scratch file\n")
    before = {
        "status": git(blog, "status", "--porcelain"),
        "staged": git(blog, "diff", "--cached"),
        "unstaged": git(blog, "diff"),
    }
    post = write(blog / "_posts" / "2024-05-01-new.md", "new post\n")

    sha = GitRepo(blog).commit_paths([post], "newsbot: 1 new post from newsdao")

    assert sha is not None
    assert git(blog, "show", "--name-only", "--format=", sha).split() == [
        "_posts/2024-05-01-new.md"
    ]
    after = {
        "status": git(blog, "status", "--porcelain"),
        "staged": git(blog, "diff", "--cached"),
        "unstaged": git(blog, "diff"),
    }
    assert after == before
    assert (blog / "README.md").read_text() == "operator's unstaged edit\n"
    assert (blog / "_config.yml").read_text() == "title: staged, then edited again\n"


def test_commit_paths_refuses_paths_outside_the_repository(blog: Path, tmp_path: Path) -> None:
    outside = write(tmp_path / "elsewhere.md", "x\n")
    with pytest.raises(ValueError, match="not inside the repository"):
        GitRepo(blog).commit_paths([outside], "nope")


def test_push_rebases_onto_a_remote_that_moved_ahead_and_both_commits_reach_it(
    blog: Path, remote: Path, tmp_path: Path
) -> None:
    other = clone(remote, tmp_path / "other")
    write(other / "about.md", "about page\n")
    git(other, "add", "about.md")
    git(other, "commit", "-q", "-m", "operator: about page")
    git(other, "push", "-q", "origin", "main")
    repo = GitRepo(blog)
    post = write(blog / "_posts" / "2024-05-01-new.md", "new\n")
    repo.commit_paths([post], "newsbot: 1 new post from newsdao")

    repo.push(retries=1, backoff=0.01)

    assert remote_log(remote) == [
        "newsbot: 1 new post from newsdao",
        "operator: about page",
        "initial",
    ]
    assert repo.ahead_count() == 0
    assert (blog / "about.md").read_text() == "about page\n"


def test_push_aborts_a_conflicting_rebase_and_keeps_our_commit(
    blog: Path, remote: Path, tmp_path: Path
) -> None:
    other = clone(remote, tmp_path / "other")
    write(other / "_posts" / "2020-01-01-old.md", "edited by the operator\n")
    git(other, "commit", "-q", "-am", "operator edit")
    git(other, "push", "-q", "origin", "main")
    repo = GitRepo(blog)
    post = write(blog / "_posts" / "2020-01-01-old.md", "updated by newsbot\n")
    sha = repo.commit_paths([post], "newsbot: 1 updated post from newsdao")

    with pytest.raises(PublishError, match=r"conflicts in _posts/2020-01-01-old\.md"):
        repo.push(retries=2, backoff=0.01)

    assert git(blog, "rev-parse", "HEAD").strip() == sha
    assert git(blog, "status", "--porcelain") == ""
    assert not (blog / ".git" / "rebase-merge").exists()
    assert not (blog / ".git" / "rebase-apply").exists()
    assert post.read_text() == "updated by newsbot\n"
    assert remote_log(remote) == ["operator edit", "initial"]


def test_push_will_not_rebase_over_the_operators_uncommitted_edits(
    blog: Path, remote: Path, tmp_path: Path
) -> None:
    other = clone(remote, tmp_path / "other")
    write(other / "about.md", "about\n")
    git(other, "add", "about.md")
    git(other, "commit", "-q", "-m", "operator: about")
    git(other, "push", "-q", "origin", "main")
    repo = GitRepo(blog)
    sha = repo.commit_paths([write(blog / "_posts" / "n.md", "n\n")], "newsbot: new")
    write(blog / "README.md", "work in progress\n")

    with pytest.raises(PublishError, match=r"uncommitted changes.*README\.md"):
        repo.push(retries=0)

    assert (blog / "README.md").read_text() == "work in progress\n"
    assert git(blog, "rev-parse", "HEAD").strip() == sha
    assert repo.ahead_count() == 1


def test_unreachable_remote_raises_publish_error_keeps_the_commit_and_next_run_pushes_it(
    blog: Path, remote: Path, tmp_path: Path
) -> None:
    repo = GitRepo(blog)
    git(blog, "remote", "set-url", "origin", str(tmp_path / "no-such-remote.git"))
    post = write(blog / "_posts" / "2024-05-01-new.md", "new\n")
    sha = repo.commit_paths([post], "newsbot: 1 new post from newsdao")

    with pytest.raises(PublishError, match=r"after 3 attempt\(s\).*1 commit\(s\) kept") as info:
        repo.push(retries=2, backoff=0.01)
    assert "no-such-remote.git" in str(info.value)  # git's own error text is quoted
    assert git(blog, "rev-parse", "HEAD").strip() == sha
    assert repo.ahead_count() == 1

    git(blog, "remote", "set-url", "origin", str(remote))
    result = publish(blog, [], "unused", push=True, backoff=0.01)

    assert result.committed is None
    assert result.pushed is True
    assert result.unpushed == 0
    assert result.error is None
    assert git(remote, "rev-parse", "main").strip() == sha


def test_publish_reports_a_failed_push_instead_of_raising(blog: Path, tmp_path: Path) -> None:
    git(blog, "remote", "set-url", "origin", str(tmp_path / "gone.git"))
    post = write(blog / "_posts" / "p.md", "p\n")

    result = publish(
        blog, [post], "newsbot: 1 new post from newsdao", push=True, retries=1, backoff=0.01
    )

    assert result.committed == git(blog, "rev-parse", "HEAD").strip()
    assert result.pushed is False
    assert result.unpushed == 1
    assert result.error is not None and "gone.git" in result.error
    assert "FAILED" in result.message


def test_push_retries_with_exponential_backoff(
    blog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    delays: list[float] = []
    monkeypatch.setattr(git_repo_module, "_sleep", delays.append)
    git(blog, "remote", "set-url", "origin", str(tmp_path / "gone.git"))
    repo = GitRepo(blog)
    repo.commit_paths([write(blog / "p.md", "p\n")], "p")

    with pytest.raises(PublishError):
        repo.push(retries=3, backoff=0.01)

    assert delays == [0.01, 0.02, 0.04]


def test_push_with_nothing_ahead_does_not_contact_the_remote(blog: Path, tmp_path: Path) -> None:
    # git starts the remote's receive-pack for every push attempt, even "Everything up-to-date":
    # a spy in its place records each contact
    contacts = tmp_path / "contacts"
    spy = write(
        tmp_path / "spy-receive-pack", f'echo contact >> "{contacts}"\nexec git-receive-pack "$@"\n'
    )
    spy.chmod(0o755)
    git(blog, "config", "remote.origin.receivepack", str(spy))
    repo = GitRepo(blog)

    repo.push(retries=0)
    assert not contacts.exists()

    repo.commit_paths([write(blog / "p.md", "p\n")], "p")  # now one commit is ahead
    repo.push(retries=0)
    assert contacts.read_text().splitlines() == ["contact"]  # the spy sees a push that happens
    assert repo.ahead_count() == 0


def test_publish_without_changes_commits_nothing_and_reports_up_to_date(blog: Path) -> None:
    result = publish(blog, [blog / "_posts" / "2020-01-01-old.md"], "x", push=True)
    assert (result.committed, result.pushed, result.unpushed) == (None, True, 0)


def test_publish_without_push_commits_and_counts_unpushed(blog: Path, remote: Path) -> None:
    result = publish(blog, [write(blog / "q.md", "q\n")], "q", push=False)
    assert result.committed is not None
    assert (result.pushed, result.unpushed) == (False, 1)
    assert remote_log(remote) == ["initial"]


def test_ahead_count_treats_a_missing_remote_branch_as_everything_ahead(tmp_path: Path) -> None:
    bare = tmp_path / "empty.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(bare)], check=True)
    blog = clone(bare, tmp_path / "blog")
    repo = GitRepo(blog)
    assert repo.ahead_count(branch="main") == 0  # unborn: no commits at all
    repo.commit_paths([write(blog / "a.md", "a\n")], "a")
    repo.commit_paths([write(blog / "b.md", "b\n")], "b")
    assert repo.ahead_count() == 2

    repo.push(backoff=0.01)

    assert repo.ahead_count() == 0
    assert remote_log(bare) == ["b", "a"]


def test_is_repo_is_true_only_at_the_top_of_a_work_tree(blog: Path, tmp_path: Path) -> None:
    (blog / "_posts").mkdir(exist_ok=True)
    plain = tmp_path / "plain"
    plain.mkdir()
    assert GitRepo(blog).is_repo()
    assert not GitRepo(blog / "_posts").is_repo()
    assert not GitRepo(plain).is_repo()
    assert not GitRepo(tmp_path / "missing").is_repo()
    with pytest.raises(GitError, match="not the top folder of a git repository"):
        publish(plain, [], "x", push=False)


def test_exclude_locally_hides_newsbots_state_folder_from_git_status(blog: Path) -> None:
    write(blog / ".newsbot" / "runs.jsonl", "{}\n")
    repo = GitRepo(blog)
    assert repo.exclude_locally(".newsbot/") is True
    assert repo.exclude_locally(".newsbot/") is False  # already there
    assert git(blog, "status", "--porcelain") == ""
    assert git(blog, "ls-files") == "README.md\n_posts/2020-01-01-old.md\n"  # nothing committed


def test_git_error_names_the_command_and_quotes_git_stderr(blog: Path) -> None:
    with pytest.raises(GitError) as info:
        GitRepo(blog)._run(["rev-parse", "--verify", "no-such-ref"])
    assert "`git rev-parse --verify no-such-ref` failed (exit 128)" in str(info.value)
    assert "fatal:" in str(info.value)


def test_author_must_be_name_and_email() -> None:
    with pytest.raises(ValueError, match="Name <email>"):
        GitRepo(Path("."), author="just a name")


@pytest.mark.parametrize(
    ("new", "updated", "subject"),
    [
        (12, 1, "newsbot: 12 new, 1 updated posts from newsdao"),
        (1, 0, "newsbot: 1 new post from newsdao"),
        (2, 0, "newsbot: 2 new posts from newsdao"),
        (0, 1, "newsbot: 1 updated post from newsdao"),
        (0, 3, "newsbot: 3 updated posts from newsdao"),
        (1, 1, "newsbot: 1 new, 1 updated posts from newsdao"),
        (0, 0, "newsbot: no new or updated posts from newsdao"),
    ],
)
def test_commit_message_subject_counts_and_plurals(new: int, updated: int, subject: str) -> None:
    message = commit_message(
        "newsdao",
        [f"https://n.test/{i}" for i in range(new)],
        [f"https://u.test/{i}" for i in range(updated)],
    )
    assert message.splitlines()[0] == subject


def test_commit_message_lists_new_and_updated_urls_under_headings() -> None:
    message = commit_message(
        "newsdao", ["https://n.test/1", "https://n.test/2"], ["https://u.test/9"]
    )
    assert message == (
        "newsbot: 2 new, 1 updated posts from newsdao\n"
        "\n"
        "New:\n"
        "https://n.test/1\n"
        "https://n.test/2\n"
        "\n"
        "Updated:\n"
        "https://u.test/9\n"
    )
    only_updated = commit_message("newsdao", [], ["https://u.test/9"])
    assert "New:" not in only_updated


def test_a_commit_leaves_no_message_file_behind(blog: Path) -> None:
    """The message file lives in the repository's git folder, never in /tmp (a run killed
    mid-commit used to leave ``/tmp/newsbot-commit-*.txt`` behind)."""
    post = write(blog / "_posts" / "2024-05-01-a.md", "post a\n")
    before = set(Path(tempfile.gettempdir()).glob("newsbot-commit-*"))

    assert GitRepo(blog).commit_paths([post], "newsbot: 1 new post") is not None

    assert set(Path(tempfile.gettempdir()).glob("newsbot-commit-*")) == before
    assert not (blog / ".git" / "NEWSBOT_COMMIT_EDITMSG").exists()
    assert git(blog, "status", "--porcelain") == ""
