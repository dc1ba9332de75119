// SPDX-License-Identifier: Apache-2.0
// One diagnostic type and one renderer for every error pol reports: parse, check, document and
// evaluation errors all become `file:line:col: error: message`, the source line, and a caret
// under the culprit (a tilde run when the span covers more than one character).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "lang/source.hpp"

namespace pol::lang {

enum class Severity { Error, Warning, Note };

struct Diagnostic {
  Severity severity = Severity::Error;
  std::shared_ptr<const Source> source;  // may be null: message without a position
  Span span;
  std::string message;
  std::vector<std::string> notes;  // rendered as `= note: ...`

  LineColumn location() const { return source ? source->location(span.begin) : LineColumn{}; }
  std::string render() const;
};

class Diagnostics {
 public:
  void error(std::shared_ptr<const Source> source, Span span, std::string message,
             std::vector<std::string> notes = {});
  void add(Diagnostic diagnostic) { items_.push_back(std::move(diagnostic)); }
  bool has_errors() const;
  // Orders by file, then position, so that output does not depend on the order of checking.
  void sort();
  const std::vector<Diagnostic>& items() const { return items_; }
  std::string render() const;

 private:
  std::vector<Diagnostic> items_;
};

}  // namespace pol::lang
