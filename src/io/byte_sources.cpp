// The byte sources the CSV reader reads from: files (mapped into memory where
// the system allows, else read with fread) and text in memory; and giving
// freed memory back to the system after a large read.
#include "file_source.hpp"

#include <staffcast/error.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#if defined(__unix__) || defined(__APPLE__)
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#define STAFFCAST_CSV_MMAP 1
#else
#define STAFFCAST_CSV_MMAP 0
#endif

namespace staffcast::detail {

FileSource::FileSource(const std::string& path, std::size_t offset, bool map) : file_(std::fopen(path.c_str(), "rb")) {
  if (file_ == nullptr) {
    throw io_error("cannot open " + path + ": " + std::strerror(errno));
  }
  if (offset > 0 && fseeko(file_, static_cast<off_t>(offset), SEEK_SET) != 0) {
    std::fclose(file_);
    throw io_error("cannot seek in " + path + ": " + std::strerror(errno));
  }
#if STAFFCAST_CSV_MMAP
  if (map) map_from(offset);
#else
  (void)map;
#endif
}

FileSource::~FileSource() {
  guard_.reset();  // before the pages go
#if STAFFCAST_CSV_MMAP
  if (mapping_ != nullptr) munmap(mapping_, mapped_bytes_);
#endif
  std::fclose(file_);
}

std::size_t FileSource::read(char* into, std::size_t capacity) {
  const std::size_t n = std::fread(into, 1, capacity, file_);
  if (n == 0 && std::ferror(file_) != 0) throw io_error("read error");
  return n;
}

#if STAFFCAST_CSV_MMAP
void FileSource::map_from(std::size_t offset) {
  struct stat info;  // filled by fstat
  if (fstat(fileno(file_), &info) != 0 || !S_ISREG(info.st_mode)) return;
  const auto size = static_cast<std::size_t>(info.st_size);
  if (size <= offset) return;  // nothing to map: read() finds the end
  const auto page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  const std::size_t start = offset / page * page;  // mappings start on a page
  void* at = mmap(nullptr, size - start, PROT_READ, MAP_PRIVATE, fileno(file_), static_cast<off_t>(start));
  if (at == MAP_FAILED) return;  // fread it is
  madvise(at, size - start, MADV_SEQUENTIAL);
  mapping_ = at;
  mapped_bytes_ = size - start;
  guard_ = std::make_unique<MappingGuard>(at, mapped_bytes_);
  view_ = std::string_view(static_cast<const char*>(at) + (offset - start), size - offset);
}
#endif

namespace {

class MemorySource final : public ByteSource {
 public:
  explicit MemorySource(std::string_view bytes) : bytes_(bytes) {}
  std::size_t read(char* into, std::size_t capacity) override {
    const std::size_t n = std::min(capacity, bytes_.size() - offset_);
    if (n > 0) std::memcpy(into, bytes_.data() + offset_, n);
    offset_ += n;
    return n;
  }

 private:
  std::string_view bytes_;
  std::size_t offset_ = 0;
};

}  // namespace

std::unique_ptr<ByteSource> open_file_source(const std::string& path) {
  return std::make_unique<FileSource>(path, 0, true);
}

std::unique_ptr<ByteSource> memory_source(std::string_view bytes) { return std::make_unique<MemorySource>(bytes); }

void release_free_memory() noexcept {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

}  // namespace staffcast::detail
