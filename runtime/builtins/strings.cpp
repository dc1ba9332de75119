// SPDX-License-Identifier: Apache-2.0
// String builtins. `quote` is Go's %q, which Pod Security Admission uses for annotation values.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <fmt/format.h>
#include <map>
#include <memory>
#include <mutex>
#include <re2/re2.h>

#include "runtime/builtins/registry.hpp"

namespace pol::runtime {

namespace {

using T = StaticType;

Value starts_with(const Value* a) { return Value::boolean(a[0].as_string().starts_with(a[1].as_string())); }
Value ends_with(const Value* a) { return Value::boolean(a[0].as_string().ends_with(a[1].as_string())); }
Value contains(const Value* a) {
  return Value::boolean(a[0].as_string().find(a[1].as_string()) != std::string_view::npos);
}

Value lower(const Value* a) {
  std::string s(a[0].as_string());
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return Value::string(std::move(s));
}

Value upper(const Value* a) {
  std::string s(a[0].as_string());
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return Value::string(std::move(s));
}

Value trim(const Value* a) {
  std::string_view s = a[0].as_string();
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return Value::string(std::string(s));
}

// Regular expressions are RE2's: matching takes time linear in the text, whatever the pattern
// (no backtracking, no recursion), and a pattern's automaton is limited in memory. Compiled
// patterns are shared by all threads in a cache of bounded size: patterns usually come from
// policies and are few; computed ones cannot grow it past the bound.
constexpr size_t regex_cache_limit = 1024;
constexpr int64_t regex_memory_limit = 8 << 20;  // bytes per compiled pattern (RE2's default)

std::shared_ptr<const re2::RE2> compiled(std::string_view pattern) {
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const re2::RE2>, std::less<>> cache;
  {
    std::lock_guard lock(mutex);
    if (auto it = cache.find(pattern); it != cache.end()) return it->second;
  }
  re2::RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(regex_memory_limit);
  auto re = std::make_shared<const re2::RE2>(re2::StringPiece(pattern.data(), pattern.size()), options);
  if (!re->ok()) throw EvalError(fmt::format("invalid regular expression \"{}\": {}", pattern, re->error()));
  std::lock_guard lock(mutex);
  if (cache.size() >= regex_cache_limit) cache.clear();
  cache.emplace(std::string(pattern), re);
  return re;
}

Value matches(const Value* a) {
  const auto re = compiled(a[1].as_string());
  const std::string_view s = a[0].as_string();
  return Value::boolean(re2::RE2::PartialMatch(re2::StringPiece(s.data(), s.size()), *re));
}

Value split(const Value* a) {
  const std::string_view s = a[0].as_string(), sep = a[1].as_string();
  std::vector<Value> parts;
  if (sep.empty()) {
    for (char c : s) parts.push_back(Value::string(std::string(1, c)));
    return Value::list(std::move(parts));
  }
  size_t start = 0;
  for (size_t pos; (pos = s.find(sep, start)) != std::string_view::npos; start = pos + sep.size()) {
    parts.push_back(Value::string(std::string(s.substr(start, pos - start))));
  }
  parts.push_back(Value::string(std::string(s.substr(start))));
  return Value::list(std::move(parts));
}

Value join(const Value* a) {
  std::string out;
  for (size_t i = 0; i < a[0].size(); ++i) {
    if (i) out += a[1].as_string();
    out += a[0].at(i).to_display();
  }
  return Value::string(std::move(out));
}

Value replace(const Value* a) {
  const std::string_view s = a[0].as_string(), from = a[1].as_string(), to = a[2].as_string();
  if (from.empty()) return Value::string(std::string(s));
  std::string out;
  size_t start = 0;
  for (size_t pos; (pos = s.find(from, start)) != std::string_view::npos; start = pos + from.size()) {
    out.append(s.substr(start, pos - start)).append(to);
  }
  out.append(s.substr(start));
  return Value::string(std::move(out));
}

Value to_string(const Value* a) { return Value::string(a[0].to_display()); }

// The first match of a regular expression ("" when none), and its capture groups ([] when none).
Value find(const Value* a) {
  const auto re = compiled(a[1].as_string());
  const std::string_view s = a[0].as_string();
  re2::StringPiece match;
  if (!re->Match(re2::StringPiece(s.data(), s.size()), 0, s.size(), re2::RE2::UNANCHORED, &match, 1)) return Value::string("");
  return Value::string(std::string(match.data(), match.size()));
}

Value captures(const Value* a) {
  const auto re = compiled(a[1].as_string());
  const std::string_view s = a[0].as_string();
  std::vector<re2::StringPiece> groups(static_cast<size_t>(re->NumberOfCapturingGroups()) + 1);
  if (!re->Match(re2::StringPiece(s.data(), s.size()), 0, s.size(), re2::RE2::UNANCHORED, groups.data(),
                 static_cast<int>(groups.size()))) {
    return Value::list({});
  }
  std::vector<Value> out;
  for (size_t i = 1; i < groups.size(); ++i) {
    out.push_back(groups[i].data() ? Value::string(std::string(groups[i].data(), groups[i].size())) : Value());
  }
  return Value::list(std::move(out));
}

// Go's strings.SplitN: at most n parts, the last one the rest; n < 0: all of them.
Value splitn(const Value* a) {
  const int64_t n = a[2].as_int();
  if (n < 0) return split(a);
  const std::string_view s = a[0].as_string(), sep = a[1].as_string();
  std::vector<Value> parts;
  size_t start = 0;
  while (static_cast<int64_t>(parts.size()) + 1 < n) {
    const size_t pos = sep.empty() ? (start < s.size() ? start + 1 : std::string_view::npos) : s.find(sep, start);
    if (pos == std::string_view::npos) break;
    parts.push_back(Value::string(std::string(s.substr(start, pos - start))));
    start = pos + sep.size();
  }
  if (n > 0) parts.push_back(Value::string(std::string(s.substr(start))));
  return Value::list(std::move(parts));
}

// Positions count characters (UTF-8 code points), as CEL's do.
std::vector<size_t> character_starts(std::string_view s) {
  std::vector<size_t> starts;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) starts.push_back(i);
  }
  starts.push_back(s.size());
  return starts;
}

