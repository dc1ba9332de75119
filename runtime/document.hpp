// SPDX-License-Identifier: Apache-2.0
// The document model: an immutable tree of Nodes in an arena, built straight from the YAML or
// JSON reader. Policies read it in place (no copies); every node keeps the 1-based line and
// column where it starts, so messages can point into the manifest. All documents read from one
// file share the file's Source and arena.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <memory_resource>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "lang/pages.hpp"
#include "lang/source.hpp"

namespace pol::runtime {

enum class NodeKind : uint8_t { Null, Bool, Int, Float, String, List, Map };

struct Member;

struct Node {
  NodeKind kind = NodeKind::Null;
  // A Bool's value; on an Int, set when the integer is unsigned and above INT64_MAX (YAML
  // `18446744073709551615`, which Kubernetes keeps exact): `integer` then holds its bits.
  bool boolean = false;
  uint32_t size = 0;  // bytes of a String, items of a List, members of a Map
  uint32_t line = 0;
  uint32_t column = 0;
  union {
    int64_t integer = 0;
    double number;
    const char* chars;
    const Node* items;
    const Member* members;
  };

  std::string_view string() const { return {chars, size}; }
  bool is_big_unsigned() const { return kind == NodeKind::Int && boolean; }
  const Node* find(std::string_view key) const;  // Map member by key, or nullptr
  const Node* find(std::string_view key, uint64_t shape) const;  // the same, given Member::shape(key)
};

// A map member. Its key's length and a fingerprint of its bytes share one word, which
// Node::find compares first: a lookup passes the other members without reading their keys'
// text (which lies elsewhere, in the source or the arena).
struct Member {
  Member() = default;
  Member(std::string_view key, const Node& value)
      : key_chars(key.data()), key_shape(shape(key)), value(value) {}

  std::string_view key() const { return {key_chars, static_cast<uint32_t>(key_shape)}; }
  // The key's length (low half) and the xor of its first and last four bytes (high half).
  static uint64_t shape(std::string_view key) {
    uint32_t first = 0, last = 0;
    if (key.size() >= 4) {
      std::memcpy(&first, key.data(), 4);
      std::memcpy(&last, key.data() + key.size() - 4, 4);
    } else if (!key.empty()) {
      std::memcpy(&first, key.data(), key.size());
    }
    return static_cast<uint64_t>(first ^ (last << 8 | last >> 24)) << 32 | static_cast<uint32_t>(key.size());
  }

  const char* key_chars = nullptr;
  uint64_t key_shape = 0;
  Node value;
};
static_assert(sizeof(Member) == 40, "a member is a key and a node: keep it five words");

// Finds duplicate keys while a map's members are collected: a scan for small maps, a hash set
// once a map is large, so a hostile map of 100,000 keys stays linear.
class DuplicateKeys {
 public:
  // Whether `key` is among `members` (call before adding it). A member's fingerprint is compared
  // before its key's text, which lies elsewhere.
  bool seen(std::span<const Member> members, std::string_view key) {
    if (members.size() >= scan_limit) return seen_in_set(members, key);
    const uint64_t shape = Member::shape(key);
    for (const Member& m : members) {
      if (m.key_shape == shape && m.key() == key) return true;
    }
    return false;
  }
  void clear() { keys_.reset(); }

 private:
  static constexpr size_t scan_limit = 16;
  bool seen_in_set(std::span<const Member> members, std::string_view key);
  std::optional<std::unordered_set<std::string_view>> keys_;  // of `members`, once there are scan_limit of them
};

// Owns the memory of the nodes of one source (one file or one stdin read).
class Arena {
 public:
  template <class T>
  T* allocate(size_t count) {
    return static_cast<T*>(resource_.allocate(count * sizeof(T), alignof(T)));
  }
  std::string_view copy(std::string_view text);

 private:
  // Blocks double in size; once they reach 2 MiB they are huge pages (lang/pages.hpp).
  std::pmr::monotonic_buffer_resource resource_{16 * 1024, lang::page_resource()};
};

// One object of a stream: a handle that keeps its source text and arena alive.
struct Document {
  std::shared_ptr<const lang::Source> source;
  std::shared_ptr<const Arena> arena;
  const Node* root = nullptr;
  uint32_t index = 0;  // position in its source's stream of documents
};

// A document or a whole source that could not be read, with where it went wrong.
struct LoadError {
  std::string source;
  uint32_t document = 0;
  uint32_t line = 0;  // 0: no position known
  uint32_t column = 0;
  std::string message;
};

struct LoadResult {
  std::vector<Document> documents;
  std::vector<LoadError> errors;
  uint32_t stream_length = 0;  // YAML: the documents numbered, read or broken

  // Numbers documents and errors from `first` on (a part of a stream read apart from the rest).
  void number_from(uint32_t first);
};

// Limits that keep a hostile input from exhausting the stack or memory.
struct LoadLimits {
  uint32_t max_depth = 256;                     // nesting of lists and maps
  uint64_t max_bytes = 128ull * 1024 * 1024;    // per source: a file, a request, stdin
  uint64_t max_aliased_nodes = 1'000'000;       // per YAML document: nodes repeated by aliases
};

// Reads a stream of YAML documents (libyaml events) or JSON values (simdjson).
LoadResult read_yaml(std::shared_ptr<const lang::Source> source, const LoadLimits& limits = {});
LoadResult read_json(std::shared_ptr<const lang::Source> source, const LoadLimits& limits = {});
// A YAML stream in parts that can be read apart (on several threads): the offsets where up to
// `parts` parts of about equal size start, each at a `---` line, the first at 0. A document
// marker cannot appear inside a YAML value, so each part holds whole documents.
std::vector<size_t> split_yaml_stream(const lang::Source& source, size_t parts);
// Reads the part [begin, end) of a YAML stream (documents numbered from 0 within it).
// `begin_line`, when not 0, is the line `begin` is on (else the source's line index says).
LoadResult read_yaml_part(std::shared_ptr<const lang::Source> source, size_t begin, size_t end,
                          const LoadLimits& limits = {}, uint32_t begin_line = 0);
// A JSON stream cut into parts that can be read apart: the items of a top-level array, or a run
// of top-level objects, grouped in parts of about `part_bytes`. No parts when the text is not
// one of those two shapes (one object, scalars, text that ends inside a value): read it whole.
struct JsonSplit {
  struct Range {
    uint32_t begin = 0, end = 0;  // a value's bytes in the source text
  };
  bool items = false;  // the values are a top-level array's items
  std::vector<std::vector<Range>> parts;
};
JsonSplit split_json_stream(const lang::Source& source, size_t part_bytes);
// Reads the values of one part (documents numbered from 0 within it). An item of a top-level
// array is read as the whole stream's reader reads it: one document, one level deep.
// `begin_line`, when not 0, is the line the part's first value starts on.
LoadResult read_json_part(std::shared_ptr<const lang::Source> source, std::span<const JsonSplit::Range> values,
                          bool items, const LoadLimits& limits = {}, uint32_t begin_line = 0);
// Whether the first non-blank character is '{' or '[' (JSON); anything else is read as YAML.
bool is_json_text(std::string_view text);
// Picks the reader by the first non-blank character: '{' or '[' is JSON, anything else YAML.
// A source with nothing but blanks is an error (an empty file is a mistake, not "all allowed").
LoadResult read_document_stream(std::shared_ptr<const lang::Source> source, const LoadLimits& limits = {});

}  // namespace pol::runtime
