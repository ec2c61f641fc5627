// Running independent pieces of work on the machine's second core.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <thread>

namespace staffcast::detail {

/// Whether a second thread may be used (more than one core, STAFFCAST_THREADS not 1).
inline bool may_use_threads() {
  static const bool allowed = [] {
    const char* threads = std::getenv("STAFFCAST_THREADS");
    if (threads != nullptr && std::strcmp(threads, "1") == 0) return false;
    return std::thread::hardware_concurrency() > 1;
  }();
  return allowed;
}

/// Readers finish inputs of at least this many rows on two threads (the
/// results never depend on it; a variable so that tests can lower it).
inline std::atomic<std::size_t> parallel_finish_rows{100000};

/// Runs `first` here and `second` on another thread when `parallel` and
/// threads are allowed, else one after the other; returns when both are done
/// and rethrows the first failure. The two must not touch the same data.
template <class First, class Second>
void run_both(bool parallel, First&& first, Second&& second) {
  if (!parallel || !may_use_threads()) {
    first();
    second();
    return;
  }
  std::exception_ptr failure;
  std::thread worker([&] {
    try {
      second();
    } catch (...) {
      failure = std::current_exception();
    }
  });
  try {
    first();
  } catch (...) {
    worker.join();
    throw;
  }
  worker.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace staffcast::detail
