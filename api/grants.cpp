// SPDX-License-Identifier: Apache-2.0
// Grants: exceptions exactly as wide as their row. A grant changes, in a copy of the view the
// checks see (the document is path-copied, never modified), what its row allows; the checks are
// evaluated again, and what no longer fails is reported as exempted by that row.
#include <fmt/format.h>

#include <algorithm>

#include "api/internal.hpp"
#include "runtime/request.hpp"
#include "runtime/workload.hpp"

namespace pol {

namespace {

std::string text(const runtime::Expr* expr, const runtime::PodView& pod, const runtime::Profile& profile,
                 const runtime::Limits& limits, std::vector<runtime::Value>& frame) {
  return expr ? runtime::evaluate_expression(*expr, pod, profile, limits, frame.data()).to_display() : "";
}

// The violation of `check` in `violations`, or null.
const runtime::Violation* find(const std::vector<runtime::Violation>& violations, const std::string& check) {
  const auto it = std::find_if(violations.begin(), violations.end(), [&](const auto& v) { return v.check == check; });
  return it == violations.end() ? nullptr : &*it;
}

}  // namespace

runtime::Result apply_grants(const Policy::Impl::Part& part, const runtime::Interpreter& interpreter,
                             const runtime::Document& document, const runtime::PodView& judged, size_t object, const std::string& today,
                             runtime::Result result, std::vector<Exemption>& exempted) {
  const runtime::Program& program = *part.program;
  const runtime::Profile& profile = interpreter.profile();
  std::vector<runtime::Violation> notices;      // expired grants
  std::vector<runtime::EvaluationError> errors;  // grants that could not be applied
  auto arena = std::make_shared<runtime::Arena>();
  runtime::TreeEditor editor(document.root, *arena);
  for (const runtime::Grant& grant : program.grants) {
    runtime::PodView pod = runtime::read_objects(editor.root()).pods.at(object);
    runtime::inherit_request(pod, judged);
    std::vector<runtime::Value> frame(grant.slot_count);
    if (grant.row) frame[0] = *grant.row;
    std::string name = grant.name, owner, why, expires;
    try {
      if (grant.when) {
        const runtime::Value when = runtime::evaluate_expression(*grant.when, pod, profile, program.limits, frame.data());
        if (when.type() != runtime::Type::Bool || !when.as_bool()) continue;
      }
      if (grant.name_expr) name = text(grant.name_expr, pod, profile, program.limits, frame);
      owner = text(grant.owner, pod, profile, program.limits, frame);
      why = text(grant.why, pod, profile, program.limits, frame);
      expires = text(grant.expires, pod, profile, program.limits, frame);
    } catch (const runtime::ExpressionFailure& failure) {
      errors.push_back({"grant \"" + name + "\"", failure.message, failure.policy_note, failure.culprit});
      continue;
    }
    if (!expires.empty() && expires < today) {
      runtime::Violation expired;
      expired.policy = interpreter.policy_label();
      expired.check = "grant";
      expired.reason = "expired exception";
      expired.detail = fmt::format("grant \"{}\"{} expired on {}; it no longer applies", name,
                                   owner.empty() ? "" : " (owner " + owner + ")", expires);
      notices.push_back(std::move(expired));
      continue;
    }
    const std::vector<runtime::Value> args = grant.row ? std::vector<runtime::Value>{*grant.row} : std::vector<runtime::Value>{};
    if (std::optional<runtime::EvaluationError> error = part.mutator->run(editor, *arena, object, *grant.allow, args, &judged)) {
      errors.push_back(std::move(*error));
      continue;
    }
    runtime::Document masked = document;
    masked.root = editor.root();
    masked.arena = arena;
    runtime::PodView masked_pod = runtime::read_objects(masked.root).pods.at(object);
    runtime::inherit_request(masked_pod, judged);
    runtime::Result after = interpreter.evaluate(masked, masked_pod);
    for (const runtime::Violation& before : result.violations) {
      const runtime::Violation* still = find(after.violations, before.check);
      if (still && still->detail == before.detail) continue;
      exempted.push_back({before.check, name, still ? why + " (in part: still " + still->detail + ")" : why, owner,
                          expires});
    }
    result = std::move(after);
  }
  result.warnings.insert(result.warnings.end(), notices.begin(), notices.end());
  result.errors.insert(result.errors.end(), errors.begin(), errors.end());
  return result;
}

}  // namespace pol
