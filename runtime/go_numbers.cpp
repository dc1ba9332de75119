// SPDX-License-Identifier: Apache-2.0
#include "runtime/go_numbers.hpp"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>

namespace pol::runtime {

std::optional<uint64_t> go_parse_uint(std::string_view text, int base) {
  if (text.empty()) return std::nullopt;
  if (base == 0) {
    base = 10;
    if (text[0] == '0') {
      const char prefix = text.size() >= 3 ? static_cast<char>(text[1] | 0x20) : '\0';
      base = prefix == 'b' ? 2 : prefix == 'x' ? 16 : 8;
      text.remove_prefix(prefix == 'b' || prefix == 'o' || prefix == 'x' ? 2 : 1);
    }
  }
  uint64_t value = 0;
  for (const char c : text) {
    const char lower = static_cast<char>(c | 0x20);
    const int digit = c >= '0' && c <= '9' ? c - '0' : lower >= 'a' && lower <= 'z' ? lower - 'a' + 10 : 99;
    if (digit >= base) return std::nullopt;
    if (value > (UINT64_MAX - static_cast<uint64_t>(digit)) / static_cast<uint64_t>(base)) return std::nullopt;
    value = value * static_cast<uint64_t>(base) + static_cast<uint64_t>(digit);
  }
  return value;
}

std::optional<int64_t> go_parse_int(std::string_view text, int base) {
  bool negative = false;
  if (!text.empty() && (text[0] == '+' || text[0] == '-')) {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  const std::optional<uint64_t> magnitude = go_parse_uint(text, base);
  if (!magnitude || *magnitude > static_cast<uint64_t>(INT64_MAX) + (negative ? 1 : 0)) return std::nullopt;
  return negative ? static_cast<int64_t>(0 - *magnitude) : static_cast<int64_t>(*magnitude);
}

std::optional<double> go_parse_float(std::string_view text) {
  const std::string copy(text);  // strtod needs the terminator; the C locale reads '.'
  errno = 0;
  const double value = std::strtod(copy.c_str(), nullptr);
  if (errno == ERANGE && std::isinf(value)) return std::nullopt;  // Go: ErrRange; an underflow is 0
  return value;
}

namespace {

// The shortest decimal digits that read back as the value, and the position of the decimal
// point relative to them (strconv's decimal: digits "15", point 1 is 1.5).
struct Digits {
  bool negative = false;
  std::string digits;
  int point = 0;
};

template <class Float>
Digits shortest(Float value) {
  char buffer[64];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
  const std::string_view text(buffer, static_cast<size_t>(end - buffer));  // "-1.5e+03"
  Digits d;
  size_t i = 0;
  if (text[i] == '-') d.negative = true, ++i;
  const size_t e = text.find('e');
  for (; i < e; ++i) {
    if (text[i] != '.') d.digits += text[i];
  }
  int exponent = 0;
  std::from_chars(text.data() + e + (text[e + 1] == '+' ? 2 : 1), text.data() + text.size(), exponent);
  d.point = d.digits == "0" ? 1 : exponent + 1;
  return d;
}

std::string plain_notation(const Digits& d) {  // strconv's fmtF with the shortest precision
  std::string out = d.negative ? "-" : "";
  const int count = static_cast<int>(d.digits.size());
  if (d.point > 0) {
    for (int i = 0; i < d.point; ++i) out += i < count ? d.digits[static_cast<size_t>(i)] : '0';
  } else {
    out += '0';
  }
  if (count > d.point) {
    out += '.';
    for (int i = d.point; i < count; ++i) out += i < 0 ? '0' : d.digits[static_cast<size_t>(i)];
  }
  return out;
}

std::string exponent_notation(const Digits& d) {  // strconv's fmtE with the shortest precision
  std::string out = d.negative ? "-" : "";
  out += d.digits[0];
  if (d.digits.size() > 1) out += "." + d.digits.substr(1);
  const int exponent = d.digits == "0" ? 0 : d.point - 1;
  out += exponent < 0 ? "e-" : "e+";
  const int magnitude = std::abs(exponent);
  if (magnitude < 10) out += '0';
  out += std::to_string(magnitude);
  return out;
}

}  // namespace

std::string go_json_float(double value) {
  const Digits d = shortest(value);
  const double magnitude = std::fabs(value);
  if (magnitude == 0 || (magnitude >= 1e-6 && magnitude < 1e21)) return plain_notation(d);
  std::string out = exponent_notation(d);
  if (const size_t n = out.size(); n >= 4 && out[n - 4] == 'e' && out[n - 3] == '-' && out[n - 2] == '0') {
    out.erase(n - 2, 1);  // e-07 → e-7, as encoding/json does
  }
  return out;
}

std::string go_float_key(double value) {
  const float narrow = static_cast<float>(value);
  if (std::isnan(narrow)) return ".nan";
  if (std::isinf(narrow)) return narrow > 0 ? ".inf" : "-.inf";
  const Digits d = shortest(narrow);
  const int exponent = d.digits == "0" ? 0 : d.point - 1;
  return exponent < -4 || exponent >= 6 ? exponent_notation(d) : plain_notation(d);  // %g, shortest: eprec 6
}

}  // namespace pol::runtime
