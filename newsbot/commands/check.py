"""``newsbot check OUTPUT``: validate the posts of a blog folder, then build it."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import yaml

from newsbot import exitcodes
from newsbot.blog.post_checks import check_posts, post_files
from newsbot.blog.site_build import available, build_site, tool_for
from newsbot.profiles import Profile, ProfileError, load_profile


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "check",
        help="validate the posts of a blog folder and build it",
        description=(
            "Check every post under the profile's posts folder (front matter, dates, duplicate "
            "source_url, file names, unsafe content), then build the folder with jekyll or hugo "
            "when it is installed. Exit 0 when clean, 5 otherwise."
        ),
    )
    parser.add_argument("output", type=Path, metavar="OUTPUT", help="the blog folder")
    parser.add_argument(
        "--profile", default="whereispost", help="house style (default: whereispost)"
    )
    parser.add_argument("--no-build", action="store_true", help="skip the jekyll/hugo build")
    parser.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    try:
        profile = load_profile(args.profile)
    except ProfileError as exc:
        print(f"newsbot check: {exc}")
        return exitcodes.USAGE
    root: Path = args.output
    if not root.is_dir():
        print(f"newsbot check: {root} is not a folder")
        return exitcodes.USAGE
    problems = check_posts(root, profile)
    for problem in problems:
        print(problem)
    count = len(post_files(root, profile))
    bad = len({p.path for p in problems})
    print(
        f"newsbot check: {count} posts in {root / profile.posts_dir}, "
        f"{len(problems)} problem(s) in {bad} file(s)"
    )
    warning = timezone_warning(root, profile)
    if warning:
        print(f"warning: {warning}")
    build_ok = True
    tool = tool_for(profile.generator)
    if args.no_build:
        print("build: skipped (--no-build)")
    elif not available(profile.generator):
        print(f"build: skipped ({tool} is not on PATH)")
    else:
        result = build_site(root, profile.generator)
        build_ok = result.ok
        if result.ok:
            print(f"build: ok ({tool})")
        else:
            print(f"build: FAILED ({tool}, exit {result.returncode})")
            for line in result.output.splitlines()[-30:]:
                print(f"  {line}")
    return exitcodes.OK if not problems and build_ok else exitcodes.CHECK_FAILED


def timezone_warning(root: Path, profile: Profile) -> str | None:
    """Jekyll puts the date of ``date`` *in the site's timezone* into permalinks."""
    config = root / "_config.yml"
    if profile.generator != "jekyll" or not config.is_file():
        return None
    try:
        settings = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return None
    if isinstance(settings, dict) and settings.get("timezone"):
        return None
    return (
        f"{config} sets no timezone: Jekyll dates permalinks in the build machine's zone, so "
        f"posts published before midnight there land on another day; "
        f"add `timezone: {profile.timezone}`"
    )
