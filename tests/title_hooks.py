"""Title hooks for the tests: a Python entry point per behaviour, and the same as a command
(``python -m tests.title_hooks BEHAVIOUR``, JSON on stdin, JSON on stdout)."""

from __future__ import annotations

import json
import sys
import time
from typing import Any


def breaking(post: dict[str, Any]) -> dict[str, Any]:
    """The seed blog's habit: a "[속보]" title and an excerpt of its own."""
    return {"title": f"[속보] {post['title']}", "excerpt": f"요약: {post['excerpt']}"}


def raises(post: dict[str, Any]) -> dict[str, Any]:
    raise RuntimeError("the rewording service is down")


def answers_a_string(post: dict[str, Any]) -> Any:
    return "just a title"


def sleeps(post: dict[str, Any]) -> dict[str, Any]:
    time.sleep(3)
    return breaking(post)


def main(behaviour: str) -> int:
    post = json.load(sys.stdin)
    if behaviour == "fails":
        print("rewording failed: quota exceeded", file=sys.stderr)
        return 3
    if behaviour == "garbage":
        print("<html>not json</html>")
        return 0
    if behaviour == "sleeps":
        time.sleep(3)
    json.dump(breaking(post), sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
