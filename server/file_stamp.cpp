// SPDX-License-Identifier: Apache-2.0
#include "server/file_stamp.hpp"

#include <fmt/format.h>
#include <sys/stat.h>

namespace pol::server {

std::string file_stamp(const std::vector<std::string>& paths) {
  std::string stamp;
  for (const std::string& path : paths) {
    struct stat info {};
    if (stat(path.c_str(), &info) != 0) stamp += "missing/";
    else stamp += fmt::format("{}:{}.{}/", info.st_ino, info.st_mtim.tv_sec, info.st_mtim.tv_nsec);
  }
  return stamp;
}

}  // namespace pol::server
