// SPDX-License-Identifier: Apache-2.0
// Policy source → compile → (when it compiles) evaluate over a few pods and mutate them. The
// policy is named inside an empty sandbox folder, so its imports can reach nothing else. The
// program is also compiled without the optimizer (runtime/optimizer.hpp), and its checks by the
// JIT's optimizing tier (jit/, when the build has it), which also explains the rules that fire:
// all three must give the same results. A source that parses
// is also formatted (`pol fmt`): the result must parse to the same AST and be a fixed point. A
// difference aborts, as a crash does.
#include <filesystem>

#include "fuzz/harness.hpp"
#include "jit/jit.hpp"
#include "lang/ast_text.hpp"
#include "lang/checker.hpp"
#include "lang/format.hpp"
#include "lang/loader.hpp"
#include "lang/parser.hpp"
#include "runtime/interpreter.hpp"
#include "runtime/workload.hpp"

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

// A budget reached may differ between the forms (a loop that stops early spends fewer steps, an
// inlined function adds no depth, compiled code builds no list it only counts): such results
// are not compared.
bool reached_a_limit(const pol::runtime::Result& result) {
  for (const pol::runtime::EvaluationError& e : result.errors) {
    if (e.message.find("steps") != std::string::npos || e.message.find("nested deeper") != std::string::npos ||
        e.message.find("exceed") != std::string::npos || e.message == "out of memory") {
      return true;
    }
  }
  return false;
}

void compare_forms(const std::string& text) {
  using namespace pol;
  lang::Diagnostics diagnostics;
  const auto modules = lang::load_modules(std::make_shared<const lang::Source>(sandbox() + "/policy.pol", text),
                                          lang::file_resolver(sandbox(), 16 << 20), diagnostics);
  if (diagnostics.has_errors()) return;
  const auto optimized = lang::check(modules, diagnostics);
  const auto plain = lang::check(modules, diagnostics, runtime::Value::list({}), nullptr, /*optimize=*/false);
  if (!optimized || !plain) return;
  const runtime::Profile profile = *runtime::parse_profile("restricted:latest");
  const runtime::Interpreter fast(*optimized, profile, "p"), slow(*plain, profile, "p");
  runtime::Interpreter compiled(*optimized, profile, "p");
  std::string error;
  // The optimizing tier: its checks decide, and explain the rules that fire, in compiled code.
  if (auto checks = jit::compile(*optimized, compiled.profile(), compiled.plan(), error, nullptr, /*optimize_after=*/0)) {
    compiled.use(std::move(checks));
  }
  for (const runtime::Document& document : pods().impl->loaded.documents) {
    const auto pod = runtime::find_pod(document.root);
    if (!pod) continue;
    const runtime::Result a = fast.evaluate(document, *pod), b = slow.evaluate(document, *pod);
    if (!(a == b) && !reached_a_limit(a) && !reached_a_limit(b)) {
      std::fprintf(stderr, "the optimized program answers differently\n");
      std::abort();
    }
    const runtime::Result c = compiled.evaluate(document, *pod);
    if (!(a == c) && !reached_a_limit(a) && !reached_a_limit(c)) {
      std::fprintf(stderr, "the JIT answers differently\n");
      std::abort();
    }
  }
}

void check_format(const std::string& text) {
  using namespace pol::lang;
  const auto parsed = [](const std::string& source_text, Diagnostics& diagnostics) {
    const auto source = std::make_shared<const Source>("policy.pol", source_text);
    return std::pair(source, parse(source, diagnostics));
  };
  Diagnostics diagnostics;
  const auto [source, module] = parsed(text, diagnostics);
  if (!module) return;
  const std::optional<std::string> formatted = format(source, diagnostics);
  if (!formatted) {
    std::fprintf(stderr, "fmt refused a source that parses\n");
    std::abort();
  }
  const auto [formatted_source, formatted_module] = parsed(*formatted, diagnostics);
  if (!formatted_module || ast_text(*formatted_module) != ast_text(*module)) {
    std::fprintf(stderr, "the formatted source means something else\n");
    std::abort();
  }
  if (format(formatted_source, diagnostics) != formatted) {
    std::fprintf(stderr, "fmt is not a fixed point\n");
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const pol::Engine engine;
  check_format(pol::fuzz::text(data, size));
  const pol::Compiled compiled = engine.compile_string(sandbox() + "/policy.pol", pol::fuzz::text(data, size));
  volatile size_t sink = 0;
  for (const pol::Diagnostic& d : compiled.diagnostics) sink = sink + d.rendered.size();
  if (!compiled) return 0;
  compare_forms(pol::fuzz::text(data, size));
  sink = sink + pol::fuzz::consume(compiled->evaluate(pods()));
  if (compiled->mutates()) {
    for (const pol::MutatedDocument& d : compiled->mutate(pods(), pol::Format::Yaml).documents) sink = sink + d.text.size();
  }
  (void)sink;
  return 0;
}
