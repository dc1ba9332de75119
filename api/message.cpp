// SPDX-License-Identifier: Apache-2.0
// The one place that words violations as Pod Security Admission does (CHECKS.md §3).
#include <fmt/format.h>

#include "pol/pol.hpp"
#include "lang/printable.hpp"
#include "runtime/emit.hpp"

namespace pol {

std::string json_string(std::string_view text) { return runtime::json_quote(text); }
std::string printable(std::string_view text) { return lang::escape_controls(text); }

std::string object_name(const ObjectResult& object) {
  const std::string name = object.name.empty() ? "(unnamed)" : object.name;
  return object.namespace_name.empty() ? fmt::format("{} {}", object.kind, name)
                                       : fmt::format("{} {}/{}", object.kind, object.namespace_name, name);
}

std::vector<std::span<const Violation>> by_policy(const std::vector<Violation>& violations) {
  std::vector<std::span<const Violation>> runs;
  for (size_t begin = 0, end; begin < violations.size(); begin = end) {
    for (end = begin; end < violations.size() && violations[end].policy == violations[begin].policy;) ++end;
    runs.push_back(std::span(violations).subspan(begin, end - begin));
  }
  return runs;
}

std::string message(std::span<const Violation> violations, std::string_view verb) {
  if (violations.empty()) return "";
  const std::string& policy = violations.front().policy;
  // Built-in profiles are named level:version; user policies by their name.
  const bool builtin = policy.starts_with("privileged:") || policy.starts_with("baseline:") ||
                       policy.starts_with("restricted:");
  std::string line = fmt::format("{} {} \"{}\": ", verb, builtin ? "PodSecurity" : "policy", policy);
  for (size_t i = 0; i < violations.size(); ++i) {
    if (i > 0) line += ", ";
    line += violations[i].reason;
    if (!violations[i].detail.empty()) line += fmt::format(" ({})", violations[i].detail);
  }
  return line;
}

}  // namespace pol
