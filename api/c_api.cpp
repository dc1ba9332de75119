// SPDX-License-Identifier: Apache-2.0
// The C API (include/pol/pol.h) over the C++ one: handles own C++ objects, every entry point
// catches what C++ may throw, and strings handed over are malloc'd for pol_free.
#include "pol/pol.h"

#include <fmt/format.h>

#include <cstdlib>
#include <algorithm>
#include <cstring>
#include <new>
#include <optional>

#include "pol/pol.hpp"

struct pol_engine {
  pol::Engine engine;
};

struct pol_policy {
  pol::Compiled compiled;
  std::string warnings;
};

struct pol_result {
  struct Entry {
    std::string name, message, document, patch;
    bool allowed = false;
  };
  std::string json;
  std::string errors;
  int exit_code = 0;
  std::vector<Entry> entries;
};

namespace {

char* copy(std::string_view text) {
  char* out = static_cast<char*>(std::malloc(text.size() + 1));
  if (!out) return nullptr;
  std::memcpy(out, text.data(), text.size());
  out[text.size()] = '\0';
  return out;
}

pol_status fail(pol_status status, std::string_view why, char** message) {
  if (message) *message = copy(why);
  return status;
}

// Runs one entry point: nothing C++ throws leaves it.
template <class Body>
pol_status guarded(char** message, Body body) noexcept {
  if (message) *message = nullptr;
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return fail(POL_INTERNAL_ERROR, "out of memory", message);
  } catch (const std::exception& e) {
    return fail(POL_INTERNAL_ERROR, fmt::format("internal error: {}", e.what()), message);
  } catch (...) {
    return fail(POL_INTERNAL_ERROR, "internal error", message);
  }
}

std::string text_or(const char* text, std::string_view otherwise) { return text ? text : std::string(otherwise); }

std::vector<std::string> strings(const char* const* items, size_t count) {
  std::vector<std::string> out;
  for (size_t i = 0; i < count; ++i) {
    if (items[i]) out.emplace_back(items[i]);
  }
  return out;
}

// An enum's value as the caller passed it: any int may arrive, and loading one outside the
// enum's range as the enum type is undefined behaviour in C++.
template <class Enum>
int raw(const Enum& value) {
  int out = 0;
  std::memcpy(&out, &value, std::min(sizeof out, sizeof value));
  return out;
}

// The caller's options, read up to the size it was compiled with; the rest keep the defaults.
std::optional<pol::Options> engine_options(const pol_options* given, std::string& why) {
  pol_options options;
  pol_options_init(&options);
  if (given) {
    if (given->size < offsetof(pol_options, profile)) {
      why = "pol_options.size is not set: initialise the options with pol_options_init()";
      return std::nullopt;
    }
    std::memcpy(&options, given, std::min(given->size, sizeof options));
    options.size = sizeof options;
  }
  if ((options.exception_count && !options.exceptions) || (options.group_count && !options.groups)) {
    why = "a count is set with a NULL array";
    return std::nullopt;
  }
  const int engine = raw(options.engine);
  if (engine != POL_ENGINE_INTERPRETER && engine != POL_ENGINE_JIT) {
    why = "unknown engine";
    return std::nullopt;
  }
  pol::Options out;
  out.profile = text_or(options.profile, out.profile);
  if (options.params) out.params = pol::Documents::parse(options.params, "params");
  out.exceptions = strings(options.exceptions, options.exception_count);
  out.today = text_or(options.today, "");
  out.on_error_allow = options.on_error_allow != 0;
  out.strict = options.strict != 0;
  out.backend = engine == POL_ENGINE_JIT ? pol::Options::Backend::Jit : pol::Options::Backend::Interpreter;
  out.request.operation = text_or(options.operation, out.request.operation);
  out.request.user = text_or(options.user, "");
  out.request.groups = strings(options.groups, options.group_count);
  out.request.namespace_name = text_or(options.namespace_name, "");
  return out;
}

pol_status compiled(pol::Compiled compiled, pol_policy** policy, char** message) {
  std::string errors, warnings;
  for (const pol::Diagnostic& d : compiled.diagnostics) (d.warning ? warnings : errors) += d.rendered;
  if (!compiled) return fail(POL_COMPILE_ERROR, errors.empty() ? "the policy does not compile" : errors, message);
  *policy = new pol_policy{std::move(compiled), std::move(warnings)};
  return POL_OK;
}

