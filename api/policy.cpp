// SPDX-License-Identifier: Apache-2.0
// Policy::evaluate: every object with a pod spec through every part of the policy; the
// built-in profile at the levels Pod Security Admission's settings give the pod's namespace.
#include <fmt/format.h>

#include <algorithm>

#include "api/internal.hpp"
#include "jit/jit.hpp"
#include "runtime/locator.hpp"
#include "runtime/request.hpp"
#include "runtime/workload.hpp"

namespace pol {

namespace {

void convert(const std::vector<runtime::Violation>& from, std::vector<Violation>& to) {
  for (const runtime::Violation& v : from) {
    Violation out{v.policy, v.check, v.reason, v.detail, {}};
    for (const runtime::Location& l : v.locations) out.locations.push_back({l.container, l.path, l.line, l.column});
    to.push_back(std::move(out));
  }
}

TracedValue traced(const runtime::TracedValue& t) { return {t.name, t.json, t.at.file, t.at.line, t.at.column}; }

ExplainedCheck explained(const runtime::CheckTrace& c) {
  ExplainedCheck out{c.policy, c.check, c.at.file, c.at.line, c.at.column, {}, {}, c.error};
  for (const runtime::RuleTrace& r : c.rules) {
    out.rules.push_back({r.deny ? "deny" : "warn", r.condition, r.json, r.fired, r.at.file, r.at.line, r.at.column});
  }
  for (const runtime::TracedValue& let : c.lets) out.lets.push_back(traced(let));
  return out;
}

bool contains(const std::vector<std::string>& list, std::string_view item) {
  return !item.empty() && std::find(list.begin(), list.end(), item) != list.end();
}

// Pod Security Admission's exemptions: by namespace, runtime class, or requesting user.
std::optional<Exemption> admission_exemption(const runtime::AdmissionConfig& config, const runtime::PodView& pod) {
  const runtime::Node* runtime_class = pod.spec ? pod.spec->find("runtimeClassName") : nullptr;
  const std::string_view class_name =
      runtime_class && runtime_class->kind == runtime::NodeKind::String ? runtime_class->string() : "";
  if (contains(config.namespaces, pod.namespace_name)) {
    return Exemption{"*", "admission-config/namespaces", fmt::format("namespace \"{}\" is exempt", pod.namespace_name), "", ""};
  }
  if (contains(config.runtime_classes, class_name)) {
    return Exemption{"*", "admission-config/runtimeClasses", fmt::format("runtime class \"{}\" is exempt", class_name), "", ""};
  }
  if (contains(config.usernames, pod.username)) {
    return Exemption{"*", "admission-config/usernames", fmt::format("user \"{}\" is exempt", pod.username), "", ""};
  }
  return std::nullopt;
}

// POL_JIT_OPTIMIZE_AFTER, read once; a malformed value (which the CLI refuses) is the default.
size_t jit_optimize_after() {
  static const size_t after = jit::optimize_after_from_environment().value_or(jit::default_optimize_after);
  return after;
}

}  // namespace

const runtime::Interpreter& Policy::Impl::builtin_at(const Part& part, const runtime::Profile& at) const {
  const std::string label = at.label();
  if (label == part.interpreter->policy_label()) return *part.interpreter;
  const std::lock_guard lock(mutex);
  std::unique_ptr<runtime::Interpreter>& interpreter = by_profile[label];
  std::string jit_error;  // the same program compiled for the run's profile: a failure now is as unlikely
  if (!interpreter) interpreter = Impl::interpreter(*part.program, at, label, jit, jit_error);
  return *interpreter;
}

std::unique_ptr<runtime::Interpreter> Policy::Impl::interpreter(const runtime::Program& program,
                                                                const runtime::Profile& profile, std::string label,
                                                                bool jit, std::string& jit_error) {
  auto interpreter = std::make_unique<runtime::Interpreter>(program, profile, std::move(label));
  if (jit) {
    if (auto compiled = jit::compile(program, interpreter->profile(), interpreter->plan(), jit_error, nullptr,
                                     jit_optimize_after())) {
      interpreter->use(std::move(compiled));
    }
  }
  return interpreter;
}

bool jit_available() { return jit::available(); }

const std::string& Policy::name() const { return impl->name; }

Report Policy::evaluate(const Documents& documents, const Admission* admission, bool mutate) const {
  Report report;
  report.errors = documents.errors();
  for (const runtime::Document& given : documents.impl->loaded.documents) {
    const std::string& source = given.source->name();
    // With mutations, the checks see the mutated document (its new nodes in `mutated_arena`).
    runtime::Document document = given;
    runtime::Mutated mutated;
    std::vector<Error> mutation_errors;  // they fail every object of the document
    if (mutate && mutates()) {
      auto mutated_arena = std::make_shared<runtime::Arena>();
      mutated = impl->mutate(given.root, *mutated_arena);
      document.root = mutated.root;
      document.arena = mutated_arena;
      for (const runtime::EvaluationError& e : mutated.errors) {
        Error error = document_error(given.source, source, given.index, given.root->line, given.root->column,
                                     fmt::format("mutation '{}' failed: {}", e.check, e.message));
        error.rendered += e.policy_note;
        mutation_errors.push_back(error);
        report.errors.push_back(std::move(error));
      }
    }
    runtime::Contents contents = runtime::read_objects(document.root);
    if (const auto& not_object = contents.not_object) {
      const runtime::Node* at = not_object->at;
      if (impl->strict) {
        report.errors.push_back(document_error(document.source, source, document.index, at->line, at->column,
                                               "not a Kubernetes object: " + not_object->message));
      } else {
        report.not_objects.push_back({source, document.index, at->line, at->column, not_object->message});
      }
    }
    report.skipped += contents.skipped;
    for (const runtime::ObjectError& e : contents.errors) {
      const std::string path = runtime::locate(document.root, e.at).path;
      report.errors.push_back(document_error(document.source, source, document.index, e.at->line, e.at->column,
                                             path.empty() ? e.message : path + ": " + e.message));
    }
    for (size_t index = 0; index < contents.pods.size(); ++index) {
      runtime::PodView& pod = contents.pods[index];
      runtime::judge_as(pod, &impl->request);  // a plain manifest: as Options::request describes
      if (admission) pod.namespace_object = admission->impl->namespace_object(std::string(pod.namespace_name));
      ObjectResult object;
      object.source = source;
      object.document = document.index;
      object.line = pod.object->line;
      object.column = pod.object->column;
      object.api_version = std::string(pod.api_version);
      object.kind = std::string(pod.kind);
      object.namespace_name = std::string(pod.namespace_name);
      object.name = std::string(pod.name);
      object.errors = mutation_errors;
      object.fail_open = impl->on_error_allow;
      if (!mutated.patch.empty()) {
        const std::string prefix = runtime::json_pointer(runtime::pointer_to(document.root, pod.object).value_or(runtime::Pointer{}));
        for (const runtime::PatchOperation& op : mutated.patch) {
          if (op.path.starts_with(prefix + "/")) {
            object.mutated.push_back(fmt::format("{} {}", op.op(), op.path));
          }
        }
      }
      const auto run = [&](const Impl::Part& part, const runtime::Interpreter& interpreter, std::vector<Violation>& into) {
        runtime::Result result = interpreter.evaluate(document, pod, impl->explain);
        for (const runtime::TracedValue& t : result.traces) object.traces.push_back(traced(t));
        for (const runtime::CheckTrace& c : result.explained) object.explained.push_back(explained(c));
        if (!part.program->grants.empty()) {
          result = apply_grants(part, interpreter, document, pod, index, impl->today, std::move(result), object.exempted);
        }
        convert(result.violations, into);
        convert(result.warnings, object.warnings);
        for (const runtime::EvaluationError& e : result.errors) {
          const runtime::Node* at = e.culprit ? e.culprit : pod.object;
          Error error = document_error(document.source, source, document.index, at->line, at->column,
                                       fmt::format("check '{}' failed: {}", e.check, e.message));
          error.rendered += e.policy_note;
          object.errors.push_back(error);
          report.errors.push_back(std::move(error));
        }
      };
      for (const Impl::Part& part : impl->parts) {
        if (!part.builtin || !admission) {
          run(part, *part.interpreter, object.violations);
          continue;
        }
        const Admission::Impl& settings = *admission->impl;
        if (settings.config) {
          if (std::optional<Exemption> exemption = admission_exemption(*settings.config, pod)) {
            object.exempted.push_back(std::move(*exemption));
            continue;
          }
        }
        // Enforce denies; warn and audit only warn, each once: a mode at the same profile as an
        // earlier one would repeat its messages.
        const runtime::ModeProfiles modes = settings.profiles(object.namespace_name, impl->profile);
        run(part, impl->builtin_at(part, modes.enforce), object.violations);
        std::vector<std::string> done{modes.enforce.label()};
        for (const runtime::Profile& mode : {modes.warn, modes.audit}) {
          if (mode.level == runtime::Level::Privileged || contains(done, mode.label())) continue;
          run(part, impl->builtin_at(part, mode), object.warnings);
          done.push_back(mode.label());
        }
      }
      report.results.push_back(std::move(object));
    }
  }
  // Reading errors come first from the reader; list all errors in document order.
  std::stable_sort(report.errors.begin(), report.errors.end(), [](const Error& a, const Error& b) {
    return a.document < b.document;
  });
  return report;
}

}  // namespace pol
