// SPDX-License-Identifier: Apache-2.0
// `pol explain`: for each object, each check that ran, with its rules' conditions and values
// and the lets they read, each with its place in the policy. Text to read, JSON complete.
#include <fmt/format.h>

#include "cli/report.hpp"

namespace pol::cli {

namespace {

std::string at(const std::string& file, uint32_t line, uint32_t column) { return fmt::format("{}:{}:{}", file, line, column); }

std::string outcome(const ExplainedCheck& c) {
  if (!c.error.empty()) return "error";
  for (const ExplainedRule& r : c.rules) {
    if (r.fired) return r.kind == "deny" ? "denies" : "warns";
  }
  return "holds";
}

// A value on one line, cut to a readable length: the JSON form has it whole.
std::string shown(const std::string& json) {
  constexpr size_t most = 160;
  return json.size() <= most ? json : json.substr(0, most) + fmt::format("... ({} bytes)", json.size());
}

std::string value_json(const TracedValue& v) {
  return fmt::format(R"({{"name": {}, "value": {}, "file": {}, "line": {}, "column": {}}})", json_string(v.name), v.value,
                     json_string(v.file), v.line, v.column);
}

}  // namespace

void write_explain_text(std::ostream& out, const Report& report) {
  for (const ObjectResult& r : report.results) {
    out << printable(fmt::format("{}: document {}: {}: {}", r.source, r.document, object_name(r), r.allowed() ? "allowed" : "denied"))
        << "\n";
    for (const ExplainedCheck& c : r.explained) {
      out << printable(fmt::format("  check {} ({}) {}: {}", c.check, c.policy, at(c.file, c.line, c.column), outcome(c))) << "\n";
      for (const TracedValue& let : c.lets) {
        out << printable(fmt::format("    let {} = {}    {}", let.name, shown(let.value), at(let.file, let.line, let.column))) << "\n";
      }
      for (const ExplainedRule& rule : c.rules) {
        out << printable(fmt::format("    {} if {}  →  {}{}    {}", rule.kind, rule.condition, shown(rule.value),
                                     rule.fired ? ": fires" : "", at(rule.file, rule.line, rule.column)))
            << "\n";
      }
      if (!c.error.empty()) out << printable("    error: " + c.error) << "\n";
    }
    for (const TracedValue& t : r.traces) {
      out << printable(fmt::format("  trace {} = {}", at(t.file, t.line, t.column), shown(t.value))) << "\n";
    }
  }
}

void write_explain_json(std::ostream& out, const Report& report) {
  out << "{\"objects\": [";
  for (size_t i = 0; i < report.results.size(); ++i) {
    const ObjectResult& r = report.results[i];
    out << (i ? ",\n  " : "\n  ")
        << fmt::format(R"({{"source": {}, "document": {}, "line": {}, "column": {}, "kind": {}, "namespace": {}, "name": {}, "allowed": {}, "checks": [)",
                       json_string(r.source), r.document, r.line, r.column, json_string(r.kind), json_string(r.namespace_name),
                       json_string(r.name), r.allowed() ? "true" : "false");
    for (size_t k = 0; k < r.explained.size(); ++k) {
      const ExplainedCheck& c = r.explained[k];
      out << (k ? ",\n   " : "\n   ")
          << fmt::format(R"({{"policy": {}, "check": {}, "file": {}, "line": {}, "column": {}, "outcome": "{}", "error": {}, "rules": [)",
                         json_string(c.policy), json_string(c.check), json_string(c.file), c.line, c.column, outcome(c),
                         json_string(c.error));
      for (size_t n = 0; n < c.rules.size(); ++n) {
        const ExplainedRule& rule = c.rules[n];
        out << (n ? ", " : "")
            << fmt::format(R"({{"kind": "{}", "condition": {}, "value": {}, "fires": {}, "file": {}, "line": {}, "column": {}}})",
                           rule.kind, json_string(rule.condition), rule.value, rule.fired ? "true" : "false",
                           json_string(rule.file), rule.line, rule.column);
      }
      out << "], \"lets\": [";
      for (size_t n = 0; n < c.lets.size(); ++n) out << (n ? ", " : "") << value_json(c.lets[n]);
      out << "]}";
    }
    out << (r.explained.empty() ? "]" : "\n  ]") << ", \"traces\": [";
    for (size_t n = 0; n < r.traces.size(); ++n) out << (n ? ", " : "") << value_json(r.traces[n]);
    out << "]}";
  }
  out << (report.results.empty() ? "]" : "\n ]") << ", \"errors\": [";
  for (size_t i = 0; i < report.errors.size(); ++i) {
    const Error& e = report.errors[i];
    out << (i ? ", " : "")
        << fmt::format(R"({{"source": {}, "document": {}, "line": {}, "column": {}, "message": {}}})", json_string(e.source),
                       e.document, e.line, e.column, json_string(e.message));
  }
  out << "]}\n";
}

}  // namespace pol::cli
