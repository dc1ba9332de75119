// SPDX-License-Identifier: Apache-2.0
// A gateway-style host: compile a policy once, then evaluate admission request bodies (JSON)
// against it. Usage: embed_example POLICY.pol < request.json
#include <iostream>
#include <iterator>

#include "pol/pol.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: embed_example POLICY.pol < document.json\n";
    return 2;
  }
  pol::Options options;
  options.profile = "restricted:latest";  // the built-in profile's level and version
  const pol::Engine engine(options);
  const pol::Compiled compiled = engine.compile_file(argv[1]);
  if (!compiled) {
    for (const pol::Diagnostic& d : compiled.diagnostics) std::cerr << d.rendered;
    return 2;
  }
  const std::string body(std::istreambuf_iterator<char>(std::cin), {});
  const pol::Report report = compiled->evaluate(pol::Documents::parse(body, "request"));
  for (const pol::Error& e : report.errors) std::cerr << e.rendered;
  for (const pol::ObjectResult& object : report.results) {
    std::cout << object.kind << " " << object.name << ": " << (object.allowed() ? "allowed" : "denied") << "\n";
    for (const pol::Violation& v : object.violations) std::cout << "  " << v.check << ": " << v.reason << " (" << v.detail << ")\n";
  }
  if (!report.errors.empty()) return 2;
  for (const pol::ObjectResult& object : report.results) {
    if (!object.allowed()) return 1;
  }
  return 0;
}
