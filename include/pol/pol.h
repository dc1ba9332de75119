/* SPDX-License-Identifier: Apache-2.0 */
/* pol's C API: the stable interface for hosts in any language (Go with cgo, Python with ctypes,
 * Rust, Lua, C). Compile a policy once, then evaluate YAML or JSON documents, answer
 * AdmissionReviews and apply mutations with it.
 *
 * Conventions
 * - Every call returns a pol_status. On failure, when `message` is not NULL, *message receives a
 *   text saying why (for a policy that does not compile: its rendered diagnostics), which the
 *   caller releases with pol_free(). No C++ exception crosses this interface.
 * - Handles are opaque and released with their own pol_*_free function (NULL is accepted).
 * - Strings are UTF-8. Buffers in are (pointer, length) pairs and need no terminating NUL.
 *   Strings out of a handle stay valid until the handle is freed.
 * - Threads: a pol_engine and a pol_policy are immutable once made; any number of threads may
 *   use one at once. A pol_result belongs to the thread that reads it (reading it from several
 *   threads at once is also safe: accessors do not modify it).
 * - Forward compatibility: pol_options starts with its own size. Initialise it with
 *   pol_options_init(), which sets `size` and the defaults; a newer library reads only the fields
 *   an older caller's size covers, and fills the rest with defaults.
 *
 * Link with -lpol (pkg-config --cflags --libs pol). docs/embedding.md has complete examples. */
#ifndef POL_H
#define POL_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum pol_status {
  POL_OK = 0,
  POL_INVALID_ARGUMENT = 1, /* a NULL handle or pointer, an unknown enum value, bad options */
  POL_COMPILE_ERROR = 2,    /* the policy does not compile: *message holds its diagnostics */
  POL_BAD_REQUEST = 3,      /* pol_review: not an admission.k8s.io/v1 AdmissionReview with a uid */
  POL_INTERNAL_ERROR = 4    /* out of memory, or a defect in pol: *message says what */
} pol_status;

typedef enum pol_engine_kind {
  POL_ENGINE_INTERPRETER = 0,
  POL_ENGINE_JIT = 1 /* checks compiled with LLVM; same answers (docs/jit.md). Without LLVM in the
                        build, the interpreter, with a warning in pol_policy_warnings() */
} pol_engine_kind;

typedef enum pol_review_mode {
  POL_REVIEW_VALIDATE = 0, /* deny or allow */
  POL_REVIEW_MUTATE = 1,   /* a JSONPatch of the object */
  POL_REVIEW_BOTH = 2      /* the checks see the mutated object; the response carries the patch */
} pol_review_mode;

typedef enum pol_format { POL_FORMAT_JSON = 0, POL_FORMAT_YAML = 1 } pol_format;

typedef struct pol_options {
  size_t size;                   /* sizeof(pol_options) as the caller was compiled: set by pol_options_init */
  const char *profile;           /* privileged|baseline|restricted[:v1.N|latest]; NULL: "restricted:latest" */
  const char *params;            /* the policies' param values: one YAML or JSON map (text); NULL: defaults */
  const char *const *exceptions; /* exception files (YAML or JSON) */
  size_t exception_count;
  const char *today;             /* YYYY-MM-DD for grants' expiry; NULL: today (UTC) */
  int on_error_allow;            /* nonzero: fail open (a check that fails alone does not deny) */
  int strict;                    /* nonzero: documents that are not Kubernetes objects are errors */
  pol_engine_kind engine;
  /* The admission request a plain manifest is judged as (an AdmissionReview brings its own). */
  const char *operation;         /* CREATE (NULL), UPDATE, DELETE or CONNECT */
  const char *user;
  const char *const *groups;
  size_t group_count;
  const char *namespace_name;    /* for objects without metadata.namespace, as `kubectl -n` */
} pol_options;

typedef struct pol_engine pol_engine;
typedef struct pol_policy pol_policy;
typedef struct pol_result pol_result;

