// A register's column: a read-only run of values that either owns its memory
// (a vector the register was built into) or views memory another owner keeps
// alive (the buffers of a mapped saved register, io/saved_register.hpp).
#pragma once

#include <cstddef>
#include <initializer_list>
#include <memory>
#include <stdexcept>
#include <utility>
#include <vector>

namespace staffcast {

/// Values of one column, immutable once made. Copies share the values (nothing
/// can change them), so copying a register is cheap and every copy stays valid
/// as long as it lives, whoever made the values.
template <class T>
class Column {
 public:
  using value_type = T;
  using const_iterator = const T*;
  using iterator = const T*;
  using size_type = std::size_t;

  Column() = default;
  /// Takes the vector's values (no copy).
  Column(std::vector<T>&& values) {  // NOLINT(google-explicit-constructor): a built column is a column
    if (values.empty()) return;
    auto owned = std::make_shared<std::vector<T>>(std::move(values));  // the buffer moves, not the values
    data_ = owned->data();
    size_ = owned->size();
    storage_ = std::move(owned);
  }
  Column(const std::vector<T>& values) : Column(std::vector<T>(values)) {}  // NOLINT(google-explicit-constructor)
  Column(std::initializer_list<T> values) : Column(std::vector<T>(values)) {}

  /// `size` values at `data`, valid while `keep_alive` lives (it owns them).
  static Column view(const T* data, std::size_t size, std::shared_ptr<const void> keep_alive) {
    Column c;
    if (size == 0) return c;
    if (data == nullptr || keep_alive == nullptr) throw std::invalid_argument("a column view needs data and an owner");
    c.data_ = data;
    c.size_ = size;
    c.storage_ = std::move(keep_alive);
    return c;
  }

  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
  [[nodiscard]] const T* data() const noexcept { return data_; }
  [[nodiscard]] const T* begin() const noexcept { return data_; }
  [[nodiscard]] const T* end() const noexcept { return data_ + size_; }
  [[nodiscard]] const T& operator[](std::size_t i) const noexcept { return data_[i]; }
  [[nodiscard]] const T& front() const noexcept { return data_[0]; }
  [[nodiscard]] const T& back() const noexcept { return data_[size_ - 1]; }
  /// A mutable copy of the values.
  [[nodiscard]] std::vector<T> to_vector() const { return std::vector<T>(begin(), end()); }
  /// Bytes of the values (whoever holds them).
  [[nodiscard]] std::size_t nbytes() const noexcept { return size_ * sizeof(T); }

  friend bool operator==(const Column& a, const Column& b) { return equal(a.begin(), a.end(), b.begin(), b.end()); }
  friend bool operator!=(const Column& a, const Column& b) { return !(a == b); }
  friend bool operator==(const Column& a, const std::vector<T>& b) {
    return equal(a.begin(), a.end(), b.data(), b.data() + b.size());
  }
  friend bool operator==(const std::vector<T>& a, const Column& b) { return b == a; }

 private:
  static bool equal(const T* a, const T* a_end, const T* b, const T* b_end) {
    if (a_end - a != b_end - b) return false;
    for (; a != a_end; ++a, ++b) {
      if (!(*a == *b)) return false;
    }
    return true;
  }

  std::shared_ptr<const void> storage_;  // owns what data_ points to
  const T* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace staffcast
