// Running independent pieces of work on the machine's second core.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <thread>
#include <utility>
#include <vector>

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

/// Runs work(k) for k in [0, threads): work(0) on the calling thread, each
/// other k on a thread of its own. Returns when all are done and rethrows the
/// failure of the lowest k that failed; stop() is called (from the failing
/// thread) as soon as one fails, so that the others can end early. Every
/// fork-join in the library goes through it (the CSV reader's producer and
/// two-part threads are long-lived and keep their own).
template <class Work, class Stop>
void run_on_threads(unsigned threads, Work&& work, Stop&& stop) {
  if (threads <= 1) {
    work(0U);
    return;
  }
  std::vector<std::exception_ptr> failures(threads);
  auto guarded = [&](unsigned k) {
    try {
      work(k);
    } catch (...) {
      failures[k] = std::current_exception();
      stop();
    }
  };
  std::vector<std::thread> workers;
  workers.reserve(threads - 1);
  try {
    for (unsigned k = 1; k < threads; ++k) workers.emplace_back(guarded, k);
  } catch (...) {  // a thread could not be started: stop the started ones, then fail
    stop();
    for (auto& worker : workers) worker.join();
    throw;
  }
  guarded(0U);
  for (auto& worker : workers) worker.join();
  for (const auto& failure : failures) {
    if (failure) std::rethrow_exception(failure);
  }
}

template <class Work>
void run_on_threads(unsigned threads, Work&& work) {
  run_on_threads(threads, std::forward<Work>(work), [] {});
}

/// Runs `first` here and `second` on another thread when `two_threads`, else
/// one after the other; returns when both are done and rethrows the first
/// failure. The two must not touch the same data.
template <class First, class Second>
void run_pair(bool two_threads, First&& first, Second&& second) {
  if (!two_threads) {
    first();
    second();
    return;
  }
  run_on_threads(2U, [&](unsigned k) {
    if (k == 0) {
      first();
    } else {
      second();
    }
  });
}

/// run_pair on two threads when `parallel` and threads are allowed (may_use_threads).
template <class First, class Second>
void run_both(bool parallel, First&& first, Second&& second) {
  run_pair(parallel && may_use_threads(), std::forward<First>(first), std::forward<Second>(second));
}

}  // namespace staffcast::detail
