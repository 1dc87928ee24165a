#!/usr/bin/env bash
# `scalesim check scenarios/*.json`: every example scenario's expect block holds, so a change
# that breaks one of them fails `make test`.
set -euo pipefail
cd "$SRC"
"$SCALESIM" check -q scenarios/*.json
