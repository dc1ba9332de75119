// SPDX-License-Identifier: Apache-2.0
// The standard library: the .pol files under stdlib/, embedded in the binary at build time
// (cmake/embed_stdlib.cmake), imported as `std/<path>` — `import "std/pss/restricted.pol"`.
// Files of the stdlib import each other with relative paths, resolved inside the stdlib.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "lang/source.hpp"

namespace pol::lang {

struct EmbeddedFile {
  std::string_view name;  // "std/pss/baseline.pol"
  std::string_view text;
};

const std::vector<EmbeddedFile>& stdlib_files();

// The stdlib file `name` ("std/..."), or nullptr; one shared Source per file.
std::shared_ptr<const Source> stdlib_source(std::string_view name);

}  // namespace pol::lang
