// SPDX-License-Identifier: Apache-2.0
// pol's side of the YAML oracle test: reads YAML files with pol's reader and prints each
// document as JSON with pol's writer, in the oracle's format (oracle.go): one line per document
// that is not empty, {"file": F, "document": N, "json": VALUE} or {"file": F, "document": N,
// "error": TEXT}, in stream order.
#include <iostream>
#include <map>

#include "runtime/document.hpp"
#include "runtime/emit.hpp"

int main(int argc, char** argv) {
  using namespace pol;
  for (int i = 1; i < argc; ++i) {
    std::string error;
    const auto source = lang::Source::from_file(argv[i], error);
    if (!source) {
      std::cerr << argv[i] << ": " << error << '\n';
      return 2;
    }
    const runtime::LoadResult result = runtime::read_yaml(source);
    std::map<uint32_t, std::string> lines;  // by document index: documents and errors interleave
    const std::string file = runtime::json_quote(argv[i]);
    for (const runtime::Document& doc : result.documents) {
      lines[doc.index] = "{\"file\": " + file + ", \"document\": " + std::to_string(doc.index) +
                         ", \"json\": " + runtime::to_json(*doc.root) + "}";
    }
    for (const runtime::LoadError& error : result.errors) {
      lines[error.document] = "{\"file\": " + file + ", \"document\": " + std::to_string(error.document) +
                              ", \"error\": " + runtime::json_quote(error.message) + "}";
    }
    for (const auto& [index, line] : lines) std::cout << line << '\n';
  }
  return 0;
}
