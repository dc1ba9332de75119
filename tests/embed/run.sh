#!/usr/bin/env bash
# Embedding test: the example host program (public header only) evaluates JSON documents.
set -euo pipefail
example=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
fail() { echo "embed: $*"; echo "embed: 0 passed, 1 failed"; exit 1; }

out=$("$example" "$root/examples/policies/team.pol" < "$root/examples/pods/request.json") && fail "request must be denied"
[ "$out" = 'Pod debug: denied
  privileged: privileged (container "shell" must not set securityContext.privileged=true)
  registry: untrusted registry (container "shell" must pull from registry.example.com/)' ] || fail "unexpected output: $out"

out=$(echo '{"kind": "Pod", "metadata": {"name": "ok"}, "spec": {"containers": [{"name": "a", "image": "registry.example.com/a:1"}]}}' |
      "$example" "$root/examples/policies/team.pol") || fail "compliant pod must be allowed"
[ "$out" = "Pod ok: allowed" ] || fail "unexpected output: $out"

set +e
echo '{"kind": "Pod", "spec": ' | "$example" "$root/examples/policies/team.pol" >/dev/null 2>&1
[ $? = 2 ] || fail "malformed JSON must exit 2"
echo 'check c { deny if nope reason "r" }' > "${TMPDIR:-/tmp}/embed_bad.pol"
diagnostics=$("$example" "${TMPDIR:-/tmp}/embed_bad.pol" </dev/null 2>&1)
[ $? = 2 ] || fail "a broken policy must exit 2"
grep -q "embed_bad.pol:1:19: error: unknown name 'nope'" <<<"$diagnostics" || fail "diagnostics expected: $diagnostics"
echo "embed: 4 passed, 0 failed"
