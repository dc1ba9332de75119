// SPDX-License-Identifier: Apache-2.0
#include "server/certificates.hpp"

#include "server/file_stamp.hpp"

#include <fmt/format.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <ctime>

namespace pol::server {

namespace {

namespace ssl = boost::asio::ssl;

// The API server offers ALPN http/1.1 only; take it when offered.
int select_http11(SSL*, const unsigned char** out, unsigned char* out_length, const unsigned char* in, unsigned in_length,
                  void*) {
  static constexpr unsigned char http11[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
  unsigned char* chosen = nullptr;
  if (SSL_select_next_proto(&chosen, out_length, http11, sizeof http11, in, in_length) != OPENSSL_NPN_NEGOTIATED) {
    return SSL_TLSEXT_ERR_NOACK;
  }
  *out = chosen;
  return SSL_TLSEXT_ERR_OK;
}

}  // namespace

std::optional<std::string> Certificates::refresh() {
  const std::string stamp = file_stamp({cert_file_, key_file_, client_ca_file_});
  if (stamp == stamp_) return std::nullopt;
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  try {
    context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                         ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
    context->use_certificate_chain_file(cert_file_);
    context->use_private_key_file(key_file_, ssl::context::pem);
    if (SSL_CTX_check_private_key(context->native_handle()) != 1) throw std::runtime_error("the key does not match the certificate");
    if (!client_ca_file_.empty()) {  // only clients with a certificate this CA signed (the API server's)
      context->load_verify_file(client_ca_file_);
      context->set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
    }
  } catch (const std::exception& e) {
    stamp_ = stamp;  // the same broken files are not read again until they change
    return fmt::format("TLS certificate {}, key {}{}: {}", cert_file_, key_file_,
                       client_ca_file_.empty() ? "" : " and client CA " + client_ca_file_, e.what());
  }
  SSL_CTX_set_alpn_select_cb(context->native_handle(), select_http11, nullptr);
  int64_t expiry = 0;
  if (const X509* certificate = SSL_CTX_get0_certificate(context->native_handle())) {
    std::tm when{};
    if (ASN1_TIME_to_tm(X509_get0_notAfter(certificate), &when) == 1) expiry = timegm(&when);
  }
  const std::lock_guard lock(mutex_);
  stamp_ = stamp;
  context_ = std::move(context);
  expiry_ = expiry;
  return "";
}

std::shared_ptr<ssl::context> Certificates::current() const {
  const std::lock_guard lock(mutex_);
  return context_;
}

int64_t Certificates::expiry() const {
  const std::lock_guard lock(mutex_);
  return expiry_;
}

}  // namespace pol::server
