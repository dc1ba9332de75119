// SPDX-License-Identifier: Apache-2.0
// Documents: a source read into the document model, with its reading errors.
#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "api/internal.hpp"
#include "lang/diagnostic.hpp"

namespace pol {

Error document_error(const std::shared_ptr<const lang::Source>& source, std::string name, uint32_t document,
                     uint32_t line, uint32_t column, std::string message) {
  Error error{std::move(name), document, line, column, std::move(message), {}};
  if (source && line > 0) {
    const uint32_t offset = source->offset({line, column});
    error.rendered = lang::Diagnostic{lang::Severity::Error, source, {offset, offset}, error.message, {}}.render();
  } else {
    error.rendered = fmt::format("{}: error: {}\n", error.source, error.message);
  }
  return error;
}

namespace {

Documents make_documents(std::shared_ptr<const lang::Source> source, runtime::LoadResult loaded) {
  auto impl = std::make_shared<Documents::Impl>();
  impl->source = source;
  impl->loaded = std::move(loaded);
  for (const runtime::LoadError& e : impl->loaded.errors) {
    impl->errors.push_back(document_error(source, e.source, e.document, e.line, e.column, e.message));
  }
  Documents documents;
  documents.impl = std::move(impl);
  return documents;
}

Documents make_documents(std::shared_ptr<const lang::Source> source) {
  runtime::LoadResult loaded = runtime::read_document_stream(source);
  return make_documents(std::move(source), std::move(loaded));
}

Documents unreadable(const std::string& name, const std::string& error) {
  auto impl = std::make_shared<Documents::Impl>();
  impl->errors.push_back(document_error(nullptr, name, 0, 0, 0, "cannot read: " + error));
  Documents documents;
  documents.impl = std::move(impl);
  return documents;
}

std::shared_ptr<const lang::Source> read_source(const std::string& path, std::string& name, std::string& error) {
  const bool stdin = path == "-";
  name = stdin ? "<stdin>" : path;
  return lang::Source::from_file(stdin ? "/dev/stdin" : path, error, runtime::LoadLimits{}.max_bytes, name);
}

// Below this size a YAML stream is read in one piece: splitting would not pay.
constexpr size_t split_threshold = 256 * 1024;

}  // namespace

Documents Documents::parse(std::string text, std::string source_name) {
  return make_documents(std::make_shared<const lang::Source>(std::move(source_name), std::move(text)));
}

Documents Documents::read_file(const std::string& path) {
  std::string name, error;
  std::shared_ptr<const lang::Source> source = read_source(path, name, error);
  return source ? make_documents(std::move(source)) : unreadable(name, error);
}

struct FileParts::Impl {
  std::shared_ptr<const lang::Source> source;
  Documents unreadable;               // when the file could not be read: its one part
  bool json = false;
  std::vector<size_t> yaml_starts;    // YAML: where each part starts
  runtime::JsonSplit json_split;      // JSON: each part's values
  // The line each part begins on, when every line of the text ends with '\n' (then counting
  // them is enough, and parts are read without the source's line index); else empty.
  std::vector<uint32_t> first_lines;
};

namespace {

// The line each offset of `starts` (ascending) is on, if every line break of `text` is a '\n'.
std::vector<uint32_t> lines_at(std::string_view text, const std::vector<size_t>& starts) {
  for (const int other : {int{'\r'}, 0xC2, 0xE2}) {  // CR, and the lead bytes of NEL, LS and PS
    if (std::memchr(text.data(), other, text.size())) return {};
  }
  std::vector<uint32_t> lines;
  uint32_t line = 1;
  size_t counted = 0;
  for (const size_t start : starts) {
    line += static_cast<uint32_t>(std::count(text.begin() + counted, text.begin() + start, '\n'));
    counted = start;
    lines.push_back(line);
  }
  return lines;
}

}  // namespace

FileParts FileParts::open(const std::string& path, size_t part_bytes) {
  auto impl = std::make_shared<Impl>();
  std::string name, error;
  impl->source = read_source(path, name, error);
  if (!impl->source) {
    impl->unreadable = unreadable(name, error);
  } else {
    const std::string_view text = impl->source->text();
    impl->json = runtime::is_json_text(text);
    const size_t parts = std::max<size_t>(1, text.size() / std::max<size_t>(part_bytes, 1));
    if (impl->json && parts > 1) impl->json_split = runtime::split_json_stream(*impl->source, part_bytes);
    if (!impl->json && parts > 1 && text.size() >= split_threshold) {
      impl->yaml_starts = runtime::split_yaml_stream(*impl->source, parts);
    }
    if (impl->yaml_starts.empty()) impl->yaml_starts = {0};
    std::vector<size_t> starts;
    for (const auto& part : impl->json_split.parts) starts.push_back(part.front().begin);
    impl->first_lines = lines_at(text, impl->json_split.parts.empty() ? impl->yaml_starts : starts);
  }
  FileParts out;
  out.impl = std::move(impl);
  return out;
}

size_t FileParts::size() const {
  if (!impl->source) return 1;
  return impl->json_split.parts.empty() ? impl->yaml_starts.size() : impl->json_split.parts.size();
}

bool FileParts::json() const { return impl->json; }

// The part's bytes in the text.
static std::pair<size_t, size_t> part_range(const FileParts::Impl& impl, size_t part) {
  if (!impl.json_split.parts.empty()) {
    const auto& values = impl.json_split.parts[part];
    return {values.front().begin, values.back().end};
  }
  const size_t end = part + 1 < impl.yaml_starts.size() ? impl.yaml_starts[part + 1] : impl.source->text().size();
  return {impl.yaml_starts[part], end};
}

bool FileParts::may_hold(size_t part, std::string_view word) const {
  if (!impl->source) return false;
  const auto [begin, end] = part_range(*impl, part);
  const std::string_view text = impl->source->text().substr(begin, end - begin);
  if (text.find(word) != std::string_view::npos) return true;
  for (size_t i = text.find('\\'); i != std::string_view::npos && i + 1 < text.size(); i = text.find('\\', i + 2)) {
    if (text[i + 1] == 'u' || text[i + 1] == 'x' || text[i + 1] == 'U') return true;
  }
  return false;
}

Documents FileParts::read(size_t part) const {
  if (!impl->source) return impl->unreadable;
  const uint32_t line = impl->first_lines.empty() ? 0 : impl->first_lines[part];
  if (!impl->json_split.parts.empty()) {
    return make_documents(impl->source, runtime::read_json_part(impl->source, impl->json_split.parts[part],
                                                                impl->json_split.items, {}, line));
  }
  if (impl->yaml_starts.size() == 1) return make_documents(impl->source);
  const auto [begin, end] = part_range(*impl, part);
  return make_documents(impl->source, runtime::read_yaml_part(impl->source, begin, end, {}, line));
}

uint32_t Documents::stream_length() const {
  if (!impl) return 0;
  const runtime::LoadResult& loaded = impl->loaded;
  if (loaded.stream_length) return loaded.stream_length;
  // A whole read numbers up to its last document or error.
  uint32_t length = loaded.documents.empty() ? 0 : loaded.documents.back().index + 1;
  for (const runtime::LoadError& e : loaded.errors) length = std::max(length, e.document + 1);
  return length;
}

size_t Documents::size() const { return impl ? impl->loaded.documents.size() : 0; }
const std::vector<Error>& Documents::errors() const { return impl->errors; }

}  // namespace pol
