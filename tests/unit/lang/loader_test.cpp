// SPDX-License-Identifier: Apache-2.0
// Imports are confined to the root policy's folder: links, devices and pipes cannot lead out.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sys/stat.h>

#include "lang/loader.hpp"

namespace fs = std::filesystem;

namespace {

std::string load_errors(const fs::path& policy) {
  std::string error;
  auto source = pol::lang::Source::from_file(policy.string(), error);
  REQUIRE(source);
  pol::lang::Diagnostics diagnostics;
  pol::lang::load_modules(source, pol::lang::file_resolver(policy.parent_path().string(), 1 << 20), diagnostics);
  return diagnostics.render();
}

}  // namespace

TEST_CASE("a link or a pipe cannot take an import outside the policy's folder", "[loader]") {
  const fs::path folder = fs::temp_directory_path() / "pol-loader-test";
  fs::remove_all(folder);
  fs::create_directories(folder / "lib");
  fs::create_symlink("/etc/passwd", folder / "lib" / "passwd.pol");
  REQUIRE(mkfifo((folder / "lib" / "pipe.pol").c_str(), 0600) == 0);
  std::ofstream(folder / "lib" / "ok.pol") << "fn one() = 1\n";
  std::ofstream(folder / "main.pol") << "import \"lib/passwd.pol\"\nimport \"lib/pipe.pol\"\nimport \"lib/ok.pol\"\n";
  const std::string errors = load_errors(folder / "main.pol");
  CHECK_THAT(errors, Catch::Contains("cannot import \"lib/passwd.pol\": it is outside the policy's folder"));
  CHECK_THAT(errors, Catch::Contains("cannot import \"lib/pipe.pol\": not a regular file"));
  CHECK_THAT(errors, !Catch::Contains("root:"));  // nothing of the file is shown
  CHECK_THAT(errors, !Catch::Contains("ok.pol"));
  fs::remove_all(folder);
}
