#!/usr/bin/env bash
# "A machine with Node only" (issue 22), proven without stopping any service of this machine:
# a fresh clone of HEAD runs `npm start` inside a new network namespace (`unshare -n`), where
# nothing answers on 127.0.0.1 (no PostgreSQL, no Redis, no registry). It must serve the demo
# page and publish a comment through both workers, then stop the embedded PostgreSQL on
# SIGINT. Needs root (for the namespace). The clone's node_modules are hard links to this
# checkout's (installed from the same lockfile; the namespace has no registry), or a real
# `npm ci` outside the namespace with BARE_NPM_CI=1.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
port=${BARE_PORT:-4250}
admin_token=bare-machine-check-token
started=$(date +%s)

if [ "$(id -u)" != 0 ]; then
  echo "bare-machine-check: needs root (unshare -n makes the network namespace)" >&2
  exit 2
fi

work=$(mktemp -d /tmp/bare-machine.XXXXXX)
# As root the embedded PostgreSQL runs as the `postgres` user: it must reach the clone.
chmod 755 "$work"
cleanup() {
  # Whatever a failed run left running on the clone's cluster (never another server).
  local pidfile="$work/clone/.data/postgres/postmaster.pid"
  if [ -f "$pidfile" ]; then
    local pid
    pid=$(head -n 1 "$pidfile")
    if grep -qa -- "$work/clone/.data/postgres" "/proc/$pid/cmdline" 2>/dev/null; then
      kill -QUIT "$pid" 2>/dev/null || true
    fi
  fi
  rm -rf "$work"
}
trap cleanup EXIT

git clone --quiet --no-hardlinks "$root" "$work/clone"
cd "$work/clone"
if [ "${BARE_NPM_CI:-0}" = 1 ]; then
  npm ci --no-audit --no-fund >/dev/null
else
  # Hard links where /tmp and the checkout share a file system; a link to the folder otherwise.
  cp -al "$root/node_modules" node_modules 2>/dev/null \
    || { rm -rf node_modules && ln -s "$root/node_modules" node_modules; }
fi
# BARE_REUSE_BUILD=1 (CI, right after `npm run build`): copies this checkout's build instead of
# building in the namespace (fresh copies are newer than the clone's sources: no rebuild).
if [ "${BARE_REUSE_BUILD:-0}" = 1 ]; then
  cp -r "$root/dist" dist
  cp -r "$root/widget/dist" widget/dist
  cp -r "$root/console/dist" console/dist
fi
echo "bare-machine-check: clone of $(git rev-parse --short HEAD) ready in $(($(date +%s) - started)) s"

# Everything below runs in the namespace; its exit status is the check's.
log="$work/start.log"
export port admin_token log
unshare -n bash -euo pipefail -c '
  ip link set lo up
  for p in 5432 6379; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "bare-machine-check: something answers on 127.0.0.1:$p in the namespace" >&2
      exit 1
    fi
  done
  unset DATABASE_URL REDIS_URL NODE_ENV
  # Own process group, as in a terminal.
  PORT=$port ADMIN_TOKEN=$admin_token LOG_FORMAT=json setsid npm start >"$log" 2>&1 &
  npm_pid=$!
  base="http://127.0.0.1:$port"
  fail() {
    echo "bare-machine-check: $1" >&2
    tail -n 40 "$log" >&2
    kill -TERM -- "-$npm_pid" 2>/dev/null || true
    exit 1
  }
  for _ in $(seq 600); do
    curl -fs "$base/health/ready" >/dev/null 2>&1 && break
    kill -0 "$npm_pid" 2>/dev/null || fail "npm start exited"
    sleep 0.2
  done
  curl -fs "$base/health/ready" >/dev/null || fail "not ready after 120 s"
  echo "bare-machine-check: ready after $SECONDS s (build, initdb, migrations, boot)"

  curl -fs "$base/demo/bare-machine" | grep -q "data-comments" || fail "no demo page"
  curl -fs "$base/widget.js" >/dev/null || fail "no widget.js"
  curl -fs -XPUT "$base/v1/admin/sites/default" -H "authorization: Bearer $admin_token" \
    -H "content-type: application/json" \
    -d "{\"name\":\"Default\",\"settings\":{\"moderation\":{\"mode\":\"post\"}}}" >/dev/null \
    || fail "could not set the default site to post-moderation"
  id=$(curl -fs -XPOST "$base/v1/sites/default/articles/bare-machine/comments" \
    -H "content-type: application/json" \
    -d "{\"name\":\"Ann\",\"email\":\"ann@example.org\",\"body\":\"Published on a machine with Node only.\"}" \
    | sed -n "s/.*\"id\":\"\([^\"]*\)\".*/\1/p")
  [ -n "$id" ] || fail "the comment was not accepted"
  for _ in $(seq 300); do
    curl -fs "$base/v1/sites/default/articles/bare-machine/comments" | grep -q "\"$id\"" && break
    sleep 0.1
  done
  curl -fs "$base/v1/sites/default/articles/bare-machine/comments" | grep -q "\"$id\"" \
    || fail "comment $id was not published within 30 s (spam and moderation workers)"
  echo "bare-machine-check: comment $id published through the spam and moderation workers ($SECONDS s)"

  # Ctrl-C: SIGINT to the whole process group (npm, sh, node); the embedded server is in a
  # group of its own and is stopped by the service, after the app.
  kill -INT -- "-$npm_pid"
  for _ in $(seq 300); do kill -0 -- "-$npm_pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 -- "-$npm_pid" 2>/dev/null && fail "still running 30 s after SIGINT"
  grep -q "Embedded PostgreSQL stopped" "$log" || fail "the embedded PostgreSQL was not stopped"
  [ ! -e .data/postgres/postmaster.pid ] || fail "postmaster.pid left behind"
  [ -f .data/secret.key ] || fail "no .data/secret.key"
  # (node_modules may be a link here, which the ignore rule `node_modules/` does not cover.)
  changed=$(git status --porcelain -- . ":!node_modules")
  [ -z "$changed" ] || fail "the clone is not clean: $changed"
  echo "bare-machine-check: stopped cleanly; data was in $PWD/.data"
'
echo "bare-machine-check: passed in $(($(date +%s) - started)) s"
