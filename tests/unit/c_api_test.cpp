// SPDX-License-Identifier: Apache-2.0
// The C API (include/pol/pol.h): handles, statuses, messages and options, under the sanitizers
// too. The bindings' tests (tests/bindings/) drive the same functions from Go and Python.
#include <catch2/catch.hpp>

#include <cstring>
#include <string>
#include <string_view>

#include "pol/pol.h"

namespace {

const char* privileged_policy = R"(policy "no-privileged"
check privileged {
  deny if len([c for c in all_containers if c.securityContext.privileged == true]) > 0 reason "privileged"
})";

const char* privileged_pod =
    R"({"kind": "Pod", "metadata": {"name": "a", "namespace": "ns"}, "spec": {"containers": [{"name": "c", "securityContext": {"privileged": true}}]}})";

// Takes a message the library handed over.
std::string take(char* message) {
  std::string text = message ? message : "";
  pol_free(message);
  return text;
}

pol_policy* compile(const char* source, const pol_options* options = nullptr) {
  pol_engine* engine = nullptr;
  char* message = nullptr;
  REQUIRE(pol_engine_new(options, &engine, &message) == POL_OK);
  pol_policy* policy = nullptr;
  const pol_status status = pol_compile_string(engine, "p.pol", source, std::strlen(source), &policy, &message);
  pol_engine_free(engine);  // the policy outlives its engine
  INFO(take(message));
  REQUIRE(status == POL_OK);
  return policy;
}

}  // namespace

TEST_CASE("C API: evaluate gives pol check's report, decisions and messages", "[api][c]") {
  pol_policy* policy = compile(privileged_policy);
  pol_result* result = nullptr;
  char* message = nullptr;
  REQUIRE(pol_evaluate(policy, privileged_pod, std::strlen(privileged_pod), "pod.json", 0, &result, &message) == POL_OK);
  CHECK(message == nullptr);
  CHECK(pol_result_exit_code(result) == 1);
  REQUIRE(pol_result_count(result) == 1);
  CHECK(std::string(pol_result_name(result, 0)) == "Pod ns/a");
  CHECK(pol_result_allowed(result, 0) == 0);
  CHECK(std::string(pol_result_message(result, 0)) == "would violate policy \"no-privileged\": privileged\n");
  CHECK(std::string_view(pol_result_json(result)).starts_with(R"({"results": [)"));
  CHECK(std::string_view(pol_result_json(result)).find(R"("summary": {"objects": 1, "allowed": 0, "denied": 1)") !=
        std::string_view::npos);
  // Out of range: empty, never a crash.
  CHECK(std::string(pol_result_name(result, 7)).empty());
  CHECK(pol_result_allowed(result, 7) == 0);
  pol_result_free(result);

  // An unreadable document is in the result, located; the call succeeds.
  REQUIRE(pol_evaluate(policy, "{\"kind\": ", 9, "bad.json", 0, &result, &message) == POL_OK);
  CHECK(pol_result_exit_code(result) == 2);
  CHECK(std::string_view(pol_result_errors(result)).starts_with("bad.json:1:"));
  pol_result_free(result);
  pol_policy_free(policy);
}

TEST_CASE("C API: failures are statuses with messages, never crashes", "[api][c]") {
  pol_engine* engine = nullptr;
  char* message = nullptr;
  REQUIRE(pol_engine_new(nullptr, &engine, &message) == POL_OK);
  pol_policy* policy = nullptr;
  const char* broken = "check c { deny if nope reason \"r\" }";
  CHECK(pol_compile_string(engine, "bad.pol", broken, std::strlen(broken), &policy, &message) == POL_COMPILE_ERROR);
  CHECK(policy == nullptr);
  CHECK(take(message).find("bad.pol:1:19: error: unknown name 'nope'") != std::string::npos);
  CHECK(pol_compile_file(engine, "/nonexistent/p.pol", &policy, &message) == POL_COMPILE_ERROR);
  CHECK(!take(message).empty());
  CHECK(pol_compile_file(engine, nullptr, &policy, &message) == POL_INVALID_ARGUMENT);
  CHECK(!take(message).empty());
  CHECK(pol_compile_file(engine, nullptr, &policy, nullptr) == POL_INVALID_ARGUMENT);  // no message wanted
  pol_engine_free(engine);

  pol_options options;
  std::memset(&options, 0, sizeof options);  // size 0: not initialised
  CHECK(pol_engine_new(&options, &engine, &message) == POL_INVALID_ARGUMENT);
  CHECK(take(message).find("pol_options_init") != std::string::npos);
  pol_options_init(&options);
  const int nine = 9;  // as a C caller may set it (in C++ only a copy of the bytes may hold it)
  std::memcpy(&options.engine, &nine, sizeof nine);
  CHECK(pol_engine_new(&options, &engine, &message) == POL_INVALID_ARGUMENT);
  take(message);

  policy = compile(privileged_policy);
  pol_result* result = nullptr;
  CHECK(pol_review(policy, "{}", 2, POL_REVIEW_VALIDATE, &result, &message) == POL_BAD_REQUEST);
  CHECK(result == nullptr);
  CHECK(take(message).find("AdmissionReview") != std::string::npos);
  CHECK(pol_evaluate(policy, nullptr, 5, nullptr, 0, &result, &message) == POL_INVALID_ARGUMENT);
  take(message);
  // Enums from C may hold any int: refused, not undefined behaviour.
  CHECK(pol_review(policy, "{}", 2, static_cast<pol_review_mode>(3), &result, &message) == POL_INVALID_ARGUMENT);
  take(message);
  pol_policy_free(policy);
  pol_policy_free(nullptr);
  pol_result_free(nullptr);
  pol_engine_free(nullptr);
}

