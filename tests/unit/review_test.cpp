// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "pol/pol.hpp"

namespace {

std::string read(const std::string& path) {
  std::ifstream in(std::string(POL_SOURCE_DIR) + "/" + path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string review_of(const std::string& object, const std::string& operation = "CREATE") {
  return R"({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {"uid": "u-1", "namespace": "team", "operation": ")" +
         operation + R"(", "object": )" + object + "}}";
}

std::string decode_base64(const std::string& text) {
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  uint32_t bits = 0;
  int count = 0;
  for (char c : text) {
    if (c == '=') break;
    bits = bits << 6 | static_cast<uint32_t>(alphabet.find(c));
    if ((count += 6) >= 8) out += static_cast<char>((bits >> (count -= 8)) & 0xFF);
  }
  return out;
}

std::string between(const std::string& text, const std::string& open, const std::string& close) {
  const size_t begin = text.find(open);
  if (begin == std::string::npos) return "";
  const size_t end = text.find(close, begin + open.size());
  return text.substr(begin + open.size(), end - begin - open.size());
}

const pol::Compiled restricted = pol::Engine().compile_profile({});

}  // namespace

TEST_CASE("review answers an AdmissionReview: uid echoed, a deny in Pod Security Admission's words", "[review]") {
  REQUIRE(restricted);
  const std::string review = read("tests/lang/fixtures/review_system.json");
  const pol::ReviewResponse response = restricted->review(review);
  CHECK(response.http_status == 200);
  CHECK_FALSE(response.allowed);
  CHECK(response.uid == "705ab4f5-6393-11e8-b7cc-42010a800002");
  CHECK_THAT(response.body, Catch::StartsWith(R"({"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"705ab4f5-6393-11e8-b7cc-42010a800002","allowed":false,"status":{"code":403,"reason":"Forbidden","message":"violates PodSecurity \"restricted:latest\": )"));
  // The same words pol check gives the same pod.
  const pol::Report report = restricted->evaluate(pol::Documents::parse(review));
  REQUIRE(report.results.size() == 1);
  const std::string words = pol::message(report.results[0].violations, "violates");
  CHECK(response.body.find(R"("message":)" + pol::json_string(words) + "}") != std::string::npos);
  CHECK(response.result.namespace_name == "system");
}

TEST_CASE("review allows what passes, and objects without a pod spec", "[review]") {
  const std::string pod = R"({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "ok"}, "spec": {"securityContext": {"runAsNonRoot": true, "seccompProfile": {"type": "RuntimeDefault"}}, "containers": [{"name": "app", "image": "app:1", "securityContext": {"allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]}}}]}})";
  const pol::ReviewResponse allowed = restricted->review(review_of(pod));
  CHECK(allowed.allowed);
  CHECK(allowed.body == R"({"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"u-1","allowed":true}})");
  CHECK(restricted->review(review_of(R"({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}})")).allowed);
  CHECK(restricted->review(review_of("null", "DELETE")).allowed);
}

TEST_CASE("review refuses what is not an AdmissionReview with 400, so failurePolicy decides", "[review]") {
  for (const char* body : {"", "not json", "[1]", R"({"apiVersion": "admission.k8s.io/v1beta1", "kind": "AdmissionReview", "request": {"uid": "x"}})",
                           R"({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {}})",
                           R"({"apiVersion": "admission.k8s.io/v1", "kind": "Pod"})"}) {
    INFO(body);
    const pol::ReviewResponse response = restricted->review(body);
    CHECK(response.http_status == 400);
    CHECK(response.body.empty());
    CHECK_FALSE(response.error.empty());
  }
}

TEST_CASE("review mutates: a base64 JSONPatch relative to request.object, then the checks see its result", "[review]") {
  const pol::Compiled welkin = pol::Engine().compile_profile({std::string(POL_SOURCE_DIR) + "/policies/welkin.pol"});
  REQUIRE(welkin);
  const std::string pod = R"({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"}, "spec": {"containers": [{"name": "app", "image": "nginx:1.27"}]}})";
  const pol::ReviewResponse mutated = welkin->review(review_of(pod), pol::ReviewMode::Both);
  CHECK(mutated.allowed);  // restricted:latest holds once the defaults are in
  const std::string patch = decode_base64(between(mutated.body, R"("patch":")", "\""));
  CHECK_THAT(patch, Catch::StartsWith(R"([{"op":"add","path":"/spec/containers/0/securityContext")"));
  CHECK(patch.find("/request") == std::string::npos);
  CHECK(mutated.body.find(R"("patchType":"JSONPatch")") != std::string::npos);
  // Validation alone denies the same pod; a mutating webhook alone allows it with the patch.
  CHECK_FALSE(welkin->review(review_of(pod), pol::ReviewMode::Validate).allowed);
  const pol::ReviewResponse mutate_only = welkin->review(review_of(pod), pol::ReviewMode::Mutate);
  CHECK(mutate_only.allowed);
  CHECK(decode_base64(between(mutate_only.body, R"("patch":")", "\"")) == patch);
}

TEST_CASE("review fails closed on a check that cannot be evaluated; open only when told", "[review]") {
  const char* broken = R"(check c { deny if startsWith(object.spec.template, "x") reason "r" })";
  const std::string pod = R"({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"template": 5, "containers": [{"name": "app", "image": "a:1"}]}})";
  const pol::Compiled closed = pol::Engine().compile_string("broken.pol", broken);
  REQUIRE(closed);
  const pol::ReviewResponse denied = closed->review(review_of(pod));
  CHECK_FALSE(denied.allowed);
  CHECK(denied.body.find("check 'c' failed") != std::string::npos);
  pol::Options options;
  options.on_error_allow = true;
  const pol::Compiled open = pol::Engine(options).compile_string("broken.pol", broken);
  const pol::ReviewResponse allowed = open->review(review_of(pod));
  CHECK(allowed.allowed);
  CHECK(allowed.body.find(R"("warnings":["not evaluated)") != std::string::npos);
}
