// SPDX-License-Identifier: Apache-2.0
#include "cli/report.hpp"

#include <fmt/format.h>

namespace pol::cli {

namespace {

std::string policy_title(const std::string& policy) {
  // Built-in profiles are written level:version; user policies by their name.
  if (policy.starts_with("privileged:") || policy.starts_with("baseline:") || policy.starts_with("restricted:")) {
    return fmt::format("PodSecurity \"{}\"", policy);
  }
  return fmt::format("policy \"{}\"", policy);
}

}  // namespace

std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) out += fmt::format("\\u{:04x}", c);
        else out += c;
    }
  }
  return out + "\"";
}

std::string object_name(const ObjectResult& object) {
  const std::string name = object.name.empty() ? "(unnamed)" : object.name;
  return object.namespace_name.empty() ? fmt::format("{} {}", object.kind, name)
                                       : fmt::format("{} {}/{}", object.kind, object.namespace_name, name);
}

std::vector<Range> by_policy(const std::vector<Violation>& violations) {
  std::vector<Range> ranges;
  for (size_t i = 0; i < violations.size(); ++i) {
    if (i == 0 || violations[i].policy != violations[i - 1].policy) ranges.push_back({i, i});
    ranges.back().end = i + 1;
  }
  return ranges;
}

std::string policy_line(const std::vector<Violation>& violations, Range range, std::string_view verb) {
  std::string line = fmt::format("{} {}: ", verb, policy_title(violations[range.begin].policy));
  for (size_t i = range.begin; i < range.end; ++i) {
    if (i > range.begin) line += ", ";
    line += violations[i].reason;
    if (!violations[i].detail.empty()) line += fmt::format(" ({})", violations[i].detail);
  }
  return line;
}

std::string location_text(const ObjectResult& object, const Violation& violation, const Location& location) {
  return fmt::format("{} at {}:{}:{}{}{}", violation.check, object.source, location.line, location.column,
                     location.container.empty() ? "" : fmt::format(" container \"{}\"", location.container),
                     location.path.empty() ? "" : " " + location.path);
}

}  // namespace pol::cli
