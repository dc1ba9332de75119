// SPDX-License-Identifier: Apache-2.0
#include "lang/printable.hpp"

#include <fmt/format.h>

namespace pol::lang {

namespace {

// The length of the control character at `i` (0 when there is none) and its code point.
size_t control_at(std::string_view text, size_t i, char32_t& code) {
  const auto byte = [&](size_t k) { return k < text.size() ? static_cast<unsigned char>(text[k]) : 0u; };
  const unsigned c = byte(i);
  if ((c < 0x20 && c != '\t') || c == 0x7f) return code = c, 1;
  if (c == 0xC2 && byte(i + 1) >= 0x80 && byte(i + 1) <= 0x9F) return code = byte(i + 1), 2;  // C1
  if (c == 0xE2 && byte(i + 1) == 0x80 && (byte(i + 2) == 0xA8 || byte(i + 2) == 0xA9)) {
    return code = 0x2000 + byte(i + 2) - 0x80, 3;  // U+2028, U+2029
  }
  return 0;
}

template <class Replace>
std::string replace_controls(std::string_view text, Replace replace) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    char32_t code = 0;
    if (const size_t length = control_at(text, i, code)) {
      out += replace(code);
      i += length;
    } else {
      out += text[i++];
    }
  }
  return out;
}

}  // namespace

std::string escape_controls(std::string_view text) {
  return replace_controls(text, [](char32_t code) {
    return code < 0x80 ? fmt::format("\\x{:02x}", static_cast<unsigned>(code)) : fmt::format("\\u{:04x}", static_cast<unsigned>(code));
  });
}

std::string question_controls(std::string_view text) {
  return replace_controls(text, [](char32_t) { return std::string("?"); });
}

}  // namespace pol::lang
