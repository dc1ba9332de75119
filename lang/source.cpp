// SPDX-License-Identifier: Apache-2.0
#include "lang/source.hpp"

#include <algorithm>
#include <cstdio>
#include <sys/stat.h>
#include <fmt/format.h>
#include <cerrno>
#include <cstring>

namespace pol::lang {

Source::Source(std::string name, std::string text) : name_(std::move(name)), text_(std::move(text)) {
  line_starts_.push_back(0);
  // Most texts break lines with \n alone: then memchr finds them (vectorized), else every byte is looked at.
  const auto has = [this](int byte) { return std::memchr(text_.data(), byte, text_.size()) != nullptr; };
  if (!has('\r') && !has(0xC2) && !has(0xE2)) {
    for (const char* at = text_.data(), *end = at + text_.size();
         (at = static_cast<const char*>(std::memchr(at, '\n', end - at))) != nullptr;) {
      line_starts_.push_back(static_cast<uint32_t>(++at - text_.data()));
    }
    return;
  }
  for (uint32_t i = 0; i < text_.size(); ++i) {
    if (const size_t length = line_break_at(text_, i)) {
      i += static_cast<uint32_t>(length) - 1;
      line_starts_.push_back(i + 1);
    }
  }
}

std::shared_ptr<const Source> Source::from_file(const std::string& path, std::string& error, uint64_t max_bytes,
                                                std::string name) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (!file) {
    error = std::strerror(errno);
    return nullptr;
  }
  std::string text;
  if (struct stat info; fstat(fileno(file), &info) == 0 && S_ISREG(info.st_mode)) {
    if (static_cast<uint64_t>(info.st_size) > max_bytes) {
      error = fmt::format("larger than the {} MiB limit for one input", max_bytes >> 20);
      std::fclose(file);
      return nullptr;
    }
    text.reserve(info.st_size);
  }
  char buffer[64 * 1024];
  for (size_t n; (n = std::fread(buffer, 1, sizeof buffer, file)) > 0;) {
    if (text.size() + n > max_bytes) {
      error = fmt::format("larger than the {} MiB limit for one input", max_bytes >> 20);
      std::fclose(file);
      return nullptr;
    }
    text.append(buffer, n);
  }
  const bool failed = std::ferror(file);
  std::fclose(file);
  if (failed) {
    error = "read error";
    return nullptr;
  }
  return std::make_shared<const Source>(name.empty() ? path : std::move(name), std::move(text));
}

uint32_t count_characters(std::string_view bytes) {
  uint32_t n = 0;
  for (unsigned char c : bytes) n += (c & 0xC0) != 0x80;
  return n;
}

LineColumn Source::location(uint32_t offset) const {
  offset = std::min<uint32_t>(offset, static_cast<uint32_t>(text_.size()));
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  const auto line = static_cast<uint32_t>(it - line_starts_.begin());  // 1-based
  const uint32_t start = line_starts_[line - 1];
  return {line, count_characters(std::string_view(text_).substr(start, offset - start)) + 1};
}

uint32_t Source::offset(LineColumn where) const {
  if (where.line == 0 || where.line > line_starts_.size()) return static_cast<uint32_t>(text_.size());
  const std::string_view line = line_text(where.line);
  uint32_t offset = line_starts_[where.line - 1];
  const uint32_t end = offset + static_cast<uint32_t>(line.size());  // a column past the line's end stops there
  for (uint32_t column = 1; column < where.column && offset < end; ++column) {
    ++offset;
    while (offset < end && (static_cast<unsigned char>(text_[offset]) & 0xC0) == 0x80) ++offset;
  }
  return offset;
}

std::string_view Source::line_text(uint32_t line) const {
  if (line == 0 || line > line_starts_.size()) return {};
  const uint32_t start = line_starts_[line - 1];
  if (line == line_starts_.size()) return std::string_view(text_).substr(start);
  uint32_t end = line_starts_[line];
  // Back over the break that ends the line: the longest one that ends exactly there.
  for (const uint32_t length : {3u, 2u, 1u}) {
    if (end - start >= length && line_break_at(text_, end - length) == length) return std::string_view(text_).substr(start, end - length - start);
  }
  return std::string_view(text_).substr(start, end - start);
}

}  // namespace pol::lang