// [start, end) of `count` items, Python-style: negative positions count from the end, and
// positions outside are clamped.
std::pair<size_t, size_t> clamp_range(int64_t start, int64_t end, size_t count) {
  const auto clamp = [&](int64_t i) {
    if (i < 0) i += static_cast<int64_t>(count);
    return static_cast<size_t>(std::clamp<int64_t>(i, 0, static_cast<int64_t>(count)));
  };
  const size_t from = clamp(start), to = clamp(end);
  return {from, std::max(from, to)};
}

Value substring(const Value* a) {
  const std::string_view s = a[0].as_string();
  const std::vector<size_t> starts = character_starts(s);
  const auto [from, to] = clamp_range(a[1].as_int(), a[2].as_int(), starts.size() - 1);
  return Value::string(std::string(s.substr(starts[from], starts[to] - starts[from])));
}

Value index_of(const Value* a) {
  const std::string_view s = a[0].as_string();
  const size_t at = s.find(a[1].as_string());
  if (at == std::string_view::npos) return Value::integer(-1);
  return Value::integer(static_cast<int64_t>(character_starts(s.substr(0, at)).size() - 1));
}

// Numbers from text: the whole string must be the number (Go's strconv), else an error.
Value to_int(const Value* a) {
  switch (a[0].type()) {
    case Type::Null:
    case Type::Int: return a[0];
    case Type::Float: {
      const double d = a[0].as_float();
      if (!(d > -9.3e18 && d < 9.3e18)) throw EvalError(fmt::format("int(): {} is out of range", a[0].to_display()));
      return Value::integer(static_cast<int64_t>(d));
    }
    case Type::String: {
      const std::string_view s = a[0].as_string();
      int64_t value = 0;
      const char* begin = s.data() + (s.starts_with('+') ? 1 : 0);
      const auto [end, ec] = std::from_chars(begin, s.data() + s.size(), value);
      if (s.empty() || ec != std::errc() || end != s.data() + s.size()) {
        throw EvalError(fmt::format("int(): \"{}\" is not an integer", s));
      }
      return Value::integer(value);
    }
    default: throw EvalError(fmt::format("int() reads a string or a number, got {}", type_name(a[0].type())));
  }
}

Value to_float(const Value* a) {
  switch (a[0].type()) {
    case Type::Null:
    case Type::Float: return a[0];
    case Type::Int: return Value::number(static_cast<double>(a[0].as_int()));
    case Type::String: {
      const std::string s(a[0].as_string());
      char* end = nullptr;
      const double value = s.empty() || std::isspace(static_cast<unsigned char>(s[0])) ? 0 : std::strtod(s.c_str(), &end);
      if (s.empty() || end != s.c_str() + s.size() || !std::isfinite(value)) {
        throw EvalError(fmt::format("float(): \"{}\" is not a number", s));
      }
      return Value::number(value);
    }
    default: throw EvalError(fmt::format("float() reads a string or a number, got {}", type_name(a[0].type())));
  }
}

