// SPDX-License-Identifier: Apache-2.0
#include "lsp/protocol.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <istream>
#include <ostream>

namespace pol::lsp {

std::optional<std::string> read_message(std::istream& in) {
  size_t length = 0;
  bool has_length = false;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) break;  // end of the header
    constexpr std::string_view key = "content-length:";
    if (line.size() > key.size() && std::equal(key.begin(), key.end(), line.begin(), [](char a, char b) {
          return a == std::tolower(static_cast<unsigned char>(b));
        })) {
      try {
        length = std::stoul(line.substr(key.size()));
        has_length = true;
      } catch (const std::exception&) {
        return std::nullopt;
      }
    }
  }
  constexpr size_t max_message = 64 << 20;
  if (!has_length || length > max_message) return std::nullopt;
  std::string body(length, '\0');
  if (!in.read(body.data(), static_cast<std::streamsize>(length))) return std::nullopt;
  return body;
}

void write_message(std::ostream& out, std::string_view json) {
  out << "Content-Length: " << json.size() << "\r\n\r\n" << json;
  out.flush();
}

namespace {

// The UTF-8 sequence's length from its first byte (1 for a stray continuation byte).
uint32_t sequence_length(unsigned char first) {
  if (first >= 0xf0) return 4;
  if (first >= 0xe0) return 3;
  if (first >= 0xc0) return 2;
  return 1;
}

}  // namespace

uint32_t offset_of(std::string_view text, Position position) {
  uint32_t offset = 0;
  const auto size = static_cast<uint32_t>(text.size());
  for (uint32_t line = 0; line < position.line && offset < size; ++offset) {
    if (text[offset] == '\n') ++line;
  }
  for (uint32_t units = 0; units < position.character && offset < size && text[offset] != '\n';) {
    const uint32_t length = sequence_length(static_cast<unsigned char>(text[offset]));
    units += length == 4 ? 2 : 1;  // beyond the BMP: a surrogate pair
    offset = std::min(size, offset + length);
  }
  return offset;
}

Position position_of(std::string_view text, uint32_t offset) {
  Position position;
  offset = std::min<uint32_t>(offset, static_cast<uint32_t>(text.size()));
  for (uint32_t i = 0; i < offset;) {
    if (text[i] == '\n') {
      ++position.line;
      position.character = 0;
      ++i;
      continue;
    }
    const uint32_t length = sequence_length(static_cast<unsigned char>(text[i]));
    position.character += length == 4 ? 2 : 1;
    i += length;
  }
  return position;
}

std::string range_json(std::string_view text, uint32_t begin, uint32_t end) {
  const Position a = position_of(text, begin);
  const Position b = position_of(text, std::max(begin, end));
  return fmt::format(R"({{"start": {{"line": {}, "character": {}}}, "end": {{"line": {}, "character": {}}}}})", a.line,
                     a.character, b.line, b.character);
}

std::string uri_to_path(std::string_view uri) {
  constexpr std::string_view scheme = "file://";
  if (!uri.starts_with(scheme)) return std::string(uri);
  uri.remove_prefix(scheme.size());
  std::string path;
  for (size_t i = 0; i < uri.size(); ++i) {
    if (uri[i] == '%' && i + 2 < uri.size() && std::isxdigit(static_cast<unsigned char>(uri[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(uri[i + 2]))) {
      path += static_cast<char>(std::stoi(std::string(uri.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      path += uri[i];
    }
  }
  return path;
}

std::string path_to_uri(std::string_view path) {
  std::string uri = "file://";
  for (const char c : path) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') uri += c;
    else uri += fmt::format("%{:02X}", u);
  }
  return uri;
}

}  // namespace pol::lsp
