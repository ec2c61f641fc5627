// Huge-page advice on large buffers: the advice reaches the kernel for the
// aligned inside of a large buffer (VmFlags "hg" in /proc/self/smaps), never
// for small ones, and the values are the same either way.
#include <staffcast/detail/huge_pages.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

namespace {

using staffcast::detail::advise_huge_pages;
using staffcast::detail::reserve_on_huge_pages;

/// The VmFlags of the mapping that holds `address` (with a space each side), or "".
std::string vm_flags_at(const void* address) {
  std::ifstream smaps("/proc/self/smaps");
  const auto at = reinterpret_cast<std::uintptr_t>(address);
  std::string line;
  bool inside = false;
  while (std::getline(smaps, line)) {
    std::uintptr_t from = 0, to = 0;
    char dash = 0;
    std::istringstream range(line);
    if (range >> std::hex >> from >> dash >> to && dash == '-') {
      inside = from <= at && at < to;
      continue;
    }
    if (inside && line.rfind("VmFlags:", 0) == 0) return line.substr(8) + " ";
  }
  return "";
}

bool transparent_huge_pages_available() {
  std::ifstream setting("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string text;
  std::getline(setting, text);
  return !text.empty() && text.find("[never]") == std::string::npos;
}

TEST(HugePages, LargeBuffersAreAdvisedAndKeepTheirValues) {
  if (!transparent_huge_pages_available()) GTEST_SKIP() << "no transparent huge pages on this machine";
  constexpr std::size_t n = std::size_t{6} << 20U;  // 24 MiB of uint32: ten whole 2 MiB pages inside at least
  std::vector<std::uint32_t> column;
  reserve_on_huge_pages(column, n);
  ASSERT_TRUE(column.empty());
  ASSERT_GE(column.capacity(), n);
  const std::uint32_t* before = column.data();
  for (std::size_t i = 0; i < n; ++i) column.push_back(static_cast<std::uint32_t>(i * 2654435761U));
  EXPECT_EQ(column.data(), before);  // no reallocation: the advised buffer is the one written
  EXPECT_EQ(column[12345], static_cast<std::uint32_t>(12345U * 2654435761U));
  const std::string flags = vm_flags_at(column.data() + n / 2);
  EXPECT_NE(flags.find(" hg "), std::string::npos) << flags;
}

TEST(HugePages, SmallOrEmptyBuffersAreLeftAlone) {
  advise_huge_pages(nullptr, std::size_t{1} << 30U);  // no effect, no crash
  std::vector<std::uint8_t> small;
  reserve_on_huge_pages(small, 1000);
  EXPECT_GE(small.capacity(), 1000U);
  small.assign(1000, 7);
  EXPECT_EQ(std::accumulate(small.begin(), small.end(), 0U), 7000U);
  std::vector<double> none;
  reserve_on_huge_pages(none, 0);
  EXPECT_TRUE(none.empty());
  // 3 MiB holds at most one whole 2 MiB page: under the 4 MiB floor, never advised.
  std::vector<char> below(std::size_t{3} << 20U, 'x');
  advise_huge_pages(below.data(), below.size());
  EXPECT_EQ(vm_flags_at(below.data() + below.size() / 2).find(" hg "), std::string::npos);
}

}  // namespace
