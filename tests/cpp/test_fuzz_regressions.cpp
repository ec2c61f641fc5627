// Regression tests for findings of the libFuzzer targets in tests/fuzz/ (and of
// the sanitizer builds). Each test reproduces one minimised finding; the input
// bytes are given literally so that no corpus file is needed.
#include <staffcast/date.hpp>
#include <staffcast/detail/csv.hpp>
#include <staffcast/indicators.hpp>
#include <staffcast/register.hpp>
#include <staffcast/sick_leave.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

using namespace staffcast;

namespace {

/// A byte source that returns at most `step` bytes per read, as a pipe, a
/// socket or a Python file object may.
class ShortReadSource final : public detail::ByteSource {
 public:
  ShortReadSource(std::string_view bytes, std::size_t step) : bytes_(bytes), step_(step) {}
  std::size_t read(char* into, std::size_t capacity) override {
    const std::size_t n = std::min({capacity, step_, bytes_.size() - offset_});
    if (n > 0) std::memcpy(into, bytes_.data() + offset_, n);
    offset_ += n;
    return n;
  }

 private:
  std::string_view bytes_;
  std::size_t step_;
  std::size_t offset_ = 0;
};

struct Parsed {
  bool header_ok = false;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> issues;  // "code row line"
};

Parsed parse(std::unique_ptr<detail::ByteSource> source, detail::CsvOptions options = {}) {
  Parsed out;
  IssueList issues;
  detail::CsvReader reader(std::move(source), "fuzz.csv", issues, options);
  out.header_ok = reader.read_header(out.header);
  if (out.header_ok) {
    detail::CsvRecord record;
    while (reader.next(record)) out.rows.emplace_back(record.fields.begin(), record.fields.end());
  }
  for (const Issue& issue : issues.items()) {
    out.issues.push_back(issue.code + " " + std::to_string(issue.row) + " " + std::to_string(issue.line));
  }
  return out;
}

Parsed parse_whole(std::string_view text) { return parse(detail::memory_source(text)); }
Parsed parse_short_reads(std::string_view text, std::size_t step) {
  return parse(std::make_unique<ShortReadSource>(text, step));
}

}  // namespace

// fuzz_csv, "result depends on short reads". Minimised input (after the two
// option bytes): "\n\xEF\xBB\xBF". When the first read returns fewer than three
// bytes and they already hold a complete record (a header of at most one
// character), the byte-order-mark check runs at the start of the *next* chunk,
// so three bytes EF BB BF in the middle of the file are silently dropped.
TEST(FuzzRegressions, ByteOrderMarkIsOnlyStrippedAtTheStartOfTheFile) {
  const std::string text = "a\n\xEF\xBB\xBF" "b\n";
  const Parsed whole = parse_whole(text);
  ASSERT_TRUE(whole.header_ok);
  ASSERT_EQ(whole.rows.size(), 1U);
  EXPECT_EQ(whole.rows[0][0], "\xEF\xBB\xBF" "b");
  for (std::size_t step : {1, 2}) {
    const Parsed trickled = parse_short_reads(text, step);
    EXPECT_EQ(trickled.header, whole.header) << "step " << step;
    EXPECT_EQ(trickled.rows, whole.rows) << "step " << step;
    EXPECT_EQ(trickled.issues, whole.issues) << "step " << step;
  }
  // The original finding: an empty header line, then a BOM alone on line 2.
  const std::string minimal = "\n\xEF\xBB\xBF";
  EXPECT_EQ(parse_short_reads(minimal, 1).rows, parse_whole(minimal).rows);
}

// A BOM at the very start is still stripped however the bytes arrive.
TEST(FuzzRegressions, LeadingByteOrderMarkIsStrippedWithShortReads) {
  const std::string text = "\xEF\xBB\xBFid,name\r\n1,x\r\n";
  for (std::size_t step : {1, 2, 3, 4, 1024}) {
    const Parsed p = parse_short_reads(text, step);
    EXPECT_EQ(p.header, (std::vector<std::string>{"id", "name"})) << "step " << step;
    EXPECT_EQ(p.rows, (std::vector<std::vector<std::string>>{{"1", "x"}})) << "step " << step;
  }
}
