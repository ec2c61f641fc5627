// Tests of the synthetic register generator: determinism, the exact file
// layout, validity under the data contract (docs/data.md) and the realism
// targets, checked by re-parsing the written CSV with an independent parser.
#include <staffcast/calendar.hpp>
#include <staffcast/error.hpp>
#include <staffcast/generate/detail/random.hpp>
#include <staffcast/generate/generate.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

namespace fs = std::filesystem;
using staffcast::day_t;

namespace {

using Row = std::vector<std::string>;

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Minimal RFC 4180 parser (LF or CRLF line ends, quoted fields with "").
std::vector<Row> parse_csv(const std::string& text) {
  std::vector<Row> rows;
  Row row;
  std::string field;
  bool quoted = false;
  bool any = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field.push_back('"');
          ++i;
        } else {
          quoted = false;
        }
      } else {
        field.push_back(c);
      }
      continue;
    }
    if (c == '"') {
      quoted = true;
      any = true;
    } else if (c == ',') {
      row.push_back(field);
      field.clear();
      any = true;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      row.push_back(field);
      rows.push_back(row);
      row.clear();
      field.clear();
      any = false;
    } else {
      field.push_back(c);
      any = true;
    }
  }
  if (any || !field.empty()) {
    row.push_back(field);
    rows.push_back(row);
  }
  return rows;
}

// A directory name unique to this process (ctest may run the tests of this
// file in parallel processes), not yet existing.
fs::path fresh_dir(const std::string& name) {
  static const std::string suffix = [] {
    std::random_device device;
    const std::uint64_t bits = (static_cast<std::uint64_t>(device()) << 32) ^ device();
    std::ostringstream out;
    out << std::hex << bits;
    return out.str();
  }();
  const fs::path dir = fs::temp_directory_path() / ("staffcast_test_generate_" + suffix + "_" + name);
  std::error_code ec;
  fs::remove_all(dir, ec);
  return dir;
}

day_t date_of(const std::string& text) {
  const auto d = staffcast::parse_iso_date(text);
  if (!d) throw std::runtime_error("bad date in generated file: " + text);
  return *d;
}

struct Spell {
  std::string id;
  day_t birth;
  std::string gender, form, position, department, fte;
  day_t start;
  std::optional<day_t> end;
  std::string reason, source, manager;
  day_t end_or_max() const { return end ? *end : std::numeric_limits<day_t>::max(); }
};

struct SickRecord {
  std::string id;
  day_t start, end;
  double extent;
};

const char* const kEmploymentsHeader =
    "employee_id,birth_date,gender,employment_form,position,department,fte,start_date,end_date,end_reason,"
    "recruitment_source,manager_id";
const char* const kSickHeader = "employee_id,start_date,end_date,extent";
const char* const kIndicatorsHeader = "indicator,period,value,target,better,unit,unit_of_analysis";

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

