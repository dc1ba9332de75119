// SPDX-License-Identifier: Apache-2.0
#include "runtime/yaml_typing.hpp"

#include <cmath>
#include <cstring>
#include <fmt/format.h>
#include <initializer_list>

#include "runtime/go_numbers.hpp"

namespace pol::runtime {

namespace {

constexpr std::string_view tag_prefix = "tag:yaml.org,2002:";

bool is_one_of(std::string_view s, std::initializer_list<std::string_view> words) {
  for (std::string_view w : words) {
    if (s == w) return true;
  }
  return false;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// go-yaml's resolveTable: what the first character says a plain scalar may be.
char hint(std::string_view text) {
  if (text.empty()) return 'N';
  const char c = text[0];
  if (c == '+' || c == '-') return 'S';
  if (is_digit(c)) return 'D';
  if (std::strchr("yYnNtTfFoO~", c)) return 'M';
  if (c == '.') return '.';
  return 0;
}

// Digits from `i` on; returns the position after them.
size_t skip_digits(std::string_view s, size_t i) {
  while (i < s.size() && is_digit(s[i])) ++i;
  return i;
}

// An exponent `[eE][-+]?[0-9]+` at `i`, or nothing; whether the text ends right after it.
bool exponent_ends(std::string_view s, size_t i) {
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    if (++i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    const size_t digits = i;
    i = skip_digits(s, i);
    if (i == digits) return false;
  }
  return i == s.size();
}

// go-yaml's yamlStyleFloat: ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$
bool is_yaml_style_float(std::string_view s) {
  size_t i = s.empty() || (s[0] != '-' && s[0] != '+') ? 0 : 1;
  if (i < s.size() && s[i] == '.') {
    const size_t digits = ++i;
    i = skip_digits(s, i);
    if (i == digits) return false;
  } else {
    const size_t digits = i;
    i = skip_digits(s, i);
    if (i == digits) return false;
    if (i < s.size() && s[i] == '.') i = skip_digits(s, i + 1);
  }
  return exponent_ends(s, i);
}

// Go's underscoreOK for a decimal number: each '_' stands between two digits.
bool underscores_ok(std::string_view s) {
  char saw = '^';  // '0' a digit, '_' an underscore, '!' anything else
  for (const char c : s) {
    if (is_digit(c)) {
      saw = '0';
    } else if (c == '_') {
      if (saw != '0') return false;
      saw = '_';
    } else {
      if (saw == '_') return false;
      saw = '!';
    }
  }
  return saw != '_';
}

// What Go's ParseFloat accepts of a text that starts with '.' (`plain`: without its '_'s):
// \.[0-9]+([eE][-+]?[0-9]+)?, with underscores only between digits.
bool is_dot_float(std::string_view text, std::string_view plain) {
  const size_t end = skip_digits(plain, 1);
  return end > 1 && exponent_ends(plain, end) && underscores_ok(text);
}

Node integer(int64_t value) {
  Node node;
  node.kind = NodeKind::Int;
  node.integer = value;
  return node;
}

Node big_unsigned(uint64_t value) {
  Node node = integer(static_cast<int64_t>(value));
  node.boolean = value > static_cast<uint64_t>(INT64_MAX);
  return node;
}

Node number(double value) {
  Node node;
  node.kind = NodeKind::Float;
  node.number = value;
  return node;
}

Node string() {
  Node node;
  node.kind = NodeKind::String;
  return node;
}

// go-yaml v2's resolve() of a plain scalar (or of a tagged one: the tag is checked after).
TypedScalar resolve(std::string_view text) {
  TypedScalar typed;
  typed.node = string();
  const char h = hint(text);
  if (h == 0) return typed;
  if (is_one_of(text, {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"})) {
    typed.node.kind = NodeKind::Bool;
    typed.node.boolean = true;
  } else if (is_one_of(text, {"n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"})) {
    typed.node.kind = NodeKind::Bool;
  } else if (is_one_of(text, {"", "~", "null", "Null", "NULL"})) {
    typed.node.kind = NodeKind::Null;
  } else if (is_one_of(text, {".nan", ".NaN", ".NAN"})) {
    typed.node = number(NAN);
  } else if (is_one_of(text, {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"})) {
    typed.node = number(INFINITY);
  } else if (is_one_of(text, {"-.inf", "-.Inf", "-.INF"})) {
    typed.node = number(-INFINITY);
  } else if (h == '.') {
    std::string plain(text);
    std::erase(plain, '_');
    if (is_dot_float(text, plain)) {
      if (const auto value = go_parse_float(plain)) typed.node = number(*value);
    }
  } else if (h == 'D' || h == 'S') {
    // (A timestamp is tried first and stays text, as it would anyway: it is never a number.)
    std::string plain(text);
    std::erase(plain, '_');
    if (const auto value = go_parse_int(plain, 0)) {
      typed.node = integer(*value);
    } else if (const auto big = go_parse_uint(plain, 0)) {
      typed.node = big_unsigned(*big);
    } else if (const auto real = is_yaml_style_float(plain) ? go_parse_float(plain) : std::nullopt) {
      typed.node = number(*real);
    } else if (plain.starts_with("0b")) {  // "0b-101" is -5 to go-yaml
      if (const auto binary = go_parse_int(std::string_view(plain).substr(2), 2)) typed.node = integer(*binary);
    }
  }
  return typed;
}

const char* short_name(NodeKind kind) {
  switch (kind) {
    case NodeKind::Null: return "!!null";
    case NodeKind::Bool: return "!!bool";
    case NodeKind::Int: return "!!int";
    case NodeKind::Float: return "!!float";
    default: return "!!str";
  }
}

}  // namespace

TypedScalar type_scalar(std::string_view text, ScalarStyle style, std::string_view tag) {
  if (tag.empty()) {
    if (style == ScalarStyle::Quoted) return {string(), false, {}};
    TypedScalar typed = resolve(text);
    typed.merge = text == "<<";  // go-yaml's isMerge: the plain key `<<`, whatever resolve says
    return typed;
  }
  const std::string_view name = tag.starts_with(tag_prefix) ? tag.substr(tag_prefix.size()) : std::string_view{};
  if (name == "merge" && text == "<<") return {string(), true, {}};
  const NodeKind wanted = name == "null" ? NodeKind::Null
                          : name == "bool" ? NodeKind::Bool
                          : name == "int" ? NodeKind::Int
                          : name == "float" ? NodeKind::Float
                                            : NodeKind::String;
  if (wanted == NodeKind::String) return {string(), false, {}};  // !!str, !!timestamp, other tags: text
  TypedScalar typed = resolve(text);
  if (wanted == NodeKind::Float && typed.node.kind == NodeKind::Int && !typed.node.is_big_unsigned()) {
    typed.node = number(static_cast<double>(typed.node.integer));
  } else if (typed.node.kind != wanted) {
    typed.error = fmt::format("cannot read {} `{}` as a !!{}", short_name(typed.node.kind), text, name);
  }
  return typed;
}

KeyText key_text(const Node& key) {
  switch (key.kind) {
    case NodeKind::String: return {std::string(key.string()), {}};
    case NodeKind::Bool: return {key.boolean ? "true" : "false", {}};
    case NodeKind::Int:
      if (key.is_big_unsigned()) {
        return {{}, fmt::format("the key {} is an integer too large for a Kubernetes map key (above {})",
                                static_cast<uint64_t>(key.integer), INT64_MAX)};
      }
      return {std::to_string(key.integer), {}};
    case NodeKind::Float: return {go_float_key(key.number), {}};
    case NodeKind::Null: return {{}, "a mapping key cannot be null (Kubernetes cannot read it)"};
    default: return {{}, "a mapping key must be a scalar"};
  }
}

}  // namespace pol::runtime
