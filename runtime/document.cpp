// SPDX-License-Identifier: Apache-2.0
#include "runtime/document.hpp"

#include <cstring>

namespace pol::runtime {

const Node* Node::find(std::string_view key) const { return find(key, Member::shape(key)); }

const Node* Node::find(std::string_view key, uint64_t shape) const {
  if (kind != NodeKind::Map) return nullptr;
  for (uint32_t i = 0; i < size; ++i) {
    const Member& m = members[i];
    if (m.key_shape == shape && (key.empty() || std::memcmp(m.key_chars, key.data(), key.size()) == 0)) return &m.value;
  }
  return nullptr;
}

bool DuplicateKeys::seen_in_set(std::span<const Member> members, std::string_view key) {
  if (!keys_) {
    keys_.emplace();
    for (const Member& m : members) keys_->insert(m.key());
  }
  return !keys_->insert(key).second;
}

void LoadResult::number_from(uint32_t first) {
  for (Document& document : documents) document.index += first;
  for (LoadError& error : errors) error.document += first;
}

std::string_view Arena::copy(std::string_view text) {
  if (text.empty()) return {};
  char* out = allocate<char>(text.size());
  std::memcpy(out, text.data(), text.size());
  return {out, text.size()};
}

bool is_json_text(std::string_view text) {
  const size_t first = text.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && (text[first] == '{' || text[first] == '[');
}

LoadResult read_document_stream(std::shared_ptr<const lang::Source> source, const LoadLimits& limits) {
  const std::string_view text = source->text();
  if (is_json_text(text)) return read_json(std::move(source), limits);
  if (text.find_first_not_of(" \t\r\n") != std::string_view::npos) return read_yaml(std::move(source), limits);
  LoadResult empty;
  empty.errors.push_back({source->name(), 0, 0, 0, "empty input: no documents"});
  return empty;
}

}  // namespace pol::runtime
