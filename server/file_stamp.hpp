// SPDX-License-Identifier: Apache-2.0
// Which version of some files is on disk, to notice that they changed: the inode and the
// modification time of each, so that a Kubernetes volume's `..data` symlink swap counts even
// when the new files carry the old times.
#pragma once

#include <string>
#include <vector>

namespace pol::server {

std::string file_stamp(const std::vector<std::string>& paths);

}  // namespace pol::server
