// The byte source of a file: mapped into memory where the system allows, else
// read with fread. Private to src/io/ (the CSV reader's sources and the
// two-part read, which opens a file at an offset).
#pragma once

#include <staffcast/detail/csv.hpp>

#include "mapping_guard.hpp"

#include <cstddef>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

namespace staffcast::detail {

class FileSource final : public ByteSource {
 public:
  /// `map`: a regular file is mapped into memory (read without a copy) where
  /// the system allows; otherwise, and for pipes and devices, read with fread.
  explicit FileSource(const std::string& path, std::size_t offset = 0, bool map = false);
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;
  ~FileSource() override;

  std::size_t read(char* into, std::size_t capacity) override;
  [[nodiscard]] std::string_view view() const override { return view_; }
  [[nodiscard]] bool intact() const noexcept override { return guard_ == nullptr || guard_->intact(); }

 private:
  void map_from(std::size_t offset);
  void* mapping_ = nullptr;
  std::size_t mapped_bytes_ = 0;
  std::FILE* file_;
  std::string_view view_;
  std::unique_ptr<MappingGuard> guard_;  // of the mapping: a shrinking file is an error, not SIGBUS
};

}  // namespace staffcast::detail
