// Large buffers on transparent huge pages.
//
// Linux's default ("madvise" mode, Debian's kernels) gives a process 2 MiB
// pages only where it asks for them. Loading a saved register copies every
// column into fresh memory: with 4 KiB pages the kernel takes one fault (and
// one memory-cgroup charge) per 4 KiB, which was half of the copies' time at
// 1.3 million persons; asked for, one per 2 MiB (docs/performance.md). The
// values never depend on it; where the kernel says no, nothing changes.
#pragma once

#include <cstddef>
#include <vector>

namespace staffcast::detail {

/// Asks the kernel to back the whole 2 MiB pages inside [data, data + bytes)
/// with huge pages; nothing for buffers under 4 MiB or off Linux. Never fails.
void advise_huge_pages(const void* data, std::size_t bytes) noexcept;

/// v.reserve(n), the room not yet written advised for huge pages.
template <class T>
void reserve_on_huge_pages(std::vector<T>& v, std::size_t n) {
  v.reserve(n);
  advise_huge_pages(v.data() + v.size(), (v.capacity() - v.size()) * sizeof(T));
}

/// An empty vector with room for `n` values, advised before anything is written.
template <class T>
std::vector<T> huge_page_vector(std::size_t n) {
  std::vector<T> v;
  reserve_on_huge_pages(v, n);
  return v;
}

}  // namespace staffcast::detail
