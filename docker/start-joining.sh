#!/bin/sh
# Starts a node that joins the federation through the node at $LER_JOIN_URL: its bootstrap address (with the
# peer id, known only once that node has initialized) is read from that node's /health.
set -eu
LER_BOOTSTRAP="$(node docker/bootstrap-from.mjs "$LER_JOIN_URL")"
export LER_BOOTSTRAP
exec node bin/ler-node.js start
