// SPDX-License-Identifier: Apache-2.0
#include "lang/loader.hpp"

#include <algorithm>
#include <filesystem>
#include <fmt/format.h>

#include "lang/parser.hpp"
#include "lang/stdlib.hpp"

namespace pol::lang {

namespace fs = std::filesystem;

namespace {

// Whether `path` is `folder` or lies below it (both canonical).
bool is_within(const fs::path& path, const fs::path& folder) {
  const auto [folder_end, path_at] = std::mismatch(folder.begin(), folder.end(), path.begin(), path.end());
  return folder_end == folder.end();
}

}  // namespace

ImportResolver file_resolver(const std::string& root_folder, uint64_t max_bytes) {
  std::error_code ec;
  const fs::path root = fs::weakly_canonical(root_folder.empty() ? fs::path(".") : fs::path(root_folder), ec);
  const std::string shown = root_folder.empty() ? "." : root_folder;
  return [root, shown, max_bytes](const std::string& path, const Source* from,
                           std::string& error) -> std::shared_ptr<const Source> {
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
    // Symbolic links are followed before the check, so a link cannot lead outside either.
    std::error_code ec;
    const fs::path real = fs::weakly_canonical(resolved, ec);
    if (ec || !is_within(real, root)) {
      error = fmt::format("it is outside the policy's folder '{}' (a policy imports files from its own folder and "
                          "below, and std/...)", shown);
      return nullptr;
    }
    const fs::file_status status = fs::status(real, ec);
    if (!fs::exists(status)) {
      error = "No such file or directory";
      return nullptr;
    }
    if (!fs::is_regular_file(status)) {
      error = "not a regular file";
      return nullptr;
    }
    return Source::from_file(resolved.string(), error, max_bytes);
  };
}

namespace {

class Loader {
 public:
  Loader(const ImportResolver& resolver, Diagnostics& diagnostics, uint32_t max_nesting)
      : resolver_(resolver), diagnostics_(diagnostics), max_nesting_(max_nesting) {}

  void load(std::shared_ptr<const Source> source) {
    const std::string& name = source->name();
    if (std::find(stack_.begin(), stack_.end(), name) != stack_.end()) return;  // reported by the importer
    for (const Module& done : modules_) {
      if (done.source->name() == name) return;
    }
    std::optional<Module> module = parse(source, diagnostics_, max_nesting_);
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
  uint32_t max_nesting_;
  std::vector<std::string> stack_;
  std::vector<Module> modules_;
};

}  // namespace

std::vector<Module> load_modules(std::shared_ptr<const Source> root, const ImportResolver& resolver,
                                 Diagnostics& diagnostics, uint32_t max_nesting) {
  Loader loader(resolver, diagnostics, max_nesting);
  loader.load(std::move(root));
  return loader.take();
}

}  // namespace pol::lang
