// Large buffers on transparent huge pages.
//
// Linux's default ("madvise" mode, Debian's kernels) gives a process 2 MiB
// pages only where it asks for them. The sick-leave reader writes millions of
// records into fresh columns: with 4 KiB pages the kernel takes one fault (and
// one memory-cgroup charge) per 4 KiB; asked for, one per 2 MiB (about 10 %
// of the read, docs/performance.md). The values never depend on it; where the
// kernel says no, nothing changes.
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

}  // namespace staffcast::detail
