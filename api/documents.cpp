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

Documents make_documents(std::shared_ptr<const lang::Source> source) {
  auto impl = std::make_shared<Documents::Impl>();
  impl->source = source;
  impl->loaded = runtime::read_document_stream(source);
  for (const runtime::LoadError& e : impl->loaded.errors) {
    impl->errors.push_back(document_error(source, e.source, e.document, e.line, e.column, e.message));
  }
  Documents documents;
  documents.impl = std::move(impl);
  return documents;
}

}  // namespace

Documents Documents::parse(std::string text, std::string source_name) {
  return make_documents(std::make_shared<const lang::Source>(std::move(source_name), std::move(text)));
}

Documents Documents::read_file(const std::string& path) {
  const bool stdin = path == "-";
  const std::string name = stdin ? "<stdin>" : path;
  std::string error;
  std::shared_ptr<const lang::Source> source =
      lang::Source::from_file(stdin ? "/dev/stdin" : path, error, runtime::LoadLimits{}.max_bytes, name);
  if (!source) {
    auto impl = std::make_shared<Impl>();
    impl->errors.push_back(document_error(nullptr, name, 0, 0, 0, "cannot read: " + error));
    Documents documents;
    documents.impl = std::move(impl);
    return documents;
  }
  return make_documents(std::move(source));
}

size_t Documents::size() const { return impl ? impl->loaded.documents.size() : 0; }
const std::vector<Error>& Documents::errors() const { return impl->errors; }

}  // namespace pol
