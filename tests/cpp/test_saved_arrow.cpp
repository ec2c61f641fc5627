// Saved registers through the Arrow C data interface: a batch built here by hand
// (as any producer would fill the structs) loads into the same register, and
// every damaged or changed batch is an argument_error, with the structs released.
#include <staffcast/detail/arrow_c.hpp>
#include <staffcast/detail/parallel.hpp>
#include <staffcast/detail/xxh64.hpp>
#include <staffcast/io/saved_register.hpp>

#include "register_fixture.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

using namespace staffcast;

namespace {

Register sample() { return staffcast::testing::pairing_sample("sample.csv"); }

// ---------------------------------------------------------------- a producer written by hand

int released = 0;  // release callbacks called on the hand-built nodes
void release_array(ArrowArray* a) {
  a->release = nullptr;
  ++released;
}
void release_schema(ArrowSchema* s) {
  s->release = nullptr;
  ++released;
}

std::string i32(std::int32_t v) { return std::string(reinterpret_cast<const char*>(&v), sizeof v); }

std::string netstring(const std::string& text) { return std::to_string(text.size()) + ":" + text + ","; }

/// The warnings as the format stores them: the count, then eight fields per issue.
std::string issues_text(const IssueList& issues) {
  std::string out = netstring(std::to_string(issues.items().size()));
  for (const Issue& i : issues.items()) {
    for (const std::string& field : {i.file, std::to_string(i.row), std::to_string(i.line), i.column, i.code, i.message,
                                     i.value, std::string(i.severity == Severity::error ? "error" : "warning")}) {
      out += netstring(field);
    }
  }
  return out;
}

/// The 18 columns of a saved register and their metadata, laid out as the Arrow C
/// data interface says, from the register's own vectors (not through the export).
struct HandBatch {
  struct Column {
    std::string name, format;
    std::vector<std::uint8_t> bytes;  // the values
    std::vector<std::int32_t> offsets;
    std::string data;  // dictionary, when format is "i"
    std::vector<const void*> buffers, dictionary_buffers;
    ArrowArray array{}, dictionary_array{};
    ArrowSchema schema{}, dictionary_schema{};
  };
  std::vector<std::unique_ptr<Column>> columns;
  std::vector<ArrowArray*> array_children;
  std::vector<ArrowSchema*> schema_children;
  std::vector<std::pair<std::string, std::string>> metadata;
  std::string metadata_blob;
  std::vector<const void*> top_buffers{nullptr};
  ArrowArray array{};
  ArrowSchema schema{};

  template <class T>
  void add(const char* name, const char* format, const staffcast::Column<T>& values,
           const Dictionary* dictionary = nullptr) {
    auto c = std::make_unique<Column>();
    c->name = name;
    c->format = format;
    c->bytes.resize(values.size() * sizeof(T));
    if (!values.empty()) std::memcpy(c->bytes.data(), values.data(), c->bytes.size());
    if (dictionary != nullptr) {
      c->offsets.push_back(0);
      for (const std::string_view v : *dictionary) {
        c->data += v;
        c->offsets.push_back(static_cast<std::int32_t>(c->data.size()));
      }
    }
    columns.push_back(std::move(c));
  }

  explicit HandBatch(const Register& reg) {
    const SpellColumns& s = reg.spells();
    add("employee_id", "i", s.person, &reg.ids());
    add("birth_date", "tdD", s.birth_date);
    add("gender", "C", s.gender);
    add("employment_form", "C", s.employment_form);
    add("position", "i", s.position, &reg.positions());
    add("department", "i", s.department, &reg.departments());
    add("fte", "C", s.fte);
    add("start_date", "tdD", s.start_date);
    add("end_date", "tdD", s.end_date);
    add("end_reason", "C", s.end_reason);
    add("recruitment_source", "C", s.recruitment_source);
    add("manager", "I", s.manager);
    add("source_row", "I", s.source_row);
    add("start_kind", "C", s.start_kind);
    add("end_kind", "C", s.end_kind);
    add("start_partner", "I", s.start_partner);
    add("end_partner", "I", s.end_partner);
    add("chain_start", "tdD", s.chain_start);
    metadata = {{"staffcast.format", std::to_string(saved_register_format)},
                {"staffcast.label", "sample.csv"},
                {"staffcast.persons", std::to_string(reg.persons())},
                {"staffcast.rows_read", std::to_string(reg.rows_read())},
                {"staffcast.extracted_on", format_iso_date(reg.extracted_on())},
                {"staffcast.extracted_on_given", "false"},
                {"staffcast.today", format_iso_date(reg.assumed_today())},
                {"staffcast.issues", issues_text(reg.issues())}};
    rows = static_cast<std::int64_t>(s.size());
  }

