#!/bin/sh
# The compose federation's one-shot setup (compose.yaml, service `setup`), with the ler-node CLI only:
#   alpha creates "Alpha Consortium" (a governor key held on alpha) and admits alpha's institution;
#   beta creates "Beta Network" and admits beta's institution;
#   Alpha Consortium recognizes Beta Network for Open Badges;
#   gamma, a verifier, takes Alpha Consortium as its trust anchor (at runtime).
# Then a credential issued at beta is trusted at gamma through the recognition. Runs once: when gamma already
# has an anchor, it stops.
set -eu
cli() { node bin/ler-node.js "$@"; }
# Reads one field (a.b.c) of the JSON document on stdin.
field() {
  node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
    const v = process.argv[1].split(".").reduce((o, k) => o?.[k], JSON.parse(s));
    if (v === undefined) process.exit(1);
    process.stdout.write(typeof v === "string" ? v : JSON.stringify(v));
  })' "$1"
}

if [ "$(LER_ADMIN_TOKEN="$GAMMA_TOKEN" cli --json anchors list --url "$GAMMA_URL" | field anchors)" != "[]" ]; then
  echo "already set up: gamma has a trust anchor"
  exit 0
fi

# network NODE_URL TOKEN NAME MEMBER_DID MEMBER_NAME: creates a network with one governor key held on that node
# (threshold 1, signed by the node) and admits MEMBER_DID as an Open Badges issuer; prints the network id.
network() {
  governor="$(LER_ADMIN_TOKEN="$2" cli --json gov key-create --url "$1" | field did)"
  id="$(LER_ADMIN_TOKEN="$2" cli --json network create --url "$1" --name "$3" --governor "$governor" --threshold 1 --sign | field network.id)"
  LER_ADMIN_TOKEN="$2" cli gov propose --url "$1" --network "$id" --sign \
    --action "{\"type\":\"member.add\",\"did\":\"$4\",\"name\":\"$5\",\"accreditations\":[{\"credentialTypes\":[\"OpenBadgeCredential\"]}]}" >&2
  printf '%s' "$id"
}

alpha_did="$(cli --json status --url "$ALPHA_URL" | field did)"
beta_did="$(cli --json status --url "$BETA_URL" | field did)"
alpha_network="$(network "$ALPHA_URL" "$ALPHA_TOKEN" "Alpha Consortium" "$alpha_did" "Alpha College")"
beta_network="$(network "$BETA_URL" "$BETA_TOKEN" "Beta Network" "$beta_did" "Beta Institute")"
LER_ADMIN_TOKEN="$ALPHA_TOKEN" cli gov propose --url "$ALPHA_URL" --network "$alpha_network" --sign \
  --action "{\"type\":\"network.recognize\",\"network\":\"$beta_network\",\"credentialTypes\":[\"OpenBadgeCredential\"]}" >&2
LER_ADMIN_TOKEN="$GAMMA_TOKEN" cli anchors add --url "$GAMMA_URL" -- "$alpha_network" >&2
echo "alpha network: $alpha_network"
echo "beta network:  $beta_network (recognized by alpha)"
echo "gamma trusts:  $alpha_network"
