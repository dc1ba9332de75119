// SPDX-License-Identifier: Apache-2.0
#include "server/server.hpp"

#include <fmt/format.h>

#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <condition_variable>
#include <functional>
#include <iostream>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "server/certificates.hpp"
#include "server/file_stamp.hpp"
#include "server/metrics.hpp"

namespace pol::server {

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;
using Response = http::response<http::string_body>;

// An idle keep-alive connection is closed after this long (client-go drops its own after 90 s).
constexpr std::chrono::seconds idle_timeout{120};
constexpr std::chrono::seconds handshake_timeout{10};
constexpr std::chrono::seconds body_timeout{10};  // from a request's header to its last byte

struct State {
  const ServeOptions& options;
  std::atomic<std::shared_ptr<const Decider>> decider;
  Metrics metrics;
  std::atomic<bool> draining{false};
  std::mutex log_mutex;
};

Response reply(http::status status, std::string body, const char* content_type = "text/plain; charset=utf-8") {
  Response response{status, 11};
  response.set(http::field::content_type, content_type);
  response.body() = std::move(body);
  return response;
}

// `?timeout=10s`: the API server's remaining deadline, as a Go duration ("10s", "1m0s", "500ms").
std::optional<double> timeout_of(std::string_view target) {
  const size_t at = target.find("timeout=");
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view text = target.substr(at + 8);
  text = text.substr(0, text.find('&'));
  double total = 0;
  while (!text.empty()) {
    size_t digits = 0;
    while (digits < text.size() && (std::isdigit(static_cast<unsigned char>(text[digits])) || text[digits] == '.')) ++digits;
    if (digits == 0) return std::nullopt;
    const double value = std::strtod(std::string(text.substr(0, digits)).c_str(), nullptr);
    text.remove_prefix(digits);
    static constexpr std::pair<std::string_view, double> units[] = {{"ms", 1e-3}, {"us", 1e-6}, {"µs", 1e-6}, {"ns", 1e-9},
                                                                    {"h", 3600},  {"m", 60},    {"s", 1}};
    bool known = false;
    for (const auto& [unit, scale] : units) {
      if (text.starts_with(unit)) {
        total += value * scale;
        text.remove_prefix(unit.size());
        known = true;
        break;
      }
    }
    if (!known) return std::nullopt;
  }
  return total;
}

const char* decision_name(Decision decision) {
  return decision == Decision::Allow ? "allow" : decision == Decision::Deny ? "deny" : "error";
}

// When to stop evaluating a request that carries `?timeout`: a margin before the API server
// gives up (a tenth, at most 100 ms), so that the denial still arrives.
Clock::time_point deadline_of(std::string_view target, Clock::time_point received) {
  const std::optional<double> timeout = timeout_of(target);
  if (!timeout) return Clock::time_point::max();
  const double seconds = *timeout - std::min(*timeout / 10, 0.1);
  return received + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
}

// POST /validate and /mutate: one AdmissionReview through Policy::review; `overloaded`: refused
// with 429 instead.
Response admit(State& state, const http::request<http::string_body>& request, Clock::time_point received, bool overloaded) {
  const std::string_view target = request.target();
  const std::string_view path = target.substr(0, target.find('?'));
  if (path != "/validate" && path != "/mutate") {
    state.metrics.rejected(Rejection::NotFound);
    return reply(http::status::not_found, "the paths are /validate and /mutate\n");
  }
  if (request.method() != http::verb::post) return reply(http::status::method_not_allowed, "POST an AdmissionReview\n");
  if (!std::string_view(request[http::field::content_type]).starts_with("application/json")) {
    state.metrics.rejected(Rejection::WrongContentType);
    return reply(http::status::unsupported_media_type, "expected Content-Type: application/json\n");
  }
  if (overloaded) {
    state.metrics.rejected(Rejection::Overloaded);
    return reply(http::status::too_many_requests, "too many requests in flight\n");
  }
  const bool mutate = path == "/mutate";
  const std::shared_ptr<const Decider> decider = state.decider.load();  // one policy for the whole request
  const Clock::time_point deadline = deadline_of(target, received);
  const Clock::time_point start = Clock::now();
  const ReviewResponse review = decider->policy->review(request.body(), mutate ? ReviewMode::Mutate : ReviewMode::Validate,
                                                        decider->admission.get(), deadline);
  const Clock::time_point end = Clock::now();
  if (review.http_status != 200) {
    state.metrics.rejected(Rejection::BadRequest);
    return reply(http::status::bad_request, review.error + "\n");
  }
  if (end > deadline) state.metrics.rejected(Rejection::Timeout);  // answered, but maybe too late for the API server
  const ObjectResult& o = review.result;
  Decided decided;
  decided.webhook = mutate ? "mutate" : "validate";
  decided.operation = review.operation;
  decided.kind = o.kind;
  decided.decision = !o.errors.empty() ? Decision::Error : review.allowed ? Decision::Allow : Decision::Deny;
  decided.evaluation_seconds = std::chrono::duration<double>(end - start).count();
  decided.violations = o.violations;
  state.metrics.decided(decided);
  if (state.options.log) {
    const std::string line =
        fmt::format(R"({{"uid":{},"webhook":"{}","operation":{},"kind":{},"namespace":{},"name":{},"decision":"{}","microseconds":{}}})",
                    json_string(review.uid), decided.webhook, json_string(review.operation), json_string(o.kind),
                    json_string(o.namespace_name), json_string(o.name), decision_name(decided.decision),
                    std::chrono::duration_cast<std::chrono::microseconds>(end - start).count());
    const std::lock_guard lock(state.log_mutex);
    std::cerr << line << "\n";
  }
  return reply(http::status::ok, review.body, "application/json");
}

// The probe port: liveness, readiness (false while draining), metrics.
Response probe(State& state, const http::request<http::string_body>& request) {
  const std::string_view target = request.target();
  if (target == "/healthz") return reply(http::status::ok, "ok\n");
  if (target == "/readyz") {
    return state.draining ? reply(http::status::service_unavailable, "shutting down\n") : reply(http::status::ok, "ok\n");
  }
  if (target == "/metrics") return reply(http::status::ok, state.metrics.render(), "text/plain; version=0.0.4");
  return reply(http::status::not_found, "the paths are /healthz, /readyz and /metrics\n");
}

// One connection: requests read and answered in turn (HTTP/1.1 keep-alive), all on the one
// thread that owns the connection. A webhook request is in flight from its header read to its
// answer written: when the threads are busy, the requests whose headers they have read wait for
// them, and the count is that queue; past --max-inflight a request is answered 429 as soon as its
// body is read, without evaluating it, and takes no place in the queue.
template <class Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
 public:
  // `tls`: the context the stream's TLS was made from, kept while the connection lives.
  Session(Stream stream, State& state, bool webhook, std::shared_ptr<ssl::context> tls = nullptr)
      : tls_(std::move(tls)), stream_(std::move(stream)), state_(state), webhook_(webhook) {
    if (webhook_) ++state_.metrics.connections;
  }
  ~Session() {
    uncount();
    if (webhook_) --state_.metrics.connections;
  }

