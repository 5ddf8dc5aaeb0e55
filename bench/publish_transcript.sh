#!/bin/sh
# Issue 3 transcript: newsbot committing and pushing posts to a blog's git repository.
#
# In a temporary folder: a bare "remote.git", a clone "blog" (the output folder) and the
# bundled demo outlet served on 127.0.0.1. Then:
#   (a) a cron-style run (the cron line's command under `env -i`) commits and pushes,
#   (b) the same run again: nothing new, no commit, exit 0,
#   (c) the remote URL broken: a run with new posts commits them, the push fails, exit 4,
#   (d) the URL fixed: the next cron run has nothing new but pushes the kept commit, exit 0.
# Every command is printed with its output and exit code.
#
#   sh bench/publish_transcript.sh            (uses ./.venv; KEEP=1 keeps the temp folder)
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY="$ROOT/.venv/bin/python"
NEWSBOT="$ROOT/.venv/bin/newsbot"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/newsbot-publish-XXXXXX")
SERVER_PID=""

cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
    if [ "${KEEP:-0}" = 1 ]; then echo "(kept $WORK)"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT INT TERM

# No user or system git configuration, no identity: like a fresh server account.
: >"$WORK/empty-gitconfig"
export GIT_CONFIG_GLOBAL="$WORK/empty-gitconfig" GIT_CONFIG_NOSYSTEM=1
unset GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL EMAIL

step() { printf '\n===== %s\n' "$*"; }
# show CMD...: print the command, run it (output shown), print its exit code
show() {
    printf '$ %s\n' "$*"
    "$@" 2>&1
    printf '[exit %s]\n' "$?"
}
# cron: what cron does with the line -- `sh -c COMMAND` with no environment, from /
cron() {
    printf '$ (cd / && env -i sh -c "$CRON_CMD")\n'
    (cd / && env -i sh -c "$CRON_CMD") 2>&1
    printf '[exit %s]\n' "$?"
}
quiet() { "$@" >/dev/null 2>&1 || { echo "setup failed: $*" >&2; exit 1; }; }
op_git() { git -c user.name=Operator -c user.email=op@example.invalid "$@"; }

cd "$WORK" || exit 1

step "setup: bare remote, blog clone with one commit, demo outlet"
quiet git init -q --bare -b main remote.git
quiet git clone -q remote.git blog
printf 'title: my blog\n' >blog/_config.yml
quiet op_git -C blog checkout -q -B main
quiet op_git -C blog add _config.yml
quiet op_git -C blog commit -q -m "initial"
quiet op_git -C blog push -q -u origin main
PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$PY" -m newsbot.demo.server --port "$PORT" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
BASE="http://127.0.0.1:$PORT"
"$PY" - "$BASE" <<'PYEOF' || { cat "$WORK/server.log"; exit 1; }
import sys, time, urllib.request
for _ in range(100):
    try:
        urllib.request.urlopen(sys.argv[1] + "/robots.txt", timeout=1).close()
        break
    except OSError:
        time.sleep(0.1)
else:
    sys.exit("the demo outlet did not start")
PYEOF
echo "work folder: $WORK"
echo "outlet:      $BASE (8 sample articles, published 2025-05-27 .. 2025-06-11)"
show git -C blog log --oneline

step "the crontab line"
echo "# for this test outlet, crawl options pass through after --;"
echo "# --since leaves the 5 older articles for step c"
show "$NEWSBOT" cron-line --output "$WORK/blog" --push -- --base-url "$BASE" --fast --since 2025-06-05
LINE=$("$NEWSBOT" cron-line --output "$WORK/blog" --push -- --base-url "$BASE" --fast --since 2025-06-05)
echo "$LINE"
# what cron runs: the text after the 5 schedule fields, with \% turned back into %
CRON_CMD=$(printf '%s\n' "$LINE" | cut -d' ' -f6- | sed 's/\\%/%/g')
LOG="$WORK/blog/.newsbot/cron.log"
echo "# CRON_CMD=what cron runs: the line after its 5 schedule fields"

step "(a) a cron run (env -i, cwd /): 3 new posts, committed and pushed"
cron
show cat "$LOG"
show git -C blog log --stat -1
show git --git-dir remote.git log --oneline main
show git -C blog status --porcelain

step "(b) the next cron run: nothing new, no commit"
cron
show tail -n 1 "$LOG"
show git --git-dir remote.git log --oneline main

step "(c) the remote URL is broken; a full run by hand finds the 5 older articles"
show git -C blog remote set-url origin "$WORK/moved-away.git"
show "$NEWSBOT" crawl newsdao --output blog --base-url "$BASE" --fast --push \
    -s NEWSBOT_GIT_PUSH_BACKOFF=0.01
show git -C blog log --oneline
show git --git-dir remote.git log --oneline main
show git -C blog status --short --branch

step "(d) the URL fixed: the next cron run has nothing new and pushes the kept commit"
show git -C blog remote set-url origin "$WORK/remote.git"
cron
show tail -n 1 "$LOG"
show git --git-dir remote.git log --oneline main
show git -C blog status --short --branch
show "$NEWSBOT" status --output blog
