// Maps strings to dense integer codes in order of first appearance, with an
// open-addressing table (interning millions of person keys is a hot path).
#pragma once

#include <staffcast/detail/attributes.hpp>

#include <algorithm>
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
  // The last 0..7 bytes by two overlapping loads, not a byte-by-byte copy.
  std::uint64_t tail = 0;
  if (n >= 4) {
    std::uint32_t low, high;
    std::memcpy(&low, p, 4);
    std::memcpy(&high, p + n - 4, 4);
    tail = low | (std::uint64_t{high} << 32U);
  } else if (n > 0) {
    const auto* b = reinterpret_cast<const unsigned char*>(p);
    tail = b[0] | (std::uint64_t{b[n / 2]} << 8U) | (std::uint64_t{b[n - 1]} << 16U);
  }
  h = (h ^ tail) * multiplier;
  h ^= h >> 32U;
  h *= 0xD6E8FEB86659FD93ULL;
  h ^= h >> 32U;
  return h;
}

/// Equality of two short strings without a call to memcmp for the common key sizes.
inline bool same_text(std::string_view a, std::string_view b) noexcept {
  const std::size_t n = a.size();
  if (n != b.size()) return false;
  if (n >= 8 && n <= 16) {
    std::uint64_t a0, a1, b0, b1;
    std::memcpy(&a0, a.data(), 8);
    std::memcpy(&b0, b.data(), 8);
    std::memcpy(&a1, a.data() + n - 8, 8);
    std::memcpy(&b1, b.data() + n - 8, 8);
    return ((a0 ^ b0) | (a1 ^ b1)) == 0;
  }
  return n == 0 || std::memcmp(a.data(), b.data(), n) == 0;
}

/// a < b (byte order), deciding on the first eight bytes without a call to
/// memcmp when both have them and they differ (person keys of a sorted file).
inline bool less_text(std::string_view a, std::string_view b) noexcept {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && (defined(__GNUC__) || defined(__clang__))
  if (a.size() >= 8 && b.size() >= 8) {
    std::uint64_t x, y;
    std::memcpy(&x, a.data(), 8);
    std::memcpy(&y, b.data(), 8);
    if (x != y) return __builtin_bswap64(x) < __builtin_bswap64(y);  // the first differing byte decides
  }
#endif
  return a < b;
}

/// Codes in order of first appearance. While the values arrive in strictly
/// ascending order (exports sorted by person key), there is no hash table at
/// all: a value after the last one is new, equal to it is the last code. The
/// first value out of order builds the table once and hashing takes over.
class Interner {
 public:
  Interner() = default;
  Interner(const Interner&) = delete;
  Interner& operator=(const Interner&) = delete;
  Interner(Interner&&) = default;
  Interner& operator=(Interner&&) = default;

  /// Code of `text`, adding it when new. Repeating the previous text (a
  /// person's records one after another) costs one comparison, inlined into
  /// the reader's loop; anything else is a call.
  STAFFCAST_INLINE std::uint32_t intern(std::string_view text) {
    const std::uint64_t head = head_of(text);
    if (last_ != empty && text.size() == last_size_ && head == last_head_ &&
        (text.size() <= 8 || same_text(values_[last_], text))) {
      return last_;
    }
    return intern_new(text, head);
  }

  /// intern() of a text other than the previous one.
  STAFFCAST_NOINLINE std::uint32_t intern_new(std::string_view text, std::uint64_t head) {
    if (ordered_) {
      if (values_.empty() || less_text(values_.back(), text)) return remember(append(text), head, text.size());
      start_hashing();
    }
    return remember(intern_hashed(text, hash_bytes(text)), head, text.size());
  }

