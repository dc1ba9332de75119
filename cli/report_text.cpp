// SPDX-License-Identifier: Apache-2.0
#include <fmt/format.h>

#include "cli/report.hpp"

namespace pol::cli {

namespace {

std::string object_name(const ObjectResult& r) {
  const std::string name = r.name.empty() ? "(unnamed)" : r.name;
  return r.namespace_name.empty() ? fmt::format("{} {}", r.kind, name)
                                  : fmt::format("{} {}/{}", r.kind, r.namespace_name, name);
}

std::string policy_title(const std::string& policy) {
  // Built-in profiles are written level:version; user policies by their name.
  if (policy.starts_with("privileged:") || policy.starts_with("baseline:") || policy.starts_with("restricted:")) {
    return fmt::format("PodSecurity \"{}\"", policy);
  }
  return fmt::format("policy \"{}\"", policy);
}

// One line per policy, listing that policy's violations in check order, then where each is.
void write_grouped(std::ostream& out, const ObjectResult& r, const std::vector<Violation>& violations,
                   const char* verb) {
  size_t begin = 0;
  while (begin < violations.size()) {
    size_t end = begin;
    while (end < violations.size() && violations[end].policy == violations[begin].policy) ++end;
    out << "  " << violation_line(violations, begin, end, verb) << "\n";
    for (size_t i = begin; i < end; ++i) {
      for (const Location& l : violations[i].locations) {
        out << fmt::format("    {} at {}:{}:{}{}{}\n", violations[i].check, r.source, l.line, l.column,
                           l.container.empty() ? "" : fmt::format(" container \"{}\"", l.container),
                           l.path.empty() ? "" : " " + l.path);
      }
    }
    begin = end;
  }
}

}  // namespace

std::string violation_line(const std::vector<Violation>& violations, size_t begin, size_t end, const char* verb) {
  std::string line = fmt::format("{} {}: ", verb, policy_title(violations[begin].policy));
  for (size_t i = begin; i < end; ++i) {
    if (i > begin) line += ", ";
    line += violations[i].reason;
    if (!violations[i].detail.empty()) line += fmt::format(" ({})", violations[i].detail);
  }
  return line;
}

void write_text(std::ostream& out, const Report& report) {
  uint32_t denied = 0;
  for (const ObjectResult& r : report.results) {
    denied += !r.allowed();
    out << fmt::format("{}: document {}: {}: {}\n", r.source, r.document, object_name(r), r.allowed() ? "allowed" : "denied");
    write_grouped(out, r, r.violations, "would violate");
    write_grouped(out, r, r.warnings, "warning:");
  }
  out << fmt::format("{} object{}: {} allowed, {} denied, {} skipped, {} error{}\n", report.results.size(),
                     report.results.size() == 1 ? "" : "s", report.results.size() - denied, denied, report.skipped,
                     report.errors.size(), report.errors.size() == 1 ? "" : "s");
}

}  // namespace pol::cli
