// SPDX-License-Identifier: Apache-2.0
// pol's public interface for embedding: compile a policy once, then evaluate documents against
// it from any number of threads. Nothing here throws: compile failures come back as
// diagnostics, unreadable documents as errors in the report.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <optional>
#include <string_view>
#include <vector>

namespace pol {

/// A problem in a policy or a document, with its position (line and column are 1-based; 0 when
/// unknown) and the rendered form `file:line:col: error: message` + source line + caret.
struct Diagnostic {
  std::string file;
  uint32_t line = 0;
  uint32_t column = 0;
  std::string message;
  std::string rendered;
  bool warning = false;  ///< a warning: the policy compiles all the same
  uint32_t end_line = 0;  ///< where the culprit ends (one past its last character); 0 when unknown
  uint32_t end_column = 0;
  std::vector<std::string> notes{};  ///< what the rendered text shows as `= note: ...`
};

/// Where a violation is: the container, the field path and its position in the manifest.
struct Location {
  std::string container;
  std::string path;
  uint32_t line = 0;
  uint32_t column = 0;
};

struct Violation {
  std::string policy;  ///< "restricted:latest", or the user policy's name
  std::string check;   ///< the check id
  std::string reason;
  std::string detail;
  std::vector<Location> locations;
};

/// A check that did not apply to an object, and why: a Pod Security Admission exemption
/// (`check` is "*": the whole built-in profile) or an exception row.
struct Exemption {
  std::string check;
  std::string by;  ///< "admission-config/namespaces", a table row, ...
  std::string why;
  std::string owner;
  std::string expires;
};

/// A document that could not be read or evaluated.
struct Error {
  std::string source;
  uint32_t document = 0;
  uint32_t line = 0;
  uint32_t column = 0;
  std::string message;
  std::string rendered;  ///< `source:line:col: error: message`, the line and a caret (and notes)
};

/// A value shown to the policy's author: a `let` a check read (`name` is the let's), or what a
/// `trace(x)` call saw (`name` "trace"), with where it is in the policy and the value as JSON.
struct TracedValue {
  std::string name;
  std::string value;  ///< JSON
  std::string file;
  uint32_t line = 0;
  uint32_t column = 0;
};

/// One rule of an explained check: its condition as written, the condition's value (JSON), and
/// whether the rule fired.
struct ExplainedRule {
  std::string kind;  ///< "deny" or "warn"
  std::string condition;
  std::string value;
  bool fired = false;
  std::string file;
  uint32_t line = 0;
  uint32_t column = 0;
};

/// A check that ran on an object, as `pol explain` shows it (Options::explain): every rule it
/// evaluated and every let it read, in order, with their values and places in the policy.
struct ExplainedCheck {
  std::string policy;
  std::string check;
  std::string file;
  uint32_t line = 0;
  uint32_t column = 0;
  std::vector<ExplainedRule> rules;
  std::vector<TracedValue> lets;
  std::string error;  ///< the check failed to evaluate: why (its rules stop there)
};

/// The decision for one object that carries a pod spec.
struct ObjectResult {
  std::string source;
  uint32_t document = 0;  ///< index of the document in its source's stream (a List's items share it)
  uint32_t line = 0;      ///< where the object starts in its source
  uint32_t column = 0;
  std::string api_version;
  std::string kind;
  std::string namespace_name;
  std::string name;
  std::vector<Violation> violations;
  std::vector<Violation> warnings;
  std::vector<Exemption> exempted;
  std::vector<std::string> mutated;  ///< with mutations (check --mutate): the fields defaulted, "add /spec/..."
  /// Checks, mutations or grants that could not be evaluated on this object (also in Report::errors).
  std::vector<Error> errors;
  bool fail_open = false;  ///< Options::on_error_allow: errors alone do not deny
  std::vector<TracedValue> traces;  ///< what the policies' trace() calls saw, in order
  std::vector<ExplainedCheck> explained;  ///< with Options::explain: each check that ran
  /// Fail closed: an object is allowed only when nothing denies it and nothing failed on it.
  bool allowed() const { return violations.empty() && (errors.empty() || fail_open); }
};

/// A document that is not a Kubernetes object (it has no `kind`: a Helm Chart.yaml, a CI
/// workflow, a plain list), found where objects were read. Not evaluated, and not an error
/// unless Options::strict asks for it.
struct NotAnObject {
  std::string source;
  uint32_t document = 0;
  uint32_t line = 0;
  uint32_t column = 0;
  std::string reason;  ///< "a map without 'kind'", "a list, not a map with apiVersion and kind"
};

struct Report {
  std::vector<ObjectResult> results;
  std::vector<Error> errors;
  uint32_t skipped = 0;  ///< objects without a pod spec (Services, ConfigMaps, ...)
  std::vector<NotAnObject> not_objects;
};

/// Parsed documents of one source (a file, a request body, stdin). Cheap to copy.
class Documents {
 public:
  /// YAML (multi-document) or JSON, chosen by the first non-blank character.
  static Documents parse(std::string text, std::string source_name = "<input>");
  /// Reads a file, or standard input for "-" (named "<stdin>"). Inputs over 128 MiB are refused.
  static Documents read_file(const std::string& path);
  size_t size() const;
  const std::vector<Error>& errors() const;
  /// How many documents of the stream this one numbered, read or broken: a part read by
  /// FileParts::read numbers its documents from 0, and the next part's from this many more.
  uint32_t stream_length() const;

