#include <staffcast/detail/csv.hpp>
#include <staffcast/detail/record_source.hpp>

#include <gtest/gtest.h>

#include <string>
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
