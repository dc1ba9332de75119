// SPDX-License-Identifier: Apache-2.0
// JSON → documents through simdjson's On-Demand API, straight into the arena. A top-level
// array is a stream of documents (as `kubectl get -o json` lists are read item by item by the
// workload layer); several whitespace-separated values are read one after another. Line and
// column come from the byte offsets simdjson reports, by one forward scan over the text.
// simdjson reads the Source's own text (padded, lang::Source::padding), and strings and keys
// without escapes are views into it: only escaped ones are copied, unescaped, into the arena.
// An object's members and an array's items are gathered on stacks shared by the whole read and
// copied once into the arena, so building a node allocates nothing else.
#include <simdjson.h>

#include <fmt/format.h>

#include <cstring>
#include <optional>
#include <utility>

#include <algorithm>
#include <bit>

#include "runtime/document.hpp"

namespace pol::runtime {

namespace {

namespace od = simdjson::ondemand;

struct JsonError {
  std::string message;
  const char* at = nullptr;
};

class JsonReader {
 public:
  JsonReader(std::shared_ptr<const lang::Source> source, const LoadLimits& limits)
      : source_(std::move(source)), limits_(limits), arena_(std::make_shared<Arena>()) {}

  LoadResult read() {
    LoadResult result;
    const std::string_view text = source_->text();
    if (text.size() > limits_.max_bytes) {
      result.errors.push_back({source_->name(), 0, 0, 0,
                               fmt::format("input is {} bytes, over the limit of {} bytes", text.size(),
                                           limits_.max_bytes)});
      return result;
    }
    base_ = text.data();
    if (std::optional<LoadResult> one = read_single_value(text)) return std::move(*one);
    // The batch must hold the largest document; the whole text is the safe upper bound.
    const size_t batch = std::max<size_t>(text.size() + 64, 1 << 16);
    od::parser& parser = thread_parser();
    od::document_stream stream;
    // The text is padded (lang::Source), as simdjson requires.
    if (auto error = parser.iterate_many(text.data(), text.size(), batch).get(stream)) {
      result.errors.push_back({source_->name(), 0, 0, 0, fmt::format("invalid JSON: {}", simdjson::error_message(error))});
      return result;
    }
    uint32_t index = 0;
    for (auto it = stream.begin(); it != stream.end(); ++it) {
      od::document_reference doc;
      JsonError error;
      const char* start = base_ + it.current_index();
      if (auto code = (*it).get(doc)) {
        error = {fmt::format("invalid JSON: {}", simdjson::error_message(code)), start};
      } else {
        error = add_documents(doc, start, 0, result, index);
        if (error.message.empty()) continue;
      }
      const lang::LineColumn where = locate(error.at ? error.at : start);
      result.errors.push_back({source_->name(), index, where.line, where.column, error.message});
      break;  // after a syntax error the stream cannot be resynchronised
    }
    if (stream.truncated_bytes() > 0 && result.errors.empty()) {
      const lang::LineColumn where = locate(base_ + text.size() - stream.truncated_bytes());
      result.errors.push_back({source_->name(), index, where.line, where.column, "invalid JSON: unterminated value"});
    }
    return result;
  }

  // The common input, one value (a gateway's request, one manifest, one list), read with
  // iterate(), whose stage 1 indexes only the text; iterate_many's indexes a whole batch of at
  // least 64 KiB. Anything else (several values, an error to report) is left to the stream.
  std::optional<LoadResult> read_single_value(std::string_view text) {
    od::document doc;
    if (thread_parser().iterate(text.data(), text.size(), text.size() + lang::Source::padding).get(doc)) return std::nullopt;
    LoadResult result;
    uint32_t index = 0;
    if (!add_documents(doc, text.data(), 0, result, index).message.empty()) return std::nullopt;
    const char* rest = nullptr;
    if (doc.current_location().get(rest) != simdjson::OUT_OF_BOUNDS) return std::nullopt;  // more after the value
    return result;
  }

  // The line `offset` is on (0: not known), so that reading from there needs no line index.
  void know_line(size_t offset, uint32_t line) { known_ = {offset, line}; }

