// SPDX-License-Identifier: Apache-2.0
#include "runtime/emit.hpp"

#include "runtime/go_numbers.hpp"

#include <fmt/format.h>

#include <cmath>

namespace pol::runtime {

namespace {

// A JSON string literal, which is also a YAML double-quoted scalar. Besides what JSON must
// escape, DEL, the C1 controls (NEL among them) and U+2028/U+2029 are escaped: YAML does not
// allow them raw (or folds them as line breaks), and pol must read back what it writes.
void json_string(std::string& out, std::string_view text) {
  out += '"';
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const auto next = [&](size_t k) { return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0u; };
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          out += fmt::format("\\u{:04x}", static_cast<unsigned>(static_cast<unsigned char>(c)));
        } else if (static_cast<unsigned char>(c) == 0xC2 && next(1) >= 0x80 && next(1) <= 0x9F) {
          out += fmt::format("\\u{:04x}", next(1));
          ++i;
        } else if (static_cast<unsigned char>(c) == 0xE2 && next(1) == 0x80 && (next(2) == 0xA8 || next(2) == 0xA9)) {
          out += next(2) == 0xA8 ? "\\u2028" : "\\u2029";
          i += 2;
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

std::string number(double value) {
  if (std::isnan(value)) return ".nan";
  if (std::isinf(value)) return value > 0 ? ".inf" : "-.inf";
  // With a '.' always (YAML 1.1 readers such as PyYAML take `1e+21` for text): `1.0`, `1.0e+21`.
  std::string text = fmt::format("{}", value);
  const size_t exponent = text.find('e');
  if (text.find('.') == std::string::npos) text.insert(exponent == std::string::npos ? text.size() : exponent, ".0");
  return text;
}

std::string integer(const Node& node) {
  return node.is_big_unsigned() ? std::to_string(static_cast<uint64_t>(node.integer)) : std::to_string(node.integer);
}

// JSON output is what the API server would store, so floats are written as Go writes them.
void json(std::string& out, const Node& node) {
  switch (node.kind) {
    case NodeKind::Null: out += "null"; break;
    case NodeKind::Bool: out += node.boolean ? "true" : "false"; break;
    case NodeKind::Int: out += integer(node); break;
    case NodeKind::Float: out += std::isfinite(node.number) ? go_json_float(node.number) : "null"; break;
    case NodeKind::String: json_string(out, node.string()); break;
    case NodeKind::List:
      out += '[';
      for (uint32_t i = 0; i < node.size; ++i) {
        if (i) out += ',';
        json(out, node.items[i]);
      }
      out += ']';
      break;
    case NodeKind::Map:
      out += '{';
      for (uint32_t i = 0; i < node.size; ++i) {
        if (i) out += ',';
        json_string(out, node.members[i].key());
        out += ':';
        json(out, node.members[i].value);
      }
      out += '}';
      break;
  }
}

// Whether `text` can be written plain and still read back as this string (go-yaml v2 rules).
bool plain_safe(std::string_view text) {
  if (text.empty()) return false;
  static constexpr std::string_view words[] = {"true", "false", "yes", "no", "on", "off", "y", "n", "null", "~"};
  std::string lower;
  for (const char c : text) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (std::string_view word : words) {
    if (lower == word) return false;
  }
  const unsigned char first = static_cast<unsigned char>(text[0]);
  if (!std::isalpha(first) && first != '_' && first != '/') return false;  // digits, signs, indicators
  for (const char c : text) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (!std::isalnum(u) && c != '_' && c != '-' && c != '.' && c != '/') return false;
  }
  return true;
}

std::string scalar(const Node& node) {
  switch (node.kind) {
    case NodeKind::Null: return "null";
    case NodeKind::Bool: return node.boolean ? "true" : "false";
    case NodeKind::Int: return integer(node);
    case NodeKind::Float: return number(node.number);
    case NodeKind::String: {
      if (plain_safe(node.string())) return std::string(node.string());
      std::string out;
      json_string(out, node.string());  // a JSON string is a YAML double-quoted scalar
      return out;
    }
    case NodeKind::List: return node.size ? "" : "[]";
    case NodeKind::Map: return node.size ? "" : "{}";
  }
  return "";
}

bool is_block(const Node& node) {
  return (node.kind == NodeKind::List || node.kind == NodeKind::Map) && node.size > 0;
}

void yaml(std::string& out, const Node& node, size_t indent);

// A map's members at `indent`; the first one continues the current line when `inline_first`.
void yaml_members(std::string& out, const Node& node, size_t indent, bool inline_first) {
  for (uint32_t i = 0; i < node.size; ++i) {
    if (i > 0 || !inline_first) out += std::string(indent, ' ');
    const Member& m = node.members[i];
    Node key;
    key.kind = NodeKind::String;
    key.chars = m.key_chars;
    key.size = static_cast<uint32_t>(m.key().size());
    out += scalar(key) + ":";
    if (is_block(m.value)) {
      out += "\n";
      yaml(out, m.value, m.value.kind == NodeKind::List ? indent : indent + 2);
    } else {
      out += " " + scalar(m.value) + "\n";
    }
  }
}

void yaml(std::string& out, const Node& node, size_t indent) {
  if (node.kind == NodeKind::Map && node.size > 0) {
    yaml_members(out, node, indent, false);
  } else if (node.kind == NodeKind::List && node.size > 0) {
    for (uint32_t i = 0; i < node.size; ++i) {
      const Node& item = node.items[i];
      out += std::string(indent, ' ') + "- ";
      if (item.kind == NodeKind::Map && item.size > 0) {
        yaml_members(out, item, indent + 2, true);
      } else if (is_block(item)) {
        out += "\n";
        yaml(out, item, indent + 2);
      } else {
        out += scalar(item) + "\n";
      }
    }
  } else {
    out += std::string(indent, ' ') + scalar(node) + "\n";
  }
}

}  // namespace

std::string json_quote(std::string_view text) {
  std::string out;
  json_string(out, text);
  return out;
}

std::string to_json(const Node& node) {
  std::string out;
  json(out, node);
  return out;
}

std::string to_json(const Value& value) {
  if (const Node* node = value.document_node()) return to_json(*node);
  switch (value.type()) {
    case Type::Null: return "null";
    case Type::Bool: return value.as_bool() ? "true" : "false";
    case Type::Int: return std::to_string(value.as_int());
    case Type::Float: return std::isfinite(value.as_float()) ? go_json_float(value.as_float()) : "null";
    case Type::String: return json_quote(value.as_string());
    case Type::Version: return json_quote(value.to_display());
    case Type::List: {
      std::string out = "[";
      for (size_t i = 0; i < value.size(); ++i) out += (i ? "," : "") + to_json(value.at(i));
      return out + "]";
    }
    case Type::Map: {
      std::string out = "{";
      for (size_t i = 0; i < value.size(); ++i) {
        out += (i ? "," : "") + json_quote(value.key_at(i)) + ":" + to_json(value.value_at(i));
      }
      return out + "}";
    }
  }
  return "null";
}

std::string to_yaml(const Node& node) {
  std::string out;
  yaml(out, node, 0);
  return out;
}

}  // namespace pol::runtime
