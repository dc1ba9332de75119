// SPDX-License-Identifier: Apache-2.0
#include "cli/fmt.hpp"

#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "cli/diff.hpp"
#include "cli/inputs.hpp"
#include "pol/pol.hpp"

namespace pol::cli {

namespace {

std::optional<std::string> read_text(const std::string& path) {
  if (path == "-") return std::string(std::istreambuf_iterator<char>(std::cin), {});
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return std::move(text).str();
}

bool write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  return !out.fail();
}

}  // namespace

int run_fmt(const std::vector<std::string>& paths, bool check) {
  bool failed = false;
  bool unformatted = false;
  for (const std::string& path : list_inputs(paths, ".pol")) {
    const std::string name = path == "-" ? "<stdin>" : path;
    const std::optional<std::string> text = read_text(path);
    if (!text) {
      std::cerr << "pol: cannot read " << printable(path) << "\n";
      failed = true;
      continue;
    }
    const Formatted formatted = format_policy(*text, name);
    if (!formatted.text) {
      for (const Diagnostic& d : formatted.diagnostics) std::cerr << d.rendered;
      failed = true;
      continue;
    }
    if (check) {
      const std::string diff = unified_diff(*text, *formatted.text, name);
      std::cout << diff;
      unformatted = unformatted || !diff.empty();
    } else if (path == "-") {
      std::cout << *formatted.text;
    } else if (*formatted.text != *text) {
      if (!write_text(path, *formatted.text)) {
        std::cerr << "pol: cannot write " << printable(path) << "\n";
        failed = true;
        continue;
      }
      std::cout << printable(path) << "\n";
    }
  }
  return failed ? 2 : unformatted ? 1 : 0;
}

}  // namespace pol::cli
