// SPDX-License-Identifier: Apache-2.0
// Kubernetes builtins: `quantity` reads a resource.Quantity ("512Mi", "100m", "1e9") as
// k8s.io/apimachinery's ParseQuantity does; `image` splits a container image reference as the
// container runtime does (github.com/distribution/reference's ParseNormalizedNamed).
#include <fmt/format.h>

#include <cstdint>
#include <limits>
#include <algorithm>
#include <cmath>
#include <string>

#include <re2/re2.h>

#include "runtime/builtins/registry.hpp"

namespace pol::runtime {

namespace {

using T = StaticType;
__extension__ typedef __int128 int128;  // exact: 2^100 holds any quantity pol keeps

constexpr int64_t max_quantity = std::numeric_limits<int64_t>::max();  // apimachinery's maxAllowed
constexpr int128 saturated = static_cast<int128>(1) << 100;             // far above it, still exact

int128 pow10(int exponent) {
  int128 result = 1;
  for (int i = 0; i < exponent; ++i) result *= 10;
  return result;
}

[[noreturn]] void bad_quantity(std::string_view text) {
  throw EvalError(fmt::format("\"{}\" is not a quantity (a number with an optional suffix: 100m, 512Mi, 2, 1.5G, 1e9)", text));
}

// The value of a quantity: an int when it is whole and fits, else a float. Like apimachinery, a
// value is rounded up (away from zero) to nano units, and a binary one saturates at ±(2^63 - 1).
Value parse_quantity(std::string_view text) {
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
  int128 mantissa = 0;
  int scale = 0;  // value = mantissa * 10^scale
  size_t digits = 0;
  bool overflow = false;
  const auto add_digit = [&](char c) {
    if (mantissa >= saturated) overflow = true;
    else mantissa = mantissa * 10 + (c - '0');
    ++digits;
  };
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) add_digit(text[i++]);
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      if (!overflow && mantissa < saturated) --scale;
      add_digit(text[i++]);
    }
  }
  if (digits == 0) bad_quantity(text);
  // The suffix: binary (Ki .. Ei), decimal (n u m "" k M G T P E) or an exponent (e3, E-6).
  const std::string_view suffix = text.substr(i);
  int binary = 0;
  static constexpr std::pair<std::string_view, int> binary_suffixes[] = {{"Ki", 1}, {"Mi", 2}, {"Gi", 3},
                                                                         {"Ti", 4}, {"Pi", 5}, {"Ei", 6}};
  static constexpr std::pair<std::string_view, int> decimal_suffixes[] = {
      {"", 0}, {"n", -9}, {"u", -6}, {"m", -3}, {"k", 3}, {"M", 6}, {"G", 9}, {"T", 12}, {"P", 15}, {"E", 18}};
  bool known = false;
  for (const auto& [name, power] : binary_suffixes) {
    if (suffix == name) binary = power, known = true;
  }
  for (const auto& [name, power] : decimal_suffixes) {
    if (suffix == name) scale += power, known = true;
  }
  if (!known) {
    if (suffix.size() < 2 || (suffix[0] != 'e' && suffix[0] != 'E')) bad_quantity(text);
    size_t k = 1;
    bool exponent_negative = false;
    if (suffix[k] == '+' || suffix[k] == '-') exponent_negative = suffix[k++] == '-';
    if (k == suffix.size()) bad_quantity(text);
    int exponent = 0;
    for (; k < suffix.size(); ++k) {
      if (!std::isdigit(static_cast<unsigned char>(suffix[k]))) bad_quantity(text);
      exponent = std::min(exponent * 10 + (suffix[k] - '0'), 1000);
    }
    scale += exponent_negative ? -exponent : exponent;
  }
  for (int k = 0; k < binary && mantissa < saturated; ++k) mantissa *= 1024;
  // Round up to nano units: apimachinery keeps nothing finer.
  if (scale < -9) {
    const int drop = -9 - scale;
    const int128 divisor = drop > 38 ? 0 : pow10(drop);
    const bool remainder = divisor == 0 ? mantissa != 0 : mantissa % divisor != 0;
    mantissa = divisor == 0 ? 0 : mantissa / divisor;
    if (remainder) ++mantissa;
    scale = -9;
  }
  if (mantissa == 0) return Value::integer(0);
  // apimachinery caps binary quantities at 2^63 - 1; a larger decimal one is kept (as a float).
  const bool too_large = overflow || scale > 18 || (scale >= 0 && mantissa > max_quantity / pow10(scale)) ||
                         (scale < 0 && mantissa / pow10(-scale) > max_quantity);
  if (too_large && binary > 0) return Value::integer(negative ? -max_quantity : max_quantity);
  if (too_large) {
    const double value = static_cast<double>(mantissa) * std::pow(10.0, scale);
    return Value::number(negative ? -value : value);
  }
  for (; scale > 0; --scale) mantissa *= 10;
  const int128 unit = pow10(-scale);
  if (mantissa % unit == 0) {
    const auto whole = static_cast<int64_t>(mantissa / unit);
    return Value::integer(negative ? -whole : whole);
  }
  const double value = static_cast<double>(mantissa) / static_cast<double>(unit);
  return Value::number(negative ? -value : value);
}

