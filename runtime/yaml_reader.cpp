// SPDX-License-Identifier: Apache-2.0
// YAML stream → documents, from libyaml's event parser (13x faster than yaml-cpp's LoadAll on
// our corpus, and it keeps no DOM of its own). Scalars and keys are typed as Kubernetes types
// them (yaml_typing.hpp); what Kubernetes' strict decoding rejects is an error here too: a
// duplicate key, a key set both by a merge `<<` and in the map, a number JSON cannot carry
// (`.inf`, `.nan`). Anchors and aliases are resolved by sharing the anchored node.
#include <yaml.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fmt/format.h>
#include <optional>
#include <unordered_map>

#include "runtime/document.hpp"
#include "runtime/yaml_typing.hpp"

namespace pol::runtime {

namespace {

// The start of the first line after the one holding `from` that is a document start marker
// (`---` alone or followed by a blank), or the end of the text.
size_t next_document_marker(const lang::Source& source, size_t from) {
  for (uint32_t line = source.location(static_cast<uint32_t>(from)).line + 1; line <= source.line_count(); ++line) {
    const std::string_view text = source.line_text(line);
    if (text.starts_with("---") && (text.size() == 3 || text[3] == ' ' || text[3] == '\t')) return source.line_start(line);
  }
  return source.text().size();
}

namespace {

// The next document marker after `from` that follows a '\n' (which also ends "\r\n"), found
// without the source's line index: a large stream is cut before anything needs one. Markers
// after other line breaks are not found, so a stream whose lines end otherwise is cut less.
size_t next_marker_after_newline(std::string_view text, size_t from) {
  for (size_t at = text.find("\n---", from); at != std::string_view::npos; at = text.find("\n---", at + 1)) {
    const size_t after = at + 4;
    if (after == text.size() || text[after] == ' ' || text[after] == '\t' || lang::line_break_at(text, after)) return at + 1;
  }
  return text.size();
}

}  // namespace

class YamlReader {
 public:
  YamlReader(std::shared_ptr<const lang::Source> source, const LoadLimits& limits)
      : source_(std::move(source)), limits_(limits), arena_(std::make_shared<Arena>()) {}

  // The line `offset` is on (0: not known), so that reading from there needs no line index.
  void know_line(size_t offset, uint32_t line) { known_ = {offset, line}; }

  LoadResult read(size_t begin, size_t end) {
    LoadResult result;
    const std::string_view text = source_->text();
    if (text.size() > limits_.max_bytes) {
      result.errors.push_back({source_->name(), 0, 0, 0,
                               fmt::format("input is {} bytes, over the limit of {} bytes", text.size(),
                                           limits_.max_bytes)});
      return result;
    }
    read_all(begin, end, result);
    result.stream_length = document_;
    return result;
  }

 private:
  size_t next_document_marker(size_t from) const { return runtime::next_document_marker(*source_, from); }

  // The start of the last document marker line in (begin, at), or `begin`: an error reported
  // at a marker belongs to the document before it.
  size_t last_document_marker(size_t begin, size_t at) const {
    size_t found = begin;
    for (size_t marker = begin; (marker = next_document_marker(marker)) < at;) found = marker;
    return found;
  }

  // Reads the whole text. libyaml cannot resynchronise after an error, so on one the documents
  // before the broken one are read again if libyaml had not reached them, the broken one (up to
  // the next `---` line) is reported, and reading resumes after it: a broken document costs only
  // itself. Each part read again lies strictly inside the part that failed, so this ends, and a
  // stack of parts (not recursion) holds any number of broken documents.
  void read_all(size_t begin, size_t end, LoadResult& result) {
    struct Task {
      size_t begin = 0, end = 0;
      std::optional<LoadError> error;  // when set, report it (in stream order) instead of reading
    };
    std::vector<Task> tasks{{begin, end, std::nullopt}};
    while (!tasks.empty()) {
      Task task = std::move(tasks.back());
      tasks.pop_back();
      if (task.error) {
        task.error->document = document_++;
        result.errors.push_back(std::move(*task.error));
        continue;
      }
      const std::optional<size_t> failed = read_part(task.begin, task.end, result);
      if (!failed) continue;
      const size_t failed_at = std::clamp(*failed, task.begin, task.end);
      const size_t broken = last_document_marker(task.begin, failed_at);           // in [begin, end)
      const size_t next = std::min(next_document_marker(broken), task.end);        // > broken
      if (next < task.end) tasks.push_back({next, task.end, std::nullopt});
      tasks.push_back({0, 0, std::move(pending_error_)});
      if (resume_ < broken) tasks.push_back({resume_, broken, std::nullopt});
    }
  }