// The lines `pol check` prints under an object that is not allowed (without the locations).
std::string denial(const pol::ObjectResult& object) {
  std::string lines;
  for (const pol::Error& e : object.errors) lines += "error: " + e.message + "\n";
  for (const std::span<const pol::Violation> run : pol::by_policy(object.violations)) lines += pol::message(run) + "\n";
  return lines;
}

std::string rendered(const std::vector<pol::Error>& errors) {
  std::string out;
  for (const pol::Error& e : errors) out += e.rendered;
  return out;
}

const pol_result::Entry* entry(const pol_result* result, size_t index) {
  return result && index < result->entries.size() ? &result->entries[index] : nullptr;
}

const char* field(const pol_result* result, size_t index, std::string pol_result::Entry::*member) {
  const pol_result::Entry* e = entry(result, index);
  return e ? (e->*member).c_str() : "";
}

}  // namespace

extern "C" {

const char* pol_version(void) { return pol::version(); }

int pol_jit_available(void) { return pol::jit_available() ? 1 : 0; }

void pol_free(char* text) { std::free(text); }

void pol_options_init(pol_options* options) {
  if (!options) return;
  *options = pol_options{};
  options->size = sizeof *options;
  options->engine = POL_ENGINE_INTERPRETER;
}

pol_status pol_engine_new(const pol_options* options, pol_engine** engine, char** message) {
  return guarded(message, [&] {
    if (!engine) return fail(POL_INVALID_ARGUMENT, "engine is NULL", message);
    *engine = nullptr;
    std::string why;
    std::optional<pol::Options> read = engine_options(options, why);
    if (!read) return fail(POL_INVALID_ARGUMENT, why, message);
    *engine = new pol_engine{pol::Engine(std::move(*read))};
    return POL_OK;
  });
}

void pol_engine_free(pol_engine* engine) { delete engine; }

pol_status pol_compile_file(const pol_engine* engine, const char* path, pol_policy** policy, char** message) {
  return guarded(message, [&] {
    if (!engine || !path || !policy) return fail(POL_INVALID_ARGUMENT, "engine, path and policy must not be NULL", message);
    *policy = nullptr;
    return compiled(engine->engine.compile_file(path), policy, message);
  });
}

pol_status pol_compile_string(const pol_engine* engine, const char* name, const char* text, size_t length,
                              pol_policy** policy, char** message) {
  return guarded(message, [&] {
    if (!engine || (!text && length) || !policy) {
      return fail(POL_INVALID_ARGUMENT, "engine, text and policy must not be NULL", message);
    }
    *policy = nullptr;
    return compiled(engine->engine.compile_string(text_or(name, "<string>"), std::string(text ? text : "", length)),
                    policy, message);
  });
}

pol_status pol_compile_profile(const pol_engine* engine, const char* const* paths, size_t count, pol_policy** policy,
                               char** message) {
  return guarded(message, [&] {
    if (!engine || (!paths && count) || !policy) {
      return fail(POL_INVALID_ARGUMENT, "engine, paths and policy must not be NULL", message);
    }
    *policy = nullptr;
    return compiled(engine->engine.compile_profile(strings(paths, count)), policy, message);
  });
}

const char* pol_policy_warnings(const pol_policy* policy) { return policy ? policy->warnings.c_str() : ""; }

void pol_policy_free(pol_policy* policy) { delete policy; }

pol_status pol_evaluate(const pol_policy* policy, const char* data, size_t length, const char* source_name, int mutate,
                        pol_result** result, char** message) {
  return guarded(message, [&] {
    if (!policy || (!data && length) || !result) {
      return fail(POL_INVALID_ARGUMENT, "policy, data and result must not be NULL", message);
    }
    *result = nullptr;
    const pol::Report report = policy->compiled->evaluate(
        pol::Documents::parse(std::string(data ? data : "", length), text_or(source_name, "<input>")), nullptr, mutate != 0);
    auto out = std::make_unique<pol_result>();
    out->json = pol::report_json(report);
    out->errors = rendered(report.errors);
    bool denied = false;
    for (const pol::ObjectResult& object : report.results) {
      out->entries.push_back({pol::object_name(object), denial(object), "", "", object.allowed()});
      denied |= !object.allowed();
    }
    out->exit_code = !report.errors.empty() ? 2 : denied ? 1 : 0;
    *result = out.release();
    return POL_OK;
  });
}

pol_status pol_review(const pol_policy* policy, const char* data, size_t length, pol_review_mode mode,
                      pol_result** result, char** message) {
  return guarded(message, [&] {
    if (!policy || (!data && length) || !result) {
      return fail(POL_INVALID_ARGUMENT, "policy, data and result must not be NULL", message);
    }
    const int how = raw(mode);
    if (how != POL_REVIEW_VALIDATE && how != POL_REVIEW_MUTATE && how != POL_REVIEW_BOTH) {
      return fail(POL_INVALID_ARGUMENT, "unknown review mode", message);
    }
    *result = nullptr;
    const pol::ReviewResponse response = policy->compiled->review(
        std::string_view(data ? data : "", length),
        how == POL_REVIEW_MUTATE ? pol::ReviewMode::Mutate : how == POL_REVIEW_BOTH ? pol::ReviewMode::Both
                                                                                   : pol::ReviewMode::Validate);
    if (response.http_status != 200) return fail(POL_BAD_REQUEST, response.error, message);
    auto out = std::make_unique<pol_result>();
    out->json = response.body;
    out->exit_code = response.allowed ? 0 : 1;
    out->entries.push_back({pol::object_name(response.result), denial(response.result), "", "", response.allowed});
    *result = out.release();
    return POL_OK;
  });
}

pol_status pol_mutate(const pol_policy* policy, const char* data, size_t length, const char* source_name,
                      pol_format format, pol_result** result, char** message) {
  return guarded(message, [&] {
    if (!policy || (!data && length) || !result) {
      return fail(POL_INVALID_ARGUMENT, "policy, data and result must not be NULL", message);
    }
    const int as = raw(format);
    if (as != POL_FORMAT_JSON && as != POL_FORMAT_YAML) return fail(POL_INVALID_ARGUMENT, "unknown format", message);
    *result = nullptr;
    const pol::MutationReport report = policy->compiled->mutate(
        pol::Documents::parse(std::string(data ? data : "", length), text_or(source_name, "<input>")),
        as == POL_FORMAT_YAML ? pol::Format::Yaml : pol::Format::Json);
    auto out = std::make_unique<pol_result>();
    out->json = "{\"documents\": [";
    for (const pol::MutatedDocument& d : report.documents) {
      out->json += fmt::format(R"({}{{"source": {}, "document": {}, "operations": {}, "patch": {}}})",
                               out->entries.empty() ? "" : ", ", pol::json_string(d.source), d.document, d.operations,
                               d.patch);
      out->entries.push_back({"", "", d.text, d.patch, true});
    }
    out->json += "], \"errors\": [";
    for (size_t i = 0; i < report.errors.size(); ++i) {
      const pol::Error& e = report.errors[i];
      out->json += fmt::format(R"({}{{"source": {}, "document": {}, "line": {}, "column": {}, "message": {}}})",
                               i ? ", " : "", pol::json_string(e.source), e.document, e.line, e.column,
                               pol::json_string(e.message));
    }
    out->json += "]}";
    out->errors = rendered(report.errors);
    out->exit_code = report.errors.empty() ? 0 : 2;
    *result = out.release();
    return POL_OK;
  });
}

void pol_result_free(pol_result* result) { delete result; }

const char* pol_result_json(const pol_result* result) { return result ? result->json.c_str() : ""; }

int pol_result_exit_code(const pol_result* result) { return result ? result->exit_code : 2; }

const char* pol_result_errors(const pol_result* result) { return result ? result->errors.c_str() : ""; }

size_t pol_result_count(const pol_result* result) { return result ? result->entries.size() : 0; }

const char* pol_result_name(const pol_result* result, size_t index) {
  return field(result, index, &pol_result::Entry::name);
}

int pol_result_allowed(const pol_result* result, size_t index) {
  const pol_result::Entry* e = entry(result, index);
  return e && e->allowed ? 1 : 0;
}

const char* pol_result_message(const pol_result* result, size_t index) {
  return field(result, index, &pol_result::Entry::message);
}

const char* pol_result_document(const pol_result* result, size_t index) {
  return field(result, index, &pol_result::Entry::document);
}

const char* pol_result_patch(const pol_result* result, size_t index) {
  return field(result, index, &pol_result::Entry::patch);
}

}  // extern "C"
