// Keeps a file mapped for reading from killing the process when the file
// shrinks while it is read. Reading a mapped page past the new end of a
// truncated file raises SIGBUS; a handler installed with the first guard maps
// zero-filled memory over the rest of the guarded range, marks the guard, and
// lets the read go on. The reader then asks intact() and reports the file as
// changed while read (an io_error) instead of parsing the zeros. Faults
// outside every guarded range go to the handler that was there before (or the
// default action), so other SIGBUS stay fatal. Private to src/io/.
#pragma once

#include <cstddef>

namespace staffcast::detail {

class MappingGuard {
 public:
  MappingGuard() noexcept = default;
  /// Guards [start, start + bytes), the pages of a read-only mapping. With
  /// every slot taken (hundreds of files mapped at once) or where the system
  /// has no SIGBUS, the range is unguarded and intact() stays true.
  MappingGuard(const void* start, std::size_t bytes) noexcept;
  MappingGuard(const MappingGuard&) = delete;
  MappingGuard& operator=(const MappingGuard&) = delete;
  ~MappingGuard();

  /// False once a read of the range faulted (the file got shorter).
  [[nodiscard]] bool intact() const noexcept;

 private:
  int slot_ = -1;
};

}  // namespace staffcast::detail
