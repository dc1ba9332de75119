// SPDX-License-Identifier: Apache-2.0
#include "lang/source.hpp"

#include "lang/pages.hpp"

#include <algorithm>
#include <cstdio>
#include <sys/stat.h>
#include <fmt/format.h>
#include <cerrno>
#include <cstring>

namespace pol::lang {

Source::Source(std::string name, std::string text) : name_(std::move(name)), owned_(std::move(text)) {
  const size_t size = owned_.size();
  owned_.resize(size + padding);  // no copy when the caller reserved the padding
  owned_.resize(size);
  text_ = owned_;
}

Source::Source(Pages, std::string name, char* text, size_t size, size_t bytes)
    : name_(std::move(name)), pages_(text), page_bytes_(bytes), text_(text, size) {}

Source::~Source() {
  if (pages_) unmap_pages(pages_, page_bytes_);
}

const std::vector<uint32_t>& Source::line_starts() const {
  std::call_once(indexed_, [this] { index_lines(); });
  return line_starts_;
}

void Source::index_lines() const {
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
    // A large file goes straight into pages (zeroed: the padding is there), read in one call;
    // one byte more than its size is room to see its end.
    const size_t size = static_cast<size_t>(info.st_size);
    if (size + 1 + padding >= huge_page_bytes) {
      if (char* pages = static_cast<char*>(map_pages(size + 1 + padding))) {
        const size_t n = std::fread(pages, 1, size + 1, file);
        if (n <= size && !std::ferror(file)) {
          std::fclose(file);
          return std::make_shared<const Source>(Pages{}, name.empty() ? path : std::move(name), pages, n,
                                                size + 1 + padding);
        }
        unmap_pages(pages, size + 1 + padding);  // it grew while read (or failed): as a pipe, below
        std::rewind(file);
      }
    }
    text.reserve(size + 1 + padding);
  }
  // Straight into the string. A file's size is known (one byte more is room to see its end in
  // one read); a pipe's buffer doubles.
  for (size_t size = 0;;) {
    const size_t room = text.capacity() > size + padding ? text.capacity() - padding - size : 0;
    if (room == 0) {
      // (Never more than the limit and a byte: a byte over it is enough to refuse the input.)
      text.reserve(std::min<uint64_t>(std::max(2 * text.capacity(), size + 64 * 1024 + padding), max_bytes + 1 + padding));
      continue;
    }
    text.resize(size + room);
    const size_t n = std::fread(text.data() + size, 1, room, file);
    size += n;
    if (size > max_bytes) {
      error = fmt::format("larger than the {} MiB limit for one input", max_bytes >> 20);
      std::fclose(file);
      return nullptr;
    }
    if (n < room) {  // the end, or an error (below)
      text.resize(size);
      break;
    }
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
  const std::vector<uint32_t>& starts = line_starts();
  offset = std::min<uint32_t>(offset, static_cast<uint32_t>(text_.size()));
  auto it = std::upper_bound(starts.begin(), starts.end(), offset);
  const auto line = static_cast<uint32_t>(it - starts.begin());  // 1-based
  const uint32_t start = starts[line - 1];
  return {line, count_characters(std::string_view(text_).substr(start, offset - start)) + 1};
}

uint32_t Source::offset(LineColumn where) const {
  const std::vector<uint32_t>& starts = line_starts();
  if (where.line == 0 || where.line > starts.size()) return static_cast<uint32_t>(text_.size());
  const std::string_view line = line_text(where.line);
  uint32_t offset = starts[where.line - 1];
  const uint32_t end = offset + static_cast<uint32_t>(line.size());  // a column past the line's end stops there
  for (uint32_t column = 1; column < where.column && offset < end; ++column) {
    ++offset;
    while (offset < end && (static_cast<unsigned char>(text_[offset]) & 0xC0) == 0x80) ++offset;
  }
  return offset;
}

std::string_view Source::line_text(uint32_t line) const {
  const std::vector<uint32_t>& starts = line_starts();
  if (line == 0 || line > starts.size()) return {};
  const uint32_t start = starts[line - 1];
  if (line == starts.size()) return std::string_view(text_).substr(start);
  uint32_t end = starts[line];
  // Back over the break that ends the line: the longest one that ends exactly there.
  for (const uint32_t length : {3u, 2u, 1u}) {
    if (end - start >= length && line_break_at(text_, end - length) == length) return std::string_view(text_).substr(start, end - length - start);
  }
  return std::string_view(text_).substr(start, end - start);
}

}  // namespace pol::lang