// One generated register shared by the structural tests.
class GeneratedRegister : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    options_.persons = 2000;
    options_.years = 10;
    options_.seed = 20240930;
    dir_ = fresh_dir("shared");
    summary_ = staffcast::generate(dir_.string(), options_);
    employments_text_ = slurp(dir_ / "employments.csv");
    sick_text_ = slurp(dir_ / "sick_leave.csv");
    indicators_text_ = slurp(dir_ / "indicators.csv");
    const auto rows = parse_csv(employments_text_);
    header_ = rows.at(0);
    for (std::size_t i = 1; i < rows.size(); ++i) {
      const Row& r = rows[i];
      if (r.size() != 12) throw std::runtime_error("wrong field count on row " + std::to_string(i + 1));
      Spell s;
      s.id = r[0];
      s.birth = date_of(r[1]);
      s.gender = r[2];
      s.form = r[3];
      s.position = r[4];
      s.department = r[5];
      s.fte = r[6];
      s.start = date_of(r[7]);
      if (!r[8].empty()) s.end = date_of(r[8]);
      s.reason = r[9];
      s.source = r[10];
      s.manager = r[11];
      spells_.push_back(s);
      by_person_[s.id].push_back(spells_.size() - 1);
    }
    for (auto& [id, list] : by_person_) {
      std::sort(list.begin(), list.end(),
                [](std::size_t a, std::size_t b) { return spells_[a].start < spells_[b].start; });
    }
    const auto sick_rows = parse_csv(sick_text_);
    for (std::size_t i = 1; i < sick_rows.size(); ++i) {
      const Row& r = sick_rows[i];
      if (r.size() != 4) throw std::runtime_error("wrong field count in sick_leave.csv");
      sick_.push_back({r[0], date_of(r[1]), date_of(r[2]), std::stod(r[3])});
    }
    indicators_ = parse_csv(indicators_text_);
  }
  static void TearDownTestSuite() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
    spells_.clear();
    by_person_.clear();
    sick_.clear();
  }

  static day_t eo() { return options_.extracted_on; }
  static day_t window_start() { return staffcast::add_years(options_.extracted_on, -options_.years); }

  // The person's main spell on `day` (largest fte, then earliest start), if employed.
  static const Spell* main_spell(const std::string& id, day_t day) {
    const Spell* best = nullptr;
    for (const std::size_t k : by_person_.at(id)) {
      const Spell& s = spells_[k];
      if (s.start > day || s.end_or_max() < day) continue;
      const double fte = s.fte.empty() ? 0.0 : std::stod(s.fte);
      const double best_fte = best == nullptr || best->fte.empty() ? 0.0 : std::stod(best->fte);
      if (best == nullptr || fte > best_fte || (fte == best_fte && s.start < best->start)) best = &s;
    }
    return best;
  }

  static inline staffcast::GenerateOptions options_;
  static inline staffcast::GenerateSummary summary_;
  static inline fs::path dir_;
  static inline std::string employments_text_, sick_text_, indicators_text_;
  static inline Row header_;
  static inline std::vector<Spell> spells_;
  static inline std::map<std::string, std::vector<std::size_t>> by_person_;
  static inline std::vector<SickRecord> sick_;
  static inline std::vector<Row> indicators_;
};

}  // namespace

// ---------------------------------------------------------------------------
// Layout

TEST_F(GeneratedRegister, HeadersAreExact) {
  EXPECT_EQ(first_line(employments_text_), kEmploymentsHeader);
  EXPECT_EQ(first_line(sick_text_), kSickHeader);
  EXPECT_EQ(first_line(indicators_text_), kIndicatorsHeader);
}

TEST_F(GeneratedRegister, PlainUtf8WithLfAndNoTemporaryFiles) {
  for (const std::string* text : {&employments_text_, &sick_text_, &indicators_text_}) {
    ASSERT_FALSE(text->empty());
    EXPECT_NE(static_cast<unsigned char>((*text)[0]), 0xEF) << "no BOM";
    EXPECT_EQ(text->find('\r'), std::string::npos);
    EXPECT_EQ(text->back(), '\n');
  }
  for (const auto& entry : fs::directory_iterator(dir_)) {
    EXPECT_NE(entry.path().extension(), ".tmp") << entry.path();
  }
  // Non-ASCII department names are written as UTF-8.
  EXPECT_NE(employments_text_.find("F\xC3\xB6rs\xC3\xB6rjningsst\xC3\xB6"
                                   "d"),
            std::string::npos);
}

TEST_F(GeneratedRegister, SummaryMatchesFiles) {
  EXPECT_EQ(summary_.spells, spells_.size());
  EXPECT_EQ(summary_.persons_ever, by_person_.size());
  EXPECT_EQ(summary_.sick_leave_records, sick_.size());
  EXPECT_EQ(summary_.indicator_rows + 1, indicators_.size());
}

TEST_F(GeneratedRegister, QuotingIsMinimalAndExercised) {
  bool quoted_comma = false;
  std::istringstream lines(employments_text_);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.find("\"Handläggare, ekonomiskt bistånd\"") != std::string::npos) quoted_comma = true;
  }
  EXPECT_TRUE(quoted_comma);
  // Fields without comma, quote or newline are never quoted.
  EXPECT_EQ(employments_text_.find("\"Socialsekreterare\""), std::string::npos);
  EXPECT_EQ(employments_text_.find("\"Barn och unga\""), std::string::npos);
}

// ---------------------------------------------------------------------------
// Validity under the data contract

