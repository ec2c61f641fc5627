// Maps strings to dense integer codes in order of first appearance, with an
// open-addressing table (interning millions of person keys is a hot path).
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace staffcast::detail {

/// A fast, fixed 64-bit string hash (not for cryptographic use).
inline std::uint64_t hash_bytes(std::string_view text) noexcept {
  constexpr std::uint64_t multiplier = 0x9E3779B97F4A7C15ULL;
  std::uint64_t h = 0x2545F4914F6CDD1DULL ^ (text.size() * multiplier);
  const char* p = text.data();
  std::size_t n = text.size();
  while (n >= 8) {
    std::uint64_t word;
    std::memcpy(&word, p, 8);
    h = (h ^ word) * multiplier;
    h ^= h >> 29U;
    p += 8;
    n -= 8;
  }
  std::uint64_t tail = 0;
  if (n > 0) std::memcpy(&tail, p, n);
  h = (h ^ tail) * multiplier;
  h ^= h >> 32U;
  h *= 0xD6E8FEB86659FD93ULL;
  h ^= h >> 32U;
  return h;
}

class Interner {
 public:
  Interner() { slots_.assign(initial_capacity, empty); }
  Interner(const Interner&) = delete;
  Interner& operator=(const Interner&) = delete;
  Interner(Interner&&) = default;
  Interner& operator=(Interner&&) = default;

  /// Code of `text`, adding it when new.
  std::uint32_t intern(std::string_view text) {
    const std::uint64_t h = hash_bytes(text);
    const std::size_t mask = slots_.size() - 1;
    std::size_t at = static_cast<std::size_t>(h) & mask;
    for (;;) {
      const std::uint32_t slot = slots_[at];
      if (slot == empty) break;
      if (hashes_[slot] == h && values_[slot] == text) return slot;
      at = (at + 1) & mask;
    }
    const auto code = static_cast<std::uint32_t>(values_.size());
    values_.push_back(store(text));
    hashes_.push_back(h);
    slots_[at] = code;
    if (values_.size() * 2 > slots_.size()) grow();
    return code;
  }

  [[nodiscard]] const std::vector<std::string_view>& values() const noexcept { return values_; }
  [[nodiscard]] std::size_t size() const noexcept { return values_.size(); }

 private:
  static constexpr std::uint32_t empty = 0xFFFFFFFFU;
  static constexpr std::size_t initial_capacity = 64;

  void grow() {
    std::vector<std::uint32_t> slots(slots_.size() * 2, empty);
    const std::size_t mask = slots.size() - 1;
    for (std::uint32_t code = 0; code < values_.size(); ++code) {
      std::size_t at = static_cast<std::size_t>(hashes_[code]) & mask;
      while (slots[at] != empty) at = (at + 1) & mask;
      slots[at] = code;
    }
    slots_.swap(slots);
  }

  // Strings live in fixed blocks so that views stay valid as the arena grows.
  std::string_view store(std::string_view text) {
    if (text.size() > block_size / 4) {
      big_.push_back(std::make_unique<char[]>(text.size() + 1));
      std::memcpy(big_.back().get(), text.data(), text.size());
      return {big_.back().get(), text.size()};
    }
    if (blocks_.empty() || used_ + text.size() > block_size) {
      blocks_.push_back(std::make_unique<char[]>(block_size));
      used_ = 0;
    }
    char* at = blocks_.back().get() + used_;
    if (!text.empty()) std::memcpy(at, text.data(), text.size());
    used_ += text.size();
    return {at, text.size()};
  }

  static constexpr std::size_t block_size = std::size_t{1} << 16;
  std::vector<std::unique_ptr<char[]>> blocks_;
  std::vector<std::unique_ptr<char[]>> big_;
  std::size_t used_ = 0;
  std::vector<std::uint32_t> slots_;
  std::vector<std::uint64_t> hashes_;
  std::vector<std::string_view> values_;
};

}  // namespace staffcast::detail
