#!/usr/bin/env bash
# `npm run test:docker`: the image and the compose file, end to end, on a machine with Docker,
# Docker Compose and the AWS CLI (not part of `npm test` or .ci/run, which need no Docker):
#   1. builds docker/Dockerfile;
#   2. runs it with a volume, PERSISTENCE=1 and PORT=4567 (so the health check must read PORT),
#      and waits for Docker's health status to be `healthy`;
#   3. one AWS CLI call against it, then docker/demo.sh twice against it (the second run finds
#      everything done and must still exit 0);
#   4. creates a filter, restarts the container, waits for health again: the filter is still listed;
#   5. runs the compose demo (docker/docker-compose.yml: build, emulator, demo container) to exit 0;
#   6. removes what it made: its container, image tag and volume, the compose project's
#      containers, network and image, and the `inspector2-data` volume unless it existed before.
# Prints each step's time and a summary. Exit 0 when everything passed.
set -euo pipefail
cd "$(dirname "$0")/.."

IMAGE=inspector2-local:test-docker CONTAINER=inspector2-local-test-docker VOLUME=inspector2-local-test-docker-data
HOST_PORT=${TEST_DOCKER_PORT:-4599} CONTAINER_PORT=4567 COMPOSE_FILE=docker/docker-compose.yml
ENDPOINT=http://127.0.0.1:$HOST_PORT
export AWS_DEFAULT_REGION=eu-west-1 AWS_ACCESS_KEY_ID=111122223333 AWS_SECRET_ACCESS_KEY=test AWS_EC2_METADATA_DISABLED=true

fail() { printf 'test:docker: FAIL: %s\n' "$*" >&2; exit 1; }
for tool in docker aws; do
  command -v $tool >/dev/null || fail "\`$tool\` is not on the PATH (this test needs Docker, Docker Compose and the AWS CLI)"
done
docker info >/dev/null 2>&1 || fail "no Docker daemon answers \`docker info\`"

# Compose v2 reads the file as it is. The legacy docker-compose 1.x rejects its top-level
# `name:`; it gets the same file without that line, and the same project name with -p.
if docker compose version >/dev/null 2>&1; then
  compose() { docker compose -f "$COMPOSE_FILE" "$@"; }
elif command -v docker-compose >/dev/null && [[ $(docker-compose version --short 2>/dev/null) != 1.* ]]; then
  compose() { docker-compose -f "$COMPOSE_FILE" "$@"; }
elif command -v docker-compose >/dev/null; then
  # From stdin, paths resolve against the working folder: run it in the file's own.
  compose() { (cd "$(dirname "$COMPOSE_FILE")" && sed '/^name:/d' "$(basename "$COMPOSE_FILE")" | docker-compose -p inspector2-local -f - "$@"); }
else
  fail "neither \`docker compose\` nor \`docker-compose\` is installed"
fi