  struct Impl;
  std::shared_ptr<const Impl> impl;
};

/// A file planned in parts to be read one at a time, each part's memory freed as soon as its
/// Documents are dropped: memory holds the file's text and the parts being worked on, not every
/// document of the file. A YAML stream is cut at `---` lines, a JSON array between items (a
/// stream of objects between objects); anything else is one part. Parts may be read on several
/// threads at once. A part's documents are numbered from 0 (see Documents::stream_length); their
/// lines and columns are those of the whole file.
class FileParts {
 public:
  /// Reads the text of `path` ("-": standard input) and plans parts of about `part_bytes`.
  static FileParts open(const std::string& path, size_t part_bytes);
  size_t size() const;
  Documents read(size_t part) const;
  /// Whether the part may hold `word` (e.g. "Namespace"), without reading it: its text contains
  /// the word, or an escape (`\u`, `\x`, `\U`) that could spell it.
  bool may_hold(size_t part, std::string_view word) const;
  /// Whether the file was cut as JSON. A JSON part with a reading error means the file is
  /// broken: read it whole then (Documents::read_file), which reports the error where one JSON
  /// stream stops, with the documents before it; the parts would go on past it.
  bool json() const;

  struct Impl;
  std::shared_ptr<const Impl> impl;
};

/// What evaluating one document may spend, and how large a policy may be. The defaults are far
/// above what the shipped policies use; reaching one is an error (for a document: located, and
/// the object is not allowed; for a policy: a compile error), never a hang or a crash.
struct Limits {
  uint64_t steps = 10'000'000;           ///< loop iterations and function calls per document
  uint64_t value_bytes = 128ull << 20;   ///< bytes of strings, lists and maps a document's evaluation holds at once
  uint32_t call_depth = 200;             ///< functions calling functions
  uint32_t nesting = 64;                 ///< brackets, parentheses and blocks nested in a policy
  uint64_t policy_bytes = 16ull << 20;   ///< size of one policy file
};

/// The admission request a plain manifest is judged as (`request`, `namespace` in policies): what
/// kubectl would send. An AdmissionReview brings its own request, and these do not apply.
struct Request {
  std::string operation = "CREATE";  ///< CREATE, UPDATE, DELETE or CONNECT
  std::string user;                  ///< request.userInfo.username; also Pod Security Admission's usernames exemption
  std::vector<std::string> groups;   ///< request.userInfo.groups
  std::string namespace_name;        ///< for objects without metadata.namespace, as `kubectl -n`
};

struct Options {
  /// Level and version the checks are selected by: privileged|baseline|restricted[:v1.N|latest].
  std::string profile = "restricted:latest";
  /// The day grants' `expires` dates are compared with, YYYY-MM-DD; empty: today (UTC).
  std::string today;
  /// Exception files (YAML/JSON): their documents are the policies' constant `exceptions`.
  std::vector<std::string> exceptions;
  /// Documents that are not Kubernetes objects are errors, not listed in Report::not_objects.
  bool strict = false;
  /// What evaluates the checks (docs/jit.md). Jit: checks compiled to machine code with LLVM
  /// decide each object, and the interpreter evaluates the checks they cannot pass (a rule that
  /// fires, with its messages) or that are not compiled; same answers either way. A build
  /// without LLVM (jit_available() false), or a JIT that fails, uses the interpreter with a
  /// warning in Compiled::diagnostics.
  enum class Backend { Interpreter, Jit };
  Backend backend = Backend::Interpreter;
  /// Fail open, like a webhook's `failurePolicy: Ignore`: an object on which a check, mutation or
  /// grant fails to evaluate is allowed if nothing denies it (the failure is still reported).
  bool on_error_allow = false;
  /// Record, for each object, every check that ran: its rules' conditions and values and the
  /// lets they read (ObjectResult::explained, `pol explain`). The policy is then compiled as
  /// written, without the optimizer (which folds lets away), and interpreted: slower, same answers.
  bool explain = false;
  Limits limits;
  Request request;
  /// The values of the policies' `param`s: one YAML or JSON map (`pol check --params FILE`,
  /// Documents::read_file or Documents::parse). Empty: every parameter takes its default.
  Documents params;
};

/// Pod Security Admission's settings for a run, applied to the built-in profile: the defaults
/// and exemptions of an AdmissionConfiguration (or PodSecurityConfiguration), and the levels
/// that Namespace objects set for their pods with pod-security.kubernetes.io labels (enforce →
/// violations; audit and warn → warnings). Configure it, then share it read-only.
class Admission {
 public:
  Admission();
  /// Reads the configuration file's documents; on a problem, adds errors and returns false.
  bool configure(const Documents& config, std::vector<Error>& errors);
  /// Takes the Namespace objects of `documents`: their pod-security labels set their pods'
  /// levels, and policies read them as `namespace_object`.
  void add_namespaces(const Documents& documents);