// Decodes one UTF-8 sequence; returns its length, or 0 if the bytes are not valid UTF-8.
size_t decode_utf8(std::string_view s, size_t i, uint32_t& code) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(i);
  size_t length = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
  if (length == 0 || i + length > s.size()) return 0;
  code = length == 1 ? c : c & (0x7F >> length);
  for (size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    code = code << 6 | (byte(i + k) & 0x3F);
  }
  static constexpr uint32_t min_for_length[] = {0, 0, 0x80, 0x800, 0x10000};
  if (code < min_for_length[length] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return 0;
  return length;
}

// Go's unicode.IsPrint for the code points that occur in practice: controls, separators other
// than ASCII space, format characters, private use and non-characters are not printable.
bool printable(uint32_t c) {
  if (c < 0x20 || (c >= 0x7F && c < 0xA0)) return false;
  if (c == 0xA0 || c == 0xAD || c == 0x1680 || (c >= 0x2000 && c <= 0x200F) || (c >= 0x2028 && c <= 0x202F) ||
      (c >= 0x205F && c <= 0x206F) || c == 0x3000 || c == 0xFEFF || (c >= 0xFFF9 && c <= 0xFFFB)) {
    return false;
  }
  if ((c >= 0xE000 && c <= 0xF8FF) || c >= 0xF0000 || (c & 0xFFFE) == 0xFFFE) return false;
  return true;
}

Value quote(const Value* a) {
  const std::string_view s = a[0].as_string();
  std::string out = "\"";
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    uint32_t code = 0;
    const size_t length = decode_utf8(s, i, code);
    if (length == 0) {
      out += fmt::format("\\x{:02x}", c);
      ++i;
      continue;
    }
    i += length;
    switch (code) {
      case '"': out += "\\\""; continue;
      case '\\': out += "\\\\"; continue;
      case '\a': out += "\\a"; continue;
      case '\b': out += "\\b"; continue;
      case '\f': out += "\\f"; continue;
      case '\n': out += "\\n"; continue;
      case '\r': out += "\\r"; continue;
      case '\t': out += "\\t"; continue;
      case '\v': out += "\\v"; continue;
      default: break;
    }
    if (printable(code)) out.append(s.substr(i - length, length));
    else if (code < 0x80) out += fmt::format("\\x{:02x}", code);
    else if (code <= 0xFFFF) out += fmt::format("\\u{:04x}", code);
    else out += fmt::format("\\U{:08x}", code);
  }
  return Value::string(out + "\"");
}

}  // namespace

void register_string_builtins(Registry& r) {
  r.add("startsWith", {T::String, T::String}, T::Bool, starts_with, "whether s starts with prefix");
  r.add("endsWith", {T::String, T::String}, T::Bool, ends_with, "whether s ends with suffix");
  r.add("contains", {T::String, T::String}, T::Bool, contains, "whether s contains part");
  r.add("lower", {T::String}, T::String, lower, "s in lower case (ASCII)");
  r.add("upper", {T::String}, T::String, upper, "s in upper case (ASCII)");
  r.add("trim", {T::String}, T::String, trim, "s without leading and trailing white space");
  r.add("matches", {T::String, T::String}, T::Bool, matches, "whether the regular expression matches part of s");
  r.add("split", {T::String, T::String}, T::List, split, "the parts of s between separators");
  r.add("join", {T::List, T::String}, T::String, join, "the items' display forms joined by a separator");
  r.add("replace", {T::String, T::String, T::String}, T::String, replace, "s with every `from` replaced by `to`");
  r.add("string", {T::Any}, T::String, to_string, "the display form of any value");
  r.add("find", {T::String, T::String}, T::String, find, "the first match of the regular expression in s, \"\" if none");
  r.add("captures", {T::String, T::String}, T::List, captures,
        "the capture groups of the regular expression's first match in s, [] if none");
  r.add("splitn", {T::String, T::String, T::Int}, T::List, splitn, "at most n parts of s, the last the rest");
  r.add("substring", {T::String, T::Int, T::Int}, T::String, substring,
        "the characters of s from start to end (exclusive; negative: from the end)");
  r.add("indexOf", {T::String, T::String}, T::Int, index_of, "the character position of part in s, -1 if absent");
  r.add("int", {T::Any}, T::Int, to_int, "an integer from a string (\"42\") or a number (truncated)");
  r.add("float", {T::Any}, T::Float, to_float, "a number from a string (\"1.5\", \"1e9\") or an int");
  r.add("quote", {T::String}, T::String, quote, "s quoted and escaped as Go's %q does");
}

}  // namespace pol::runtime
