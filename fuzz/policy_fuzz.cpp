// SPDX-License-Identifier: Apache-2.0
// Policy source → compile → (when it compiles) evaluate over a few pods and mutate them. The
// policy is named inside an empty sandbox folder, so its imports can reach nothing else.
#include <filesystem>

#include "fuzz/harness.hpp"

namespace {

const pol::Documents& pods() {
  static const pol::Documents documents = pol::Documents::parse(
      "apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: fuzz, labels: {app: a}}\nspec:\n"
      "  securityContext: {runAsNonRoot: true}\n  initContainers: [{name: init, image: busybox}]\n"
      "  containers:\n  - name: app\n    image: registry.example/app:1.0\n"
      "    securityContext: {privileged: true, capabilities: {add: [NET_ADMIN]}}\n"
      "    resources: {limits: {memory: 1Gi}}\n  volumes: [{name: host, hostPath: {path: /}}]\n"
      "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n"
      "spec: {template: {spec: {containers: [{name: web, image: nginx}]}}}\n",
      "pods.yaml");
  return documents;
}

std::string sandbox() {
  static const std::string folder = [] {
    const auto path = std::filesystem::temp_directory_path() / "pol-policy-fuzz";
    std::filesystem::create_directories(path);
    return path.string();
  }();
  return folder;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const pol::Engine engine;
  const pol::Compiled compiled = engine.compile_string(sandbox() + "/policy.pol", pol::fuzz::text(data, size));
  volatile size_t sink = 0;
  for (const pol::Diagnostic& d : compiled.diagnostics) sink = sink + d.rendered.size();
  if (!compiled) return 0;
  sink = sink + pol::fuzz::consume(compiled->evaluate(pods()));
  if (compiled->mutates()) {
    for (const pol::MutatedDocument& d : compiled->mutate(pods(), pol::Format::Yaml).documents) sink = sink + d.text.size();
  }
  (void)sink;
  return 0;
}
