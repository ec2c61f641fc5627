#include <staffcast/detail/csv.hpp>
#include <staffcast/detail/record_source.hpp>
#include <staffcast/error.hpp>

#include <gtest/gtest.h>

#include <unistd.h>

#include <csignal>

#include <filesystem>
#include <fstream>
#include <ostream>
#include <random>
#include <string>
#include <tuple>
#include <vector>

using namespace staffcast;
using namespace staffcast::detail;

namespace {

struct Parsed {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::int64_t> row_numbers, line_numbers;
  IssueList issues;
};

Parsed parse(const std::string& text, std::size_t chunk = 1 << 16) {
  Parsed out;
  CsvOptions options;
  options.chunk_bytes = chunk;
  CsvReader reader(memory_source(text), "t.csv", out.issues, options);
  if (!reader.read_header(out.header)) return out;
  CsvRecord record;
  while (reader.next(record)) {
    out.rows.emplace_back(record.fields.begin(), record.fields.end());
    out.row_numbers.push_back(record.row);
    out.line_numbers.push_back(record.line);
  }
  return out;
}

}  // namespace

TEST(Csv, QuotingCommasNewlinesAndDoubledQuotes) {
  const std::string text = "a,b,c\n1,\"x, y\",\"say \"\"hi\"\"\"\n2,\"two\nlines\",z\n3,,\n";
  for (std::size_t chunk : {1024, 1, 2, 3, 7}) {  // tiny chunks exercise every refill path
    const Parsed p = parse(text, chunk);
    ASSERT_EQ(p.rows.size(), 3U) << chunk;
    EXPECT_EQ(p.rows[0], (std::vector<std::string>{"1", "x, y", "say \"hi\""}));
    EXPECT_EQ(p.rows[1], (std::vector<std::string>{"2", "two\nlines", "z"}));
    EXPECT_EQ(p.rows[2], (std::vector<std::string>{"3", "", ""}));
    EXPECT_EQ(p.row_numbers, (std::vector<std::int64_t>{2, 3, 4}));
    EXPECT_EQ(p.line_numbers, (std::vector<std::int64_t>{2, 3, 5}));
    EXPECT_TRUE(p.issues.empty());
  }
}

TEST(Csv, BomCrlfAndMissingFinalNewline) {
  const Parsed p = parse("\xEF\xBB\xBFid,name\r\n1,Åsa\r\n2,Örjan", 3);
  EXPECT_EQ(p.header, (std::vector<std::string>{"id", "name"}));
  ASSERT_EQ(p.rows.size(), 2U);
  EXPECT_EQ(p.rows[1][1], "Örjan");
  EXPECT_TRUE(p.issues.empty());
}

TEST(Csv, BlankLinesAreSkippedButNumbered) {
  const Parsed p = parse("a,b\n1,2\n\n3,4\n\n");
  ASSERT_EQ(p.rows.size(), 2U);
  EXPECT_EQ(p.row_numbers, (std::vector<std::int64_t>{2, 4}));
}

TEST(Csv, WrongFieldCountAndUnterminatedQuoteAreReported) {
  const Parsed p = parse("a,b\n1,2,3\n4,5\n6,\"open\n7,8\n");
  ASSERT_EQ(p.rows.size(), 1U);
  ASSERT_EQ(p.issues.size(), 2U);
  EXPECT_EQ(p.issues.items()[0].code, "malformed_csv");
  EXPECT_EQ(p.issues.items()[0].row, 2);
  EXPECT_EQ(p.issues.items()[0].message, "expected 2 fields, found 3");
  EXPECT_EQ(p.issues.items()[1].code, "malformed_csv");
  EXPECT_EQ(p.issues.items()[1].row, 4);
  EXPECT_EQ(p.issues.items()[1].line, 4);
  EXPECT_EQ(p.issues.items()[1].message, "unterminated quoted field");
}