  // The values of one part of the stream (split_json_stream), each parsed on its own. Any error
  // is reported as the first, as reading the stream whole would stop there.
  LoadResult read(std::span<const JsonSplit::Range> values, bool items) {
    LoadResult result;
    const std::string_view text = source_->text();
    base_ = text.data();
    od::parser& parser = thread_parser();
    uint32_t index = 0;
    for (const JsonSplit::Range& range : values) {
      // Padded: the rest of the text follows each value, then the Source's zeroed padding.
      od::document doc;
      const char* start = base_ + range.begin;
      JsonError error;
      if (auto code = parser.iterate(start, range.end - range.begin, text.size() + lang::Source::padding - range.begin).get(doc)) {
        error = {fmt::format("invalid JSON: {}", simdjson::error_message(code)), start};
      } else {
        error = add_documents(doc, start, items ? 1 : 0, result, index);
        if (error.message.empty()) continue;
      }
      const lang::LineColumn where = locate(error.at ? error.at : start);
      result.errors.push_back({source_->name(), index, where.line, where.column, error.message});
      break;
    }
    result.stream_length = index;
    return result;
  }

 private:
  // Reads one top-level value into documents numbered from `index` on: a top-level array's items
  // each one (at depth 0: an array's item at depth 1 is one document, whatever it holds).
  template <class Document_>
  JsonError add_documents(Document_& doc, const char* start, uint32_t depth, LoadResult& result, uint32_t& index) {
    od::value root;
    if (auto code = doc.get_value().get(root)) return {fmt::format("invalid JSON: {}", simdjson::error_message(code)), start};
    Node node;
    if (!build(root, node, depth)) return std::exchange(error_, {});
    if (depth == 0 && node.kind == NodeKind::List) {
      for (uint32_t i = 0; i < node.size; ++i) result.documents.push_back(Document{source_, arena_, &node.items[i], index++});
    } else {
      Node* stored = arena_->allocate<Node>(1);
      *stored = node;
      result.documents.push_back(Document{source_, arena_, stored, index++});
    }
    return {};
  }

  // One parser per thread, reused: its buffers are allocated once, not per request.
  static od::parser& thread_parser() {
    thread_local od::parser parser;
    return parser;
  }

  // Offsets only grow while a document is read, so line and column follow with one forward scan
  // (from the source's line index, when reading starts or goes back). Most of the text is runs
  // of printable ASCII, each found once (plain_run_end): a node within the current run is one
  // subtraction away from the last.
  lang::LineColumn locate(const char* at) {
    const size_t offset = static_cast<size_t>(at - base_);
    if (offset >= cursor_offset_ && offset <= plain_end_ && located_) {
      column_ += static_cast<uint32_t>(offset - cursor_offset_);
      cursor_offset_ = offset;
      return {line_, column_};
    }
    return locate_scanning(offset);
  }

