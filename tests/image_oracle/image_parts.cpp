// SPDX-License-Identifier: Apache-2.0
// pol's side of the image oracle test: each line of standard input through the `image` builtin,
// printed as the oracle prints it (tests/image_oracle/oracle.go).
#include <fmt/format.h>

#include <iostream>
#include <string>

#include "runtime/builtins/registry.hpp"
#include "pol/pol.hpp"

using namespace pol::runtime;

int main() {
  const Builtin* image = builtins().find("image");
  std::string line;
  while (std::getline(std::cin, line)) {
    Value args[1] = {Value::string(line)};
    try {
      const Value parts = call_builtin(*image, args);
      if (parts.is_null()) throw EvalError("no image");  // "": pol reads an absent image as null
      std::cout << fmt::format(R"({{"ref": {}, "registry": {}, "repository": {}, "tag": {}, "digest": {}}})", pol::json_string(line),
                               pol::json_string(parts.get("registry").as_string()), pol::json_string(parts.get("repository").as_string()),
                               pol::json_string(parts.get("tag").as_string()), pol::json_string(parts.get("digest").as_string()))
                << "\n";
    } catch (const EvalError& e) {
      std::cout << fmt::format(R"({{"ref": {}, "error": {}}})", pol::json_string(line), pol::json_string(e.what())) << "\n";
    }
  }
  return 0;
}
