// SPDX-License-Identifier: Apache-2.0
// Loads a policy and everything it imports, each file parsed once, in dependency order (a
// module comes after the modules it imports). Imports are resolved relative to the importing
// file and confined to the root policy's folder and below (a policy cannot read
// /etc/shadow or ../../secrets); `std/...` names the embedded standard library. Missing files,
// files outside, anything but a regular file, and import cycles are reported at the import that
// names them, without showing what the file holds.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "lang/ast.hpp"
#include "lang/diagnostic.hpp"

namespace pol::lang {

// Returns the source for `path` as imported from `from` (null for the root), or nullptr with
// `error` set. The default reads files; embedders and the stdlib can provide their own.
using ImportResolver =
    std::function<std::shared_ptr<const Source>(const std::string& path, const Source* from, std::string& error)>;

// Reads imported files under `root_folder` (the root policy's folder), each of at most `max_bytes`.
ImportResolver file_resolver(const std::string& root_folder, uint64_t max_bytes);

std::vector<Module> load_modules(std::shared_ptr<const Source> root, const ImportResolver& resolver,
                                 Diagnostics& diagnostics, uint32_t max_nesting = 64);

}  // namespace pol::lang