  struct Impl;
  std::shared_ptr<Impl> impl;
};

/// One document after the policy's mutations.
struct MutatedDocument {
  std::string source;
  uint32_t document = 0;
  std::string text;   ///< the mutated document, as JSON (one line) or YAML
  std::string patch;  ///< the RFC 6902 JSON Patch from the document given to `text` (a JSON array)
  size_t operations = 0;
};

struct MutationReport {
  std::vector<MutatedDocument> documents;  ///< every document read, changed or not
  std::vector<Error> errors;
};

enum class Format { Json, Yaml };

/// What an admission webhook does with a review: validate (deny or allow), mutate (a patch), or
/// both (the checks see the mutated object, and the response carries the patch).
enum class ReviewMode { Validate, Mutate, Both };

/// The answer to one AdmissionReview (see Policy::review).
struct ReviewResponse {
  /// 200 with `body` the AdmissionReview response; 400 when the request is not an
  /// admission.k8s.io/v1 AdmissionReview with a request uid (`error` says why, `body` is empty):
  /// the webhook's failurePolicy then decides, as for any call that fails.
  int http_status = 200;
  std::string body;
  std::string error;
  bool allowed = false;
  std::string uid;
  std::string operation;  ///< request.operation, for logs
  ObjectResult result;  ///< the object's result, for logs and metrics (empty when nothing was judged)
};

/// A compiled policy: immutable, safe to evaluate from many threads at once.
class Policy {
 public:
  const std::string& name() const;  ///< the first policy's name
  /// With `mutate`, the policy's mutations are applied first and the checks see their result.
  Report evaluate(const Documents& documents, const Admission* admission = nullptr, bool mutate = false) const;
  /// Applies the policy's mutations (`apply` declarations) to every object with a pod spec.
  MutationReport mutate(const Documents& documents, Format format = Format::Json) const;
  /// Whether the policy declares any mutation to apply.
  bool mutates() const;
  /// Answers an AdmissionReview (JSON, as the API server sends it to a webhook) with the
  /// AdmissionReview response: uid echoed, allowed or denied with a 403 status and Pod Security
  /// Admission's wording, warnings, and for mutations a base64 JSONPatch of request.object. An
  /// object the policy cannot evaluate is denied (Options::on_error_allow: allowed, with a
  /// warning). `admission`: Pod Security Admission's settings and Namespace objects.
  /// `deadline`: an evaluation still running then stops, and the object is denied for it (a
  /// webhook passes the API server's `?timeout`, less a margin).
  ReviewResponse review(std::string_view admission_review, ReviewMode mode = ReviewMode::Validate,
                        const Admission* admission = nullptr,
                        std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max()) const;

