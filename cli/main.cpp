// SPDX-License-Identifier: Apache-2.0
// The `pol` command: a thin client of the library (pol/pol.hpp). CLI11 is included here only,
// as it costs ~10 s of compile time per translation unit.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <charconv>
#include <cstring>

#include <fmt/format.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>

#include "cli/fmt.hpp"
#include "cli/inputs.hpp"
#include "cli/parallel.hpp"
#include "cli/report.hpp"
#include "jit/jit.hpp"
#include "lsp/server.hpp"
#include "server/server.hpp"
#include "pol/pol.hpp"

namespace {

namespace cli = pol::cli;

constexpr int exit_allowed = 0;
constexpr int exit_denied = 1;
constexpr int exit_error = 2;

struct CheckOptions {
  std::vector<std::string> paths;
  std::vector<std::string> policies;
  std::string profile = "restricted:latest";
  std::string output = "text";
  cli::ProgressMode progress = cli::ProgressMode::Auto;
  bool profile_given = false;
  std::string admission_config;
  bool mutate = false;
  std::string date;
  std::vector<std::string> exceptions;
  bool strict = false;
  bool on_error_allow = false;
  pol::Limits limits;
  pol::Request request;
  std::string params;  // --params FILE
  pol::Options::Backend backend = pol::Options::Backend::Interpreter;  // --engine
  bool explain = false;  // pol explain
};

// `--limit NAME=N`: one of pol::Limits, by the name the docs and the error messages use.
std::string set_limit(pol::Limits& limits, const std::string& assignment) {
  const size_t equals = assignment.find('=');
  const std::string name = assignment.substr(0, equals);
  uint64_t value = 0;
  const char* digits = equals == std::string::npos ? "" : assignment.c_str() + equals + 1;
  const auto [end, ec] = std::from_chars(digits, digits + std::strlen(digits), value);
  if (equals == std::string::npos || ec != std::errc() || *end != '\0' || value == 0) {
    return "expected NAME=N with N a positive integer, got '" + assignment + "'";
  }
  const auto narrow = [&](uint32_t& field) { field = static_cast<uint32_t>(std::min<uint64_t>(value, UINT32_MAX)); };
  if (name == "steps") limits.steps = value;
  else if (name == "value-bytes") limits.value_bytes = value;
  else if (name == "call-depth") narrow(limits.call_depth);
  else if (name == "nesting") narrow(limits.nesting);
  else if (name == "policy-bytes") limits.policy_bytes = value;
  else return "unknown limit '" + name + "' (steps, value-bytes, call-depth, nesting, policy-bytes)";
  return "";
}

// --policy replaces the built-in profile, unless --profile is given too. `quiet`: the caller
// reports the diagnostics.
pol::Compiled compile(const CheckOptions& options, bool quiet = false) {
  pol::Options engine_options;
  engine_options.profile = options.profile;
  engine_options.today = options.date;
  engine_options.exceptions = options.exceptions;
  engine_options.strict = options.strict;
  engine_options.on_error_allow = options.on_error_allow;
  engine_options.request = options.request;
  if (!options.params.empty()) engine_options.params = pol::Documents::read_file(options.params);
  engine_options.limits = options.limits;
  engine_options.backend = options.backend;
  engine_options.explain = options.explain;
  const pol::Engine engine(engine_options);
  pol::Compiled compiled = options.policies.empty() || options.profile_given ? engine.compile_profile(options.policies)
                                                                             : engine.compile_files(options.policies);
  if (!quiet) {
    for (const pol::Diagnostic& d : compiled.diagnostics) std::cerr << d.rendered;
  }
  return compiled;
}

std::vector<std::string> notes(const pol::Diagnostic& d) {
  std::vector<std::string> quoted;
  for (const std::string& note : d.notes) quoted.push_back(cli::json_string(note));
  return quoted;
}

// `pol compile`: every diagnostic of the policies, no documents read; `-o json` for editors and CI.
int run_compile(CheckOptions options) {
  options.policies.insert(options.policies.end(), options.paths.begin(), options.paths.end());
  const pol::Compiled compiled = compile(options, options.output == "json");
  if (options.output == "json") {
    std::string out = fmt::format("{{\"ok\": {}, \"diagnostics\": [", compiled ? "true" : "false");
    for (size_t i = 0; i < compiled.diagnostics.size(); ++i) {
      const pol::Diagnostic& d = compiled.diagnostics[i];
      out += fmt::format(
          R"({}{{"file": {}, "line": {}, "column": {}, "end_line": {}, "end_column": {}, "severity": "{}", "message": {}, "notes": [{}]}})",
          i ? ",\n  " : "\n  ", cli::json_string(d.file), d.line, d.column, d.end_line, d.end_column,
          d.warning ? "warning" : "error", cli::json_string(d.message), fmt::join(notes(d), ", "));
    }
    out += compiled.diagnostics.empty() ? "], \"files\": [" : "\n ], \"files\": [";
    for (size_t i = 0; i < compiled.files.size(); ++i) out += (i ? ", " : "") + cli::json_string(compiled.files[i]);
    std::cout << out << "]}\n";
  } else if (compiled) {
    std::cout << fmt::format("{}: compiles\n", options.policies.empty() ? options.profile : fmt::format("{}", fmt::join(options.policies, ", ")));
  }
  return compiled ? exit_allowed : exit_error;
}

// --admission-config: Pod Security Admission's defaults and exemptions; false after reporting why not.
bool configure_admission(const CheckOptions& options, pol::Admission& admission) {
  if (options.admission_config.empty()) return true;
  std::vector<pol::Error> errors;
  if (admission.configure(pol::Documents::read_file(options.admission_config), errors)) return true;
  for (const pol::Error& e : errors) std::cerr << e.rendered;
  return false;
}

int run_check(const CheckOptions& options) {
  const pol::Compiled compiled = compile(options);
  if (!compiled) return exit_error;

  pol::Admission admission;
  if (!configure_admission(options, admission)) return exit_error;
  const pol::Report report =
      cli::evaluate_inputs(*compiled.policy, admission, cli::list_inputs(options.paths), options.progress, options.mutate);
  if (options.explain && options.output == "json") cli::write_explain_json(std::cout, report);
  else if (options.explain) cli::write_explain_text(std::cout, report);
  else if (options.output == "json") std::cout << pol::report_json(report);
  else if (options.output == "sarif") cli::write_sarif(std::cout, report);
  else if (options.output == "junit") cli::write_junit(std::cout, report);
  else cli::write_text(std::cout, report);
  for (const pol::Error& e : report.errors) std::cerr << e.rendered;
  if (!report.errors.empty()) return exit_error;
  for (const pol::ObjectResult& r : report.results) {
    if (!r.allowed()) return exit_denied;
  }
  return exit_allowed;
}

// `pol mutate`: the documents after the policies' mutations, or the patches that make them.
int run_mutate(const CheckOptions& options) {
  const pol::Compiled compiled = compile(options);
  if (!compiled) return exit_error;
  const pol::Format format = options.output == "yaml" ? pol::Format::Yaml : pol::Format::Json;
  bool errors = false, first = true;
  for (const std::string& input : cli::list_inputs(options.paths)) {
    const pol::MutationReport report = compiled->mutate(pol::Documents::read_file(input), format);
    for (const pol::MutatedDocument& d : report.documents) {
      if (options.output == "patch") {
        std::cout << fmt::format(R"({{"source": {}, "document": {}, "patch": {}}})", cli::json_string(d.source),
                                 d.document, d.patch)
                  << "\n";
      } else if (format == pol::Format::Yaml) {
        std::cout << (first ? "" : "---\n") << fmt::format("# Source: {} (document {})\n", d.source, d.document) << d.text;
      } else {
        std::cout << d.text << "\n";
      }
      first = false;
    }
    for (const pol::Error& e : report.errors) std::cerr << e.rendered;
    errors |= !report.errors.empty();
  }
  return errors ? exit_error : exit_allowed;
}

// `pol review`: answers one AdmissionReview as the webhook would (Policy::review).
int run_review(const CheckOptions& options, const std::string& mode_name) {
  const pol::Compiled compiled = compile(options);
  if (!compiled) return exit_error;
  pol::Admission admission;
  if (!configure_admission(options, admission)) return exit_error;
  const std::string path = options.paths.empty() ? "-" : options.paths.front();
  std::ifstream file;
  if (path != "-") file.open(path, std::ios::binary);
  std::istream& in = path == "-" ? std::cin : file;
  if (!in) {
    std::cerr << fmt::format("{}: error: cannot read\n", path);
    return exit_error;
  }
  const std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const pol::ReviewMode mode = mode_name == "mutate" ? pol::ReviewMode::Mutate
                               : mode_name == "both" ? pol::ReviewMode::Both
                                                     : pol::ReviewMode::Validate;
  const pol::ReviewResponse response = compiled->review(body, mode, &admission);
  if (response.http_status != 200) {
    std::cerr << fmt::format("{}: error: HTTP {}: {}\n", path, response.http_status, response.error);
    return exit_error;
  }
  std::cout << response.body << "\n";
  return response.allowed ? exit_allowed : exit_denied;
}

// `pol serve`: the admission webhook (server/server.hpp), deciding with what the files named
// on its command line say, read again when they change.
int run_serve(const CheckOptions& options, const pol::server::ServeOptions& serve_options) {
  const pol::server::DeciderLoader load = [&options] {
    pol::server::Loaded loaded;
    const pol::Compiled compiled = compile(options);
    loaded.files = compiled.files;
    for (const std::string& file : {options.params, options.admission_config}) {
      if (!file.empty()) loaded.files.push_back(file);
    }
    loaded.files.insert(loaded.files.end(), options.paths.begin(), options.paths.end());
    auto admission = std::make_shared<pol::Admission>();
    if (!compiled || !configure_admission(options, *admission)) return loaded;
    for (const std::string& path : options.paths) {
      const pol::Documents namespaces = pol::Documents::read_file(path);
      for (const pol::Error& e : namespaces.errors()) std::cerr << e.rendered;
      if (!namespaces.errors().empty()) return loaded;
      admission->add_namespaces(namespaces);
    }
    auto decider = std::make_shared<pol::server::Decider>();
    decider->policy = compiled.policy;
    decider->admission = std::move(admission);
    loaded.decider = std::move(decider);
    return loaded;
  };
  return pol::server::serve(serve_options, load);
}

// `pol test`: runs every suite (*.test.yaml under directories) and prints what differed.
int run_tests(const std::vector<std::string>& paths, const pol::Request& request, pol::Options::Backend backend) {
  std::vector<std::string> suites = cli::list_inputs(paths.empty() ? std::vector<std::string>{"."} : paths, ".test.yaml");
  size_t passed = 0, failed = 0, errors = 0;
  for (const std::string& suite : suites) {
    const pol::TestRun run = pol::run_test_suite(suite, request, backend);
    for (const pol::Error& e : run.warnings) std::cerr << e.rendered;
    for (const pol::Error& e : run.errors) std::cerr << e.rendered;
    errors += run.errors.size();
    for (const pol::TestCaseResult& result : run.cases) {
      for (const pol::TracedValue& t : result.traces) {
        std::cerr << cli::printable(fmt::format("{}: {}: {}:{}:{}: trace: {}", result.suite, result.name, t.file, t.line,
                                                t.column, t.value))
                  << "\n";
      }
      if (result.passed()) {
        ++passed;
        continue;
      }
      ++failed;
      std::cout << "FAIL " << result.suite << ": " << result.name << "\n";
      for (const std::string& difference : result.differences) std::cout << "    " << difference << "\n";
    }
  }
  std::cout << fmt::format("pol test: {} suite{}, {} passed, {} failed, {} error{}\n", suites.size(),
                           suites.size() == 1 ? "" : "s", passed, failed, errors, errors == 1 ? "" : "s");
  if (errors > 0 || suites.empty()) return exit_error;
  return failed > 0 ? exit_denied : exit_allowed;
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
  CLI::Option* profile_option =
      check_cmd->add_option("--profile", check.profile, "LEVEL[:VERSION]: privileged|baseline|restricted, v1.N|latest")
          ->default_str("restricted:latest");
  check_cmd->add_option("-o,--output", check.output, "text, json, sarif or junit")
      ->check(CLI::IsMember({"text", "json", "sarif", "junit"}));
  check_cmd->add_option("--admission-config", check.admission_config,
                        "an AdmissionConfiguration (or PodSecurityConfiguration): defaults and exemptions");
  const std::map<std::string, cli::ProgressMode> progress_modes{
      {"auto", cli::ProgressMode::Auto}, {"always", cli::ProgressMode::Always}, {"never", cli::ProgressMode::Never}};
  check_cmd->add_option("--progress", check.progress, "progress on stderr: auto (a terminal, 1000+ inputs), always, never")
      ->transform(CLI::CheckedTransformer(progress_modes));

  check_cmd->add_flag("--mutate", check.mutate, "apply the policies' mutations first, then validate");
  const std::map<std::string, bool> on_error_modes{{"deny", false}, {"allow", true}};
  check_cmd->add_option("--on-error", check.on_error_allow,
                        "deny (default: an object on which a check fails to evaluate is not allowed) or allow")
      ->transform(CLI::CheckedTransformer(on_error_modes));
  check_cmd->add_flag("--strict", check.strict,
                      "documents that are not Kubernetes objects (no `kind`) are errors, not counted and passed over");
  check_cmd->add_option("--exceptions", check.exceptions,
                        "an exception file (repeatable): its documents are the policies' `exceptions`")
      ->allow_extra_args(false);
  check_cmd->add_option("--date", check.date, "YYYY-MM-DD: the day grants' expiry dates are compared with (default: today)");
  const auto add_limit_option = [](CLI::App* command, pol::Limits& limits) {
    command->add_option_function<std::vector<std::string>>(
        "--limit",
        [&limits](const std::vector<std::string>& assignments) {
          for (const std::string& assignment : assignments) {
            if (std::string error = set_limit(limits, assignment); !error.empty()) throw CLI::ValidationError("--limit", error);
          }
        },
        "NAME=N (repeatable): steps, value-bytes, call-depth, nesting, policy-bytes (docs/inputs.md#limits)")
        ->allow_extra_args(false);
  };
  add_limit_option(check_cmd, check.limits);
  // --engine: what evaluates the checks (docs/jit.md); its default is POL_ENGINE's, else the interpreter.
  const std::map<std::string, pol::Options::Backend> backends{{"interpreter", pol::Options::Backend::Interpreter},
                                                              {"jit", pol::Options::Backend::Jit}};
  pol::Options::Backend default_backend = pol::Options::Backend::Interpreter;
  // A server evaluates for days: it compiles (20-40 ms a policy) when it has the JIT (docs/jit.md).
  pol::Options::Backend serve_default = pol::jit_available() ? pol::Options::Backend::Jit : default_backend;
  if (const char* engine = std::getenv("POL_ENGINE"); engine && *engine) {
    const auto chosen = backends.find(engine);
    if (chosen == backends.end()) {
      std::fprintf(stderr, "pol: POL_ENGINE must be 'interpreter' or 'jit', got '%s'\n", engine);
      return 2;
    }
    default_backend = serve_default = chosen->second;
  }
  if (!pol::jit::optimize_after_from_environment()) {
    std::fprintf(stderr, "pol: POL_JIT_OPTIMIZE_AFTER must be a number of documents, got '%s'\n",
                 std::getenv("POL_JIT_OPTIMIZE_AFTER"));
    return 2;
  }
  const auto add_engine_option = [&](CLI::App* command, pol::Options::Backend& backend, bool server = false) {
    backend = server ? serve_default : default_backend;
    command->add_option("--engine", backend, server ? "interpreter or jit (docs/jit.md); default: $POL_ENGINE, else jit when built with it"
                                                    : "interpreter or jit: checks compiled to machine code (docs/jit.md); default: $POL_ENGINE, else interpreter")
        ->transform(CLI::CheckedTransformer(backends));
  };
  add_engine_option(check_cmd, check.backend);
  // What a plain manifest's admission request says (an AdmissionReview brings its own).
  const auto add_request_options = [](CLI::App* command, pol::Request& request) {
    command->add_option("--operation", request.operation, "the request's operation for manifests (default: CREATE)")
        ->check(CLI::IsMember({"CREATE", "UPDATE", "DELETE", "CONNECT"}));
    command->add_option("--user", request.user, "the requesting user for manifests (request.userInfo.username)");
    command->add_option("--group", request.groups, "a group of the requesting user (repeatable)")->allow_extra_args(false);
    command->add_option("--namespace", request.namespace_name,
                        "the namespace of objects without metadata.namespace, as kubectl -n");
  };
  add_request_options(check_cmd, check.request);
  check_cmd->add_option("--params", check.params, "a YAML or JSON map: the values of the policies' parameters");

  CheckOptions mutate;
  mutate.output = "yaml";
  CLI::App* mutate_cmd = app.add_subcommand("mutate", "apply the policies' mutations: the documents, or JSON Patches");
  mutate_cmd->add_option("paths", mutate.paths, "files, directories or - for stdin (default: stdin)");
  mutate_cmd->add_option("--policy", mutate.policies, "a .pol policy file (repeatable)")->allow_extra_args(false);
  CLI::Option* mutate_profile = mutate_cmd->add_option("--profile", mutate.profile, "LEVEL[:VERSION] for leveled checks");
  mutate_cmd->add_option("--exceptions", mutate.exceptions, "an exception file (repeatable)")->allow_extra_args(false);
  mutate_cmd->add_option("-o,--output", mutate.output, "yaml, json (one document a line) or patch (RFC 6902, one a line)")
      ->check(CLI::IsMember({"yaml", "json", "patch"}));
  add_limit_option(mutate_cmd, mutate.limits);
  add_request_options(mutate_cmd, mutate.request);
  mutate_cmd->add_option("--params", mutate.params, "a YAML or JSON map: the values of the policies' parameters");

  CheckOptions review;
  std::string review_mode = "validate";
  CLI::App* review_cmd =
      app.add_subcommand("review", "answer one AdmissionReview (FILE or -) as the webhook does: the response JSON");
  review_cmd->add_option("paths", review.paths, "an AdmissionReview file, or - for stdin (default)")->expected(0, 1);
  review_cmd->add_option("--policy", review.policies, "a .pol policy file (repeatable)")->allow_extra_args(false);
  CLI::Option* review_profile = review_cmd->add_option("--profile", review.profile, "LEVEL[:VERSION]");
  review_cmd->add_option("--mode", review_mode, "validate (default), mutate or both")
      ->check(CLI::IsMember({"validate", "mutate", "both"}));
  review_cmd->add_option("--admission-config", review.admission_config, "an AdmissionConfiguration");
  review_cmd->add_option("--exceptions", review.exceptions, "an exception file (repeatable)")->allow_extra_args(false);
  review_cmd->add_option("--params", review.params, "a YAML or JSON map: the values of the policies' parameters");
  review_cmd->add_option("--on-error", review.on_error_allow, "deny (default) or allow")
      ->transform(CLI::CheckedTransformer(on_error_modes));
  add_limit_option(review_cmd, review.limits);
  add_engine_option(review_cmd, review.backend);

  CheckOptions serve;
  pol::server::ServeOptions serve_options;
  CLI::App* serve_cmd = app.add_subcommand("serve", "the admission webhook: HTTPS /validate and /mutate, probes and metrics");
  serve_cmd->add_option("--policy", serve.policies, "a .pol policy file (repeatable)")->allow_extra_args(false);
  CLI::Option* serve_profile = serve_cmd->add_option("--profile", serve.profile, "LEVEL[:VERSION]");
  serve_cmd->add_option("--admission-config", serve.admission_config, "an AdmissionConfiguration");
  serve_cmd->add_option("--exceptions", serve.exceptions, "an exception file (repeatable)")->allow_extra_args(false);
  serve_cmd->add_option("--params", serve.params, "a YAML or JSON map: the values of the policies' parameters");
  serve_cmd->add_option("--namespaces", serve.paths, "a file of Namespace objects: their pod-security labels (repeatable)")
      ->allow_extra_args(false);
  serve_cmd->add_option("--on-error", serve.on_error_allow, "deny (default) or allow")
      ->transform(CLI::CheckedTransformer(on_error_modes));
  add_limit_option(serve_cmd, serve.limits);
  add_engine_option(serve_cmd, serve.backend, /*server=*/true);
  serve_cmd->add_option("--tls-cert-file", serve_options.tls_cert_file, "the serving certificate (PEM)")->required();
  serve_cmd->add_option("--tls-private-key-file", serve_options.tls_private_key_file, "its private key (PEM)")->required();
  serve_cmd->add_option("--client-ca-file", serve_options.client_ca_file,
                        "serve only clients with a certificate this CA signed (PEM)");
  serve_cmd->add_option("--bind-address", serve_options.bind_address, "the address to listen on (default 0.0.0.0)");
  serve_cmd->add_option("--port", serve_options.port, "HTTPS port of /validate and /mutate (default 8443)");
  serve_cmd->add_option("--probe-port", serve_options.probe_port, "HTTP port of /healthz, /readyz, /metrics (default 8080)");
  serve_cmd->add_option("--threads", serve_options.threads, "threads serving requests (default: one per core)");
  serve_cmd->add_option("--max-inflight", serve_options.max_inflight, "requests answered at once; more get 429 (default 1000)");
  serve_cmd->add_option("--max-request-bytes", serve_options.max_request_bytes, "larger requests get 413 (default 7 MiB)");
  const auto milliseconds = [](std::chrono::milliseconds& into) {
    return [&into](double seconds) { into = std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000)); };
  };
  serve_cmd->add_option_function<double>("--shutdown-delay", milliseconds(serve_options.shutdown_delay),
                                         "seconds not ready, closing connections, before stopping (default 5)");
  serve_cmd->add_option_function<double>("--shutdown-timeout", milliseconds(serve_options.shutdown_timeout),
                                         "seconds requests under way get to finish (default 30)");
  const std::map<std::string, bool> log_modes{{"json", true}, {"none", false}};
  serve_cmd->add_option("--log", serve_options.log, "json (default: a line per decision on stderr) or none")
      ->transform(CLI::CheckedTransformer(log_modes));

  std::vector<std::string> test_paths;
  CLI::App* test_cmd = app.add_subcommand("test", "run policy test suites (*.test.yaml files, or directories of them)");
  test_cmd->add_option("paths", test_paths, "suite files or directories (default: .)");
  pol::Request test_request;
  add_request_options(test_cmd, test_request);
  pol::Options::Backend test_backend = pol::Options::Backend::Interpreter;
  add_engine_option(test_cmd, test_backend);

  CheckOptions explain;
  explain.explain = true;
  CLI::App* explain_cmd = app.add_subcommand(
      "explain", "evaluate as check does and show, for each object, every check that ran: rules, conditions, lets");
  explain_cmd->add_option("paths", explain.paths, "files, directories or - for stdin (default: stdin)");
  explain_cmd->add_option("--policy", explain.policies, "a .pol policy file (repeatable)")->allow_extra_args(false);
  CLI::Option* explain_profile = explain_cmd->add_option("--profile", explain.profile, "LEVEL[:VERSION]: privileged|baseline|restricted, v1.N|latest");
  explain_cmd->add_option("-o,--output", explain.output, "text or json")->check(CLI::IsMember({"text", "json"}));
  explain_cmd->add_option("--admission-config", explain.admission_config, "an AdmissionConfiguration: defaults and exemptions");
  explain_cmd->add_flag("--mutate", explain.mutate, "apply the policies' mutations first, then validate");
  explain_cmd->add_option("--exceptions", explain.exceptions, "an exception file (repeatable)")->allow_extra_args(false);
  explain_cmd->add_option("--date", explain.date, "YYYY-MM-DD: the day grants' expiry dates are compared with");
  explain_cmd->add_option("--params", explain.params, "a YAML or JSON map: the values of the policies' parameters");
  add_request_options(explain_cmd, explain.request);
  add_limit_option(explain_cmd, explain.limits);
  explain.progress = cli::ProgressMode::Never;

  CheckOptions compile_options;
  CLI::App* compile_cmd =
      app.add_subcommand("compile", "compile policies and report every diagnostic, without documents (exit 0 or 2)");
  compile_cmd->add_option("paths", compile_options.paths, "policy files (as --policy)");
  compile_cmd->add_option("--policy", compile_options.policies, "a .pol policy file (repeatable)")->allow_extra_args(false);
  CLI::Option* compile_profile =
      compile_cmd->add_option("--profile", compile_options.profile, "LEVEL[:VERSION]: also compile the built-in profile");
  compile_cmd->add_option("--exceptions", compile_options.exceptions, "an exception file (repeatable)")->allow_extra_args(false);
  compile_cmd->add_option("--params", compile_options.params, "a YAML or JSON map: the values of the policies' parameters");
  compile_cmd->add_option("-o,--output", compile_options.output, "text (diagnostics on stderr) or json (on stdout)")
      ->check(CLI::IsMember({"text", "json"}));
  add_limit_option(compile_cmd, compile_options.limits);

  std::vector<std::string> fmt_paths;
  bool fmt_check = false;
  CLI::App* fmt_cmd = app.add_subcommand("fmt", "write policies in pol's one layout (files in place; - or none: stdin to stdout)");
  fmt_cmd->add_option("paths", fmt_paths, ".pol files, directories of them, or - for stdin");
  fmt_cmd->add_flag("--check", fmt_check, "write nothing; print a diff and exit 1 if a file is not formatted");

  CLI::App* lsp_cmd = app.add_subcommand("lsp", "the language server for editors (LSP over stdin/stdout)");

  CLI::App* version_cmd = app.add_subcommand("version", "print pol's version");

  // An unknown command gets its own message (CLI11 would say "A subcommand is required").
  const auto commands = app.get_subcommands([](CLI::App*) { return true; });
  const bool known = argc > 1 && std::any_of(commands.begin(), commands.end(),
                                             [&](const CLI::App* command) { return command->get_name() == argv[1]; });
  if (argc > 1 && argv[1][0] != '-' && !known) {
    std::cerr << fmt::format("pol: unknown command '{}'; the commands are check, compile, explain, fmt, lsp, mutate, review, serve, test and version (pol --help)\n",
                             argv[1]);
    return exit_error;
  }
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
  check.profile_given = profile_option->count() > 0;
  if (test_cmd->parsed()) return run_tests(test_paths, test_request, test_backend);
  explain.profile_given = explain_profile->count() > 0;
  if (explain_cmd->parsed()) return run_check(explain);
  compile_options.profile_given = compile_profile->count() > 0;
  if (compile_cmd->parsed()) return run_compile(compile_options);
  mutate.profile_given = mutate_profile->count() > 0;
  if (mutate_cmd->parsed()) return run_mutate(mutate);
  review.profile_given = review_profile->count() > 0;
  if (review_cmd->parsed()) return run_review(review, review_mode);
  serve.profile_given = serve_profile->count() > 0;
  if (serve_cmd->parsed()) return run_serve(serve, serve_options);
  if (fmt_cmd->parsed()) return cli::run_fmt(fmt_paths, fmt_check);
  if (lsp_cmd->parsed()) return pol::lsp::serve(std::cin, std::cout);
  if (version_cmd->parsed()) {
    std::cout << "pol " << pol::version() << "\n";
    return exit_allowed;
  }
  return run_check(check);
}