  // Parses [begin, end); on an error returns its byte offset and leaves it in pending_error_
  // (and in resume_ the offset after the last document read).
  std::optional<size_t> read_part(size_t begin, size_t end, LoadResult& result) {
    const std::string_view text = source_->text();
    line_offset_ = begin == known_.offset && known_.line ? known_.line - 1
                                                         : source_->location(static_cast<uint32_t>(begin)).line - 1;
    resume_ = begin;
    std::optional<size_t> failed_at;
    yaml_parser_t parser;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(text.data() + begin), end - begin);
    const auto fail = [&](lang::LineColumn at, std::string message) {
      pending_error_ = {source_->name(), 0, at.line, at.column, std::move(message)};
      failed_at = source_->offset(at);
    };
    for (bool done = false; !done;) {
      yaml_event_t event;
      if (!yaml_parser_parse(&parser, &event)) {
        lang::LineColumn at{line_of(parser.problem_mark),
                            static_cast<uint32_t>(parser.problem_mark.column + 1)};
        if (parser.error == YAML_READER_ERROR) {  // bad bytes: libyaml gives their offset only
          at = source_->location(static_cast<uint32_t>(begin + parser.problem_offset));
        }
        fail(at, parser.context ? fmt::format("invalid YAML: {} ({} that starts at line {}, column {})",
                                              parser.problem ? parser.problem : "syntax error", parser.context,
                                              line_of(parser.context_mark), parser.context_mark.column + 1)
                                : fmt::format("invalid YAML: {}", parser.problem ? parser.problem : "syntax error"));
        break;
      }
      std::string error;
      switch (event.type) {
        case YAML_STREAM_END_EVENT: done = true; break;
        case YAML_DOCUMENT_START_EVENT:
          depth_ = 0;
          anchors_.clear();
          aliased_nodes_ = 0;
          root_ = Node{};
          has_root_ = false;
          break;
        case YAML_DOCUMENT_END_EVENT:
          if (has_root_ && root_.kind != NodeKind::Null) {
            Node* root = arena_->allocate<Node>(1);
            *root = root_;
            result.documents.push_back(Document{source_, arena_, root, document_});
          }
          ++document_;
          resume_ = source_->offset({line_of(event.end_mark), static_cast<uint32_t>(event.end_mark.column + 1)});
          break;
        case YAML_SCALAR_EVENT: error = add_scalar(event); break;
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT: error = open(event); break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT: error = close(); break;
        case YAML_ALIAS_EVENT: {
          const auto it = anchors_.find(reinterpret_cast<const char*>(event.data.alias.anchor));
          if (it == anchors_.end()) {
            error = fmt::format("unknown alias '*{}'", reinterpret_cast<const char*>(event.data.alias.anchor));
          } else if ((aliased_nodes_ += it->second.weight) > limits_.max_aliased_nodes) {
            error = fmt::format("aliases expand to more than {} nodes (a \"billion laughs\" document?)",
                                limits_.max_aliased_nodes);
          } else {
            error = add(it->second.node, nullptr, it->second.weight);
          }
          break;
        }
        default: break;
      }
      if (!error.empty()) {
        fail({line_of(event.start_mark), static_cast<uint32_t>(event.start_mark.column + 1)}, std::move(error));
        yaml_event_delete(&event);
        break;
      }
      yaml_event_delete(&event);
    }
    yaml_parser_delete(&parser);
    return failed_at;
  }

