// SPDX-License-Identifier: Apache-2.0
// The serving certificate and key, re-read when their files change: a Kubernetes Secret volume
// swaps a `..data` symlink, so the files are compared by inode and time, not by name. A new
// pair is used only when both read and the key matches the certificate; otherwise the old one
// stays. Every handshake takes the pair current at that moment. With a client CA, only clients
// with a certificate it signed are served (the API server's, configured in its
// AdmissionConfiguration's kubeConfigFile).
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace pol::server {

class Certificates {
 public:
  Certificates(std::string cert_file, std::string key_file, std::string client_ca_file)
      : cert_file_(std::move(cert_file)), key_file_(std::move(key_file)), client_ca_file_(std::move(client_ca_file)) {}

  // Reads the pair if its files changed since the last read (always, the first time). Returns
  // nothing when nothing changed, "" when the new pair is in use, else why it was refused.
  std::optional<std::string> refresh();
  std::shared_ptr<boost::asio::ssl::context> current() const;
  int64_t expiry() const;  // the certificate's notAfter, Unix seconds

 private:
  std::string cert_file_, key_file_, client_ca_file_;
  std::string stamp_;  // inode and modification time of both files, as last read
  mutable std::mutex mutex_;
  std::shared_ptr<boost::asio::ssl::context> context_;
  int64_t expiry_ = 0;
};

}  // namespace pol::server