TEST_CASE("C API: options of an older, smaller struct keep their defaults", "[api][c]") {
  // A caller compiled when pol_options ended after `profile`: the rest must be defaults.
  pol_options options;
  pol_options_init(&options);
  options.profile = "baseline:latest";
  options.user = "not read";
  options.size = offsetof(pol_options, params);
  const char* source = R"(policy "who"
check who { deny if request.userInfo.username == "not read" reason "read past the caller's size" })";
  pol_policy* policy = compile(source, &options);
  pol_result* result = nullptr;
  char* message = nullptr;
  const char* pod = R"({"kind": "Pod", "metadata": {"name": "a"}, "spec": {"containers": [{"name": "c"}]}})";
  REQUIRE(pol_evaluate(policy, pod, std::strlen(pod), nullptr, 0, &result, &message) == POL_OK);
  CHECK(pol_result_exit_code(result) == 0);
  pol_result_free(result);
  pol_policy_free(policy);

  options.size = sizeof options;  // now the user is read
  policy = compile(source, &options);
  REQUIRE(pol_evaluate(policy, pod, std::strlen(pod), nullptr, 0, &result, &message) == POL_OK);
  CHECK(pol_result_exit_code(result) == 1);
  pol_result_free(result);
  pol_policy_free(policy);
}

TEST_CASE("C API: review and mutate", "[api][c]") {
  pol_policy* policy = compile(R"(policy "pull"
mutation pull {
  each c in all_containers { default c.imagePullPolicy = "IfNotPresent" }
}
apply pull
check privileged {
  deny if len([c for c in all_containers if c.securityContext.privileged == true]) > 0 reason "privileged"
})");
  const std::string review = std::string(R"({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
    "request": {"uid": "u-1", "operation": "CREATE", "object": )") + privileged_pod + "}}";
  pol_result* result = nullptr;
  char* message = nullptr;
  REQUIRE(pol_review(policy, review.data(), review.size(), POL_REVIEW_VALIDATE, &result, &message) == POL_OK);
  CHECK(pol_result_allowed(result, 0) == 0);
  CHECK(pol_result_exit_code(result) == 1);
  const std::string_view body = pol_result_json(result);
  CHECK(body.find(R"("uid":"u-1","allowed":false)") != std::string_view::npos);
  CHECK(body.find(R"(violates policy \"pull\": privileged)") != std::string_view::npos);
  pol_result_free(result);

  REQUIRE(pol_mutate(policy, privileged_pod, std::strlen(privileged_pod), "pod.json", POL_FORMAT_JSON, &result, &message) ==
          POL_OK);
  REQUIRE(pol_result_count(result) == 1);
  CHECK(std::string_view(pol_result_document(result, 0)).find(R"("imagePullPolicy":"IfNotPresent")") != std::string_view::npos);
  CHECK(std::string(pol_result_patch(result, 0)) ==
        R"([{"op":"add","path":"/spec/containers/0/imagePullPolicy","value":"IfNotPresent"}])");
  CHECK(std::string_view(pol_result_json(result)).starts_with(R"({"documents": [{"source": "pod.json", "document": 0, "operations": 1, "patch": [)"));
  pol_result_free(result);
  pol_policy_free(policy);
}