  void start() {
    if constexpr (std::is_same_v<Stream, beast::ssl_stream<beast::tcp_stream>>) {
      beast::get_lowest_layer(stream_).expires_after(handshake_timeout);
      stream_.async_handshake(ssl::stream_base::server, [self = this->shared_from_this()](beast::error_code ec) {
        if (!ec) self->read();
      });
    } else {
      read();
    }
  }

 private:
  void read() {
    parser_.emplace();
    parser_->body_limit(state_.options.max_request_bytes);
    beast::get_lowest_layer(stream_).expires_after(idle_timeout);
    http::async_read_header(stream_, buffer_, *parser_, [self = this->shared_from_this()](beast::error_code ec, size_t) {
      self->on_header(ec);
    });
  }

  void on_header(beast::error_code ec) {
    if (ec) return on_read(ec);
    if (webhook_) {
      overloaded_ = ++state_.metrics.in_flight > state_.options.max_inflight;
      if (overloaded_) --state_.metrics.in_flight;  // refused: it holds no place in the queue
      counted_ = !overloaded_;
    }
    beast::get_lowest_layer(stream_).expires_after(body_timeout);  // a slow body does not hold a connection long
    http::async_read(stream_, buffer_, *parser_, [self = this->shared_from_this()](beast::error_code ec, size_t) {
      self->on_read(ec);
    });
  }

  void on_read(beast::error_code ec) {
    received_ = Clock::now();
    if (ec == http::error::body_limit) {
      // Refused from its Content-Length: the rest is not read, the connection not kept.
      state_.metrics.rejected(Rejection::TooLarge);
      return write(reply(http::status::payload_too_large,
                         fmt::format("a request is at most {} bytes\n", state_.options.max_request_bytes)),
                   false);
    }
    if (ec) return close();
    const http::request<http::string_body> request = parser_->release();
    write(webhook_ ? admit(state_, request, received_, overloaded_) : probe(state_, request), request.keep_alive());
  }

