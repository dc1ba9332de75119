// SPDX-License-Identifier: Apache-2.0
// The JSON report: the stable contract of DESIGN.md, shared by `pol check -o json` and the C API.
#include <fmt/format.h>

#include <sstream>

#include "pol/pol.hpp"

namespace pol {

namespace {

std::string violations_json(const std::vector<Violation>& violations) {
  std::string out = "[";
  for (size_t i = 0; i < violations.size(); ++i) {
    const Violation& v = violations[i];
    if (i) out += ", ";
    out += fmt::format(R"({{"policy": {}, "check": {}, "reason": {}, "detail": {}, "locations": [)", json_string(v.policy),
                       json_string(v.check), json_string(v.reason), json_string(v.detail));
    for (size_t k = 0; k < v.locations.size(); ++k) {
      const Location& l = v.locations[k];
      if (k) out += ", ";
      out += fmt::format(R"({{"container": {}, "line": {}, "column": {}, "path": {}}})", json_string(l.container),
                         l.line, l.column, json_string(l.path));
    }
    out += "]}";
  }
  return out + "]";
}

std::string exempted_json(const std::vector<Exemption>& exempted) {
  std::string out = "[";
  for (size_t i = 0; i < exempted.size(); ++i) {
    const Exemption& e = exempted[i];
    out += fmt::format(R"({}{{"check": {}, "by": {}, "why": {}, "owner": {}, "expires": {}}})", i ? ", " : "",
                       json_string(e.check), json_string(e.by), json_string(e.why), json_string(e.owner),
                       json_string(e.expires));
  }
  return out + "]";
}

// Only with --mutate: the fields the mutations changed.
// The failures of one object (where, and why), as in the report's `errors` but for this object.
std::string object_errors_json(const std::vector<Error>& errors) {
  std::string out = "[";
  for (size_t i = 0; i < errors.size(); ++i) {
    const Error& e = errors[i];
    out += fmt::format(R"({}{{"line": {}, "column": {}, "message": {}}})", i ? ", " : "", e.line, e.column,
                       json_string(e.message));
  }
  return out + "]";
}

std::string mutated_json(const std::vector<std::string>& mutated) {
  if (mutated.empty()) return "";
  std::string out = ", \"mutated\": [";
  for (size_t i = 0; i < mutated.size(); ++i) out += (i ? ", " : "") + json_string(mutated[i]);
  return out + "]";
}

// The items of an array that is already open, one a line, and its closing bracket.
template <class Item, class Format>
void write_lines(std::ostream& out, const std::vector<Item>& items, Format format) {
  for (size_t i = 0; i < items.size(); ++i) out << (i ? ",\n  " : "\n  ") << format(items[i]);
  out << (items.empty() ? "]" : "\n ]");
}

}  // namespace

std::string report_json(const Report& report) {
  uint32_t denied = 0;
  std::ostringstream out;
  out << "{\"results\": [";
  write_lines(out, report.results, [&](const ObjectResult& r) {
    denied += !r.allowed();
    return fmt::format(
        R"({{"source": {}, "document": {}, "line": {}, "column": {}, "apiVersion": {}, "kind": {}, "namespace": {}, "name": {}, "allowed": {}, "violations": {}, "warnings": {}, "exempted": {}, "errors": {}{}}})",
        json_string(r.source), r.document, r.line, r.column, json_string(r.api_version), json_string(r.kind),
        json_string(r.namespace_name), json_string(r.name), r.allowed() ? "true" : "false",
        violations_json(r.violations), violations_json(r.warnings), exempted_json(r.exempted),
        object_errors_json(r.errors), mutated_json(r.mutated));
  });
  out << ",\n \"errors\": [";
  write_lines(out, report.errors, [](const Error& e) {
    return fmt::format(R"({{"source": {}, "document": {}, "line": {}, "column": {}, "message": {}}})",
                       json_string(e.source), e.document, e.line, e.column, json_string(e.message));
  });
  out << ",\n \"not_objects\": [";
  write_lines(out, report.not_objects, [](const NotAnObject& n) {
    return fmt::format(R"({{"source": {}, "document": {}, "line": {}, "column": {}, "reason": {}}})",
                       json_string(n.source), n.document, n.line, n.column, json_string(n.reason));
  });
  out << fmt::format(
      ",\n \"summary\": {{\"objects\": {}, \"allowed\": {}, \"denied\": {}, \"skipped\": {}, \"errors\": {}, "
      "\"not_objects\": {}}}}}\n",
      report.results.size(), report.results.size() - denied, denied, report.skipped, report.errors.size(),
      report.not_objects.size());
  return std::move(out).str();
}

}  // namespace pol
