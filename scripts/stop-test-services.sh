#!/usr/bin/env bash
# Stop what scripts/test-services.sh started: scripts/stop-test-services.sh "$HELPDESK_TEST_SERVICES_DIR"
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/test-services.sh" stop "$@"
