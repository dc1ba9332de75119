// SPDX-License-Identifier: Apache-2.0
#include "lang/stdlib.hpp"

#include <map>
#include <mutex>

namespace pol::lang {

std::shared_ptr<const Source> stdlib_source(std::string_view name) {
  // Sources are built on first use and shared, so line indexes are computed once per process.
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const Source>, std::less<>> cache;
  const std::lock_guard lock(mutex);
  if (const auto it = cache.find(name); it != cache.end()) return it->second;
  for (const EmbeddedFile& file : stdlib_files()) {
    if (file.name == name) {
      auto source = std::make_shared<const Source>(std::string(file.name), std::string(file.text));
      cache.emplace(std::string(name), source);
      return source;
    }
  }
  return nullptr;
}

}  // namespace pol::lang