  struct Frame {
    NodeKind kind = NodeKind::List;
    uint32_t line = 0, column = 0;
    std::string anchor_name;
    std::vector<Node> items;
    std::vector<Member> members;
    DuplicateKeys keys;
    std::string_view pending_key;
    bool has_key = false;
    bool pending_merge = false;  // the pending key is the merge key `<<`
    bool merged = false;         // members came from a merge key
    uint64_t weight = 1;  // nodes in this subtree, counting each alias's nodes again
  };


  // The 1-based line in the source of a libyaml mark in the part being read.
  uint32_t line_of(const yaml_mark_t& mark) const { return static_cast<uint32_t>(mark.line + 1) + line_offset_; }

  std::string add_scalar(const yaml_event_t& event) {
    const auto& s = event.data.scalar;
    const std::string_view text(reinterpret_cast<const char*>(s.value), s.length);
    const std::string_view tag = s.tag ? reinterpret_cast<const char*>(s.tag) : "";
    TypedScalar typed = type_scalar(text, s.style == YAML_PLAIN_SCALAR_STYLE ? ScalarStyle::Plain : ScalarStyle::Quoted, tag);
    if (!typed.error.empty()) return typed.error;
    Node& node = typed.node;
    node.line = line_of(event.start_mark);
    node.column = static_cast<uint32_t>(event.start_mark.column + 1);
    if (node.kind == NodeKind::String) node = string_node(node, text);
    const bool key = expecting_key();
    if (!key && node.kind == NodeKind::Float && !std::isfinite(node.number)) {
      return fmt::format("{} is not a number JSON can carry, so Kubernetes rejects the document (quote it for text)", text);
    }
    return add(node, s.anchor, 1, key && typed.merge);
  }

  bool expecting_key() const { return depth_ > 0 && frames_[depth_ - 1].kind == NodeKind::Map && !frames_[depth_ - 1].has_key; }

  Node string_node(Node node, std::string_view text) {
    const std::string_view copy = arena_->copy(text);
    node.kind = NodeKind::String;
    node.chars = copy.data();
    node.size = static_cast<uint32_t>(copy.size());
    return node;
  }

  std::string open(const yaml_event_t& event) {
    if (depth_ >= limits_.max_depth) {
      return fmt::format("nesting deeper than {} levels", limits_.max_depth);
    }
    if (frames_.size() <= depth_) frames_.emplace_back();
    Frame& frame = frames_[depth_++];
    frame.kind = event.type == YAML_SEQUENCE_START_EVENT ? NodeKind::List : NodeKind::Map;
    frame.line = line_of(event.start_mark);
    frame.column = static_cast<uint32_t>(event.start_mark.column + 1);
    const auto* anchor = frame.kind == NodeKind::List ? event.data.sequence_start.anchor : event.data.mapping_start.anchor;
    frame.anchor_name = anchor ? reinterpret_cast<const char*>(anchor) : "";
    frame.items.clear();
    frame.members.clear();
    frame.keys.clear();
    frame.has_key = false;
    frame.merged = false;
    frame.weight = 1;
    return {};
  }

  std::string close() {
    Frame& frame = frames_[--depth_];
    Node node;
    node.kind = frame.kind;
    node.line = frame.line;
    node.column = frame.column;
    if (frame.kind == NodeKind::List) {
      node.size = static_cast<uint32_t>(frame.items.size());
      Node* items = arena_->allocate<Node>(frame.items.size());
      std::copy(frame.items.begin(), frame.items.end(), items);
      node.items = items;
    } else {
      node.size = static_cast<uint32_t>(frame.members.size());
      Member* members = arena_->allocate<Member>(frame.members.size());
      std::copy(frame.members.begin(), frame.members.end(), members);
      node.members = members;
    }
    return add(node, frame.anchor_name.empty() ? nullptr : frame.anchor_name.c_str(), frame.weight);
  }