  lang::LineColumn locate_scanning(size_t offset) {
    if (offset < cursor_offset_ || !located_) {
      if (!located_ && known_.line && offset >= known_.offset) {
        // From the start of the line the part begins on, which the caller knows.
        const size_t newline = source_->text().substr(0, known_.offset).rfind('\n');
        cursor_offset_ = newline == std::string_view::npos ? 0 : newline + 1;
        line_ = known_.line;
      } else if (!located_ && !known_.line) {
        cursor_offset_ = 0;  // from the start (the source's line index would read the whole text)
        line_ = 1;
      } else {
        line_ = source_->location(static_cast<uint32_t>(offset)).line;
        cursor_offset_ = source_->line_start(line_);
      }
      column_ = 1;
      plain_end_ = 0;
      located_ = true;
    }
    // Lines end where lang::Source says they do; columns count characters (not UTF-8
    // continuation bytes).
    const std::string_view text = source_->text();
    const size_t end = std::min(offset, text.size());
    size_t i = cursor_offset_;
    while (i < end) {
      if (i >= plain_end_) plain_end_ = plain_run_end(text, i);
      if (i < plain_end_) {
        const size_t step = std::min(plain_end_, end) - i;
        i += step;
        column_ += static_cast<uint32_t>(step);
      } else if (const size_t length = lang::line_break_at(text, i)) {
        ++line_, column_ = 1, i += length;
      } else {
        column_ += (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80, ++i;
      }
    }
    cursor_offset_ = std::max(i, offset);
    return {line_, column_};
  }

  // Where the run of printable ASCII bytes (0x20 to 0x7F) that starts at `i` ends: at a line
  // break, a tab, a byte of a UTF-8 sequence, or the text's end. Sixteen bytes at a time; the
  // text is padded with zeros, so the scan stops in the padding at the latest.
  static size_t plain_run_end(std::string_view text, size_t i) {
    using Bytes = signed char __attribute__((vector_size(16)));
    for (;; i += 16) {
      Bytes bytes;
      std::memcpy(&bytes, text.data() + i, sizeof bytes);
      const Bytes special = bytes < 0x20;  // signed: bytes over 0x7F are negative too
      uint64_t halves[2];
      std::memcpy(halves, &special, sizeof halves);
      for (size_t half = 0; half < 2; ++half) {
        if (halves[half] == 0) continue;
        const int bit = std::endian::native == std::endian::little ? std::countr_zero(halves[half])
                                                                    : std::countl_zero(halves[half]);
        return std::min(text.size(), i + 8 * half + static_cast<size_t>(bit) / 8);
      }
    }
  }

  // Reads `value` into `node`; false, with error_ set, when it cannot.
  bool build(od::value value, Node& node, uint32_t depth) {
    const char* at = nullptr;
    if (value.current_location().get(at)) at = nullptr;
    if (at) {
      const lang::LineColumn where = locate(at);
      node.line = where.line;
      node.column = where.column;
    }
    if (depth >= limits_.max_depth) return fail(fmt::format("nesting deeper than {} levels", limits_.max_depth), at);
    od::json_type type;
    if (auto code = value.type().get(type)) return fail(code, at);
    switch (type) {
      case od::json_type::object: {
        od::object object;
        if (auto code = value.get_object().get(object)) return fail(code, at);
        const size_t first = members_.size();
        const Unwind<std::vector<Member>> unwind{members_, first};
        DuplicateKeys keys;
        for (auto next : object) {
          od::field field;
          if (auto code = std::move(next).get(field)) return fail(code, at);  // (before key(): a bad one throws)
          // A key without escapes is its raw text; only others are unescaped (into the arena).
          const char* raw = field.key().raw();
          std::string_view key = plain_string(raw);
          if (key.data() == nullptr) {
            if (auto code = field.unescaped_key().get(key)) return fail(code, at);
            key = arena_->copy(key);
          }
          Member member{key, Node{}};
          if (keys.seen({members_.data() + first, members_.size() - first}, member.key())) {
            return fail(fmt::format("duplicate key \"{}\" in an object", key), at);
          }
          od::value child;
          child = field.value();
          if (!build(child, member.value, depth + 1)) return false;
          members_.push_back(member);
        }
        node.kind = NodeKind::Map;
        node.size = static_cast<uint32_t>(members_.size() - first);
        Member* stored = arena_->allocate<Member>(node.size);
        std::copy(members_.begin() + first, members_.end(), stored);
        node.members = stored;
        return true;
      }
      case od::json_type::array: {
        od::array array;
        if (auto code = value.get_array().get(array)) return fail(code, at);
        const size_t first = items_.size();
        const Unwind<std::vector<Node>> unwind{items_, first};
        for (auto element : array) {
          od::value child;
          if (auto code = element.get(child)) return fail(code, at);
          Node item;
          if (!build(child, item, depth + 1)) return false;
          items_.push_back(item);
        }
        node.kind = NodeKind::List;
        node.size = static_cast<uint32_t>(items_.size() - first);
        Node* stored = arena_->allocate<Node>(node.size);
        std::copy(items_.begin() + first, items_.end(), stored);
        node.items = stored;
        return true;
      }
      case od::json_type::string: {
        std::string_view text;
        if (auto code = value.get_string().get(text)) return fail(code, at);
        const std::string_view stored = in_place(at ? at + 1 : nullptr, text);
        node.kind = NodeKind::String;
        node.chars = stored.data();
        node.size = static_cast<uint32_t>(stored.size());
        return true;
      }
      case od::json_type::number: {
        od::number_type number_type;
        if (auto code = value.get_number_type().get(number_type)) return fail(code, at);
        if (number_type == od::number_type::signed_integer) {
          if (auto code = value.get_int64().get(node.integer)) return fail(code, at);
          node.kind = NodeKind::Int;
        } else {
          if (auto code = value.get_double().get(node.number)) return fail(code, at);
          node.kind = NodeKind::Float;
        }
        return true;
      }
      case od::json_type::boolean:
        if (auto code = value.get_bool().get(node.boolean)) return fail(code, at);
        node.kind = NodeKind::Bool;
        return true;
      case od::json_type::null: {
        // (Not `if (!value.is_null())`: converting a simdjson_result to bool throws on `nope`.)
        bool is_null = false;
        if (auto code = value.is_null().get(is_null)) return fail(code, at);
        if (!is_null) return fail("invalid JSON: bad literal", at);
        node.kind = NodeKind::Null;
        return true;
      }
    }
    return fail("invalid JSON", at);
  }

  // `unescaped`, read from the string whose raw text starts at `raw` (after its opening quote):
  // a view of the source text when the raw text has no escapes, else a copy in the arena.
  std::string_view in_place(const char* raw, std::string_view unescaped) {
    if (const std::string_view plain = raw ? plain_string(raw) : std::string_view(); plain.data()) return plain;
    return arena_->copy(unescaped);
  }

  // The string whose raw text starts at `raw` (after its opening quote), up to its closing
  // quote, when no backslash comes first; else a null view (it has escapes).
  static std::string_view plain_string(const char* raw) {
    for (size_t i = 0;; i += 8) {
      const uint64_t word = load_word(raw + i);
      const uint64_t quotes = zero_bytes(word ^ spread('"')), backslashes = zero_bytes(word ^ spread('\\'));
      if ((quotes | backslashes) == 0) continue;
      // The first of them, in text order (load_word puts the text's first byte lowest).
      const size_t quote = i + std::countr_zero(quotes) / 8, backslash = i + std::countr_zero(backslashes) / 8;
      return quote < backslash ? std::string_view(raw, quote) : std::string_view();
    }
  }

  // Eight bytes of text, the first lowest (as a little-endian load gives them).
  static uint64_t load_word(const char* at) {
    uint64_t word;
    std::memcpy(&word, at, sizeof word);
    if constexpr (std::endian::native == std::endian::big) word = __builtin_bswap64(word);
    return word;
  }
  static constexpr uint64_t spread(char byte) { return 0x0101010101010101ull * static_cast<unsigned char>(byte); }
  // The high bit of each zero byte of `word`. (A byte above a zero one may be marked too, which
  // changes neither whether there is one nor where the first is.)
  static constexpr uint64_t zero_bytes(uint64_t word) {
    return (word - 0x0101010101010101ull) & ~word & 0x8080808080808080ull;
  }

  // Pops what a map or list pushed on its stack, however its reading ends.
  template <class Stack>
  struct Unwind {
    Stack& stack;
    size_t size;
    ~Unwind() { stack.resize(size); }
  };

  bool fail(std::string message, const char* at) {
    error_ = {std::move(message), at};
    return false;
  }
  bool fail(simdjson::error_code code, const char* at) {
    return fail(fmt::format("invalid JSON: {}", simdjson::error_message(code)), at);
  }

  std::shared_ptr<const lang::Source> source_;
  LoadLimits limits_;
  std::shared_ptr<Arena> arena_;
  const char* base_ = nullptr;
  JsonError error_;  // why build() failed
  // The members and items of the maps and lists being read, innermost last.
  std::vector<Member> members_;
  std::vector<Node> items_;
  // locate()'s position: the offset it reached, its line and column (kept apart: loading them as
  // one word right after storing one of them would wait for the store), and the end of the run
  // of printable ASCII it is in (0 until it is located).
  size_t cursor_offset_ = 0;
  uint32_t line_ = 1, column_ = 1;
  size_t plain_end_ = 0;
  bool located_ = false;
  struct {
    size_t offset = 0;
    uint32_t line = 0;  // 0: not known
  } known_;           // the line of an offset, when the caller knows it
};

}  // namespace

LoadResult read_json(std::shared_ptr<const lang::Source> source, const LoadLimits& limits) {
  return JsonReader(std::move(source), limits).read();
}

LoadResult read_json_part(std::shared_ptr<const lang::Source> source, std::span<const JsonSplit::Range> values,
                          bool items, const LoadLimits& limits, uint32_t begin_line) {
  JsonReader reader(std::move(source), limits);
  if (!values.empty()) reader.know_line(values.front().begin, begin_line);
  return reader.read(values, items);
}

}  // namespace pol::runtime