TEST_F(GeneratedRegister, CodesAndFormatsAreValid) {
  const std::set<std::string> genders = {"F", "M", "X"};
  const std::set<std::string> forms = {"permanent", "temporary", "hourly"};
  const std::set<std::string> reasons = {
      "own_request", "retirement", "fixed_term_ended", "internal_move", "other_administration", "dismissal",
      "death",       "other"};
  const std::set<std::string> sources = {"", "internal", "other_administration", "external", "rehire"};
  for (const Spell& s : spells_) {
    EXPECT_EQ(genders.count(s.gender), 1U) << s.gender;
    EXPECT_EQ(forms.count(s.form), 1U) << s.form;
    EXPECT_EQ(sources.count(s.source), 1U) << s.source;
    EXPECT_EQ(s.end.has_value(), !s.reason.empty()) << "end_reason iff end_date";
    if (!s.reason.empty()) {
      EXPECT_EQ(reasons.count(s.reason), 1U) << s.reason;
    }
    // employee_id: E + 7 digits at this size.
    ASSERT_EQ(s.id.size(), 8U);
    EXPECT_EQ(s.id[0], 'E');
    EXPECT_TRUE(std::all_of(s.id.begin() + 1, s.id.end(), [](char c) { return c >= '0' && c <= '9'; }));
    // fte: two decimals in (0, 1], empty exactly for hourly spells.
    if (s.form == "hourly") {
      EXPECT_TRUE(s.fte.empty());
    } else {
      ASSERT_EQ(s.fte.size(), 4U) << s.fte;
      EXPECT_EQ(s.fte[1], '.');
      const double fte = std::stod(s.fte);
      EXPECT_GT(fte, 0.0);
      EXPECT_LE(fte, 1.0);
    }
    EXPECT_FALSE(s.position.empty());
    EXPECT_FALSE(s.department.empty());
    const int birth_year = staffcast::to_ymd(s.birth).year;
    EXPECT_GE(birth_year, 1900);
    EXPECT_LE(birth_year, 2199);
    const int age = staffcast::age_on(s.birth, s.start);
    EXPECT_GE(age, 16);
    EXPECT_LT(age, 70);
  }
}

TEST_F(GeneratedRegister, DatesAreConsistent) {
  for (const Spell& s : spells_) {
    EXPECT_LE(s.start, eo()) << s.id << " starts after extracted_on";
    if (s.end) {
      EXPECT_GE(*s.end, s.start) << s.id;
      if (*s.end > eo()) {
        EXPECT_EQ(s.form, "temporary") << s.id << ": planned ends only for temporaries";
        EXPECT_EQ(s.reason, "fixed_term_ended");
      }
    }
  }
}

TEST_F(GeneratedRegister, PersonsAreConsistentAndSpellsDoNotOverlap) {
  std::set<std::string> rows;
  for (const auto& [id, list] : by_person_) {
    const Spell& first = spells_[list.front()];
    for (std::size_t a = 0; a < list.size(); ++a) {
      const Spell& s = spells_[list[a]];
      EXPECT_EQ(s.birth, first.birth) << id;
      EXPECT_EQ(s.gender, first.gender) << id;
      for (std::size_t b = a + 1; b < list.size(); ++b) {
        const Spell& t = spells_[list[b]];
        if (s.department == t.department && s.position == t.position) {
          EXPECT_TRUE(s.end_or_max() < t.start || t.end_or_max() < s.start) << id << " overlapping spells";
        }
      }
    }
  }
  std::istringstream lines(employments_text_);
  std::string line;
  std::size_t n = 0;
  while (std::getline(lines, line)) {
    rows.insert(line);
    ++n;
  }
  EXPECT_EQ(rows.size(), n) << "exact duplicate rows";
}

TEST_F(GeneratedRegister, ManagersExistAndAreNotSelf) {
  std::size_t with_manager = 0;
  for (const Spell& s : spells_) {
    if (s.manager.empty()) continue;
    ++with_manager;
    EXPECT_NE(s.manager, s.id);
    ASSERT_EQ(by_person_.count(s.manager), 1U) << "unknown manager " << s.manager;
    // The manager holds a managerial spell in the same department on the spell's last observed day
    // (its end, or extracted_on for ongoing and planned ends), as HR exports show the current manager.
    const day_t day = std::min(s.end_or_max(), eo());
    bool found = false;
    for (const std::size_t k : by_person_.at(s.manager)) {
      const Spell& m = spells_[k];
      found = found ||
              (m.department == s.department && m.start <= day && day <= m.end_or_max() &&
               (m.position == "Enhetschef" || m.position == "Biträdande enhetschef" || m.position == "Avdelningschef"));
    }
    EXPECT_TRUE(found) << s.id << " -> " << s.manager;
  }
  EXPECT_GT(with_manager, spells_.size() / 2);
}