SUMMARY=() STEP_START=0
step() { STEP_START=$(date +%s.%N); printf '\n== test:docker: %s\n' "$*"; }
done_step() {
  local took
  took=$(awk -v a="$STEP_START" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  SUMMARY+=("ok  ${took}s  $*")
  printf -- '-- ok (%ss): %s\n' "$took" "$*"
}

HAD_COMPOSE_VOLUME=0
docker volume inspect inspector2-data >/dev/null 2>&1 && HAD_COMPOSE_VOLUME=1
COMPOSE_STARTED=0 CONTAINER_PHASE=1
cleanup() {
  local rc=$?
  if ((rc != 0 && CONTAINER_PHASE)) && docker container inspect $CONTAINER >/dev/null 2>&1; then
    echo "-- the test container's last log lines:" >&2
    docker logs --tail 30 $CONTAINER >&2 || true
  fi
  docker rm -f $CONTAINER >/dev/null 2>&1 || true
  docker volume rm $VOLUME >/dev/null 2>&1 || true
  docker image rm $IMAGE >/dev/null 2>&1 || true
  if ((COMPOSE_STARTED)); then
    if ((HAD_COMPOSE_VOLUME)); then compose down --rmi local >/dev/null 2>&1 || true; else compose down --rmi local -v >/dev/null 2>&1 || true; fi
  fi
  ((rc == 0)) || echo "test:docker: FAILED (cleaned up)" >&2
}
trap cleanup EXIT

wait_healthy() {
  local status deadline=$((SECONDS + 90))
  while :; do
    status=$(docker inspect -f '{{.State.Health.Status}}' $CONTAINER)
    [[ $status == healthy ]] && return 0
    [[ $status == unhealthy ]] && fail "the container's health status is unhealthy"
    ((SECONDS < deadline)) || fail "the container is still '$status' after 90 s"
    sleep 1
  done
}
cli() { aws --endpoint-url "$ENDPOINT" --output text "$@"; }

TOTAL_START=$SECONDS
step "build docker/Dockerfile as $IMAGE"
BUILD_LOG=$(mktemp -t test-docker-build.XXXXXX)
docker build -f docker/Dockerfile -t $IMAGE . >"$BUILD_LOG" 2>&1 || { tail -n 40 "$BUILD_LOG" >&2; fail "docker build failed"; }
rm -f "$BUILD_LOG"
node_version=$(docker run --rm --entrypoint node $IMAGE --version)
done_step "image built (Node $node_version in the image)"

step "run it with volume $VOLUME, PERSISTENCE=1, PORT=$CONTAINER_PORT (published on 127.0.0.1:$HOST_PORT)"
docker rm -f $CONTAINER >/dev/null 2>&1 || true
docker volume rm $VOLUME >/dev/null 2>&1 || true
docker volume create $VOLUME >/dev/null
docker run -d --name $CONTAINER -e PERSISTENCE=1 -e PORT=$CONTAINER_PORT -v $VOLUME:/data \
  -p 127.0.0.1:$HOST_PORT:$CONTAINER_PORT $IMAGE >/dev/null
wait_healthy
done_step "healthy (docker inspect), the health check on PORT=$CONTAINER_PORT"

step "one AWS CLI call, then docker/demo.sh twice against the container"
status=$(cli inspector2 batch-get-account-status --account-ids 111122223333 --query 'accounts[0].state.status')
[[ $status == DISABLED ]] || fail "batch-get-account-status answered '$status', not DISABLED"
ENDPOINT=$ENDPOINT bash docker/demo.sh >/dev/null || fail "docker/demo.sh failed on its first run"
ENDPOINT=$ENDPOINT bash docker/demo.sh >/dev/null || fail "docker/demo.sh failed when re-run against the same emulator"
done_step "batch-get-account-status answered DISABLED; the demo ran twice (exit 0 both times)"

step "persistence across a restart"
filter=test-docker-$$
cli inspector2 create-filter --name $filter --action NONE \
  --filter-criteria '{"severity":[{"comparison":"EQUALS","value":"CRITICAL"}]}' --query arn >/dev/null
docker restart $CONTAINER >/dev/null
wait_healthy
listed=$(cli inspector2 list-filters --query "filters[?name=='$filter'].name")
[[ $listed == "$filter" ]] || fail "the filter $filter is not listed after the restart"
admin=$(AWS_ACCESS_KEY_ID=111111111111 cli inspector2 list-delegated-admin-accounts --query 'delegatedAdminAccounts[0].accountId')
[[ $admin == 222222222222 ]] || fail "the demo's delegated administrator is gone after the restart"
done_step "filter $filter and the demo's delegated administrator still there after docker restart"
CONTAINER_PHASE=0
docker rm -f $CONTAINER >/dev/null

step "the compose demo: up --build --exit-code-from demo"
if (exec 3<>/dev/tcp/127.0.0.1/4566) 2>/dev/null; then
  fail "127.0.0.1:4566 is in use (the compose file publishes the emulator there): stop what listens on it"
fi
COMPOSE_STARTED=1
compose up --build --exit-code-from demo > >(sed 's/^/   | /') 2>&1 || fail "the compose demo exited non-zero"
done_step "compose demo exited 0 (project inspector2-local, volume inspector2-data)"

printf '\n== test:docker: passed in %ss\n' $((SECONDS - TOTAL_START))
printf '   %s\n' "${SUMMARY[@]}"
