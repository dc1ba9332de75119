// SPDX-License-Identifier: Apache-2.0
// pol fmt (lang/format.hpp) over every .pol file of the tree that parses: the tree is in the
// one layout, any change of indentation, blank lines or trailing blanks gives that layout back,
// and the formatted text parses to the same AST.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "lang/ast_text.hpp"
#include "lang/format.hpp"
#include "lang/parser.hpp"

namespace {

using namespace pol::lang;

std::shared_ptr<const Source> source(std::string text) { return std::make_shared<const Source>("t.pol", std::move(text)); }

std::optional<std::string> formatted(const std::string& text) {
  Diagnostics diagnostics;
  return format(source(text), diagnostics);
}

std::optional<std::string> ast(const std::string& text) {
  Diagnostics diagnostics;
  const std::optional<Module> module = parse(source(text), diagnostics);
  return module ? std::optional(ast_text(*module)) : std::nullopt;
}

// Every line re-indented by 0-8 blanks (a tab among them), trailing blanks, blank lines doubled.
std::string scramble(const std::string& text) {
  std::istringstream in(text);
  std::string line;
  std::string out;
  for (size_t n = 0; std::getline(in, line); ++n) {
    line.erase(0, line.find_first_not_of(" \t"));
    if (line.empty()) {
      out += "\n \n";
      continue;
    }
    out += std::string(n * 7 % 9, ' ') + (n % 5 == 0 ? "\t" : "") + line + (n % 3 == 0 ? "  \n" : "\n");
  }
  return out;
}

std::vector<std::filesystem::path> tree_policies() {
  std::vector<std::filesystem::path> files;
  for (const char* folder : {"stdlib", "policies", "examples", "tests"}) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(std::string(POL_SOURCE_DIR "/") + folder)) {
      if (entry.path().extension() == ".pol" && entry.path().string().find("/.node/") == std::string::npos) {
        files.push_back(entry.path());
      }
    }
  }
  return files;
}

}  // namespace

TEST_CASE("fmt: the tree is formatted, scrambled layouts come back, the AST is kept", "[fmt]") {
  size_t parsed = 0;
  for (const std::filesystem::path& path : tree_policies()) {
    std::ifstream in(path);
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string text = buffer.str();
    const std::optional<std::string> tree_ast = ast(text);
    if (!tree_ast) continue;  // the syntax errors of tests/lang/errors
    ++parsed;
    INFO(path.string());
    CHECK(formatted(text) == text);
    const std::string scrambled = scramble(text);
    REQUIRE(scrambled != text);
    const std::optional<std::string> back = formatted(scrambled);
    REQUIRE(back);
    CHECK(*back == text);
    CHECK(ast(*back) == tree_ast);
  }
  CHECK(parsed > 100);
}

TEST_CASE("fmt: spacing, brackets, comments and blank lines", "[fmt]") {
  CHECK(formatted("const  x=[ 1,2 ,- 3 ]# note\n") == "const x = [1, 2, -3]  # note\n");
  CHECK(formatted("fn f( a ,b )=g( a )[ 0 ] .name\n") == "fn f(a, b) = g(a)[0].name\n");
  CHECK(formatted("const m = { a : 1, \"b c\":{ } }\n") == "const m = {a: 1, \"b c\": {}}\n");
  CHECK(formatted("const n = - - 1\n") == "const n = - -1\n");  // `--` would not parse
  CHECK(formatted("\n\n# head\n\n\n\nconst a = 1\n\n\n") == "# head\n\nconst a = 1\n");
  // A bracket opened on an earlier line: 2 more than that line; its closer goes back.
  CHECK(formatted("const a = f([\n1,\n    g(2,\n3),\n      ])\n") == "const a = f([\n  1,\n  g(2,\n    3),\n])\n");
  // Comments take the indentation of the code after them; at a block's end, the block's.
  CHECK(formatted("check c {\n# a\n      deny if true\n   # b\n reason \"r\"\n    # c\n}\n") ==
        "check c {\n  # a\n  deny if true\n    # b\n    reason \"r\"\n  # c\n}\n");
  // No blank line after a block opens or before it closes.
  CHECK(formatted("check c {\n\n  deny if true reason \"r\"\n\n}\n") == "check c {\n  deny if true reason \"r\"\n}\n");
  // Strings, raw strings and versions are written as they are.
  CHECK(formatted("const s = \"a  {x+1}  b\"  \nconst r = r\"^a  b$\"\n") == "const s = \"a  {x+1}  b\"\nconst r = r\"^a  b$\"\n");
  CHECK(formatted("") == "");
  CHECK_FALSE(formatted("const = 1\n"));
}
