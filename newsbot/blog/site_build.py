"""Build a blog folder with its static-site generator (jekyll or hugo) to prove it renders."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

TOOLS = {"jekyll": "jekyll", "hugo": "hugo"}


@dataclass(frozen=True)
class BuildResult:
    ok: bool
    output: str  # the tool's stdout + stderr (or why it did not run)
    command: list[str] = field(default_factory=list)
    returncode: int | None = None


def tool_for(generator: str) -> str:
    try:
        return TOOLS[generator]
    except KeyError:
        raise ValueError(f"unknown generator {generator!r}; choose jekyll or hugo") from None


def available(generator: str) -> bool:
    return shutil.which(tool_for(generator)) is not None


def build_command(root: Path, generator: str, destination: Path, cache: Path) -> list[str]:
    exe = shutil.which(tool_for(generator)) or tool_for(generator)
    if generator == "jekyll":
        # --safe: no custom plugins; no disk cache so the blog folder stays untouched.
        return [
            exe, "build", "--safe", "--disable-disk-cache",
            "--source", str(root), "--destination", str(destination),
        ]  # fmt: skip
    return [
        exe, "--source", str(root), "--destination", str(destination),
        "--cacheDir", str(cache), "--noBuildLock", "--cleanDestinationDir",
    ]  # fmt: skip


def build_site(
    root: Path, generator: str, *, destination: Path | None = None, timeout: float = 600
) -> BuildResult:
    """Build `root` into `destination` (a temporary folder, removed afterwards, by default)."""
    tool_for(generator)
    if not available(generator):
        return BuildResult(False, f"{tool_for(generator)} is not on PATH")
    env = dict(os.environ, LANG="C.UTF-8", LC_ALL="C.UTF-8")
    with tempfile.TemporaryDirectory(prefix="newsbot-build-") as tmp:
        dest = destination or Path(tmp) / "site"
        command = build_command(root.resolve(), generator, dest.resolve(), Path(tmp) / "cache")
        try:
            done = subprocess.run(
                command,
                cwd=tmp,
                env=env,
                capture_output=True,
                text=True,
                errors="replace",
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return BuildResult(False, f"timed out after {timeout:.0f} s", command)
        except OSError as exc:
            return BuildResult(False, f"could not run {command[0]}: {exc}", command)
        output = (done.stdout + done.stderr).strip()
        return BuildResult(done.returncode == 0, output, command, done.returncode)