TEST(Csv, InvalidUtf8AndNulBytes) {
  const char text[] = "a,b\n1,\xC3\x28\n2,x\0y\n3,ok\n";
  const Parsed p = parse(std::string(text, sizeof text - 1));
  ASSERT_EQ(p.rows.size(), 1U);
  ASSERT_EQ(p.issues.size(), 2U);
  EXPECT_EQ(p.issues.items()[0].code, "encoding");
  EXPECT_EQ(p.issues.items()[0].column, "b");
  EXPECT_EQ(p.issues.items()[1].row, 3);
}

TEST(Csv, Utf8Validator) {
  EXPECT_TRUE(is_valid_utf8("plain ascii text longer than eight"));
  EXPECT_TRUE(is_valid_utf8("Försörjningsstöd €𝄞"));
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(is_valid_utf8("abc\xE2\x82"));       // truncated
}

TEST(Csv, TenMegabyteFieldIsTooLongAndReadingContinues) {
  std::string text = "a,b\n1,\"";
  text.append(10 << 20, 'x');
  text += "\"\n2,ok\n";
  const Parsed p = parse(text);
  ASSERT_EQ(p.rows.size(), 1U);
  EXPECT_EQ(p.rows[0][1], "ok");
  ASSERT_EQ(p.issues.size(), 1U);
  EXPECT_EQ(p.issues.items()[0].code, "field_too_long");
  EXPECT_EQ(p.issues.items()[0].row, 2);
  EXPECT_EQ(p.issues.items()[0].column, "b");
  EXPECT_EQ(p.row_numbers[0], 3);
}

TEST(Csv, EmptyInputHasNoHeader) {
  const Parsed p = parse("");
  EXPECT_TRUE(p.header.empty());
  ASSERT_EQ(p.issues.size(), 1U);
  EXPECT_EQ(p.issues.items()[0].code, "malformed_csv");
}

// The threaded source hands out exactly the records, row and line numbers and
// issues (in the same order, with the same limit) of the plain reader, over
// many batches, with bad records scattered through and a burst of issues.
TEST(Csv, ThreadedSourceMatchesThePlainReader) {
  std::string text = "a,b,c\n";
  for (int i = 0; i < 30000; ++i) {
    const std::string n = std::to_string(i);
    if (i % 997 == 0) {
      text += n + ",\"two\nlines\",x\n";  // a quoted newline: lines run ahead of rows
    } else if (i % 1009 == 0) {
      text += n + ",too,many,fields\n";  // malformed_csv
    } else if (i % 1013 == 0) {
      text += "\n";  // blank line, numbered but skipped
    } else if (i % 1019 == 0) {
      text += n + ",\xff\xfe,x\n";  // encoding
    } else if (i >= 20000 && i < 20600) {
      text += n + ",\"open\"x,y\n";  // 600 in a row: batches end on the issue bound
    } else {
      text += n + ",\"q\"\"uoted\",plain\r\n";
    }
  }
  text += "last,\"unterminated";
  for (const std::size_t limit : {std::size_t{10000}, std::size_t{50}}) {
    struct Out {
      std::vector<std::vector<std::string>> rows;
      std::vector<std::int64_t> numbers;
      std::vector<std::string> issues;
      std::size_t errors = 0, dropped = 0;
    };
    auto run = [&](bool threaded) {
      Out out;
      IssueList issues(limit);
      std::unique_ptr<RecordSource> source =
          threaded ? std::unique_ptr<RecordSource>(new ThreadedCsvRecordSource(memory_source(text), "t.csv", issues))
                   : std::unique_ptr<RecordSource>(new CsvRecordSource(memory_source(text), "t.csv", issues));
      std::vector<std::string> header;
      EXPECT_TRUE(source->header(header));
      CsvRecord record;
      while (source->next(record)) {
        out.rows.emplace_back(record.fields.begin(), record.fields.end());
        out.numbers.push_back(record.row * 1000000 + record.line);
        out.issues.push_back("#" + std::to_string(issues.error_count()));  // issues seen so far at this record
      }
      for (const Issue& issue : issues.items()) {
        out.issues.push_back(issue.code + "@" + std::to_string(issue.row) + ":" + std::to_string(issue.line));
      }
      out.errors = issues.error_count();
      out.dropped = issues.dropped();
      return out;
    };
    const Out plain = run(false);
    const Out threaded = run(true);
    // i = 0 is a quoted-newline row; of 20000..20599, 20180, 20260 and 20380 take the other branches.
    EXPECT_EQ(plain.rows.size(), 30000U - 29 - 29 - 29 - 597);  // minus field counts, blanks, encodings, quotes
    EXPECT_EQ(plain.errors, 29U + 29U + 597U + 1U);             // and the unterminated last record
    EXPECT_EQ(threaded.rows, plain.rows);
    EXPECT_EQ(threaded.numbers, plain.numbers);
    EXPECT_EQ(threaded.issues, plain.issues);
    EXPECT_EQ(threaded.errors, plain.errors);
    EXPECT_EQ(threaded.dropped, plain.dropped);
  }
}

