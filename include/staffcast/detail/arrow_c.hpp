// The Arrow C data interface: the two structs exactly as the Arrow
// specification gives them (https://arrow.apache.org/docs/format/CDataInterface.html),
// guarded so that a program that also includes Arrow's own header sees one
// definition. Any producer (pyarrow, Arrow C++, nanoarrow, arrow-rs, ...) fills them.
#pragma once

#include <cstdint>

#ifndef ARROW_C_DATA_INTERFACE
#define ARROW_C_DATA_INTERFACE

#define ARROW_FLAG_DICTIONARY_ORDERED 1
#define ARROW_FLAG_NULLABLE 2
#define ARROW_FLAG_MAP_KEYS_SORTED 4

extern "C" {

struct ArrowSchema {
  // Array type description
  const char* format;
  const char* name;
  const char* metadata;
  int64_t flags;
  int64_t n_children;
  struct ArrowSchema** children;
  struct ArrowSchema* dictionary;

  // Release callback
  void (*release)(struct ArrowSchema*);
  // Opaque producer-specific data
  void* private_data;
};

struct ArrowArray {
  // Array data description
  int64_t length;
  int64_t null_count;
  int64_t offset;
  int64_t n_buffers;
  int64_t n_children;
  const void** buffers;
  struct ArrowArray** children;
  struct ArrowArray* dictionary;

  // Release callback
  void (*release)(struct ArrowArray*);
  // Opaque producer-specific data
  void* private_data;
};

}  // extern "C"

#endif  // ARROW_C_DATA_INTERFACE

namespace staffcast::detail {

/// Releases an exported array and its schema when it goes out of scope (the
/// consumer's duty under the interface), whatever happens in between.
class ArrowRelease {
 public:
  ArrowRelease(ArrowArray* array, ArrowSchema* schema) noexcept : array_(array), schema_(schema) {}
  ArrowRelease(const ArrowRelease&) = delete;
  ArrowRelease& operator=(const ArrowRelease&) = delete;
  ~ArrowRelease() {
    if (array_ != nullptr && array_->release != nullptr) array_->release(array_);
    if (schema_ != nullptr && schema_->release != nullptr) schema_->release(schema_);
  }

 private:
  ArrowArray* array_;
  ArrowSchema* schema_;
};

}  // namespace staffcast::detail