  /// Interns `later`'s values in its order and returns their codes here,
  /// leaving `later` empty. When both are ordered and `later` starts after
  /// this one's last value (the second part of a sorted file), its strings
  /// are adopted in place of being copied and looked up one by one.
  std::vector<std::uint32_t> absorb(Interner& later) {
    std::vector<std::uint32_t> codes;
    codes.reserve(later.size());
    if (ordered_ && later.ordered_ && !later.values_.empty() &&
        (values_.empty() || values_.back() < later.values_.front())) {
      for (std::size_t i = 0; i < later.values_.size(); ++i) {
        codes.push_back(static_cast<std::uint32_t>(values_.size() + i));
      }
      values_.insert(values_.end(), later.values_.begin(), later.values_.end());
      // The views point into later's blocks, which now belong here; the block
      // being filled (blocks_.back(), used_) stays this one's if it has one.
      if (blocks_.empty()) {
        blocks_ = std::move(later.blocks_);
        used_ = later.used_;
      } else {
        blocks_.insert(blocks_.end() - 1, std::make_move_iterator(later.blocks_.begin()),
                       std::make_move_iterator(later.blocks_.end()));
      }
      big_.insert(big_.end(), std::make_move_iterator(later.big_.begin()), std::make_move_iterator(later.big_.end()));
      remember(static_cast<std::uint32_t>(values_.size() - 1), head_of(values_.back()), values_.back().size());
    } else {
      for (std::string_view value : later.values_) codes.push_back(intern(value));
    }
    later = Interner();
    return codes;
  }

  /// Code of `text`, or `npos` when it has not been interned.
  [[nodiscard]] std::uint32_t find(std::string_view text) const {
    if (ordered_) {
      const auto at = std::lower_bound(values_.begin(), values_.end(), text);
      return at != values_.end() && *at == text ? static_cast<std::uint32_t>(at - values_.begin()) : npos;
    }
    const std::uint64_t h = hash_bytes(text);
    const std::size_t mask = slots_.size() - 1;
    const Slot probe = slot_of(text, h, 0);
    for (std::size_t at = static_cast<std::size_t>(h) & mask;; at = (at + 1) & mask) {
      const Slot& slot = slots_[at];
      if (slot.code == empty) return npos;
      if (holds(slot, probe, text)) return slot.code;
    }
  }

  /// Starts loading the table slot where a lookup of `text` begins, so that a
  /// later intern(text) finds it in cache: with many distinct values (manager
  /// ids) the slot is a cache miss that other work can hide. No effect on results.
#if defined(__GNUC__) || defined(__clang__)
  // Inlined by force: GCC finds an out-of-line prefetch free of side effects
  // and deletes the call.
  STAFFCAST_INLINE void prefetch(std::string_view text) const noexcept {
    if (ordered_ || slots_.empty() || text.empty()) return;
    const std::size_t mask = slots_.size() - 1;
    __builtin_prefetch(slots_.data() + (static_cast<std::size_t>(hash_bytes(text)) & mask));
  }
#else
  void prefetch(std::string_view) const noexcept {}
#endif

  /// Room for `count` values without growing the hash table: reserving address
  /// space touches no memory, so an upper bound (the records to read) is free,
  /// while each doubling of a grown vector writes every view again into fresh pages.
  void reserve_values(std::size_t count) { values_.reserve(count); }

  /// Room for `count` distinct values without rehashing.
  void reserve(std::size_t count) {
    values_.reserve(count);
    reserved_ = std::max(reserved_, count);
    if (!ordered_) {
      hashes_.reserve(count);
      grow_table_for(count);
    }
  }

  [[nodiscard]] const std::vector<std::string_view>& values() const noexcept { return values_; }
  /// Hands the bytes that values() points into to a shared owner, for views that
  /// outlive the interner (a register's dictionaries): the views stay valid while
  /// the owner lives. Nothing may be interned afterwards.
  [[nodiscard]] std::shared_ptr<const void> share_bytes() {
    struct Bytes {
      std::vector<std::unique_ptr<char[]>> blocks, big;
    };
    auto bytes = std::make_shared<Bytes>();
    bytes->blocks = std::move(blocks_);
    bytes->big = std::move(big_);
    blocks_.clear();
    big_.clear();
    used_ = 0;
    return bytes;
  }
  [[nodiscard]] std::size_t size() const noexcept { return values_.size(); }
  /// True when the values are in strictly ascending order (code order is sorted order).
  [[nodiscard]] bool ordered() const noexcept { return ordered_; }

  static constexpr std::uint32_t npos = 0xFFFFFFFFU;

 private:
  static constexpr std::uint32_t empty = 0xFFFFFFFFU;
  static constexpr std::size_t initial_capacity = 64;

  // A slot holds the value's first eight bytes (zero-padded) and a tag of
  // hash bits and length, so that a probe for a key of up to eight bytes
  // (person and manager ids) reads one cache line and nothing else; longer
  // keys compare the rest of the text on a match.
  struct Slot {
    std::uint64_t head = 0;
    std::uint32_t tag = 0;
    std::uint32_t code = empty;
  };

