// A register's columns and dictionaries: owned or views of memory another owner
// keeps alive, immutable, shared by copies, the same values whichever way held.
#include <staffcast/register/register.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

using namespace staffcast;

TEST(Column, OwnsABuiltVectorWithoutCopying) {
  std::vector<std::uint32_t> values = {3, 1, 4, 1, 5};
  const std::uint32_t* data = values.data();
  const Column<std::uint32_t> column = std::move(values);
  EXPECT_EQ(column.data(), data);  // the vector's buffer, not a copy
  EXPECT_EQ(column.size(), 5U);
  EXPECT_EQ(column[2], 4U);
  EXPECT_EQ(column.back(), 5U);
  EXPECT_EQ(column.nbytes(), 20U);
  EXPECT_EQ(column, (std::vector<std::uint32_t>{3, 1, 4, 1, 5}));
  const Column<std::uint32_t> copy = column;  // shares the values
  EXPECT_EQ(copy.data(), column.data());
  std::vector<std::uint32_t> changed = copy.to_vector();
  changed[0] = 9;
  EXPECT_EQ(column[0], 3U);
  EXPECT_TRUE(Column<std::uint32_t>().empty());
  EXPECT_EQ(Column<std::uint32_t>(std::vector<std::uint32_t>{}).data(), nullptr);
}

TEST(Column, AViewKeepsItsOwnerAliveAsLongAsAnyCopy) {
  auto buffer = std::make_shared<std::vector<std::int32_t>>(std::vector<std::int32_t>{10, 20, 30});
  std::weak_ptr<std::vector<std::int32_t>> watch = buffer;
  Column<std::int32_t> copy;
  {
    const auto view = Column<std::int32_t>::view(buffer->data() + 1, 2, buffer);
    buffer.reset();
    EXPECT_FALSE(watch.expired());
    EXPECT_EQ(view[0], 20);
    EXPECT_EQ(view[1], 30);
    copy = view;
  }
  EXPECT_FALSE(watch.expired());  // the copy still views it
  EXPECT_EQ(copy.size(), 2U);
  copy = Column<std::int32_t>();
  EXPECT_TRUE(watch.expired());
  EXPECT_THROW(Column<std::int32_t>::view(nullptr, 3, std::make_shared<int>(0)), std::invalid_argument);
}

TEST(Dictionary, ArrowLayoutAndStringsGiveTheSameDictionary) {
  // Two sorted runs: employees B, D, F, then the manager-only keys A, C.
  const std::vector<std::string> values = {"B", "D", "F", "A", "C"};
  const Dictionary owned(values, 3);
  auto bytes = std::make_shared<std::string>("xxBDFAC");
  auto offsets = std::make_shared<std::vector<std::int32_t>>(std::vector<std::int32_t>{2, 3, 4, 5, 6, 7});
  std::weak_ptr<std::string> watch = bytes;
  const std::int32_t* offset_data = offsets->data();
  const char* byte_data = bytes->data();
  auto owner = std::make_shared<std::pair<decltype(bytes), decltype(offsets)>>(std::move(bytes), std::move(offsets));
  const Dictionary mapped = Dictionary::arrow_view(offset_data, byte_data, 5, 3, std::move(owner));
  for (const Dictionary* d : {&owned, &mapped}) {
    EXPECT_EQ(d->size(), 5U);
    EXPECT_EQ(d->split(), 3U);
    EXPECT_EQ((*d)[1], "D");
    EXPECT_EQ(d->strings(), values);
    EXPECT_EQ(d->find("F"), 2U);
    EXPECT_EQ(d->find("C"), 4U);  // in the second run
    EXPECT_EQ(d->find("E"), std::nullopt);
    EXPECT_EQ(std::string(*(d->begin() + 3)), "A");
    EXPECT_EQ(d->end() - d->begin(), 5);
  }
  EXPECT_EQ(owned, mapped);
  EXPECT_EQ(mapped.contiguous_bytes(), "BDFAC");  // from the first offset, not the buffer's start
  EXPECT_EQ(owned.contiguous_bytes(), "");
  EXPECT_EQ(mapped.nbytes(), 6 * 4 + 5U);
  EXPECT_FALSE(watch.expired());
  Dictionary copy = mapped;
  EXPECT_EQ(copy[4], "C");
}

TEST(Dictionary, ViewsOfStringsKeptElsewhere) {
  auto store = std::make_shared<std::string>("northsouth");
  const std::string_view all = *store;
  const Dictionary d({all.substr(0, 5), all.substr(5)}, 2, store);
  EXPECT_EQ(d.find("south"), 1U);
  EXPECT_EQ(d.strings(), (std::vector<std::string>{"north", "south"}));
  EXPECT_EQ(d.nbytes(), 2 * sizeof(std::string_view) + 10);
  EXPECT_TRUE(Dictionary().empty());
  EXPECT_EQ(Dictionary().find("x"), std::nullopt);
}