// ---- The fast path for plain records against the general parser ----

namespace {

struct Outcome {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::int64_t> row_numbers, line_numbers;
  std::vector<std::string> issues;  // row, line, column, code, message
  bool stopped = false, overran = false;
  std::size_t offset = 0;
  std::int64_t row = 0, line = 0;
  bool operator==(const Outcome& o) const {
    return std::tie(rows, row_numbers, line_numbers, issues, stopped, overran, offset, row, line) ==
           std::tie(o.rows, o.row_numbers, o.line_numbers, o.issues, o.stopped, o.overran, o.offset, o.row, o.line);
  }
};

std::ostream& operator<<(std::ostream& os, const Outcome& o) {
  os << o.rows.size() << " rows, issues:";
  for (const auto& i : o.issues) os << " [" << i << "]";
  return os << " stopped " << o.stopped << " overran " << o.overran << " at " << o.offset;
}

/// Reads `text` (header first, or continuing after a header when `continuing`)
/// with the given options, stopping at `stop` when given.
Outcome read_all(std::unique_ptr<ByteSource> source, const CsvOptions& options, bool continuing = false,
                 std::size_t stop = static_cast<std::size_t>(-1)) {
  Outcome out;
  IssueList issues(1U << 20);
  CsvReader reader(std::move(source), "t.csv", issues, options);
  std::vector<std::string> header;
  if (continuing) {
    reader.continue_after({"a", "b", "c"});
  } else if (!reader.read_header(header)) {
    out.issues.emplace_back("no header");
  }
  if (stop != static_cast<std::size_t>(-1)) reader.stop_at(stop);
  CsvRecord record;
  while (reader.next(record)) {
    out.rows.emplace_back(record.fields.begin(), record.fields.end());
    out.row_numbers.push_back(record.row);
    out.line_numbers.push_back(record.line);
  }
  for (const Issue& i : issues.items()) {
    out.issues.push_back(std::to_string(i.row) + ":" + std::to_string(i.line) + ":" + i.column + ":" + i.code + ":" +
                         i.message);
  }
  out.stopped = reader.stopped();
  out.overran = reader.overran();
  out.offset = reader.offset();
  out.row = reader.row();
  out.line = reader.line();
  return out;
}

/// Random records, mostly plain, with every kind of thing the fast path must leave to the general parser.
std::string random_records(std::mt19937_64& random, std::size_t count, char sep) {
  static const char* const plain_fields[] = {"E0000001", "1960-06-21", "F", "permanent", "", "1.00", " x ", "Vuxen"};
  static const char* const odd_fields[] = {"Försörjningsstöd",
                                           "\"quoted\"",
                                           "\"with, comma\"",
                                           "\"two\nlines\"",
                                           "\"dou\"\"ble\"",
                                           "mid\"quote",
                                           "\"open\"after",
                                           "\xC3\x28",
                                           "x\xFFy",
                                           std::string_view("n\0l", 3).data(),
                                           "€𝄞",
                                           "0123456789abcdefghij"};
  std::string text;
  for (std::size_t r = 0; r < count; ++r) {
    const std::size_t kind = random() % 20;
    if (kind == 0) {  // blank line (LF or CRLF)
      text += random() % 2 ? "\n" : "\r\n";
      continue;
    }
    const std::size_t fields = kind == 1 ? 2 : kind == 2 ? 4 : 3;  // short and long records
    for (std::size_t f = 0; f < fields; ++f) {
      if (f > 0) text += sep;
      if (random() % 6 == 0) {
        const std::size_t k = random() % (sizeof odd_fields / sizeof odd_fields[0]);
        if (k == 9) {
          text += std::string("n\0l", 3);  // a NUL byte
        } else {
          text += odd_fields[k];
        }
      } else {
        text += plain_fields[random() % (sizeof plain_fields / sizeof plain_fields[0])];
      }
    }
    const std::size_t end = random() % 12;
    text += end == 0 ? "\r\n" : end == 1 ? "\r" : "\n";
  }
  if (random() % 3 == 0) text += "last,no,newline";
  if (random() % 5 == 0) text += "\"unterminated";
  return text;
}

CsvOptions options_with(bool fast, std::size_t chunk, char sep = ',', std::size_t max_field = std::size_t{1} << 20) {
  CsvOptions options;
  options.fast_path = fast;
  options.chunk_bytes = chunk;
  options.separator = sep;
  options.max_field_bytes = max_field;
  return options;
}

}  // namespace