  static Slot slot_of(std::string_view text, std::uint64_t h, std::uint32_t code) noexcept {
    Slot slot;
    slot.head = head_of(text);
    slot.tag = (static_cast<std::uint32_t>(h >> 32U) & 0xFFFFFF00U) |
               static_cast<std::uint32_t>(std::min<std::size_t>(text.size(), 255));
    slot.code = code;
    return slot;
  }
  /// True when `slot` holds `text` (whose slot_of is `probe`).
  bool holds(const Slot& slot, const Slot& probe, std::string_view text) const noexcept {
    if (slot.tag != probe.tag || slot.head != probe.head) return false;
    return text.size() <= 8 || same_text(values_[slot.code], text);
  }

  std::uint32_t remember(std::uint32_t code, std::uint64_t head, std::size_t size) noexcept {
    last_ = code;
    last_head_ = head;
    last_size_ = size;
    return code;
  }

  /// The bytes of a text of up to eight bytes as one word (for longer texts
  /// the first eight): with the length, equal words mean equal texts. Two
  /// overlapping loads instead of a byte-by-byte copy, never past the text.
  STAFFCAST_INLINE static std::uint64_t head_of(std::string_view text) noexcept {
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    if (n >= 8) {
      std::uint64_t word;
      std::memcpy(&word, p, 8);
      return word;
    }
    if (n >= 4) {
      std::uint32_t low, high;
      std::memcpy(&low, p, 4);
      std::memcpy(&high, p + n - 4, 4);
      return low | (std::uint64_t{high} << 32U);
    }
    if (n == 0) return 0;
    return p[0] | (std::uint64_t{p[n / 2]} << 8U) | (std::uint64_t{p[n - 1]} << 16U);
  }

  std::uint32_t append(std::string_view text) {
    const auto code = static_cast<std::uint32_t>(values_.size());
    values_.push_back(store(text));
    return code;
  }

  /// Leaves the ordered mode: hashes every value so far and builds the table.
  void start_hashing() {
    ordered_ = false;
    hashes_.reserve(std::max(reserved_, values_.size()));
    for (std::string_view value : values_) hashes_.push_back(hash_bytes(value));
    grow_table_for(std::max(reserved_, values_.size() + 1));
  }

  void grow_table_for(std::size_t count) {
    std::size_t capacity = std::max(slots_.size(), initial_capacity);
    while (capacity < count * 2) capacity *= 2;
    if (capacity > slots_.size()) rehash(capacity);
  }

  std::uint32_t intern_hashed(std::string_view text, std::uint64_t h) {
    const std::size_t mask = slots_.size() - 1;
    const Slot probe = slot_of(text, h, 0);
    std::size_t at = static_cast<std::size_t>(h) & mask;
    for (;;) {
      const Slot& slot = slots_[at];
      if (slot.code == empty) break;
      if (holds(slot, probe, text)) return slot.code;
      at = (at + 1) & mask;
    }
    const std::uint32_t code = append(text);
    hashes_.push_back(h);
    slots_[at] = probe;
    slots_[at].code = code;
    if (values_.size() * 2 > slots_.size()) rehash(slots_.size() * 2);
    return code;
  }

  void rehash(std::size_t capacity) {
    std::vector<Slot> slots(capacity);
    const std::size_t mask = slots.size() - 1;
    for (std::uint32_t code = 0; code < values_.size(); ++code) {
      std::size_t at = static_cast<std::size_t>(hashes_[code]) & mask;
      while (slots[at].code != empty) at = (at + 1) & mask;
      slots[at] = slot_of(values_[code], hashes_[code], code);
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
  std::vector<Slot> slots_;
  std::vector<std::uint64_t> hashes_;
  std::vector<std::string_view> values_;
  std::uint32_t last_ = empty;
  std::uint64_t last_head_ = 0;  // head_of(values_[last_]) and its size: the repeat test reads no other memory
  std::size_t last_size_ = 0;
  bool ordered_ = true;       // values_ strictly ascending, slots_ and hashes_ unused
  std::size_t reserved_ = 0;  // what reserve() asked for, for the table built later
};

}  // namespace staffcast::detail