  // Adds a finished node to the open list or map, or makes it the document's root; `merge_key`
  // when it is the key `<<` written plain.
  std::string add(const Node& node, const void* anchor, uint64_t weight = 1, bool merge_key = false) {
    if (anchor) anchors_[reinterpret_cast<const char*>(anchor)] = Anchored{node, weight};
    if (depth_ == 0) {
      root_ = node;
      has_root_ = true;
      return {};
    }
    Frame& parent = frames_[depth_ - 1];
    parent.weight += weight;
    if (parent.kind == NodeKind::List) {
      parent.items.push_back(node);
      return {};
    }
    if (!parent.has_key) {
      parent.has_key = true;
      parent.pending_merge = merge_key;
      if (merge_key) return {};
      if (node.kind == NodeKind::String) {
        parent.pending_key = node.string();  // most keys: already text, nothing to convert
      } else {
        KeyText key = key_text(node);
        if (!key.error.empty()) return key.error;
        parent.pending_key = arena_->copy(key.text);
      }
      if (parent.keys.seen(parent.members, parent.pending_key)) {
        if (parent.merged) return fmt::format("key \"{}\" is set twice in a mapping, here and through the merge key `<<`", parent.pending_key);
        return fmt::format("duplicate key \"{}\" in a mapping", parent.pending_key);
      }
      return {};
    }
    parent.has_key = false;
    if (parent.pending_merge) return merge(parent, node);
    parent.members.push_back(Member{parent.pending_key, node});
    return {};
  }

  // `<<: *base` (or a list of maps) adds the members of the map(s). Kubernetes' strict decoding
  // rejects a key that the map also sets, or that two merged maps both set: so does pol.
  std::string merge(Frame& frame, const Node& value) {
    frame.merged = true;
    const auto merge_one = [&](const Node& map) -> std::string {
      if (map.kind != NodeKind::Map) return "the merge key `<<` needs a map or a list of maps";
      for (uint32_t i = 0; i < map.size; ++i) {
        if (frame.keys.seen(frame.members, map.members[i].key())) {
          return fmt::format("key \"{}\" is set twice in a mapping, through the merge key `<<`", map.members[i].key());
        }
        frame.members.push_back(map.members[i]);
      }
      return {};
    };
    if (value.kind != NodeKind::List) return merge_one(value);
    for (uint32_t i = 0; i < value.size; ++i) {
      if (std::string error = merge_one(value.items[i]); !error.empty()) return error;
    }
    return {};
  }

  std::shared_ptr<const lang::Source> source_;
  LoadLimits limits_;
  std::shared_ptr<Arena> arena_;
  std::vector<Frame> frames_;
  uint32_t depth_ = 0;
  Node root_;
  bool has_root_ = false;
  struct Anchored {
    Node node;
    uint64_t weight;
  };
  std::unordered_map<std::string, Anchored> anchors_;
  uint64_t aliased_nodes_ = 0;  // in this document: the nodes that aliases repeat
  uint32_t document_ = 0;       // index of the next document in the stream
  uint32_t line_offset_ = 0;    // lines of the source before the part being read
  struct {
    size_t offset = 0;
    uint32_t line = 0;          // 0: not known
  } known_;
  size_t resume_ = 0;           // in the part being read: the offset after its last complete document
  LoadError pending_error_;     // the error that ended the part being read
};

}  // namespace

LoadResult read_yaml(std::shared_ptr<const lang::Source> source, const LoadLimits& limits) {
  const size_t size = source->text().size();
  return YamlReader(std::move(source), limits).read(0, size);
}

std::vector<size_t> split_yaml_stream(const lang::Source& source, size_t parts) {
  const std::string_view text = source.text();
  std::vector<size_t> starts{0};
  // A directive (`%YAML`, `%TAG`) belongs to the document after it: a stream with one is not split.
  if (text.starts_with('%') || text.find("\n%") != std::string_view::npos) return starts;
  for (size_t k = 1; k < parts; ++k) {
    const size_t at = next_marker_after_newline(text, std::max(starts.back(), text.size() / parts * k));
    if (at >= text.size()) break;
    if (at > starts.back()) starts.push_back(at);
  }
  return starts;
}

LoadResult read_yaml_part(std::shared_ptr<const lang::Source> source, size_t begin, size_t end, const LoadLimits& limits,
                          uint32_t begin_line) {
  YamlReader reader(std::move(source), limits);
  reader.know_line(begin, begin_line);
  return reader.read(begin, end);
}

}  // namespace pol::runtime
