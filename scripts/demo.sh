#!/usr/bin/env bash
# Builds rras_exporter (release; only that target, not the tests) and runs it on config/demo.yml: four simulated routers, one of
# which fails on purpose. Stop it with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target rras_exporter
addr="${RRAS_DEMO_ADDRESS:-127.0.0.1:10473}"
cat <<MSG

rras_exporter is starting on the demo configuration (config/demo.yml).
  routers and their state:  http://${addr}/
  metrics:                  http://${addr}/metrics
  readiness:                http://${addr}/-/ready
Press Ctrl-C to stop.

MSG
exec build/release/rras_exporter --config.file=config/demo.yml --web.listen-address="${addr}" "$@"
