// SPDX-License-Identifier: Apache-2.0
// Policy::review: one AdmissionReview in, its response out, as a validating or mutating webhook
// answers the API server (admission.k8s.io/v1; the contract is in docs/gateway.md): the uid
// echoed, a deny as `allowed: false` with a 403 status in Pod Security Admission's words,
// warnings, and a mutation as a base64 JSONPatch relative to request.object.
#include <fmt/format.h>

#include "api/internal.hpp"
#include "runtime/budget.hpp"
#include "runtime/emit.hpp"

namespace pol {

namespace {

// Standard base64 with padding, as Go encodes a []byte field in JSON.
std::string base64(std::string_view bytes) {
  static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (size_t i = 0; i < bytes.size(); i += 3) {
    const size_t n = std::min<size_t>(3, bytes.size() - i);
    uint32_t chunk = 0;
    for (size_t k = 0; k < 3; ++k) chunk = chunk << 8 | (k < n ? static_cast<unsigned char>(bytes[i + k]) : 0);
    for (size_t k = 0; k < 4; ++k) out += k <= n ? alphabet[(chunk >> (18 - 6 * k)) & 0x3F] : '=';
  }
  return out;
}

std::string_view text(const runtime::Node* node) {
  return node && node->kind == runtime::NodeKind::String ? node->string() : std::string_view();
}

ReviewResponse bad_request(std::string why) {
  ReviewResponse response;
  response.http_status = 400;
  response.error = std::move(why);
  return response;
}

}  // namespace

ReviewResponse Policy::review(std::string_view admission_review, ReviewMode mode, const Admission* admission,
                             std::chrono::steady_clock::time_point deadline) const {
  const runtime::Budget::Deadline until(deadline);
  const Documents documents = Documents::parse(std::string(admission_review), "AdmissionReview");
  if (!documents.errors().empty()) return bad_request(documents.errors().front().message);
  const auto& loaded = documents.impl->loaded.documents;
  if (loaded.size() != 1 || loaded[0].root->kind != runtime::NodeKind::Map) {
    return bad_request("expected one AdmissionReview object");
  }
  const runtime::Node* root = loaded[0].root;
  if (text(root->find("apiVersion")) != "admission.k8s.io/v1" || text(root->find("kind")) != "AdmissionReview") {
    return bad_request("expected apiVersion admission.k8s.io/v1 and kind AdmissionReview");
  }
  const runtime::Node* request = root->find("request");
  const std::string_view uid = text(request ? request->find("uid") : nullptr);
  if (uid.empty()) return bad_request("expected request.uid");

  ReviewResponse response;
  response.uid = std::string(uid);
  response.operation = std::string(text(request->find("operation")));
  std::vector<std::string> warnings;
  std::vector<std::string> denials;   // PSA's words, policy by policy
  std::vector<std::string> failures;  // what could not be evaluated: fails closed

  // The mutation: its patch, relative to the object the API server sent.
  std::string patch;
  if (mode != ReviewMode::Validate && mutates()) {
    runtime::Arena arena;
    const runtime::Mutated mutated = impl->mutate(root, arena);
    if (mode == ReviewMode::Mutate) {  // with the checks, evaluate() reports these
      for (const runtime::EvaluationError& e : mutated.errors) {
        failures.push_back(fmt::format("mutation '{}' failed: {}", e.check, e.message));
      }
    }
    // Relative to the object the API server sent: the mutator patched the whole review.
    if (!mutated.patch.empty()) patch = patch_json(mutated.patch, "/request/object");
  }
  // What was reviewed, for logs and metrics (the checks' result says it again).
  const runtime::Node* object = request->find("object");
  const runtime::Node* metadata = object ? object->find("metadata") : nullptr;
  const runtime::Node* kind = request->find("kind");
  response.result.kind = std::string(text(kind ? kind->find("kind") : nullptr));
  response.result.namespace_name = std::string(text(request->find("namespace")));
  response.result.name = std::string(text(request->find("name")));
  if (response.result.kind.empty() && object) response.result.kind = std::string(text(object->find("kind")));
  if (response.result.name.empty() && metadata) response.result.name = std::string(text(metadata->find("name")));
  // The checks, on the mutated object when both run.
  if (mode != ReviewMode::Mutate) {
    const Report report = evaluate(documents, admission, mode == ReviewMode::Both);
    if (!report.results.empty()) response.result = report.results.front();
    for (const std::span<const Violation> run : by_policy(response.result.violations)) {
      denials.push_back(message(run, "violates"));
    }
    for (const std::span<const Violation> run : by_policy(response.result.warnings)) {
      warnings.push_back(message(run, "would violate"));
    }
    for (const Error& e : report.errors) failures.push_back(e.message);
  }
  const bool fail_open = impl->on_error_allow && denials.empty();
  response.allowed = (denials.empty() && failures.empty()) || fail_open;
  if (fail_open) {
    for (const std::string& failure : failures) warnings.push_back("not evaluated (allowed: --on-error allow): " + failure);
  }

  std::string body = fmt::format(R"({{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{{"uid":{},"allowed":{})",
                                 json_string(uid), response.allowed ? "true" : "false");
  if (!response.allowed) {
    std::string joined;
    for (const std::string& reason : denials) joined += (joined.empty() ? "" : "; ") + reason;
    for (const std::string& failure : failures) joined += (joined.empty() ? "" : "; ") + failure;
    body += fmt::format(R"(,"status":{{"code":403,"reason":"Forbidden","message":{}}})", json_string(joined));
  }
  if (!warnings.empty()) {
    body += ",\"warnings\":[";
    for (size_t i = 0; i < warnings.size(); ++i) body += (i ? "," : "") + json_string(warnings[i]);
    body += "]";
  }
  if (!patch.empty() && response.allowed) body += fmt::format(R"(,"patchType":"JSONPatch","patch":"{}")", base64(patch));
  response.body = body + "}}";
  return response;
}

}  // namespace pol
