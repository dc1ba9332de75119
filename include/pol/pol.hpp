// SPDX-License-Identifier: Apache-2.0
// pol's public interface for embedding: compile a policy once, then evaluate documents against
// it from any number of threads. Nothing here throws: compile failures come back as
// diagnostics, unreadable documents as errors in the report.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
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
  bool allowed() const { return violations.empty(); }
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

struct Report {
  std::vector<ObjectResult> results;
  std::vector<Error> errors;
  uint32_t skipped = 0;  ///< objects without a pod spec (Services, ConfigMaps, ...)
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

  struct Impl;
  std::shared_ptr<const Impl> impl;
};

struct Options {
  /// Level and version the checks are selected by: privileged|baseline|restricted[:v1.N|latest].
  std::string profile = "restricted:latest";
};

/// A compiled policy: immutable, safe to evaluate from many threads at once.
class Policy {
 public:
  const std::string& name() const;  ///< the first policy's name
  Report evaluate(const Documents& documents) const;

  struct Impl;
  std::shared_ptr<const Impl> impl;
};

struct Compiled {
  std::shared_ptr<const Policy> policy;  ///< null when the policy does not compile
  std::vector<Diagnostic> diagnostics;
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

const char* version();

}  // namespace pol