  struct Impl;
  std::shared_ptr<const Impl> impl;
};

struct Compiled {
  std::shared_ptr<const Policy> policy;  ///< null when the policy does not compile
  std::vector<Diagnostic> diagnostics;
  /// The files read, whether or not the policy compiled: the policies, what they import (not the
  /// embedded standard library) and the exception files. A host that reloads on change watches
  /// these (and Options::params' file, which the engine gets already read).
  std::vector<std::string> files;
  explicit operator bool() const { return policy != nullptr; }
  const Policy* operator->() const { return policy.get(); }
};

class Engine {
 public:
  explicit Engine(Options options = {});
  Compiled compile_file(const std::string& path) const;
  /// Several policy files evaluated as one: each object gets the violations of all of them,
  /// policy by policy in the order given.
  Compiled compile_files(const std::vector<std::string>& paths) const;
  Compiled compile_string(const std::string& source_name, std::string text) const;
  /// The built-in Pod Security Standards at Options::profile (violations labelled
  /// "restricted:latest" etc.), followed by the given policy files.
  Compiled compile_profile(const std::vector<std::string>& paths = {}) const;

 private:
  Compiled compile_sources(bool with_profile, const std::vector<std::string>& paths) const;
  Options options_;
};

/// A policy's text in pol's one layout (`pol fmt`, docs/authoring.md#formatting).
struct Formatted {
  std::optional<std::string> text;      ///< absent when the text does not parse
  std::vector<Diagnostic> diagnostics;  ///< the syntax error, if any
};
/// `name` is the file name diagnostics give.
Formatted format_policy(std::string_view text, std::string name = "<stdin>");

/// Whether this build has the LLVM JIT (Options::Backend::Jit).
bool jit_available();

/// The report as JSON: `pol check -o json`'s stable contract (docs/inputs.md#output-formats), one object a line.
std::string report_json(const Report& report);

/// `text` as a JSON string literal, quotes and escapes included (for hosts writing JSON).
std::string json_string(std::string_view text);
/// `text` safe for a terminal or a log: control characters (an ESC in a pod name, a newline in a
/// field) written as `\x1b`, `\u009b`, ... (for hosts writing text).
std::string printable(std::string_view text);

/// `Kind namespace/name`, or `Kind name` without a namespace (`Kind (unnamed)` without a name).
std::string object_name(const ObjectResult& object);

/// Violations come policy by policy; this splits them into each policy's run.
std::vector<std::span<const Violation>> by_policy(const std::vector<Violation>& violations);

/// Pod Security Admission's wording for the violations of one policy:
/// `would violate PodSecurity "restricted:latest": reason (detail), reason (detail)` for the
/// built-in profiles, `... policy "name": ...` for user policies. `verb` replaces "would violate".
std::string message(std::span<const Violation> violations, std::string_view verb = "would violate");

/// One case of a policy test suite and what differed from its expectations.
struct TestCaseResult {
  std::string suite;  ///< the suite file
  std::string name;
  std::vector<std::string> differences;  ///< empty when the case passed
  std::vector<TracedValue> traces;       ///< what trace() calls saw while the case ran
  bool passed() const { return differences.empty(); }
};

struct TestRun {
  std::vector<TestCaseResult> cases;
  std::vector<Error> errors;    ///< suites, policies or inputs that could not be read
  std::vector<Error> warnings;  ///< the policies' warnings (they compile all the same): not failures
};

/// Runs a test suite file (YAML: policies, profile, cases with expectations); see docs/testing.md.
/// `request`: what the suite's cases are judged as when neither the suite nor the case says
/// (`pol test --namespace ...`).
TestRun run_test_suite(const std::string& path, const Request& request = {},
                       Options::Backend backend = Options::Backend::Interpreter);

const char* version();

}  // namespace pol