TEST_F(GeneratedRegister, InternalMovesArePaired) {
  std::size_t moves = 0;
  for (const auto& [id, list] : by_person_) {
    for (const std::size_t k : list) {
      const Spell& s = spells_[k];
      if (s.reason != "internal_move") continue;
      ++moves;
      bool paired = false;
      for (const std::size_t q : list) {
        const Spell& t = spells_[q];
        paired = paired || (q != k && t.start > *s.end - 1 && t.start - *s.end <= 31);
      }
      EXPECT_TRUE(paired) << id;
    }
  }
  EXPECT_GT(moves, 100U);
}

TEST_F(GeneratedRegister, SickLeaveLiesInsideEmployment) {
  ASSERT_FALSE(sick_.empty());
  for (const SickRecord& r : sick_) {
    EXPECT_LE(r.start, r.end);
    EXPECT_TRUE(r.extent == 1.0 || r.extent == 0.75 || r.extent == 0.5 || r.extent == 0.25) << r.extent;
    bool inside = false;
    const auto it = by_person_.find(r.id);
    ASSERT_NE(it, by_person_.end()) << r.id;
    for (const std::size_t k : it->second) {
      const Spell& s = spells_[k];
      inside = inside || (s.start <= r.start && r.end <= s.end_or_max());
    }
    EXPECT_TRUE(inside) << r.id;
    EXPECT_LE(r.end, eo());
  }
}

TEST_F(GeneratedRegister, IndicatorsAreWellFormed) {
  ASSERT_GT(indicators_.size(), 20U);
  std::set<std::string> names;
  for (std::size_t i = 1; i < indicators_.size(); ++i) {
    const Row& r = indicators_[i];
    ASSERT_EQ(r.size(), 7U);
    names.insert(r[0]);
    EXPECT_TRUE(r[4] == "higher" || r[4] == "lower") << r[4];
    EXPECT_NO_THROW((void)std::stod(r[2]));
    const std::string& period = r[1];
    const bool year = period.size() == 4;
    const bool tertial = period.size() == 7 && period.compare(4, 2, "-T") == 0 && period[6] >= '1' && period[6] <= '3';
    const bool month = period.size() == 7 && period[4] == '-' && period[5] != 'T';
    EXPECT_TRUE(year || tertial || month) << period;
  }
  EXPECT_GE(names.size(), 3U);
  EXPECT_EQ(names.count("Hållbart medarbetarengagemang (HME)"), 1U);
}

// ---------------------------------------------------------------------------
// Realism

TEST_F(GeneratedRegister, HeadcountGenderAndAgeOnExtractionDate) {
  std::size_t headcount = 0, women = 0;
  double age_sum = 0;
  std::map<std::string, std::size_t> forms;
  for (const auto& [id, list] : by_person_) {
    const Spell* s = main_spell(id, eo());
    if (s == nullptr) continue;
    ++headcount;
    women += s->gender == "F" ? 1 : 0;
    age_sum += staffcast::age_on(s->birth, eo());
    ++forms[s->form];
  }
  const double persons = static_cast<double>(options_.persons);
  EXPECT_NEAR(static_cast<double>(headcount), persons, 0.05 * persons);
  const double share_women = static_cast<double>(women) / static_cast<double>(headcount);
  EXPECT_GE(share_women, 0.70);
  EXPECT_LE(share_women, 0.80);
  const double mean_age = age_sum / static_cast<double>(headcount);
  EXPECT_GE(mean_age, 42.0);
  EXPECT_LE(mean_age, 46.0);
  const double permanent = static_cast<double>(forms["permanent"]) / static_cast<double>(headcount);
  EXPECT_GT(permanent, 0.78);
  EXPECT_LT(permanent, 0.92);
  EXPECT_GT(forms["temporary"], 0U);
  EXPECT_GT(forms["hourly"], 0U);
}

TEST_F(GeneratedRegister, SickLeaveRateIsPlausible) {
  // Calendar-day rate over the simulated window, non-hourly spells.
  const day_t a = window_start();
  const day_t b = eo();
  double employed = 0;
  for (const Spell& s : spells_) {
    if (s.form == "hourly") continue;
    const day_t lo = std::max(s.start, a);
    const day_t hi = std::min(s.end_or_max(), b);
    if (lo <= hi) employed += hi - lo + 1;
  }
  double sick = 0;
  for (const SickRecord& r : sick_) sick += (r.end - r.start + 1) * r.extent;
  const double rate = sick / employed;
  EXPECT_GE(rate, 0.03);
  EXPECT_LE(rate, 0.09);
}

