// The SIGBUS guard of mapped files (see mapping_guard.hpp). The handler only
// reads lock-free atomics and calls mmap, sigaction and the previous handler.
#include "mapping_guard.hpp"

#include <array>
#include <atomic>
#include <cstdint>
#include <mutex>

#if defined(__unix__) || defined(__APPLE__)
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>
#define STAFFCAST_MAPPING_GUARD 1
#else
#define STAFFCAST_MAPPING_GUARD 0
#endif

namespace staffcast::detail {

#if STAFFCAST_MAPPING_GUARD

namespace {

constexpr int slot_count = 256;

struct Slot {
  std::atomic<std::uintptr_t> start{0};  // 0: free
  std::atomic<std::size_t> bytes{0};
  std::atomic<bool> faulted{false};
};

std::array<Slot, slot_count> slots;
std::mutex slots_mutex;  // taking and freeing slots (never in the handler)
struct sigaction previous_action;
std::atomic<bool> installed{false};
std::uintptr_t page_bytes = 4096;

void on_sigbus(int signal, siginfo_t* info, void* context) {
  const auto address = reinterpret_cast<std::uintptr_t>(info->si_addr);
  // A fault of a guarded range (BUS_ADRERR: the page lies past the end of the file).
  if (info->si_code == BUS_ADRERR) {
    for (Slot& slot : slots) {
      const std::uintptr_t start = slot.start.load(std::memory_order_acquire);
      if (start == 0) continue;
      const std::size_t bytes = slot.bytes.load(std::memory_order_acquire);
      if (address < start || address - start >= bytes) continue;
      // Zeros over the rest of the range, from the faulting page on: one fault
      // per truncated file rather than one per page.
      const std::uintptr_t page = address & ~(page_bytes - 1);
      const std::uintptr_t end = (start + bytes + page_bytes - 1) & ~(page_bytes - 1);
      void* at =
          mmap(reinterpret_cast<void*>(page), end - page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
      if (at == MAP_FAILED) break;  // not recoverable: as if unguarded
      slot.faulted.store(true, std::memory_order_release);
      return;  // the read is retried and finds zeros
    }
  }
  // Not ours: the previous handler, or the default action (restored, then
  // the signal raised again: a kill(2) would not repeat by itself).
  if ((previous_action.sa_flags & SA_SIGINFO) != 0 && previous_action.sa_sigaction != nullptr) {
    previous_action.sa_sigaction(signal, info, context);
    return;
  }
  if ((previous_action.sa_flags & SA_SIGINFO) == 0 && previous_action.sa_handler != SIG_DFL &&
      previous_action.sa_handler != SIG_IGN && previous_action.sa_handler != nullptr) {
    previous_action.sa_handler(signal);
    return;
  }
  struct sigaction fallback {};
  fallback.sa_handler = SIG_DFL;
  sigemptyset(&fallback.sa_mask);
  sigaction(SIGBUS, &fallback, nullptr);
  raise(signal);
}

/// Installs the handler once, keeping the action it replaces.
void install() {
  if (installed.load(std::memory_order_acquire)) return;
  page_bytes = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
  struct sigaction action {};
  action.sa_sigaction = on_sigbus;
  action.sa_flags = SA_SIGINFO | SA_NODEFER;
  sigemptyset(&action.sa_mask);
  if (sigaction(SIGBUS, &action, &previous_action) == 0) installed.store(true, std::memory_order_release);
}

}  // namespace

MappingGuard::MappingGuard(const void* start, std::size_t bytes) noexcept {
  if (start == nullptr || bytes == 0) return;
  const std::lock_guard<std::mutex> lock(slots_mutex);
  install();
  if (!installed.load(std::memory_order_acquire)) return;
  for (int i = 0; i < slot_count; ++i) {
    Slot& slot = slots[static_cast<std::size_t>(i)];
    if (slot.start.load(std::memory_order_relaxed) != 0) continue;
    slot.faulted.store(false, std::memory_order_relaxed);
    slot.bytes.store(bytes, std::memory_order_release);
    slot.start.store(reinterpret_cast<std::uintptr_t>(start), std::memory_order_release);
    slot_ = i;
    return;
  }
}

MappingGuard::~MappingGuard() {
  if (slot_ < 0) return;
  const std::lock_guard<std::mutex> lock(slots_mutex);
  slots[static_cast<std::size_t>(slot_)].start.store(0, std::memory_order_release);
}

bool MappingGuard::intact() const noexcept {
  return slot_ < 0 || !slots[static_cast<std::size_t>(slot_)].faulted.load(std::memory_order_acquire);
}

#else

MappingGuard::MappingGuard(const void*, std::size_t) noexcept {}
MappingGuard::~MappingGuard() = default;
bool MappingGuard::intact() const noexcept { return true; }

#endif

}  // namespace staffcast::detail
