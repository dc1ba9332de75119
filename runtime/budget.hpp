// SPDX-License-Identifier: Apache-2.0
// What one document's evaluation may spend: steps (loop iterations and function calls, the only
// sources of unbounded work in pol, since an expression without them is as small as its text),
// bytes of the values it has built and still holds (strings, lists, maps), and nested calls. Reaching a limit is an
// EvalError, located like any other, so the check fails (and does not allow the object) instead
// of the process hanging or running out of memory. A webhook adds a deadline: its request's
// `?timeout`, so that an answer (a denial) leaves before the API server gives up. The budget of
// the running evaluation is thread-local, so that values can charge what they allocate without
// being handed it.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>

namespace pol::runtime {

struct Limits {
  uint64_t steps = 10'000'000;             // loop iterations and calls per document (about a second)
  uint64_t value_bytes = 128ull << 20;     // bytes of the values alive at once (as for a document)
  uint32_t call_depth = 200;               // functions calling functions
};

class Budget {
 public:
  using Clock = std::chrono::steady_clock;
  explicit Budget(const Limits& limits) : limits_(limits), deadline_(deadline_of_thread_) {}
  Budget(const Budget&) = delete;
  Budget& operator=(const Budget&) = delete;

  const Limits& limits() const { return limits_; }
  uint64_t steps() const { return steps_; }
  bool exhausted() const { return steps_ > limits_.steps || bytes_reached_ || deadline_passed_; }

  void step() {
    if (++steps_ > limits_.steps) [[unlikely]] steps_exceeded();
    if ((steps_ & 1023) == 0 && deadline_ != Clock::time_point::max()) [[unlikely]] check_deadline();
  }
  // The steps compiled code spent deciding a check, charged at once: false (nothing charged) when
  // they would pass the limit or the deadline has passed, for the interpreter to report it.
  bool try_steps(uint64_t n) {
    if (steps_ + n > limits_.steps) return false;
    if (deadline_ != Clock::time_point::max() && Clock::now() >= deadline_) return false;
    steps_ += n;
    return true;
  }
  uint64_t steps_left() const { return steps_ >= limits_.steps ? 0 : limits_.steps - steps_; }
  // Whether the deadline has passed, for compiled code, which looks every 1,024 steps as step()
  // does and then asks the interpreter (which reports it).
  bool past_deadline() const { return deadline_ != Clock::time_point::max() && Clock::now() >= deadline_; }
  // Values built count while they live: charged when built, refunded when freed.
  void charge(size_t bytes) {
    if ((bytes_ += bytes) > limits_.value_bytes) [[unlikely]] {
      bytes_reached_ = true;
      bytes_exceeded();
    }
  }
  void refund(size_t bytes) { bytes_ -= std::min<uint64_t>(bytes, bytes_); }
  // Compiled code keeps every value it builds until its check ends, where the interpreter frees
  // each as soon as it can: a limit reached by compiled code (which then asks the interpreter)
  // is not the interpreter's to report, unless it had been reached before.
  bool bytes_reached() const { return bytes_reached_; }
  void forget_bytes_reached() { bytes_reached_ = false; }

  // The budget of the evaluation running on this thread, or null (compile time, no limits).
  static Budget* current() { return current_; }

  // Makes `budget` the current one for the lifetime of the scope.
  class Scope {
   public:
    explicit Scope(Budget& budget) : previous_(current_) { current_ = &budget; }
    ~Scope() { current_ = previous_; }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    Budget* previous_;
  };

  // Evaluations begun on this thread while it lives stop at `deadline` (checked every 1,024 steps).
  class Deadline {
   public:
    explicit Deadline(Clock::time_point deadline) : previous_(deadline_of_thread_) { deadline_of_thread_ = deadline; }
    ~Deadline() { deadline_of_thread_ = previous_; }
    Deadline(const Deadline&) = delete;
    Deadline& operator=(const Deadline&) = delete;

   private:
    Clock::time_point previous_;
  };

 private:
  [[noreturn]] void steps_exceeded() const;
  [[noreturn]] void bytes_exceeded() const;
  void check_deadline();

  Limits limits_;
  uint64_t steps_ = 0;
  uint64_t bytes_ = 0;  // of the values alive now
  bool bytes_reached_ = false;
  bool deadline_passed_ = false;
  Clock::time_point deadline_;
  static thread_local Budget* current_;
  static thread_local Clock::time_point deadline_of_thread_;
};

}  // namespace pol::runtime
