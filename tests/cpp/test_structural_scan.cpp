// The structural scan: every kernel the CPU runs against a byte-by-byte
// reference, the quote regions against a running XOR, and the CSV reader's
// records with each kernel against its general parser.
#include <staffcast/detail/csv.hpp>
#include <staffcast/detail/structural_scan.hpp>

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace {

using namespace staffcast::detail;

constexpr ScanLevel all_levels[] = {ScanLevel::scalar, ScanLevel::sse42, ScanLevel::avx2, ScanLevel::avx512};

bool structural(unsigned char c, char separator) {
  return c == static_cast<unsigned char>(separator) || c == '\n' || c == '"' || c == '\r' || c == 0 || c >= 0x80;
}

/// Text drawn mostly from the bytes a scan must tell apart.
std::string random_text(std::mt19937_64& random, std::size_t n) {
  static const char alphabet[] = {'a',
                                  'Z',
                                  '0',
                                  ',',
                                  ';',
                                  '\t',
                                  '\n',
                                  '\r',
                                  '"',
                                  '\0',
                                  ' ',
                                  '-',
                                  static_cast<char>(0x80),
                                  static_cast<char>(0xC3),
                                  static_cast<char>(0xA5),
                                  static_cast<char>(0xFF),
                                  static_cast<char>(0x7F)};
  std::string text(n, ' ');
  for (char& c : text) {
    c = random() % 4 == 0 ? static_cast<char>(random() % 256) : alphabet[random() % sizeof alphabet];
  }
  return text;
}

TEST(StructuralScan, NamesRoundTripAndScalarIsAlwaysThere) {
  for (ScanLevel level : all_levels) EXPECT_EQ(parse_scan_level(scan_level_name(level)), level);
  EXPECT_FALSE(parse_scan_level("avx1024").has_value());
  EXPECT_TRUE(scan_level_supported(ScanLevel::scalar));
  EXPECT_TRUE(scan_level_supported(default_scan_level()));
#if defined(__x86_64__)
  EXPECT_TRUE(scan_level_supported(ScanLevel::sse42)) << "every x86-64 server of the last fifteen years has SSE4.2";
#endif
}

TEST(StructuralScan, EveryKernelClassifiesBlocksAsTheReferenceDoes) {
  std::mt19937_64 random(3);
  for (int round = 0; round < 4000; ++round) {
    const std::size_t n = random() % 70;  // short, whole and over-long blocks
    const std::string text = random_text(random, n);
    const char separator = round % 3 == 0 ? ';' : round % 3 == 1 ? ',' : '\t';
    BlockMasks expected;
    for (std::size_t i = 0; i < std::min<std::size_t>(n, 64); ++i) {
      const auto c = static_cast<unsigned char>(text[i]);
      const std::uint64_t bit = std::uint64_t{1} << i;
      if (c == static_cast<unsigned char>(separator)) expected.separator |= bit;
      if (c == '\n') expected.line_feed |= bit;
      if (c == '"') expected.quote |= bit;
      if (c == '\r' || c == 0 || c >= 0x80) expected.special |= bit;
    }
    for (ScanLevel level : all_levels) {
      if (!scan_level_supported(level)) continue;
      ASSERT_EQ(classify_block(level, text.data(), n, separator), expected)
          << scan_level_name(level) << " round " << round;
    }
  }
}

TEST(StructuralScan, EveryKernelListsTheStructuralBytesInOrder) {
  std::mt19937_64 random(5);
  std::vector<std::size_t> lengths = {0, 1, 63, 64, 65, 127, 128, 129, 1000, 4096 + 17};
  for (int round = 0; round < 300; ++round) lengths.push_back(random() % 3000);
  int kernels_run = 0;
  for (const std::size_t n : lengths) {
    const std::string text = random_text(random, n);
    for (const char separator : {',', ';', '\t', '|'}) {
      std::vector<std::uint32_t> expected;
      for (std::size_t i = 0; i < n; ++i) {
        if (structural(static_cast<unsigned char>(text[i]), separator))
          expected.push_back(static_cast<std::uint32_t>(i));
      }
      for (ScanLevel level : all_levels) {
        if (!scan_level_supported(level)) continue;
        ++kernels_run;
        StructuralIndex index(separator, level);
        const std::size_t count = index.scan(text.data(), n);
        ASSERT_EQ(std::vector<std::uint32_t>(index.positions(), index.positions() + count), expected)
            << scan_level_name(level) << " n " << n << " separator " << separator;
      }
    }
  }
  EXPECT_GE(kernels_run, 4 * 310);
}

// A block made only of structurals (the most the flattening writes).
TEST(StructuralScan, DenseBlocksAreListedWhole) {
  const std::string text(1000, ',');
  for (ScanLevel level : all_levels) {
    if (!scan_level_supported(level)) continue;
    StructuralIndex index(',', level);
    ASSERT_EQ(index.scan(text.data(), text.size()), text.size()) << scan_level_name(level);
    for (std::uint32_t i = 0; i < text.size(); ++i) ASSERT_EQ(index.positions()[i], i);
  }
}

TEST(StructuralScan, QuotedRegionsAreARunningXorAcrossBlocks) {
  std::mt19937_64 random(9);
  for (int round = 0; round < 500; ++round) {
    std::vector<std::uint64_t> quotes(1 + random() % 5);
    for (auto& q : quotes) q = random() & random();  // sparse quotes
    for (ScanLevel level : all_levels) {
      std::uint64_t carry = 0;
      bool inside = false;  // the byte-by-byte reference
      for (const std::uint64_t q : quotes) {
        std::uint64_t expected = 0;
        for (unsigned i = 0; i < 64; ++i) {
          if ((q >> i) & 1U) inside = !inside;
          if (inside) expected |= std::uint64_t{1} << i;
        }
        ASSERT_EQ(quoted_regions(level, q, carry), expected) << scan_level_name(level);
        ASSERT_EQ(carry, inside ? ~std::uint64_t{0} : 0U);
      }
    }
  }
  std::uint64_t carry = 0;
  // Quotes at bytes 2 and 5: bytes 2, 3 and 4 are inside; nothing stays open.
  EXPECT_EQ(quoted_regions(ScanLevel::scalar, 0b100100U, carry), 0b011100U);
  EXPECT_EQ(carry, 0U);
}

struct Records {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::int64_t> numbers;
  std::vector<std::string> issues;
  bool operator==(const Records& o) const { return rows == o.rows && numbers == o.numbers && issues == o.issues; }
};

Records read_with(const std::string& text, bool fast, ScanLevel level, std::size_t chunk) {
  staffcast::IssueList issues;
  CsvOptions options;
  options.fast_path = fast;
  options.scan_level = level;
  options.chunk_bytes = chunk;
  CsvReader reader(memory_source(text), "t.csv", issues, options);
  Records out;
  std::vector<std::string> header;
  if (!reader.read_header(header)) return out;
  CsvRecord record;
  while (reader.next(record)) {
    out.rows.emplace_back(record.fields.begin(), record.fields.end());
    out.numbers.push_back(record.row * 1000000 + record.line);
  }
  for (const auto& issue : issues.items()) {
    out.issues.push_back(issue.code + " " + std::to_string(issue.row) + " " + issue.column);
  }
  return out;
}

// Records longer than the reader's 256 KiB index window, multi-byte
// characters across window edges, bad UTF-8, quotes and CRs among plain
// records: each kernel gives what the general parser gives.
TEST(StructuralScan, ReaderWithEachKernelMatchesTheGeneralParser) {
  std::mt19937_64 random(13);
  std::string text = "name,place,note\n";
  std::size_t plain = 0;
  while (text.size() < 1400000) {
    const int kind = static_cast<int>(random() % 4000) / 8;  // 0: one in 500
    if (kind == 0) {
      text += "long," + std::string(100000 + random() % 300000, 'x') + ",end\n";  // spans windows
    } else if (kind == 1 || kind == 5) {
      text += "\"quoted, with comma\",Malm\xC3\xB6,\"a \"\"b\"\"\"\n";
    } else if (kind == 2) {
      text += "bad,\xC3(,utf8\n";
    } else if (kind == 3) {
      text += "cr,lf,end\r\n";
    } else if (kind == 4 || kind == 6) {
      text += "too,few\n";
    } else {
      ++plain;
      text += "E" + std::to_string(random() % 100000) + ",G\xC3\xB6teborg \xE2\x82\xAC,\xF0\x9F\x98\x80" +
              std::string(random() % 200, 'n') + "\n";
    }
  }
  ASSERT_GT(plain, 1000U);
  for (const std::size_t chunk : {std::size_t{1} << 16, std::size_t{1} << 22}) {
    const Records general = read_with(text, false, ScanLevel::scalar, chunk);
    ASSERT_GT(general.rows.size(), plain);
    ASSERT_FALSE(general.issues.empty());
    for (ScanLevel level : all_levels) {
      if (!scan_level_supported(level)) continue;
      EXPECT_EQ(read_with(text, true, level, chunk), general) << scan_level_name(level) << " chunk " << chunk;
    }
  }
}

}  // namespace
