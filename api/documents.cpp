// SPDX-License-Identifier: Apache-2.0
// Documents: a source read into the document model, with its reading errors.
#include <fmt/format.h>

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

// Below this size a YAML stream is read in one piece: splitting would not pay for the threads.
constexpr size_t split_threshold = 256 * 1024;

// The documents of `whole` divided into up to `parts` runs of about equal length, each with the
// reading errors of its documents (so that reports concatenated in order stay in order).
std::vector<Documents> divide(const Documents& whole, size_t parts) {
  const runtime::LoadResult& loaded = whole.impl->loaded;
  const size_t count = loaded.documents.size();
  if (parts <= 1 || count < 2 * parts) return {whole};
  std::vector<Documents> out;
  for (size_t k = 0; k < parts; ++k) {
    const size_t begin = count * k / parts, end = count * (k + 1) / parts;
    auto impl = std::make_shared<Documents::Impl>();
    impl->source = whole.impl->source;
    impl->loaded.documents.assign(loaded.documents.begin() + begin, loaded.documents.begin() + end);
    // Errors before the next run's first document belong to this run.
    const uint32_t from = k == 0 ? 0 : loaded.documents[begin].index;
    const uint32_t to = end < count ? loaded.documents[end].index : UINT32_MAX;
    for (const Error& e : whole.impl->errors) {
      if (e.document >= from && e.document < to) impl->errors.push_back(e);
    }
    Documents documents;
    documents.impl = std::move(impl);
    out.push_back(std::move(documents));
  }
  return out;
}

}  // namespace

Documents Documents::parse(std::string text, std::string source_name) {
  return make_documents(std::make_shared<const lang::Source>(std::move(source_name), std::move(text)));
}

Documents Documents::read_file(const std::string& path) {
  std::string name, error;
  std::shared_ptr<const lang::Source> source = read_source(path, name, error);
  return source ? make_documents(std::move(source)) : unreadable(name, error);
}

std::vector<Documents> Documents::read_file_parts(const std::string& path, size_t parts, const Runner& run) {
  std::string name, error;
  std::shared_ptr<const lang::Source> source = read_source(path, name, error);
  if (!source) return {unreadable(name, error)};
  const std::string_view text = source->text();
  const bool json = runtime::is_json_text(text);
  const std::vector<size_t> starts =
      json || parts <= 1 || text.size() < split_threshold ? std::vector<size_t>{0} : runtime::split_yaml_stream(*source, parts);
  if (starts.size() == 1) return divide(make_documents(std::move(source)), parts);
  std::vector<runtime::LoadResult> loaded(starts.size());
  run(starts.size(), [&](size_t k) {
    loaded[k] = runtime::read_yaml_part(source, starts[k], k + 1 < starts.size() ? starts[k + 1] : text.size());
  });
  std::vector<Documents> out;
  uint32_t numbered = 0;
  for (runtime::LoadResult& part : loaded) {
    part.number_from(numbered);
    numbered += part.stream_length;
    out.push_back(make_documents(source, std::move(part)));
  }
  return out;
}

size_t Documents::size() const { return impl ? impl->loaded.documents.size() : 0; }
const std::vector<Error>& Documents::errors() const { return impl->errors; }

}  // namespace pol
