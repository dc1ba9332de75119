// SPDX-License-Identifier: Apache-2.0
#include "lang/diagnostic.hpp"

#include "lang/printable.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace pol::lang {

namespace {

const char* severity_name(Severity severity) {
  switch (severity) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Note: return "note";
  }
  return "error";
}

constexpr uint32_t window_chars = 100;  // longer lines (minified JSON) are shown around the caret
constexpr uint32_t before_caret = 40;

// Byte offset of character `chars` (0-based) in UTF-8 `text`, or text.size().
size_t byte_of_character(std::string_view text, uint32_t chars) {
  size_t i = 0;
  for (uint32_t seen = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 && seen++ == chars) return i;
  }
  return i;
}

// Control characters (binary input) would garble the terminal; they are shown as '?'.
std::string printable(std::string_view text) { return question_controls(text); }

}  // namespace

std::string Diagnostic::render() const {
  std::string out;
  if (!source) {
    out = fmt::format("{}: {}\n", severity_name(severity), escape_controls(message));
  } else {
    const LineColumn where = location();
    out = fmt::format("{}:{}:{}: {}: {}\n", escape_controls(source->name()), where.line, where.column,
                      severity_name(severity), escape_controls(message));
    const std::string_view line = source->line_text(where.line);
    const std::string number = std::to_string(where.line);
    const std::string gutter(number.size(), ' ');
    // The caret covers the span, clipped to the end of its first line.
    const uint32_t line_chars = count_characters(line);
    const uint32_t end_column =
        span.end > span.begin ? source->location(span.end).column : where.column + 1;
    const uint32_t end_line = span.end > span.begin ? source->location(span.end).line : where.line;
    // A column past the end of the line (where a reader counts a character the line does not
    // show) is drawn at the line's end; the caret never reaches past one column beyond it.
    uint32_t caret = std::min(where.column > 0 ? where.column - 1 : 0, line_chars);
    uint32_t width = end_line == where.line && end_column > where.column ? end_column - where.column : 1;
    width = std::clamp<uint32_t>(width, 1, line_chars + 1 - caret);
    std::string shown = printable(line);
    if (line_chars > window_chars) {
      const uint32_t first = caret > before_caret ? caret - before_caret : 0;
      const size_t begin = byte_of_character(line, first), end = byte_of_character(line, first + window_chars);
      shown = (first > 0 ? "..." : "") + printable(line.substr(begin, end - begin)) + (end < line.size() ? "..." : "");
      caret = caret - first + (first > 0 ? 3 : 0);
      width = std::min(width, window_chars - (caret - (first > 0 ? 3 : 0)));
    }
    out += fmt::format(" {} | {}\n", number, shown);
    out += fmt::format(" {} | {}^{}\n", gutter, std::string(caret, ' '), std::string(std::max(width, 1u) - 1, '~'));
  }
  for (const std::string& note : notes) out += fmt::format("   = note: {}\n", escape_controls(note));
  return out;
}

void Diagnostics::error(std::shared_ptr<const Source> source, Span span, std::string message,
                        std::vector<std::string> notes) {
  items_.push_back(Diagnostic{Severity::Error, std::move(source), span, std::move(message), std::move(notes)});
}

bool Diagnostics::has_errors() const {
  return std::any_of(items_.begin(), items_.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::Error; });
}

void Diagnostics::sort() {
  std::stable_sort(items_.begin(), items_.end(), [](const Diagnostic& a, const Diagnostic& b) {
    const std::string& na = a.source ? a.source->name() : std::string();
    const std::string& nb = b.source ? b.source->name() : std::string();
    if (na != nb) return na < nb;
    return a.span.begin < b.span.begin;
  });
}

std::string Diagnostics::render() const {
  std::string out;
  for (const Diagnostic& d : items_) out += d.render();
  return out;
}

}  // namespace pol::lang