  void write(Response response, bool keep_alive) {
    response_ = std::move(response);
    response_.keep_alive(keep_alive && !state_.draining);  // draining: `Connection: close`
    response_.prepare_payload();
    http::async_write(stream_, response_, [self = this->shared_from_this()](beast::error_code ec, size_t) {
      self->uncount();
      if (self->webhook_) self->state_.metrics.answered(std::chrono::duration<double>(Clock::now() - self->received_).count());
      if (ec || !self->response_.keep_alive()) return self->close();
      self->read();
    });
  }

  void uncount() {
    if (std::exchange(counted_, false)) --state_.metrics.in_flight;
  }

  void close() {
    uncount();
    if constexpr (std::is_same_v<Stream, beast::ssl_stream<beast::tcp_stream>>) {
      beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(5));
      stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) {});
    } else {
      beast::error_code ignored;
      stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    }
  }

  std::shared_ptr<ssl::context> tls_;
  Stream stream_;
  State& state_;
  bool webhook_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  Response response_;
  Clock::time_point received_;
  bool counted_ = false;     // in pol_admission_in_flight
  bool overloaded_ = false;  // over --max-inflight when its header was read
};

// One io_context per thread, each run by that thread alone: a connection lives on one of them,
// so its handlers need no strand or lock, and a request is read, decided and answered without
// a hand-off to another thread (each wake-up of another thread costs, more so in a VM).
class Threads {
 public:
  explicit Threads(unsigned count) {
    for (unsigned i = 0; i < count; ++i) {
      contexts_.push_back(std::make_unique<net::io_context>(1));
      busy_.push_back(net::make_work_guard(*contexts_.back()));  // run() waits for connections, not returns
    }
  }
  net::io_context& first() { return *contexts_.front(); }
  net::io_context& next() { return *contexts_[next_++ % contexts_.size()]; }  // round robin for new connections
  void run() {
    std::vector<std::thread> others;
    for (size_t i = 1; i < contexts_.size(); ++i) others.emplace_back([this, i] { contexts_[i]->run(); });
    contexts_.front()->run();
    for (std::thread& thread : others) thread.join();
  }
  void stop() {
    busy_.clear();
    for (const auto& context : contexts_) context->stop();
  }

 private:
  std::vector<std::unique_ptr<net::io_context>> contexts_;
  std::vector<net::executor_work_guard<net::io_context::executor_type>> busy_;
  std::atomic<size_t> next_{0};
};

// Accepts connections on one port, on the first thread, each given to the next thread; `tls`
// null: plain HTTP (the probe port).
class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(Threads& threads, tcp::endpoint endpoint, State& state, const Certificates* tls)
      : threads_(threads), acceptor_(threads.first()), state_(state), tls_(tls) {
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(net::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(net::socket_base::max_listen_connections);
  }

  void accept() {
    acceptor_.async_accept(threads_.next(), [self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
      if (!ec) {
        socket.set_option(tcp::no_delay(true), ec);  // an answer is one small write: send it now
        if (self->tls_) {  // the pair current now: a reloaded certificate serves the next handshake
          std::shared_ptr<ssl::context> context = self->tls_->current();
          beast::ssl_stream<beast::tcp_stream> stream(std::move(socket), *context);
          std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(std::move(stream), self->state_, true,
                                                                          std::move(context))
              ->start();
        } else {
          std::make_shared<Session<beast::tcp_stream>>(beast::tcp_stream(std::move(socket)), self->state_, false)->start();
        }
      }
      if (self->acceptor_.is_open()) self->accept();
    });
  }

  void stop() {
    net::post(acceptor_.get_executor(), [self = shared_from_this()] {
      beast::error_code ignored;
      self->acceptor_.close(ignored);
    });
  }

 private:
  Threads& threads_;
  tcp::acceptor acceptor_;
  State& state_;
  const Certificates* tls_;
};

