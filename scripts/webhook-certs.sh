#!/usr/bin/env bash
# Makes what pol's webhooks need to be trusted: a CA, a serving certificate for the Service's DNS
# names signed by it, the Secret `pol-tls` holding the pair, and the two webhook configurations of
# deploy/webhooks/ with their caBundle filled. Writes them to OUT_DIR (default build/webhook):
#   ca.crt ca.key tls.crt tls.key  secret.yaml  validating.yaml mutating.yaml
# Then: kubectl apply -f deploy/ && kubectl apply -f OUT_DIR/ (see docs/gateway.md: Install).
# NAMESPACE and SERVICE (default pol, pol) name the Service; DAYS (default 365) is the serving
# certificate's lifetime. Run it again before that to rotate: pol serves the new pair from the
# next handshake once the Secret's volume is updated.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$repo/build/webhook}
namespace=${NAMESPACE:-pol}
service=${SERVICE:-pol}
days=${DAYS:-365}
mkdir -p "$out"
cd "$out"

if [ ! -s ca.key ]; then  # the CA is kept across runs: rotating the serving pair keeps caBundle valid
  openssl req -x509 -newkey rsa:3072 -nodes -days 3650 -subj "/CN=pol webhook CA" \
    -keyout ca.key -out ca.crt 2>/dev/null
fi
names="DNS:$service,DNS:$service.$namespace,DNS:$service.$namespace.svc,DNS:$service.$namespace.svc.cluster.local"
openssl req -newkey rsa:2048 -nodes -subj "/CN=$service.$namespace.svc" -keyout tls.key -out tls.csr 2>/dev/null
openssl x509 -req -in tls.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days "$days" -out tls.crt \
  -extfile <(printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature,keyEncipherment\n' "$names") \
  2>/dev/null
rm -f tls.csr
openssl verify -CAfile ca.crt tls.crt >/dev/null
chmod 600 ca.key tls.key

cat > secret.yaml <<YAML
apiVersion: v1
kind: Secret
metadata:
  name: pol-tls
  namespace: $namespace
  labels:
    app.kubernetes.io/name: pol
type: kubernetes.io/tls
data:
  tls.crt: $(base64 -w0 tls.crt)
  tls.key: $(base64 -w0 tls.key)
YAML

bundle=$(base64 -w0 ca.crt)
for webhook in validating mutating; do
  sed -e "s|caBundle: \"\"|caBundle: $bundle|" \
      -e "s|namespace: pol$|namespace: $namespace|" -e "s|name: pol$|name: $service|" \
      -e "s|\"kube-system\", \"pol\"|\"kube-system\", \"$namespace\"|" \
      "$repo/deploy/webhooks/$webhook.yaml" > "$webhook.yaml"
  grep -q "caBundle: $bundle" "$webhook.yaml"
done
echo "webhook-certs: $out: ca.crt, tls.crt and tls.key for $service.$namespace.svc, secret.yaml, validating.yaml, mutating.yaml"
