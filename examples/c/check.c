/* SPDX-License-Identifier: Apache-2.0 */
/* A C host of pol (include/pol/pol.h): the restricted Pod Security Standard and a policy of
 * one's own over manifest files, printing each object's decision and why, as `pol check` does.
 * Usage: check POLICY.pol FILE...   Exit status: pol check's (0 allowed, 1 denied, 2 errors). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pol/pol.h>

/* The whole file in a malloc'd buffer; NULL when it cannot be read. */
static char *read_file(const char *path, size_t *length) {
  FILE *file = fopen(path, "rb");
  if (!file) return NULL;
  char *data = NULL;
  size_t size = 0, capacity = 0, got;
  do {
    if (size == capacity) {
      capacity = capacity ? 2 * capacity : 65536;
      char *grown = realloc(data, capacity);
      if (!grown) break;
      data = grown;
    }
    got = fread(data + size, 1, capacity - size, file);
    size += got;
  } while (got > 0);
  fclose(file);
  *length = size;
  return data;
}

/* Each line of `text`, indented. */
static void print_indented(const char *text) {
  for (const char *line = text; *line;) {
    const char *end = strchr(line, '\n');
    size_t length = end ? (size_t)(end - line) : strlen(line);
    printf("  %.*s\n", (int)length, line);
    line += length + (end ? 1 : 0);
  }
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s POLICY.pol FILE...\n", argv[0]);
    return 2;
  }
  pol_options options;
  pol_options_init(&options);
  options.profile = "restricted:latest";
  pol_engine *engine = NULL;
  pol_policy *policy = NULL;
  char *message = NULL;
  if (pol_engine_new(&options, &engine, &message) != POL_OK ||
      pol_compile_profile(engine, (const char *const *)&argv[1], 1, &policy, &message) != POL_OK) {
    fprintf(stderr, "%s", message);
    pol_free(message);
    pol_engine_free(engine);
    return 2;
  }

  int status = 0;
  for (int i = 2; i < argc; ++i) {
    size_t length = 0;
    char *data = read_file(argv[i], &length);
    if (!data) {
      fprintf(stderr, "%s: error: cannot read\n", argv[i]);
      status = 2;
      continue;
    }
    pol_result *result = NULL;
    if (pol_evaluate(policy, data, length, argv[i], 0, &result, &message) != POL_OK) {
      fprintf(stderr, "%s: error: %s\n", argv[i], message);
      pol_free(message);
      status = 2;
    } else {
      for (size_t k = 0; k < pol_result_count(result); ++k) {
        printf("%s: %s: %s\n", argv[i], pol_result_name(result, k), pol_result_allowed(result, k) ? "allowed" : "denied");
        print_indented(pol_result_message(result, k));
      }
      fputs(pol_result_errors(result), stderr);
      if (pol_result_exit_code(result) > status) status = pol_result_exit_code(result);
    }
    pol_result_free(result);
    free(data);
  }
  pol_policy_free(policy);
  pol_engine_free(engine);
  return status;
}
