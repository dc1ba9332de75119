// SPDX-License-Identifier: Apache-2.0
// Source text with a line index. Every position in pol is a byte offset into a Source;
// Source turns offsets into 1-based line and column, columns counted in UTF-8 characters
// (PEGTL counts bytes, libyaml 0-based characters: both are converted here, nowhere else).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace pol::lang {

struct Span {
  uint32_t begin = 0;  // byte offset of the first byte
  uint32_t end = 0;    // byte offset one past the last byte
};

// The length of the line break that starts at `i` in `text`, or 0: "\n", "\r\n", a lone "\r",
// and NEL, LS and PS (U+0085, U+2028, U+2029). These are the breaks libyaml counts, so YAML
// positions and pol's agree; every reader and the diagnostics count lines with this one rule.
inline size_t line_break_at(std::string_view text, size_t i) {
  const auto byte = [&](size_t k) { return k < text.size() ? static_cast<unsigned char>(text[k]) : 0u; };
  switch (byte(i)) {
    case '\n': return 1;
    case '\r': return byte(i + 1) == '\n' ? 2 : 1;
    case 0xC2: return byte(i + 1) == 0x85 ? 2 : 0;
    case 0xE2: return byte(i + 1) == 0x80 && (byte(i + 2) == 0xA8 || byte(i + 2) == 0xA9) ? 3 : 0;
    default: return 0;
  }
}

struct LineColumn {
  uint32_t line = 0;    // 1-based
  uint32_t column = 0;  // 1-based, in characters
};

class Source {
 public:
  // Bytes that follow the text in memory, zeroed, so readers may load whole SIMD words past its
  // end (simdjson reads the text in place, and documents keep views into it).
  static constexpr size_t padding = 64;

  Source(std::string name, std::string text);
  ~Source();
  Source(const Source&) = delete;
  Source& operator=(const Source&) = delete;

  // Reads a file or a pipe (e.g. /dev/stdin) of at most `max_bytes`, named `name` (default: the
  // path); on failure returns nullptr and sets `error` to the reason. The limit is checked
  // before and while reading, so a huge input is refused without being held in memory.
  static std::shared_ptr<const Source> from_file(const std::string& path, std::string& error,
                                                 uint64_t max_bytes = UINT32_MAX, std::string name = "");

  const std::string& name() const { return name_; }
  std::string_view text() const { return text_; }  // followed by `padding` zero bytes
  LineColumn location(uint32_t offset) const;
  std::string_view line_text(uint32_t line) const;  // without the line break
  uint32_t offset(LineColumn where) const;           // the byte offset of a line and column
  uint32_t line_count() const { return static_cast<uint32_t>(line_starts().size()); }
  uint32_t line_start(uint32_t line) const { return line_starts()[line - 1]; }  // 1 <= line <= line_count()

 private:
  struct Pages {};  // the tag of the constructor below, for make_shared
 public:
  // Takes `text` of `size` bytes in `bytes` of pages from map_pages (lang/pages.hpp).
  Source(Pages, std::string name, char* text, size_t size, size_t bytes);

 private:
  // The offset where each line starts: built on first use (once, whichever thread asks first),
  // since most large inputs are read without it (the YAML reader counts lines itself).
  const std::vector<uint32_t>& line_starts() const;
  void index_lines() const;

  std::string name_;
  std::string owned_;         // the text, when given as a string
  char* pages_ = nullptr;     // or when read from a large file: in pages (lang/pages.hpp)
  size_t page_bytes_ = 0;
  std::string_view text_;     // in one or the other
  mutable std::once_flag indexed_;
  mutable std::vector<uint32_t> line_starts_;
};

// Number of UTF-8 characters in `bytes` (continuation bytes are not counted).
uint32_t count_characters(std::string_view bytes);

}  // namespace pol::lang