// Random mixes of plain and quoted / CRLF / UTF-8 / invalid / NUL / blank /
// short / long / over-long records: the same records, numbers and issues with
// and without the fast path, whatever the chunk size and separator.
TEST(Csv, FastPathMatchesTheGeneralParserOnRandomRecords) {
  std::mt19937_64 random(7);
  std::size_t plain_rows = 0;
  for (int round = 0; round < 300; ++round) {
    const char sep = round % 3 == 0 ? ';' : ',';
    std::string text = std::string(round % 4 == 0 ? "\xEF\xBB\xBF" : "") + "a" + sep + "b" + sep + "c\n";
    text += random_records(random, 1 + random() % 60, sep);
    const std::size_t max_field = round % 5 == 0 ? 12 : std::size_t{1} << 20;  // "0123456789abcdefghij" is too long
    for (const std::size_t chunk : {std::size_t{1}, std::size_t{5}, std::size_t{64}, std::size_t{1} << 16}) {
      const Outcome general = read_all(memory_source(text), options_with(false, chunk, sep, max_field));
      const Outcome fast = read_all(memory_source(text), options_with(true, chunk, sep, max_field));
      ASSERT_EQ(fast, general) << "round " << round << " chunk " << chunk;
      plain_rows += general.rows.size();
    }
  }
  EXPECT_GT(plain_rows, 10000U);
}

// The stop offset of a two-part read at every byte of a small input: the
// same records, stop or overrun, offset, row and line with and without the
// fast path, from the start and when continuing after a header.
TEST(Csv, FastPathMatchesTheGeneralParserAtEveryStopOffset) {
  std::mt19937_64 random(11);
  for (int round = 0; round < 12; ++round) {
    const std::string text = "a,b,c\n" + random_records(random, 25, ',');
    for (std::size_t stop = 0; stop <= text.size(); ++stop) {
      for (const bool continuing : {false, true}) {
        for (const std::size_t chunk : {std::size_t{3}, std::size_t{1} << 16}) {
          const Outcome general = read_all(memory_source(text), options_with(false, chunk), continuing, stop);
          const Outcome fast = read_all(memory_source(text), options_with(true, chunk), continuing, stop);
          ASSERT_EQ(fast, general) << "round " << round << " stop " << stop << " continuing " << continuing;
        }
      }
    }
  }
}

