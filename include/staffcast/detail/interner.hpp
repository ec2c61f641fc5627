// Maps strings to dense integer codes in order of first appearance.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace staffcast::detail {

class Interner {
 public:
  Interner() { map_.reserve(1024); }
  Interner(const Interner&) = delete;
  Interner& operator=(const Interner&) = delete;
  Interner(Interner&&) = default;
  Interner& operator=(Interner&&) = default;

  /// Code of `text`, adding it when new.
  std::uint32_t intern(std::string_view text) {
    auto it = map_.find(text);
    if (it != map_.end()) return it->second;
    const std::string_view stored = store(text);
    const auto code = static_cast<std::uint32_t>(values_.size());
    values_.push_back(stored);
    map_.emplace(stored, code);
    return code;
  }

  [[nodiscard]] const std::vector<std::string_view>& values() const noexcept { return values_; }
  [[nodiscard]] std::size_t size() const noexcept { return values_.size(); }

 private:
  // Strings live in fixed blocks so that views stay valid as the arena grows.
  std::string_view store(std::string_view text) {
    if (text.size() > block_size_ / 4) {
      big_.push_back(std::make_unique<char[]>(text.size() + 1));
      std::memcpy(big_.back().get(), text.data(), text.size());
      return {big_.back().get(), text.size()};
    }
    if (blocks_.empty() || used_ + text.size() > block_size_) {
      blocks_.push_back(std::make_unique<char[]>(block_size_));
      used_ = 0;
    }
    char* at = blocks_.back().get() + used_;
    if (!text.empty()) std::memcpy(at, text.data(), text.size());
    used_ += text.size();
    return {at, text.size()};
  }

  static constexpr std::size_t block_size_ = std::size_t{1} << 16;
  std::vector<std::unique_ptr<char[]>> blocks_;
  std::vector<std::unique_ptr<char[]>> big_;
  std::size_t used_ = 0;
  std::unordered_map<std::string_view, std::uint32_t> map_;
  std::vector<std::string_view> values_;
};

}  // namespace staffcast::detail
