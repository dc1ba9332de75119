// SPDX-License-Identifier: Apache-2.0
#include "cli/inputs.hpp"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <system_error>

namespace pol::cli {

namespace fs = std::filesystem;

namespace {

bool is_manifest(const fs::path& path) {
  const std::string ext = path.extension().string();
  return ext == ".yaml" || ext == ".yml" || ext == ".json";
}

}  // namespace

std::vector<Documents> read_inputs(const std::vector<std::string>& paths) {
  std::vector<Documents> out;
  const std::vector<std::string> all = paths.empty() ? std::vector<std::string>{"-"} : paths;
  for (const std::string& path : all) {
    if (path == "-") {
      std::string text(std::istreambuf_iterator<char>(std::cin), {});
      out.push_back(Documents::parse(std::move(text), "<stdin>"));
      continue;
    }
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      std::vector<std::string> files;
      for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->is_regular_file(ec) && is_manifest(it->path())) files.push_back(it->path().string());
      }
      std::sort(files.begin(), files.end());
      for (const std::string& file : files) out.push_back(Documents::read_file(file));
      continue;
    }
    out.push_back(Documents::read_file(path));
  }
  return out;
}

}  // namespace pol::cli
