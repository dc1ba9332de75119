// SPDX-License-Identifier: Apache-2.0
// The `pol` command: a thin client of the library (pol/pol.hpp). CLI11 is included here only,
// as it costs ~10 s of compile time per translation unit.
#include <CLI/CLI.hpp>

#include <iostream>

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

// Results of several policies over the same documents: violations are appended per object.
void merge(pol::Report& into, pol::Report from) {
  if (into.results.empty() && into.errors.empty()) {
    into = std::move(from);
    return;
  }
  for (size_t i = 0; i < into.results.size() && i < from.results.size(); ++i) {
    auto& target = into.results[i];
    auto& source = from.results[i];
    target.violations.insert(target.violations.end(), source.violations.begin(), source.violations.end());
    target.warnings.insert(target.warnings.end(), source.warnings.begin(), source.warnings.end());
  }
  for (pol::Error& e : from.errors) {
    if (e.message.starts_with("check '")) into.errors.push_back(std::move(e));  // read errors are already there
  }
}

int run_check(const CheckOptions& options) {
  if (options.policies.empty()) {
    std::cerr << "pol check: no policy given; use --policy FILE.pol\n";
    return exit_error;
  }
  const pol::Engine engine(pol::Options{options.profile});
  std::vector<std::shared_ptr<const pol::Policy>> policies;
  bool compile_failed = false;
  for (const std::string& path : options.policies) {
    pol::Compiled compiled = engine.compile_file(path);
    for (const pol::Diagnostic& d : compiled.diagnostics) std::cerr << d.rendered;
    if (!compiled) compile_failed = true;
    else policies.push_back(compiled.policy);
  }
  if (compile_failed) return exit_error;

  pol::Report report;
  for (const pol::Documents& documents : pol::cli::read_inputs(options.paths)) {
    pol::Report per_source;
    for (const auto& policy : policies) merge(per_source, policy->evaluate(documents));
    for (auto& r : per_source.results) report.results.push_back(std::move(r));
    for (auto& e : per_source.errors) report.errors.push_back(std::move(e));
    report.skipped += per_source.skipped;
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
