// SPDX-License-Identifier: Apache-2.0
// The `pol` command: a thin client of the library (pol/pol.hpp). CLI11 is included here only,
// as it costs ~10 s of compile time per translation unit.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <iostream>
#include <iterator>

#include "cli/inputs.hpp"
#include "cli/report.hpp"
#include "pol/pol.hpp"

namespace {

constexpr int exit_allowed = 0;
constexpr int exit_denied = 1;
constexpr int exit_error = 2;

struct CheckOptions {
  std::vector<std::string> paths;
  std::vector<std::string> policies;
  std::string profile = "restricted:latest";
  std::string output = "text";
};

int run_check(const CheckOptions& options) {
  if (options.policies.empty()) {
    std::cerr << "pol check: no policy given; use --policy FILE.pol\n";
    return exit_error;
  }
  const pol::Engine engine(pol::Options{options.profile});
  const pol::Compiled compiled = engine.compile_files(options.policies);
  for (const pol::Diagnostic& d : compiled.diagnostics) std::cerr << d.rendered;
  if (!compiled) return exit_error;

  pol::Report report;
  for (const pol::Documents& documents : pol::cli::read_inputs(options.paths)) {
    pol::Report part = compiled->evaluate(documents);
    std::move(part.results.begin(), part.results.end(), std::back_inserter(report.results));
    std::move(part.errors.begin(), part.errors.end(), std::back_inserter(report.errors));
    report.skipped += part.skipped;
  }
  if (options.output == "json") pol::cli::write_json(std::cout, report);
  else pol::cli::write_text(std::cout, report);
  for (const pol::Error& e : report.errors) std::cerr << e.rendered;
  if (!report.errors.empty()) return exit_error;
  for (const pol::ObjectResult& r : report.results) {
    if (!r.allowed()) return exit_denied;
  }
  return exit_allowed;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"pol: policies for Kubernetes pods"};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "help for every subcommand");

  CheckOptions check;
  CLI::App* check_cmd = app.add_subcommand("check", "evaluate policies over manifests (PATH: file, directory or -)");
  check_cmd->add_option("paths", check.paths, "files, directories or - for stdin (default: stdin)");
  check_cmd->add_option("--policy", check.policies, "a .pol policy file (repeatable)")->allow_extra_args(false);
  check_cmd->add_option("--profile", check.profile, "LEVEL[:VERSION]: privileged|baseline|restricted, v1.N|latest")
      ->default_str("restricted:latest");
  check_cmd->add_option("-o,--output", check.output, "text or json")->check(CLI::IsMember({"text", "json"}));

  CLI::App* version_cmd = app.add_subcommand("version", "print pol's version");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return exit_error;
  }
  if (version_cmd->parsed()) {
    std::cout << "pol " << pol::version() << "\n";
    return exit_allowed;
  }
  return run_check(check);
}
