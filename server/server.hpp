// SPDX-License-Identifier: Apache-2.0
// `pol serve`: the admission webhook. HTTPS (HTTP/1.1, as the API server speaks it) on one port
// for POST /validate and /mutate, each answered by Policy::review; plain HTTP on the probe port
// for /healthz, /readyz and /metrics. Boost.Beast on Asio, asynchronous, on a fixed number of
// threads: an idle keep-alive connection (the API server keeps 25 per replica) costs no thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "pol/pol.hpp"

namespace pol::server {

struct ServeOptions {
  std::string tls_cert_file;
  std::string tls_private_key_file;
  std::string client_ca_file;  // when set, only clients with a certificate it signed
  std::string bind_address = "0.0.0.0";
  uint16_t port = 8443;        // HTTPS: /validate, /mutate
  uint16_t probe_port = 8080;  // HTTP: /healthz, /readyz, /metrics
  unsigned threads = 0;        // 0: one per core
  int64_t max_inflight = 1000;
  uint64_t max_request_bytes = 7ull << 20;  // an UPDATE carries two objects of up to 3 MiB
  std::chrono::milliseconds shutdown_delay{5000};
  std::chrono::milliseconds shutdown_timeout{30000};
  bool log = true;  // one JSON line per decision on stderr
};

// What the webhook decides with. A reload builds a new one and swaps it in whole: a request
// is decided by one Decider from start to end.
struct Decider {
  std::shared_ptr<const Policy> policy;
  std::shared_ptr<const Admission> admission;
};

// A Decider, or null when it could not be built (why is on stderr already), and the files it
// was built from, which a reload watches: a policy that failed to compile is read again when
// one of them changes.
struct Loaded {
  std::shared_ptr<const Decider> decider;
  std::vector<std::string> files;
};
using DeciderLoader = std::function<Loaded()>;

// Serves until SIGTERM or SIGINT, then drains: /readyz fails and answers carry `Connection:
// close` for shutdown_delay, then no new connections, and the requests under way get
// shutdown_timeout to finish. SIGHUP, or a change of one of the files it was loaded from, loads
// a new Decider; one that fails to load is reported and the running one stays. Returns the exit
// status (0; 2 when it cannot start, the reason on stderr).
int serve(const ServeOptions& options, const DeciderLoader& load);

}  // namespace pol::server