// Every second, and at once on SIGHUP: the certificate's files and the policies' files looked
// at, and what changed read again, on a thread of its own so that a slow compile never holds up
// a request.
class Watcher {
 public:
  Watcher(State& state, Certificates& tls, const DeciderLoader& load, std::vector<std::string> files)
      : state_(state), tls_(tls), load_(load), files_(std::move(files)), stamp_(file_stamp(files_)), thread_([this] { run(); }) {}
  ~Watcher() {
    {
      const std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
  }
  void reload_now() {
    {
      const std::lock_guard lock(mutex_);
      reload_requested_ = true;
    }
    wake_.notify_one();
  }

 private:
  void run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      wake_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_ || reload_requested_; });
      if (stopping_) break;
      const bool requested = std::exchange(reload_requested_, false);
      lock.unlock();
      refresh_certificates();
      if (requested || file_stamp(files_) != stamp_) reload_policies(requested ? "SIGHUP" : "a file changed");
      lock.lock();
    }
  }

  void refresh_certificates() {
    const std::optional<std::string> error = tls_.refresh();
    if (!error) return;
    if (error->empty()) {
      ++state_.metrics.certificate_reloads;
      state_.metrics.certificate_expiry = tls_.expiry();
      std::cerr << "pol serve: serving the new certificate\n";
    } else {
      ++state_.metrics.certificate_reload_failures;
      std::cerr << fmt::format("pol serve: error: {}; still serving the previous certificate\n", *error);
    }
  }

  void reload_policies(std::string_view why) {
    std::cerr << fmt::format("pol serve: reloading the policies ({})\n", why);
    const std::string before = file_stamp(files_);  // taken before the read: a change during it is seen next time
    Loaded loaded = load_();
    stamp_ = loaded.files == files_ ? before : file_stamp(loaded.files);
    files_ = std::move(loaded.files);
    if (loaded.decider) {
      // Counted first: a client that sees the new policy's answers sees the reload counted too.
      ++state_.metrics.policy_reloads;
      state_.metrics.policy_stale = false;
      state_.decider.store(std::move(loaded.decider));
      std::cerr << "pol serve: deciding with the reloaded policies\n";
    } else {
      ++state_.metrics.policy_reload_failures;
      state_.metrics.policy_stale = true;
      std::cerr << "pol serve: error: the reloaded policies are refused (above); still deciding with the previous ones\n";
    }
  }

  State& state_;
  Certificates& tls_;
  const DeciderLoader& load_;
  std::vector<std::string> files_;
  std::string stamp_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false, reload_requested_ = false;
  std::thread thread_;  // last: started once the members it uses are
};

}  // namespace

int serve(const ServeOptions& options, const DeciderLoader& load) {
  Certificates tls(options.tls_cert_file, options.tls_private_key_file, options.client_ca_file);
  if (const std::optional<std::string> error = tls.refresh(); error && !error->empty()) {
    std::cerr << fmt::format("pol serve: error: {}\n", *error);
    return 2;
  }
  Loaded loaded = load();
  if (!loaded.decider) return 2;
  const unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  // The state outlives the io_context: destroying it destroys pending handlers, and with them
  // the sessions, which count themselves out of the state's metrics.
  State state{options, std::move(loaded.decider), {}, {}, {}};
  Threads pool(threads);
  net::io_context& io = pool.first();  // signals and timers
  state.metrics.certificate_expiry = tls.expiry();
  std::shared_ptr<Listener> webhook, probes;
  try {
    const net::ip::address address = net::ip::make_address(options.bind_address);
    webhook = std::make_shared<Listener>(pool, tcp::endpoint(address, options.port), state, &tls);
    probes = std::make_shared<Listener>(pool, tcp::endpoint(address, options.probe_port), state, nullptr);
  } catch (const std::exception& e) {
    std::cerr << fmt::format("pol serve: error: cannot listen on {} ports {} and {}: {}\n", options.bind_address,
                             options.port, options.probe_port, e.what());
    return 2;
  }
  webhook->accept();
  probes->accept();
  Watcher watcher(state, tls, load, std::move(loaded.files));

  net::signal_set hangup(io, SIGHUP);
  std::function<void()> on_hangup = [&] {
    hangup.async_wait([&](beast::error_code ec, int) {
      if (ec) return;
      watcher.reload_now();
      on_hangup();
    });
  };
  on_hangup();

  // SIGTERM: not ready, `Connection: close` for shutdown_delay (the Service drops the pod and
  // the API server its pooled connections), then stop accepting and let requests finish.
  net::signal_set signals(io, SIGTERM, SIGINT);
  net::steady_timer timer(io);
  Clock::time_point give_up;
  std::function<void()> wait_for_requests = [&] {
    if (state.metrics.in_flight == 0 || Clock::now() >= give_up) return pool.stop();
    timer.expires_after(std::chrono::milliseconds(20));
    timer.async_wait([&](beast::error_code) { wait_for_requests(); });
  };
  signals.async_wait([&](beast::error_code ec, int) {
    if (ec) return;
    state.draining = true;
    std::cerr << "pol serve: shutting down\n";
    timer.expires_after(options.shutdown_delay);
    timer.async_wait([&](beast::error_code) {
      hangup.cancel();
      webhook->stop();
      probes->stop();
      give_up = Clock::now() + options.shutdown_timeout;
      wait_for_requests();
    });
  });
  std::cerr << fmt::format("pol serve: https://{}:{}/validate and /mutate; probes on http://{}:{}; {} threads\n",
                           options.bind_address, options.port, options.bind_address, options.probe_port, threads);
  pool.run();
  return 0;
}

}  // namespace pol::server
