// SPDX-License-Identifier: Apache-2.0
// A JSON stream cut at value boundaries, so that its parts can be read apart (on several threads,
// or one after another with the memory of each freed): the items of a top-level array (what
// `kubectl get -o json` and our bench write), or a sequence of top-level objects. One scan finds
// where each value starts and ends; it checks only what separates values (commas, brackets,
// whitespace), and simdjson then reads each value, checking everything inside it.
#include <cstring>

#include "runtime/document.hpp"

namespace pol::runtime {

namespace {

bool is_space(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  size_t skip_spaces(size_t i) const {
    while (i < text_.size() && is_space(text_[i])) ++i;
    return i;
  }

  // The end of the string whose opening quote is at `i` (past its closing quote), or npos.
  size_t skip_string(size_t i) const {
    for (size_t j = i + 1;;) {
      const void* quote = std::memchr(text_.data() + j, '"', text_.size() - j);
      if (!quote) return std::string_view::npos;
      const size_t at = static_cast<const char*>(quote) - text_.data();
      size_t backslashes = 0;
      while (at - backslashes > i + 1 && text_[at - backslashes - 1] == '\\') ++backslashes;
      if (backslashes % 2 == 0) return at + 1;
      j = at + 1;
    }
  }

  // The end of the value starting at `i` (an object, an array, a string or a scalar), or npos
  // when the text ends first. Brackets are counted, not matched: simdjson checks that later.
  size_t skip_value(size_t i) const {
    const char first = text_[i];
    if (first == '"') return skip_string(i);
    if (first != '{' && first != '[') {
      while (i < text_.size() && !is_space(text_[i]) && !std::strchr(",]}[{\"", text_[i])) ++i;
      return i;
    }
    size_t depth = 0;
    while (i < text_.size()) {
      const char c = text_[i];
      if (c == '"') {
        i = skip_string(i);
        if (i == std::string_view::npos) return i;
        continue;
      }
      if (c == '{' || c == '[') ++depth;
      else if ((c == '}' || c == ']') && --depth == 0) return i + 1;
      ++i;
    }
    return std::string_view::npos;
  }

 private:
  std::string_view text_;
};

}  // namespace

JsonSplit split_json_stream(const lang::Source& source, size_t part_bytes) {
  const std::string_view text = source.text();
  const Scanner scan(text);
  JsonSplit split;
  std::vector<JsonSplit::Range> values;
  size_t i = scan.skip_spaces(0);
  if (i == text.size() || text.size() > UINT32_MAX) return {};
  split.items = text[i] == '[';
  if (split.items) {
    // One array, then only whitespace: its items, separated by commas.
    i = scan.skip_spaces(i + 1);
    if (i < text.size() && text[i] == ']') return {};  // empty: nothing to divide
    for (;;) {
      if (i >= text.size() || text[i] == ',' || text[i] == ']') return {};
      const size_t end = scan.skip_value(i);
      if (end == std::string_view::npos || end == i) return {};
      values.push_back({static_cast<uint32_t>(i), static_cast<uint32_t>(end)});
      i = scan.skip_spaces(end);
      if (i < text.size() && text[i] == ',') {
        i = scan.skip_spaces(i + 1);
        continue;
      }
      if (i < text.size() && text[i] == ']') break;
      return {};
    }
    if (scan.skip_spaces(i + 1) != text.size()) return {};
  } else {
    // Objects separated by whitespace (a top-level array among them is read whole, items and all).
    while (i < text.size()) {
      if (text[i] != '{') return {};
      const size_t end = scan.skip_value(i);
      if (end == std::string_view::npos) return {};
      values.push_back({static_cast<uint32_t>(i), static_cast<uint32_t>(end)});
      i = scan.skip_spaces(end);
    }
  }
  // Runs of values of about `part_bytes` each.
  for (size_t k = 0; k < values.size();) {
    std::vector<JsonSplit::Range> part;
    const uint32_t begin = values[k].begin;
    while (k < values.size() && (part.empty() || values[k].end - begin <= part_bytes)) part.push_back(values[k++]);
    split.parts.push_back(std::move(part));
  }
  return split;
}

}  // namespace pol::runtime
