// SPDX-License-Identifier: Apache-2.0
// The Language Server Protocol's transport and coordinates: JSON-RPC messages framed by a
// Content-Length header on stdin/stdout, positions as (line, UTF-16 code unit) pairs, and
// documents named by file:// URIs.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

namespace pol::lsp {

// The next message's JSON text; nullopt at the end of input or on a malformed header.
std::optional<std::string> read_message(std::istream& in);
void write_message(std::ostream& out, std::string_view json);

struct Position {
  uint32_t line = 0;       // from 0
  uint32_t character = 0;  // UTF-16 code units from the line's start
};

// Byte offset of a position in `text` (clamped to its line and to the text).
uint32_t offset_of(std::string_view text, Position position);
Position position_of(std::string_view text, uint32_t offset);
// `{"start": ..., "end": ...}` for bytes [begin, end) of `text`.
std::string range_json(std::string_view text, uint32_t begin, uint32_t end);

// file:///a%20b/c.pol <-> /a b/c.pol (other schemes are returned as they are).
std::string uri_to_path(std::string_view uri);
std::string path_to_uri(std::string_view path);

}  // namespace pol::lsp