TEST_F(GeneratedRegister, DeparturesHaveRealisticReasons) {
  std::map<std::string, std::size_t> reasons;
  std::size_t retirements_65_66 = 0, retirements = 0;
  for (const Spell& s : spells_) {
    if (!s.end || *s.end > eo()) continue;
    ++reasons[s.reason];
    if (s.reason == "retirement" && s.form == "permanent") {
      ++retirements;
      const int age = staffcast::age_on(s.birth, *s.end);
      EXPECT_GE(age, 55);
      EXPECT_LE(age, 69);
      retirements_65_66 += (age == 65 || age == 66) ? 1 : 0;
    }
  }
  EXPECT_GT(reasons["own_request"], reasons["retirement"]);
  EXPECT_GT(reasons["retirement"], reasons["dismissal"]);
  EXPECT_GT(reasons["fixed_term_ended"], 0U);
  EXPECT_GT(reasons["other_administration"], 0U);
  EXPECT_GT(retirements_65_66 * 2, retirements) << "most retire at 65-66";
}

// ---------------------------------------------------------------------------
// Determinism and errors

TEST(Generate, SameSeedGivesIdenticalFilesAndOtherSeedDiffers) {
  staffcast::GenerateOptions options;
  options.persons = 300;
  options.years = 5;
  options.seed = 7;
  const fs::path a = fresh_dir("seed_a"), b = fresh_dir("seed_b"), c = fresh_dir("seed_c");
  staffcast::generate(a.string(), options);
  staffcast::generate(b.string(), options);
  options.seed = 8;
  staffcast::generate(c.string(), options);
  for (const char* name : {"employments.csv", "sick_leave.csv", "indicators.csv"}) {
    const std::string fa = slurp(a / name);
    ASSERT_FALSE(fa.empty()) << name;
    EXPECT_EQ(fa, slurp(b / name)) << name;
    EXPECT_NE(fa, slurp(c / name)) << name;
  }
  for (const fs::path& dir : {a, b, c}) fs::remove_all(dir);
}

// Pins the exact output so that CI on other compilers, standard libraries and
// CPUs (e.g. aarch64 with fused multiply-add) proves the files are identical
// everywhere. Update the constants only for a deliberate change of the model.
TEST(Generate, OutputIsPinnedAcrossPlatforms) {
  auto fnv1a = [](const std::string& text) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (const char c : text) {
      h ^= static_cast<unsigned char>(c);
      h *= 0x100000001b3ULL;
    }
    return h;
  };
  staffcast::GenerateOptions options;
  options.persons = 300;
  options.years = 5;
  options.seed = 7;
  const fs::path dir = fresh_dir("pinned");
  staffcast::generate(dir.string(), options);
  const std::uint64_t employments = fnv1a(slurp(dir / "employments.csv"));
  const std::uint64_t sick = fnv1a(slurp(dir / "sick_leave.csv"));
  const std::uint64_t indicators = fnv1a(slurp(dir / "indicators.csv"));
  EXPECT_EQ(employments, 0x29c8b319d0738100ULL);  // managers as of the spell's last observed day
  EXPECT_EQ(sick, 0xd07f0961c610bcb4ULL);
  EXPECT_EQ(indicators, 0xd8b39263ae80db01ULL);
  fs::remove_all(dir);
}

TEST(Generate, OptionalFilesCanBeDisabled) {
  staffcast::GenerateOptions options;
  options.persons = 50;
  options.years = 2;
  options.sick_leave = false;
  options.indicators = false;
  const fs::path dir = fresh_dir("optional") / "nested" / "out";
  const auto summary = staffcast::generate(dir.string(), options);
  EXPECT_TRUE(fs::exists(dir / "employments.csv"));
  EXPECT_FALSE(fs::exists(dir / "sick_leave.csv"));
  EXPECT_FALSE(fs::exists(dir / "indicators.csv"));
  EXPECT_EQ(summary.sick_leave_records, 0U);
  EXPECT_EQ(summary.indicator_rows, 0U);
  EXPECT_GT(summary.spells, 0U);
  fs::remove_all(dir.parent_path().parent_path());
}

TEST(Generate, ManyDepartmentsUseGenericNames) {
  staffcast::GenerateOptions options;
  options.persons = 3000;
  options.years = 2;
  options.sick_leave = false;
  const fs::path dir = fresh_dir("departments");
  staffcast::generate(dir.string(), options);
  const auto rows = parse_csv(slurp(dir / "employments.csv"));
  std::set<std::string> departments;
  for (std::size_t i = 1; i < rows.size(); ++i) departments.insert(rows[i].at(5));
  EXPECT_EQ(departments.size(), 9U);  // about 3000 / 350
  EXPECT_EQ(departments.count("Avdelning 0004"), 1U);
  EXPECT_EQ(departments.count("Vuxen"), 1U);
  fs::remove_all(dir);
}

