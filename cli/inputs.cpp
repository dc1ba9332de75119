// SPDX-License-Identifier: Apache-2.0
#include "cli/inputs.hpp"

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace pol::cli {

namespace {

bool is_manifest(const std::filesystem::path& path) {
  const std::string ext = path.extension().string();
  return ext == ".yaml" || ext == ".yml" || ext == ".json";
}

}  // namespace

std::vector<std::string> list_inputs(const std::vector<std::string>& paths, std::string_view suffix) {
  if (paths.empty()) return {"-"};
  std::vector<std::string> out;
  for (const std::string& path : paths) {
    std::error_code error;
    if (path == "-" || !std::filesystem::is_directory(path, error)) {
      out.push_back(path);  // a file that cannot be read becomes an error entry when it is read
      continue;
    }
    std::vector<std::string> files;
    for (std::filesystem::recursive_directory_iterator it(path, error), end; !error && it != end;
         it.increment(error)) {
      const std::string file = it->path().string();
      if (it->is_regular_file(error) && (suffix.empty() ? is_manifest(it->path()) : file.ends_with(suffix))) {
        files.push_back(file);
      }
    }
    std::sort(files.begin(), files.end());
    out.insert(out.end(), files.begin(), files.end());
  }
  return out;
}

}  // namespace pol::cli