  std::int64_t rows = 0;

  /// Lays out the structs (after any change to the columns), then the checksum.
  void build(bool with_checksum = true) {
    array_children.clear();
    schema_children.clear();
    for (auto& c : columns) {
      const std::size_t width = c->format == "C" ? 1 : 4;
      c->buffers = {nullptr, c->bytes.data()};
      c->array = {static_cast<std::int64_t>(c->bytes.size() / width),
                  0,
                  0,
                  2,
                  0,
                  c->buffers.data(),
                  nullptr,
                  nullptr,
                  release_array,
                  nullptr};
      c->schema = {c->format.c_str(), c->name.c_str(), nullptr, 0, 0, nullptr, nullptr, release_schema, nullptr};
      if (c->format == "i") {
        c->dictionary_buffers = {nullptr, c->offsets.data(), c->data.data()};
        c->dictionary_array = {static_cast<std::int64_t>(c->offsets.size()) - 1,
                               0,
                               0,
                               3,
                               0,
                               c->dictionary_buffers.data(),
                               nullptr,
                               nullptr,
                               release_array,
                               nullptr};
        c->dictionary_schema = {"u", nullptr, nullptr, 0, 0, nullptr, nullptr, release_schema, nullptr};
        c->array.dictionary = &c->dictionary_array;
        c->schema.dictionary = &c->dictionary_schema;
      }
      array_children.push_back(&c->array);
      schema_children.push_back(&c->schema);
    }
    set_metadata();
    array = {rows,
             0,
             0,
             1,
             static_cast<std::int64_t>(columns.size()),
             top_buffers.data(),
             array_children.data(),
             nullptr,
             release_array,
             nullptr};
    schema = {"+s",
              "",
              metadata_blob.data(),
              0,
              static_cast<std::int64_t>(columns.size()),
              schema_children.data(),
              nullptr,
              release_schema,
              nullptr};
    if (with_checksum) {
      char hex[17];
      std::snprintf(hex, sizeof hex, "%016llx",
                    static_cast<unsigned long long>(saved_register_checksum(array, schema)));
      metadata.emplace_back("staffcast.checksum", hex);
      set_metadata();
      schema.metadata = metadata_blob.data();
    }
  }

  void set_metadata() {
    metadata_blob = i32(static_cast<std::int32_t>(metadata.size()));
    for (const auto& [key, value] : metadata) {
      metadata_blob += i32(static_cast<std::int32_t>(key.size())) + key;
      metadata_blob += i32(static_cast<std::int32_t>(value.size())) + value;
    }
  }