/* The library's version, "0.1.0". */
const char *pol_version(void);
/* Whether this build has the LLVM JIT (1) or not (0). */
int pol_jit_available(void);
/* Releases a message or any other string the library handed over. */
void pol_free(char *text);

/* Sets options->size and every default. */
void pol_options_init(pol_options *options);

/* An engine compiles policies with the options given (copied: the caller's strings may go). */
pol_status pol_engine_new(const pol_options *options, pol_engine **engine, char **message);
void pol_engine_free(pol_engine *engine);

/* Compile one policy file, a policy's text (`name` is used in diagnostics), or the built-in Pod
 * Security Standards at the options' profile followed by `count` policy files. */
pol_status pol_compile_file(const pol_engine *engine, const char *path, pol_policy **policy, char **message);
pol_status pol_compile_string(const pol_engine *engine, const char *name, const char *text, size_t length,
                              pol_policy **policy, char **message);
pol_status pol_compile_profile(const pol_engine *engine, const char *const *paths, size_t count, pol_policy **policy,
                               char **message);
/* The warnings of a compiled policy, rendered ("" when none). */
const char *pol_policy_warnings(const pol_policy *policy);
void pol_policy_free(pol_policy *policy);

/* Evaluates a YAML (multi-document) or JSON buffer; `source_name` names it in the report (NULL:
 * "<input>"). With `mutate` nonzero the policy's mutations apply first, as `pol check --mutate`.
 * Unreadable documents are not a failure of the call: they are errors in the report. */
pol_status pol_evaluate(const pol_policy *policy, const char *data, size_t length, const char *source_name, int mutate,
                        pol_result **result, char **message);
/* Answers an AdmissionReview (JSON, as the API server sends it), as `pol serve` does. */
pol_status pol_review(const pol_policy *policy, const char *data, size_t length, pol_review_mode mode,
                      pol_result **result, char **message);
/* Applies the policy's mutations to every document of the buffer. */
pol_status pol_mutate(const pol_policy *policy, const char *data, size_t length, const char *source_name,
                      pol_format format, pol_result **result, char **message);
void pol_result_free(pol_result *result);

/* The result as JSON.
 * - pol_evaluate: the report, exactly `pol check -o json`'s (docs/inputs.md#output-formats).
 * - pol_review: the AdmissionReview response, to send back with HTTP 200.
 * - pol_mutate: {"documents": [{"source", "document", "operations", "patch"}], "errors": [...]}. */
const char *pol_result_json(const pol_result *result);
/* What `pol check` (or `pol review`, `pol mutate`) would exit with: 0 every object allowed,
 * 1 one denied, 2 a document could not be read or a check failed on one. */
int pol_result_exit_code(const pol_result *result);
/* Every error of the run (a document that could not be read, a check that failed on an
 * object), rendered with its position and source line, as `pol check` writes them to stderr;
 * "" when none. */
const char *pol_result_errors(const pol_result *result);

/* Objects judged (pol_evaluate), the request's object (pol_review: one) or documents
 * (pol_mutate), and each one's parts. An index out of range gives "" or 0. */
size_t pol_result_count(const pol_result *result);
/* "Kind namespace/name", as `pol check` names an object. */
const char *pol_result_name(const pol_result *result, size_t index);
int pol_result_allowed(const pol_result *result, size_t index);
/* Why the object is not allowed, as `pol check` prints it under the object: one `error: ...` line
 * per check that failed on it, then one line per policy in Pod Security Admission's words, e.g.
 * `would violate PodSecurity "restricted:latest": privileged (container "a" must not set ...)`.
 * Lines end with a newline; "" when nothing denies it. */
const char *pol_result_message(const pol_result *result, size_t index);
/* pol_mutate: the document after the mutations (JSON or YAML) and the RFC 6902 patch to it. */
const char *pol_result_document(const pol_result *result, size_t index);
const char *pol_result_patch(const pol_result *result, size_t index);

#ifdef __cplusplus
}
#endif

#endif /* POL_H */