TEST(Generate, BadOptionsThrowArgumentError) {
  const fs::path dir = fresh_dir("bad");
  staffcast::GenerateOptions options;
  options.persons = 0;
  EXPECT_THROW(staffcast::generate(dir.string(), options), staffcast::argument_error);
  options.persons = 10;
  options.years = 0;
  EXPECT_THROW(staffcast::generate(dir.string(), options), staffcast::argument_error);
  options.years = 61;
  EXPECT_THROW(staffcast::generate(dir.string(), options), staffcast::argument_error);
  options.years = 10;
  options.departments = -1;
  EXPECT_THROW(staffcast::generate(dir.string(), options), staffcast::argument_error);
  EXPECT_FALSE(fs::exists(dir));
}

TEST(Generate, UnwritableDirectoryThrowsIoError) {
  const fs::path base = fresh_dir("io");
  fs::create_directories(base);
  { std::ofstream(base / "a_file") << "x"; }
  staffcast::GenerateOptions options;
  options.persons = 10;
  options.years = 1;
  EXPECT_THROW(staffcast::generate((base / "a_file").string(), options), staffcast::io_error);
  EXPECT_THROW(staffcast::generate((base / "a_file" / "sub").string(), options), staffcast::io_error);
  fs::remove_all(base);
}

TEST(Generate, TinyAndLongRunsAreValid) {
  for (const auto& [persons, years] : std::vector<std::pair<std::size_t, int>>{{1, 1}, {5, 60}, {40, 3}}) {
    staffcast::GenerateOptions options;
    options.persons = persons;
    options.years = years;
    const fs::path dir = fresh_dir("tiny");
    const auto summary = staffcast::generate(dir.string(), options);
    const auto rows = parse_csv(slurp(dir / "employments.csv"));
    ASSERT_EQ(rows.size(), summary.spells + 1);
    for (std::size_t i = 1; i < rows.size(); ++i) {
      const Row& r = rows[i];
      ASSERT_EQ(r.size(), 12U);
      const day_t birth = date_of(r[1]);
      const day_t start = date_of(r[7]);
      EXPECT_GE(staffcast::to_ymd(birth).year, 1900);
      EXPECT_GE(staffcast::age_on(birth, start), 16);
      EXPECT_LT(staffcast::age_on(birth, start), 70);
      EXPECT_LE(start, options.extracted_on);
      if (!r[8].empty()) {
        EXPECT_GE(date_of(r[8]), start);
      }
    }
    fs::remove_all(dir);
  }
}

// ---------------------------------------------------------------------------
// Internals

TEST(GenerateDetail, RngIsReproducibleAndWellDistributed) {
  staffcast::detail::gen::Xoshiro256 a(42, 1, 2), b(42, 1, 2), c(42, 1, 3);
  bool differs = false;
  for (int i = 0; i < 100; ++i) {
    const auto x = a.next();
    EXPECT_EQ(x, b.next());
    differs = differs || x != c.next();
  }
  EXPECT_TRUE(differs);

  staffcast::detail::gen::Xoshiro256 rng(1, 2, 3);
  const int n = 200000;
  double exp_sum = 0, norm_sum = 0, norm_sq = 0, pois_sum = 0, unif_sum = 0;
  std::uint64_t below_max = 0;
  for (int i = 0; i < n; ++i) {
    const double e = rng.exponential();
    ASSERT_GE(e, 0.0);
    exp_sum += e;
    const double z = rng.normal();
    norm_sum += z;
    norm_sq += z * z;
    pois_sum += rng.poisson(3.5);
    unif_sum += rng.uniform();
    below_max = std::max<std::uint64_t>(below_max, rng.below(10));
  }
  EXPECT_NEAR(exp_sum / n, 1.0, 0.01);
  EXPECT_NEAR(norm_sum / n, 0.0, 0.01);
  EXPECT_NEAR(norm_sq / n, 1.0, 0.02);
  EXPECT_NEAR(pois_sum / n, 3.5, 0.02);
  EXPECT_NEAR(unif_sum / n, 0.5, 0.005);
  EXPECT_EQ(below_max, 9U);
}