// A file is mapped and parsed in place (from any offset, as the second part of
// a two-part read opens it): the same as reading the same bytes from memory.
TEST(Csv, MappedFileReadsAsMemory) {
  std::mt19937_64 random(5);
  std::string text =
      "\xEF\xBB\xBF"
      "a,b,c\n" +
      random_records(random, 3000, ',');
  const auto path =
      std::filesystem::temp_directory_path() / ("staffcast_mapped_" + std::to_string(::getpid()) + ".csv");
  {
    std::ofstream file(path, std::ios::binary);
    file << text;
  }
  const CsvInput input = CsvInput::file(path.string());
  for (const std::size_t from : {std::size_t{0}, std::size_t{1}, std::size_t{4095}, std::size_t{4096},
                                 std::size_t{4097}, text.size() / 2, text.size() - 1, text.size()}) {
    const bool continuing = from > 0;
    const Outcome memory =
        read_all(memory_source(std::string_view(text).substr(from)), options_with(true, 1 << 16), continuing);
    const Outcome mapped = read_all(input.open(from), options_with(true, 1 << 16), continuing);
    EXPECT_EQ(mapped, memory) << "from " << from;
  }
  std::filesystem::remove(path);
}

// A mapped file cut short while it is read (an export still being written,
// or replaced): the pages past its new end would raise SIGBUS. The reader
// stops with an io_error that says so, and the process lives on.
TEST(Csv, FileTruncatedWhileReadIsAnErrorNotACrash) {
  const auto path =
      std::filesystem::temp_directory_path() / ("staffcast_truncated_" + std::to_string(::getpid()) + ".csv");
  {
    std::ofstream file(path, std::ios::binary);
    file << "a,b,c\n";
    for (int i = 0; i < 200000; ++i) file << "E" << i << ",2020-01-01,some text\n";
  }
  for (const std::size_t cut : {std::size_t{0}, std::size_t{4096}, std::size_t{70000}, std::size_t{1} << 20}) {
    staffcast::IssueList issues;
    CsvReader reader(open_file_source(path.string()), "t.csv", issues);
    std::vector<std::string> header;
    ASSERT_TRUE(reader.read_header(header));
    CsvRecord record;
    ASSERT_TRUE(reader.next(record));
    std::filesystem::resize_file(path, cut);
    std::string message;
    try {
      while (reader.next(record)) {
      }
    } catch (const staffcast::io_error& error) {
      message = error.what();
    }
    EXPECT_NE(message.find("t.csv changed while it was read"), std::string::npos) << "cut " << cut << ": " << message;
    // Put the file back for the next cut.
    std::ofstream file(path, std::ios::binary);
    file << "a,b,c\n";
    for (int i = 0; i < 200000; ++i) file << "E" << i << ",2020-01-01,some text\n";
  }
  // A file read whole before it changes is read as it was.
  staffcast::IssueList issues;
  CsvReader reader(open_file_source(path.string()), "t.csv", issues);
  std::vector<std::string> header;
  ASSERT_TRUE(reader.read_header(header));
  CsvRecord record;
  std::size_t rows = 0;
  while (reader.next(record)) ++rows;
  EXPECT_EQ(rows, 200000U);
  EXPECT_FALSE(issues.has_errors());
  std::filesystem::remove(path);
}

// A SIGBUS that is not a guarded file's stays fatal.
TEST(CsvDeathTest, OtherBusErrorsStillEndTheProcess) {
  const auto path = std::filesystem::temp_directory_path() / ("staffcast_guarded_" + std::to_string(::getpid()));
  {
    std::ofstream file(path, std::ios::binary);
    file << "a,b\n1,2\n";
  }
  EXPECT_DEATH(
      {
        CsvReader reader(open_file_source(path.string()), "t.csv", *new staffcast::IssueList());
        std::vector<std::string> header;
        reader.read_header(header);  // maps the file: the handler is installed
        std::raise(SIGBUS);
      },
      "");
  std::filesystem::remove(path);
}
