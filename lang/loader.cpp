// SPDX-License-Identifier: Apache-2.0
#include "lang/loader.hpp"

#include <algorithm>
#include <filesystem>

#include "lang/parser.hpp"
#include "lang/stdlib.hpp"

namespace pol::lang {

namespace fs = std::filesystem;

ImportResolver file_resolver() {
  return [](const std::string& path, const Source* from, std::string& error) -> std::shared_ptr<const Source> {
    const bool in_stdlib = path.starts_with("std/") || (from && from->name().starts_with("std/"));
    fs::path resolved = path;
    if (from && resolved.is_relative() && !path.starts_with("std/")) {
      resolved = fs::path(from->name()).parent_path() / resolved;
    }
    resolved = resolved.lexically_normal();
    if (in_stdlib) {
      std::shared_ptr<const Source> source = stdlib_source(resolved.generic_string());
      if (!source) error = "no such file in the standard library";
      return source;
    }
    return Source::from_file(resolved.string(), error);
  };
}

namespace {

class Loader {
 public:
  Loader(const ImportResolver& resolver, Diagnostics& diagnostics) : resolver_(resolver), diagnostics_(diagnostics) {}

  void load(std::shared_ptr<const Source> source) {
    const std::string& name = source->name();
    if (std::find(stack_.begin(), stack_.end(), name) != stack_.end()) return;  // reported by the importer
    for (const Module& done : modules_) {
      if (done.source->name() == name) return;
    }
    std::optional<Module> module = parse(source, diagnostics_);
    if (!module) return;
    stack_.push_back(name);
    for (const ImportDecl& import : module->imports) {
      std::string error;
      std::shared_ptr<const Source> imported = resolver_(import.path, source.get(), error);
      if (!imported) {
        diagnostics_.error(source, import.span, "cannot import \"" + import.path + "\": " + error);
        continue;
      }
      if (std::find(stack_.begin(), stack_.end(), imported->name()) != stack_.end()) {
        std::string cycle;
        for (auto it = std::find(stack_.begin(), stack_.end(), imported->name()); it != stack_.end(); ++it) {
          cycle += *it + " -> ";
        }
        diagnostics_.error(source, import.span, "import cycle: " + cycle + imported->name());
        continue;
      }
      load(imported);
    }
    stack_.pop_back();
    modules_.push_back(std::move(*module));
  }

  std::vector<Module> take() { return std::move(modules_); }

 private:
  const ImportResolver& resolver_;
  Diagnostics& diagnostics_;
  std::vector<std::string> stack_;
  std::vector<Module> modules_;
};

}  // namespace

std::vector<Module> load_modules(std::shared_ptr<const Source> root, const ImportResolver& resolver,
                                 Diagnostics& diagnostics) {
  Loader loader(resolver, diagnostics);
  loader.load(std::move(root));
  return loader.take();
}

}  // namespace pol::lang