  Column& column(const std::string& name) {
    for (auto& c : columns) {
      if (c->name == name) return *c;
    }
    throw std::logic_error("no column " + name);
  }
  template <class T>
  void set(const std::string& name, std::size_t row, T value) {
    std::memcpy(column(name).bytes.data() + row * sizeof(T), &value, sizeof(T));
  }
};

void expect_same(const Register& a, const Register& b) {
  const SpellColumns& x = a.spells();
  const SpellColumns& y = b.spells();
  EXPECT_EQ(x.person, y.person);
  EXPECT_EQ(x.birth_date, y.birth_date);
  EXPECT_EQ(x.gender, y.gender);
  EXPECT_EQ(x.employment_form, y.employment_form);
  EXPECT_EQ(x.position, y.position);
  EXPECT_EQ(x.department, y.department);
  EXPECT_EQ(x.fte, y.fte);
  EXPECT_EQ(x.start_date, y.start_date);
  EXPECT_EQ(x.end_date, y.end_date);
  EXPECT_EQ(x.end_reason, y.end_reason);
  EXPECT_EQ(x.recruitment_source, y.recruitment_source);
  EXPECT_EQ(x.manager, y.manager);
  EXPECT_EQ(x.source_row, y.source_row);
  EXPECT_EQ(x.start_kind, y.start_kind);
  EXPECT_EQ(x.end_kind, y.end_kind);
  EXPECT_EQ(x.start_partner, y.start_partner);
  EXPECT_EQ(x.end_partner, y.end_partner);
  EXPECT_EQ(x.chain_start, y.chain_start);
  EXPECT_EQ(a.ids().strings(), b.ids().strings());
  EXPECT_EQ(a.persons(), b.persons());
  EXPECT_EQ(a.positions().strings(), b.positions().strings());
  EXPECT_EQ(a.departments().strings(), b.departments().strings());
  EXPECT_EQ(a.extracted_on(), b.extracted_on());
  EXPECT_EQ(a.extracted_on_given(), b.extracted_on_given());
  EXPECT_EQ(a.earliest_observed_end(), b.earliest_observed_end());
  ASSERT_EQ(a.issues().items().size(), b.issues().items().size());
  for (std::size_t i = 0; i < a.issues().items().size(); ++i) {
    EXPECT_EQ(a.issues().items()[i].message, b.issues().items()[i].message);
    EXPECT_EQ(a.issues().items()[i].code, b.issues().items()[i].code);
  }
}

/// When a change is made: before the checksum is computed (so it matches), before the
/// batch is laid out without any checksum (a shape refused before the checksum is read),
/// or after the checksum (so it no longer matches).
enum class Change { checksum_recomputed, no_checksum, after_checksum };

/// register_from_arrow on the hand batch after `change`: the error names the file and `what`,
/// and every node was released.
void expect_refused(const std::function<void(HandBatch&)>& change, const std::string& what,
                    Change when = Change::checksum_recomputed, const Register& reg = sample()) {
  HandBatch batch(reg);
  if (when != Change::after_checksum) change(batch);
  batch.build(when != Change::no_checksum);
  if (when == Change::after_checksum) change(batch);
  released = 0;
  try {
    register_from_arrow(&batch.array, &batch.schema, {"damaged.arrow", std::nullopt});
    ADD_FAILURE() << "accepted; expected: " << what;
  } catch (const argument_error& e) {
    EXPECT_NE(std::string(e.what()).find("damaged.arrow is not a valid saved staffcast register"), std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what() << "; expected: " << what;
  }
  EXPECT_EQ(batch.array.release, nullptr);
  EXPECT_EQ(batch.schema.release, nullptr);
  EXPECT_EQ(released, 2);  // this producer's top-level release does not release its children
}

}  // namespace

TEST(SavedArrow, Xxh64MatchesTheReferenceLibrary) {
  // Values from the reference implementation (libxxhash 0.8.1, XXH64).
  EXPECT_EQ(detail::xxh64("", 0, 0), 0xef46db3751d8e999ULL);
  EXPECT_EQ(detail::xxh64(nullptr, 0, 0), 0xef46db3751d8e999ULL);  // an empty piece may have no buffer
  EXPECT_EQ(detail::xxh64("a", 1, 0), 0xd24ec4f1a98c6e5bULL);
  EXPECT_EQ(detail::xxh64("abc", 3, 0), 0x44bc2cf5ad770999ULL);
  EXPECT_EQ(detail::xxh64("staffcast", 9, 0), 0x090068118f3c5a71ULL);
  unsigned char bytes[100];
  for (int i = 0; i < 100; ++i) bytes[i] = static_cast<unsigned char>(i);
  EXPECT_EQ(detail::xxh64(bytes, 100, 0), 0x6ac1e58032166597ULL);
  EXPECT_EQ(detail::xxh64(bytes, 100, 0x9E3779B185EBCA87ULL), 0x00278bda0ee3f586ULL);
  EXPECT_EQ(detail::xxh64("0123456789abcdef0123456789abcdef0", 33, 7), 0x4f54109a9de9ef94ULL);
}

TEST(SavedArrow, ExportThenLoadGivesTheSameRegister) {
  const Register reg = sample();
  ArrowArray array{};
  ArrowSchema schema{};
  export_saved_register(reg, "sample.csv", &array, &schema);
  const Register back = register_from_arrow(&array, &schema);
  EXPECT_EQ(array.release, nullptr);
  EXPECT_EQ(schema.release, nullptr);
  expect_same(back, reg);
  EXPECT_EQ(back.issues().items().front().code, "extraction_date_assumed");
}

TEST(SavedArrow, AGivenExtractionDateReplacesOnlyItsOwnFacts) {
  const Register reg = sample();
  ArrowArray array{};
  ArrowSchema schema{};
  export_saved_register(reg, "sample.csv", &array, &schema);
  const Register back = register_from_arrow(&array, &schema, {"x.arrow", to_day(2020, 3, 31)});
  EXPECT_EQ(back.extracted_on(), to_day(2020, 3, 31));
  EXPECT_TRUE(back.extracted_on_given());
  EXPECT_FALSE(back.earliest_observed_end().has_value());                    // the end 2020-06-30 is after that day
  ASSERT_EQ(back.issues().items().size() + 1, reg.issues().items().size());  // the assumed-date warning goes
  for (const Issue& issue : back.issues().items()) EXPECT_NE(issue.code, "extraction_date_assumed");
  EXPECT_EQ(back.spells().end_partner, reg.spells().end_partner);
}

TEST(SavedArrow, AHandBuiltBatchLoads) {
  const Register reg = sample();
  HandBatch batch(reg);
  batch.build();
  released = 0;
  {
    std::optional<Register> copy;
    {
      const Register back = register_from_arrow(&batch.array, &batch.schema, {"hand.arrow", std::nullopt});
      // The schema is released; the batch's buffers are the register's columns, not copied.
      EXPECT_EQ(released, 1);
      EXPECT_EQ(static_cast<const void*>(back.spells().start_date.data()), batch.column("start_date").bytes.data());
      EXPECT_EQ(static_cast<const void*>(back.ids()[0].data()), batch.column("employee_id").data.data());
      expect_same(back, reg);
      copy = back;
    }
    EXPECT_EQ(released, 1);  // a copy of the register keeps the batch
    expect_same(*copy, reg);
  }
  EXPECT_EQ(released, 2);  // the last column gone, the batch is released
  // The manager column may say "none" (no_code); position may not.
  HandBatch none(reg);
  none.set<std::uint32_t>("manager", 0, no_code);
  none.build();
  EXPECT_EQ(register_from_arrow(&none.array, &none.schema).spells().manager[0], no_code);
}

TEST(SavedArrow, DamagedOrChangedBatchesAreRefused) {
  expect_refused([](HandBatch& b) { b.set<day_t>("start_date", 1, to_day(2020, 7, 2)); }, "checksum does not match",
                 Change::after_checksum);
  expect_refused([](HandBatch& b) { b.metadata[0].second = "1"; }, "format 1", Change::no_checksum);
  expect_refused([](HandBatch& b) { b.metadata.erase(b.metadata.begin()); }, "no staffcast.format",
                 Change::no_checksum);
  expect_refused([](HandBatch& b) { b.column("fte").bytes.pop_back(); }, "column fte has 2 rows, not 3",
                 Change::no_checksum);
  expect_refused([](HandBatch& b) { b.columns.pop_back(); }, "has 17 columns", Change::no_checksum);
  expect_refused([](HandBatch& b) { b.column("birth_date").format = "i"; }, "Arrow type 'i', not 'tdD'",
                 Change::no_checksum);
  expect_refused([](HandBatch& b) { b.set<std::uint32_t>("position", 0, 7); }, "a code is out of range");
  expect_refused([](HandBatch& b) { b.set<std::uint32_t>("position", 0, no_code); }, "a code is out of range");
  expect_refused([](HandBatch& b) { b.set<std::uint8_t>("gender", 2, 9); }, "an enumerated value is out of range");
  // Spell 0 (B) ends as a continuation of spell 1; spell 2 is C's.
  expect_refused([](HandBatch& b) { b.set<std::uint32_t>("end_partner", 0, 2); }, "a partner is out of range");
  expect_refused([](HandBatch& b) { b.set<std::uint32_t>("end_partner", 0, 99); }, "a partner is out of range");
  expect_refused([](HandBatch& b) { b.set<day_t>("birth_date", 2, to_day(1899, 12, 31)); }, "a date is out of range");
  expect_refused([](HandBatch& b) { b.set<day_t>("birth_date", 2, to_day(2010, 1, 1)); }, "outside 15-100");
  // Found by fuzz_saved: a day far outside the calendar once overflowed the age's day count.
  expect_refused([](HandBatch& b) { b.set<day_t>("birth_date", 2, std::numeric_limits<day_t>::min() + 3652); },
                 "a date is out of range");
  expect_refused([](HandBatch& b) { b.set<std::uint32_t>("employee_id", 2, 0); }, "canonical order");
  expect_refused(
      [](HandBatch& b) {
        b.column("position").offsets = {0, 1, 0};
      },
      "offsets decrease", Change::no_checksum);
  expect_refused([](HandBatch& b) { b.metadata[7].second = "1:1,"; }, "warnings (staffcast.issues) are damaged");
  expect_refused([](HandBatch& b) { b.metadata[2].second = "many"; }, "persons is not a number");
}

TEST(SavedArrow, NullsAndForeignShapesAreRefused) {
  const Register reg = sample();
  for (int variant = 0; variant < 3; ++variant) {
    HandBatch batch(reg);
    batch.build();
    std::string what;
    if (variant == 0) {
      batch.columns[1]->array.null_count = 1;
      what = "missing values";
    } else if (variant == 1) {
      batch.schema.format = "+l";
      what = "not a record batch";
    } else {
      batch.columns[4]->array.dictionary = nullptr;
      what = "no dictionary";
    }
    try {
      register_from_arrow(&batch.array, &batch.schema, {"x.arrow", std::nullopt});
      ADD_FAILURE() << what;
    } catch (const argument_error& e) {
      EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
    }
    EXPECT_EQ(batch.array.release, nullptr);
  }
}

TEST(SavedArrow, TwoThreadsGiveTheSameAnswers) {
  const std::size_t before = detail::parallel_finish_rows;
  detail::parallel_finish_rows = 1;  // the checksum, copies and checks on two threads even here
  const Register reg = sample();
  ArrowArray array{};
  ArrowSchema schema{};
  export_saved_register(reg, "sample.csv", &array, &schema);
  expect_same(register_from_arrow(&array, &schema), reg);
  expect_refused([](HandBatch& b) { b.set<day_t>("start_date", 1, to_day(2020, 7, 2)); }, "checksum does not match",
                 Change::after_checksum);
  expect_refused([](HandBatch& b) { b.set<std::uint32_t>("end_partner", 0, 2); }, "a partner is out of range");
  expect_refused([](HandBatch& b) { b.set<std::uint32_t>("position", 0, 7); }, "a code is out of range");
  detail::parallel_finish_rows = before;
}

namespace {

/// A generated register of more spells than one checksum block (16,384 rows).
const Register& several_blocks() {
  static const Register reg = staffcast::testing::generated_register(11000);
  return reg;
}

}  // namespace

// The checksum as docs/data.md defines it, computed here from the hand-built buffers:
// XXH64 of every piece (name, blocks of 16,384 rows, offsets, texts), of the digests,
// then chained over the sorted metadata.
TEST(SavedArrow, TheChecksumIsTheDocumentedOne) {
  const Register& reg = several_blocks();
  ASSERT_GT(reg.size(), 2U * 16384U);  // three blocks, the last one short
  HandBatch batch(reg);
  batch.build();
  std::vector<std::uint64_t> digests;
  const std::size_t n = reg.size();
  for (const auto& c : batch.columns) {
    digests.push_back(detail::xxh64(c->name.data(), c->name.size(), 0));
    const std::size_t width = c->format == "C" ? 1 : 4;
    for (std::size_t from = 0; from < n; from += 16384) {
      const std::size_t rows = std::min<std::size_t>(16384, n - from);
      digests.push_back(detail::xxh64(c->bytes.data() + from * width, rows * width, 0));
    }
    if (c->format == "i" && c->offsets.size() > 1) {
      digests.push_back(detail::xxh64(c->offsets.data(), c->offsets.size() * 4, 0));
      digests.push_back(detail::xxh64(c->data.data(), c->data.size(), 0));
    } else {
      digests.push_back(detail::xxh64(nullptr, 0, 0));
      digests.push_back(detail::xxh64(nullptr, 0, 0));
    }
  }
  std::uint64_t h = detail::xxh64(digests.data(), digests.size() * 8, 0);
  auto entries = batch.metadata;
  std::string stored;
  entries.erase(std::remove_if(entries.begin(), entries.end(),
                               [&](const auto& e) {
                                 if (e.first == "staffcast.checksum") stored = e.second;
                                 return e.first == "staffcast.checksum";
                               }),
                entries.end());
  std::sort(entries.begin(), entries.end());
  for (const auto& [key, value] : entries) {
    for (const std::string* text : {&key, &value}) {
      const std::uint64_t size = text->size();
      h = detail::xxh64(&size, sizeof size, h);
      h = detail::xxh64(text->data(), text->size(), h);
    }
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  EXPECT_EQ(stored, hex);
}

// Blocks are hashed and checked by whichever thread takes them: the same register and
// the same refusals on one thread and on two, a damaged value in any block found.
TEST(SavedArrow, EveryBlockIsCheckedOnOneOrTwoThreads) {
  const Register& reg = several_blocks();
  const std::size_t before = detail::parallel_finish_rows;
  const std::size_t n = reg.size();
  for (const std::size_t rows : {std::size_t{1}, std::numeric_limits<std::size_t>::max()}) {
    detail::parallel_finish_rows = rows;
    SCOPED_TRACE(rows == 1 ? "two threads" : "one thread");
    ArrowArray array{};
    ArrowSchema schema{};
    export_saved_register(reg, "generated.csv", &array, &schema);
    const Register back = register_from_arrow(&array, &schema);
    expect_same(back, reg);
    EXPECT_EQ(back.earliest_start(), reg.earliest_start());
    EXPECT_EQ(back.latest_date(), reg.latest_date());
    EXPECT_EQ(back.earliest_observed_end(), reg.earliest_observed_end());
    for (const std::size_t i : {std::size_t{5}, n / 2, n - 1}) {
      SCOPED_TRACE("spell " + std::to_string(i));
      expect_refused([&](HandBatch& b) { b.set<std::uint32_t>("position", i, 1000000); }, "a code is out of range",
                     Change::checksum_recomputed, reg);
      expect_refused([&](HandBatch& b) { b.set<std::uint8_t>("fte", i, 101); }, "an enumerated value is out of range",
                     Change::checksum_recomputed, reg);
      expect_refused([&](HandBatch& b) { b.set<day_t>("end_date", i, to_day(2200, 1, 1)); }, "a date is out of range",
                     Change::checksum_recomputed, reg);
      expect_refused([&](HandBatch& b) { b.set<std::uint32_t>("start_partner", i, static_cast<std::uint32_t>(n)); },
                     "a partner is out of range", Change::checksum_recomputed, reg);
      expect_refused([&](HandBatch& b) { b.set<day_t>("chain_start", i, to_day(2199, 1, 1)); },
                     "a date is out of range", Change::checksum_recomputed, reg);
      expect_refused([&](HandBatch& b) { b.set<day_t>("birth_date", i, to_day(2199, 1, 1)); },
                     "checksum does not match", Change::after_checksum, reg);
    }
  }
  detail::parallel_finish_rows = before;
}