Value quantity(const Value* a) {
  switch (a[0].type()) {
    case Type::Null: return {};
    case Type::Int:
    case Type::Float: return a[0];  // YAML's `memory: 1073741824`, `cpu: 0.5`
    case Type::String: return parse_quantity(a[0].as_string());
    default: throw EvalError(fmt::format("quantity() reads a string or a number, got {}", type_name(a[0].type())));
  }
}

// distribution/reference's grammar (regexp.go): the name's components, a tag, a digest.
const re2::RE2& reference_regexp() {
  static const std::string component = R"([a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*)";
  static const std::string domain_component = R"((?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))";
  static const std::string domain = domain_component + R"((?:\.)" + domain_component + R"()*(?::[0-9]+)?)";
  static const std::string name = "(?:" + domain + "/)?" + component + "(?:/" + component + ")*";
  static const re2::RE2 regexp("^(" + name + R"()(?::([\w][\w.-]{0,127}))?(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][[:xdigit:]]{32,}))?$)");
  return regexp;
}

[[noreturn]] void bad_image(std::string_view text, std::string_view why) {
  throw EvalError(fmt::format("\"{}\" is not an image reference: {}", text, why));
}

// ParseNormalizedNamed: Docker Hub is the registry unless the first component has a dot or a
// port or is localhost (splitDockerDomain); official images are library/NAME.
Value image(const Value* a) {
  const std::string_view text = a[0].as_string();
  if (text.empty()) return {};  // no image (an absent one reads as "")
  static const re2::RE2 identifier("^[a-f0-9]{64}$");
  if (re2::RE2::FullMatch(re2::StringPiece(text.data(), text.size()), identifier)) {
    bad_image(text, "a 64-character hexadecimal string is an image ID");
  }
  const size_t slash = text.find('/');
  std::string domain = "docker.io", remainder(text);
  if (slash != std::string_view::npos &&
      (text.substr(0, slash).find_first_of(".:") != std::string_view::npos || text.substr(0, slash) == "localhost")) {
    domain = std::string(text.substr(0, slash));
    remainder = std::string(text.substr(slash + 1));
  }
  if (domain == "index.docker.io") domain = "docker.io";
  if (domain == "docker.io" && remainder.find('/') == std::string::npos) remainder = "library/" + remainder;
  const std::string remote = remainder.substr(0, remainder.find(':'));
  if (std::any_of(remote.begin(), remote.end(), [](char c) { return std::isupper(static_cast<unsigned char>(c)); })) {
    bad_image(text, "the repository name must be lowercase");
  }
  const std::string full = domain + "/" + remainder;
  std::string name, tag, digest;
  if (!re2::RE2::FullMatch(full, reference_regexp(), &name, &tag, &digest)) bad_image(text, "invalid reference format");
  if (name.size() > 255) bad_image(text, "the repository name is longer than 255 characters");
  if (!digest.empty()) {  // go-digest: a known algorithm and the hash's length in lower-case hex
    const size_t colon = digest.find(':');
    const std::string algorithm = digest.substr(0, colon), encoded = digest.substr(colon + 1);
    const size_t length = algorithm == "sha256" ? 64 : algorithm == "sha384" ? 96 : algorithm == "sha512" ? 128 : 0;
    if (length == 0) bad_image(text, "unsupported digest algorithm");
    if (encoded.size() != length || encoded.find_first_not_of("0123456789abcdef") != std::string::npos) {
      bad_image(text, "invalid digest");
    }
  }
  // What the runtime pulls: the tag written, else `latest` unless a digest pins the image.
  std::string reference = name + (!tag.empty() ? ":" + tag : digest.empty() ? ":latest" : "");
  if (!digest.empty()) reference += "@" + digest;
  return Value::map({{"registry", Value::string(domain)},
                     {"repository", Value::string(name.substr(domain.size() + 1))},
                     {"tag", Value::string(tag)},
                     {"digest", Value::string(digest)},
                     {"reference", Value::string(reference)}});
}

}  // namespace

void register_kubernetes_builtins(Registry& r) {
  r.add("quantity", {T::Any}, T::Number, quantity,
        "a resource quantity's value: quantity(\"512Mi\") == 536870912, quantity(\"100m\") == 0.1");
  r.add("image", {T::String}, T::Map, image,
        "an image reference's parts: {registry, repository, tag, digest, reference} (nginx: docker.io, library/nginx)");
}

}  // namespace pol::runtime
