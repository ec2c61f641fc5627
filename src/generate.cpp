// Synthetic HR register generator (see include/staffcast/generate.hpp).
//
// Model. The organisation is a set of *slots* (seats). Each slot is simulated
// on its own, day by day over [extracted_on - years, extracted_on], from its
// own random stream, so the result does not depend on processing order:
//
//  * manager slots, per department: one Avdelningschef, about one Enhetschef
//    per 30 staff and one Biträdande enhetschef per 110 (promoted to
//    Enhetschef by an internal move now and then);
//  * staff slots of three kinds: permanent, temporary (fixed-term contracts of
//    3-12 months that are renewed, converted to permanent or ended) and hourly.
//
// A slot holds one occupant at a time. The occupants present at the window
// start are drawn from an age/tenure profile; later occupants are recruits (or
// re-hired former occupants) who start after a vacancy. Departures are
// competing risks with piecewise-constant yearly hazards by age (own request,
// retirement, other administration, dismissal, death, other) plus internal
// moves; hazards change at birthdays and are sampled with exponential waiting
// times, so dates are day-accurate. A few slots open during the window (about
// 0.8% growth a year).
//
// Determinism. All random numbers come from detail::gen::Xoshiro256 keyed by (seed,
// stream, slot). Rates are integers (micro-events per year); the only floating
// operations are exactly rounded IEEE products/quotients whose results are
// truncated to integers at once, so no fused multiply-add or math library can
// change the output: the same options give byte-identical files everywhere.
//
// Output. Two passes over the slots: the first counts persons (to fix the
// width of employee_id), the second re-simulates each slot, assigns ids in
// slot order, picks line managers and writes rows (and sick leave) through
// large buffers with hand-written number and date formatting.
#include <staffcast/error.hpp>
#include <staffcast/generate.hpp>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace staffcast {
namespace detail::gen {

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out;
  out.reserve(text.size() + 2);
  out.push_back('"');
  for (const char c : text) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

namespace {

namespace fs = std::filesystem;

using u8 = std::uint8_t;
using u16 = std::uint16_t;
using u32 = std::uint32_t;
using u64 = std::uint64_t;

constexpr day_t kOpen = std::numeric_limits<day_t>::max();

// Random streams (the second key of Xoshiro256).
enum Stream : u64 { kStreamCatalog = 1, kStreamSlot = 2, kStreamManager = 3, kStreamSick = 4, kStreamIndicators = 5 };

enum Form : u8 { kPermanent = 0, kTemporary = 1, kHourly = 2 };
enum Reason : u8 {
  kNoReason = 0,
  kOwnRequest,
  kRetirement,
  kFixedTermEnded,
  kInternalMove,
  kOtherAdministration,
  kDismissal,
  kDeath,
  kOtherReason,
  kReasonCount
};
enum Source : u8 { kUnknownSource = 0, kInternal, kOtherAdminSource, kExternal, kRehire };
enum Gender : u8 { kFemale = 0, kMale = 1, kOtherGender = 2 };
// Manager levels: staff report to an Enhetschef, a Biträdande enhetschef to an
// Enhetschef, an Enhetschef to the department's Avdelningschef.
enum Level : u8 { kStaff = 0, kDeputy = 1, kUnitHead = 2, kDeptHead = 3 };

constexpr const char* kFormNames[] = {"permanent", "temporary", "hourly"};
constexpr const char* kReasonNames[] = {
    "",          "own_request", "retirement", "fixed_term_ended", "internal_move", "other_administration",
    "dismissal", "death",       "other"};
constexpr const char* kSourceNames[] = {"", "internal", "other_administration", "external", "rehire"};
constexpr char kGenderCodes[] = {'F', 'M', 'X'};

// ---------------------------------------------------------------------------
// Catalogue: positions, department profiles, departments.

struct PositionDef {
  const char* name;
  u16 turnover;  // own-request hazard multiplier, per mille
  u16 female;    // share of women among recruits, per mille
};

// Indices into kPositions used below.
enum Pos : u16 {
  pSocialsekreterare = 0,
  pBehandlingsassistent,
  pUtredare,
  pEnhetschef,
  pAdministrator,
  pBoendestodjare,
  pFamiljebehandlare,
  pHandlaggare,
  pSamordnare,
  pBitradande,
  pHandlaggareEkb,
  pAvdelningschef,
  pUnderskoterska,
  pVardbitrade,
  pSjukskoterska,
  pSpecialistsjukskoterska,
  pLakare,
  pFysioterapeut,
  pArbetsterapeut,
  pForskollarare,
  pBarnskotare,
  pLarare,
  pFritidspedagog,
  pElevassistent,
  pPersonligAssistent,
  pStodassistent,
  pKurator,
  pEkonom,
  pHrSpecialist,
  pItTekniker,
  pIngenjor,
  pKock,
  pMaltidsbitrade,
  pLokalvardare,
  pFastighetsskotare,
  pBibliotekarie,
  kPositionCount
};

constexpr PositionDef kPositions[kPositionCount] = {
    {"Socialsekreterare", 1500, 850},
    {"Behandlingsassistent", 1150, 600},
    {"Utredare", 950, 790},
    {"Enhetschef", 800, 720},
    {"Administratör", 750, 860},
    {"Boendestödjare", 1050, 580},
    {"Familjebehandlare", 900, 780},
    {"Handläggare", 1000, 780},
    {"Samordnare", 900, 720},
    {"Biträdande enhetschef", 1000, 740},
    {"Handläggare, ekonomiskt bistånd", 1300, 790},
    {"Avdelningschef", 700, 650},
    {"Undersköterska", 1000, 850},
    {"Vårdbiträde", 1350, 790},
    {"Sjuksköterska", 1200, 860},
    {"Specialistsjuksköterska", 900, 870},
    {"Läkare", 1000, 550},
    {"Fysioterapeut", 1000, 750},
    {"Arbetsterapeut", 950, 900},
    {"Förskollärare", 850, 940},
    {"Barnskötare", 950, 870},
    {"Lärare", 900, 710},
    {"Fritidspedagog", 1000, 620},
    {"Elevassistent", 1300, 640},
    {"Personlig assistent", 1450, 660},
    {"Stödassistent", 1200, 640},
    {"Kurator", 950, 850},
    {"Ekonom", 900, 700},
    {"HR-specialist", 1000, 850},
    {"IT-tekniker", 1100, 250},
    {"Ingenjör", 1000, 350},
    {"Kock", 950, 600},
    {"Måltidsbiträde", 1000, 850},
    {"Lokalvårdare", 950, 700},
    {"Fastighetsskötare", 800, 120},
    {"Bibliotekarie", 800, 800},
};

struct WeightedPos {
  u16 pos;
  u32 weight;
};

// The three social-services departments, then the generic profiles.
const std::vector<std::vector<WeightedPos>>& profile_defs() {
  static const std::vector<std::vector<WeightedPos>> defs = {
      // 0: Barn och unga
      {{pSocialsekreterare, 42},
       {pFamiljebehandlare, 14},
       {pBehandlingsassistent, 13},
       {pUtredare, 11},
       {pAdministrator, 7},
       {pHandlaggare, 5},
       {pSamordnare, 5}},
      // 1: Vuxen
      {{pSocialsekreterare, 25},
       {pBehandlingsassistent, 22},
       {pBoendestodjare, 20},
       {pUtredare, 9},
       {pHandlaggare, 8},
       {pAdministrator, 6},
       {pSamordnare, 6},
       {pFamiljebehandlare, 4}},
      // 2: Försörjningsstöd
      {{pHandlaggareEkb, 34},
       {pSocialsekreterare, 24},
       {pHandlaggare, 12},
       {pAdministrator, 10},
       {pUtredare, 8},
       {pSamordnare, 7},
       {pBehandlingsassistent, 5}},
      // 3: äldreomsorg
      {{pUnderskoterska, 50},
       {pVardbitrade, 20},
       {pSjukskoterska, 10},
       {pArbetsterapeut, 3},
       {pFysioterapeut, 3},
       {pAdministrator, 4},
       {pKock, 4},
       {pLokalvardare, 6}},
      // 4: förskola
      {{pForskollarare, 45},
       {pBarnskotare, 40},
       {pKock, 4},
       {pMaltidsbitrade, 4},
       {pLokalvardare, 5},
       {pAdministrator, 2}},
      // 5: skola
      {{pLarare, 55},
       {pFritidspedagog, 10},
       {pElevassistent, 12},
       {pKurator, 3},
       {pAdministrator, 5},
       {pMaltidsbitrade, 8},
       {pLokalvardare, 5},
       {pBibliotekarie, 2}},
      // 6: hälso- och sjukvård
      {{pSjukskoterska, 35},
       {pUnderskoterska, 30},
       {pLakare, 15},
       {pSpecialistsjukskoterska, 10},
       {pFysioterapeut, 4},
       {pAdministrator, 6}},
      // 7: funktionsstöd
      {{pPersonligAssistent, 40},
       {pStodassistent, 35},
       {pUnderskoterska, 10},
       {pArbetsterapeut, 3},
       {pBoendestodjare, 6},
       {pAdministrator, 4},
       {pSamordnare, 2}},
      // 8: socialtjänst
      {{pSocialsekreterare, 45},
       {pHandlaggareEkb, 18},
       {pBehandlingsassistent, 17},
       {pKurator, 5},
       {pAdministrator, 10},
       {pUtredare, 5}},
      // 9: stab och administration
      {{pHandlaggare, 25},
       {pAdministrator, 20},
       {pEkonom, 15},
       {pHrSpecialist, 15},
       {pItTekniker, 15},
       {pIngenjor, 10}},
      // 10: teknik och service
      {{pFastighetsskotare, 30}, {pIngenjor, 20}, {pLokalvardare, 30}, {pItTekniker, 10}, {pHandlaggare, 10}},
  };
  return defs;
}
// Weights of the generic profiles 3..10 when drawing a department's profile.
constexpr u32 kGenericProfileWeights[] = {28, 16, 20, 8, 12, 6, 6, 4};

struct Profile {
  std::vector<u16> pos;
  std::vector<u32> cumulative;
  u32 total = 0;
};

struct Department {
  std::string field;  // CSV-ready
  u32 weight = 0;     // relative size
  u32 profile = 0;
};

// ---------------------------------------------------------------------------
// Hazards and distributions (integers; rates in micro-events per year).

constexpr int kMaxAge = 70;

constexpr u32 own_request_hazard(int age) {
  return age < 20   ? 180000
         : age < 25 ? 140000
         : age < 30 ? 110000
         : age < 35 ? 75000
         : age < 40 ? 55000
         : age < 45 ? 42000
         : age < 50 ? 33000
         : age < 55 ? 26000
         : age < 60 ? 22000
         : age < 65 ? 18000
                    : 15000;
}
constexpr u32 death_hazard(int age) {
  return age < 30 ? 300 : age < 40 ? 500 : age < 50 ? 1000 : age < 60 ? 2500 : 5000;
}
constexpr u32 retirement_hazard(int age) {
  switch (age) {
    case 61:
      return 25000;
    case 62:
      return 40000;
    case 63:
      return 60000;
    case 64:
      return 100000;
    case 65:
      return 800000;
    case 66:
      return 900000;
    case 67:
      return 600000;
    case 68:
      return 800000;
    case 69:
      return 2000000;
    default:
      return age >= 55 && age < 61 ? 2000 : age > 69 ? 2000000 : 0;
  }
}
constexpr u32 kOtherAdministrationHazard = 10000;
constexpr u32 kDismissalHazard = 1500;
constexpr u32 kOtherHazard = 3000;
constexpr u32 kStaffMoveHazard = 30000;
constexpr u32 kDeputyPromotionHazard = 70000;

// Fixed-term contracts: months and weights.
constexpr int kContractMonths[] = {3, 4, 5, 6, 9, 12};
constexpr u32 kContractWeights[] = {15, 8, 5, 30, 10, 32};
constexpr u32 kRenewPpm = 500000;
constexpr u32 kConvertPpm = 80000;
constexpr u32 kRehirePpm = 40000;

// Slot kinds among staff slots and expected occupancy (calibrated so that
// the headcount on extracted_on is close to `persons`).
constexpr u64 kTemporarySlotsPpm = 220000;
constexpr u64 kHourlySlotsPpm = 76000;
constexpr u64 kOccupancyPpm = 984000;
constexpr u64 kGrowthPpmPerYear = 8000;

// fte in hundredths.
constexpr u8 kPartTimeFte[] = {50, 60, 75, 80, 85, 90, 95};
constexpr u32 kPartTimeWeights[] = {10, 8, 28, 22, 8, 18, 6};

u32 pick_weighted(Xoshiro256& rng, const u32* weights, std::size_t n) {
  u64 total = 0;
  for (std::size_t i = 0; i < n; ++i) total += weights[i];
  u64 r = rng.below(total);
  for (std::size_t i = 0; i < n; ++i) {
    if (r < weights[i]) return static_cast<u32>(i);
    r -= weights[i];
  }
  return static_cast<u32>(n - 1);
}

// Age tables (index = age in completed years).
struct AgeTable {
  std::array<u32, kMaxAge + 1> weight{};
  u64 total = 0;
  void finish() {
    total = 0;
    for (const u32 w : weight) total += w;
  }
  int draw(Xoshiro256& rng) const {
    u64 r = rng.below(total);
    for (int a = 0; a <= kMaxAge; ++a) {
      const u32 w = weight[static_cast<std::size_t>(a)];
      if (r < w) return a;
      r -= w;
    }
    return kMaxAge;
  }
};

// ---------------------------------------------------------------------------
// Calendar helpers (fast, Boost-free).

struct PersonRec {
  day_t birth;
  std::int16_t by;
  u8 bm;
  u8 bd;
  u8 gender;
};

day_t birthday_of(const PersonRec& p, int age) {
  const int y = p.by + age;
  unsigned d = p.bd;
  if (p.bm == 2 && d == 29 && !is_leap_year(y)) d = 28;
  return days_from_civil(y, p.bm, d);
}

int age_at(const PersonRec& p, day_t t) {
  const ymd d = civil_from_days(t);
  unsigned bday = p.bd;
  if (p.bm == 2 && p.bd == 29 && !is_leap_year(d.year)) bday = 28;
  const bool had = d.month > p.bm || (d.month == p.bm && d.day >= bday);
  return d.year - p.by - (had ? 0 : 1);
}

// The same day `years` earlier (29 February -> 28 February in common years).
day_t years_before(day_t t, int years) {
  const ymd d = civil_from_days(t);
  const int y = d.year - years;
  const unsigned dom = (d.month == 2 && d.day == 29 && !is_leap_year(y)) ? 28U : d.day;
  return days_from_civil(y, d.month, dom);
}

day_t add_months(day_t t, int months) {
  const ymd d = civil_from_days(t);
  int m0 = static_cast<int>(d.month) - 1 + months;
  const int y = d.year + (m0 >= 0 ? m0 / 12 : -((11 - m0) / 12));
  m0 -= (y - d.year) * 12;
  const auto m = static_cast<unsigned>(m0 + 1);
  return days_from_civil(y, m, std::min(d.day, days_in_month(y, m)));
}

day_t end_of_month(day_t t) {
  const ymd d = civil_from_days(t);
  return days_from_civil(d.year, d.month, days_in_month(d.year, d.month));
}

// ---------------------------------------------------------------------------
// Output buffer.

class CsvFile {
 public:
  CsvFile(const fs::path& dir, const char* name) : final_(dir / name), temp_(dir / (std::string(name) + ".tmp")) {
    file_ = std::fopen(temp_.string().c_str(), "wb");
    if (file_ == nullptr) fail("cannot create");
    buffer_.resize(kBufferSize);
  }
  CsvFile(const CsvFile&) = delete;
  CsvFile& operator=(const CsvFile&) = delete;
  ~CsvFile() {
    if (file_ != nullptr) std::fclose(file_);
    if (!committed_) {
      std::error_code ec;
      fs::remove(temp_, ec);
    }
  }

  // Room for at least `n` more bytes; returns the write position.
  char* reserve(std::size_t n) {
    if (used_ + n > buffer_.size()) {
      flush();
      if (n > buffer_.size()) buffer_.resize(n);
    }
    return buffer_.data() + used_;
  }
  void commit_bytes(char* end) { used_ = static_cast<std::size_t>(end - buffer_.data()); }

  void write(std::string_view text) {
    char* p = reserve(text.size());
    std::memcpy(p, text.data(), text.size());
    used_ += text.size();
  }

  // Flushes and closes the temporary file.
  void finish() {
    flush();
    const int rc = std::fclose(file_);
    file_ = nullptr;
    if (rc != 0) fail("cannot write");
  }
  // Renames the temporary file to its final name.
  void commit() {
    std::error_code ec;
    fs::rename(temp_, final_, ec);
    if (ec) throw io_error("cannot rename " + temp_.string() + " to " + final_.string() + ": " + ec.message());
    committed_ = true;
  }

 private:
  static constexpr std::size_t kBufferSize = std::size_t{1} << 22;

  void flush() {
    if (used_ == 0) return;
    if (std::fwrite(buffer_.data(), 1, used_, file_) != used_) fail("cannot write");
    used_ = 0;
  }
  [[noreturn]] void fail(const char* what) {
    const int err = errno;
    throw io_error(std::string(what) + " " + temp_.string() + (err != 0 ? ": " + std::string(std::strerror(err)) : ""));
  }

  fs::path final_;
  fs::path temp_;
  std::FILE* file_ = nullptr;
  std::vector<char> buffer_;
  std::size_t used_ = 0;
  bool committed_ = false;
};

inline char* put_text(char* p, std::string_view text) {
  std::memcpy(p, text.data(), text.size());
  return p + text.size();
}
inline char* put_cstr(char* p, const char* text) { return put_text(p, std::string_view(text)); }

inline char* put_uint(char* p, u64 value) {
  char tmp[24];
  int n = 0;
  do {
    tmp[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  while (n > 0) *p++ = tmp[--n];
  return p;
}

inline char* put_padded(char* p, u64 value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    p[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  return p + width;
}

inline char* put_date(char* p, day_t day) {
  const ymd d = civil_from_days(day);
  p = put_padded(p, static_cast<u64>(d.year), 4);
  *p++ = '-';
  p = put_padded(p, d.month, 2);
  *p++ = '-';
  return put_padded(p, d.day, 2);
}

inline char* put_id(char* p, u64 id, int width) {
  *p++ = 'E';
  return put_padded(p, id, width);
}

// Fixed-point value with `decimals` digits after the point (value already scaled).
inline char* put_fixed(char* p, std::int64_t scaled, int decimals) {
  if (scaled < 0) {
    *p++ = '-';
    scaled = -scaled;
  }
  std::int64_t unit = 1;
  for (int i = 0; i < decimals; ++i) unit *= 10;
  p = put_uint(p, static_cast<u64>(scaled / unit));
  if (decimals > 0) {
    *p++ = '.';
    p = put_padded(p, static_cast<u64>(scaled % unit), decimals);
  }
  return p;
}

int digits_of(u64 value) {
  int n = 1;
  while (value >= 10) {
    value /= 10;
    ++n;
  }
  return n;
}

// ---------------------------------------------------------------------------
// The model: catalogue, slot layout, tables.

struct SlotInfo {
  Level level;
  Form kind;
  u32 dept;
  bool initial;
};

class Model {
 public:
  explicit Model(const GenerateOptions& options) : opt(options) {
    extracted_on = options.extracted_on;
    window_start = years_before(extracted_on, options.years);
    min_birth = days_from_civil(1900, 1, 1);
    build_catalogue();
    build_tables();
    build_slots();
  }

  GenerateOptions opt;
  day_t extracted_on = 0;
  day_t window_start = 0;
  day_t min_birth = 0;

  std::array<std::string, kPositionCount> position_fields;
  std::vector<Profile> profiles;
  std::vector<Department> depts;
  std::vector<u64> dept_cumulative;  // for drawing a department by size
  u64 dept_total = 0;

  // Slot layout: [dept heads][unit heads][deputies][staff].
  std::vector<u32> manager_slot_dept;
  std::array<std::size_t, 4> level_begin{};  // first slot index of each Level (kStaff = first staff slot)
  std::size_t manager_slots = 0;
  std::size_t staff_slots = 0;
  std::size_t staff_initial = 0;
  u64 dept_step = 1;
  u64 kind_step = 1;

  AgeTable initial_age, recruit_age, hourly_age, manager_age, manager_recruit_age;

  std::size_t slot_count() const { return manager_slots + staff_slots; }

  SlotInfo slot_info(std::size_t slot) const {
    if (slot < manager_slots) {
      Level level = kDeputy;
      if (slot < level_begin[kUnitHead]) {
        level = kDeptHead;
      } else if (slot < level_begin[kDeputy]) {
        level = kUnitHead;
      }
      return {level, kPermanent, manager_slot_dept[slot], true};
    }
    const u64 i = slot - manager_slots;
    const u64 n = staff_slots;
    // Stratified (low-discrepancy) assignment of departments and kinds.
    const u64 j = (i * dept_step) % n;
    const u64 target = ((2 * j + 1) * dept_total) / (2 * n);
    const auto it = std::upper_bound(dept_cumulative.begin(), dept_cumulative.end(), target);
    const auto dept = static_cast<u32>(
        std::min<std::ptrdiff_t>(it - dept_cumulative.begin(), static_cast<std::ptrdiff_t>(depts.size()) - 1));
    const u64 k = (i * kind_step) % n;
    const u64 frac = (k * 1000000 + 500000) / n;
    const Form kind = frac < kTemporarySlotsPpm                     ? kTemporary
                      : frac < kTemporarySlotsPpm + kHourlySlotsPpm ? kHourly
                                                                    : kPermanent;
    return {kStaff, kind, dept, i < staff_initial};
  }

  u16 draw_position(Xoshiro256& rng, u32 dept) const {
    const Profile& pr = profiles[depts[dept].profile];
    const u64 r = rng.below(pr.total);
    const auto it = std::upper_bound(pr.cumulative.begin(), pr.cumulative.end(), r);
    return pr.pos[static_cast<std::size_t>(it - pr.cumulative.begin())];
  }
  bool profile_has(u32 dept, u16 pos) const {
    const Profile& pr = profiles[depts[dept].profile];
    return std::find(pr.pos.begin(), pr.pos.end(), pos) != pr.pos.end();
  }
  u32 draw_department(Xoshiro256& rng) const {
    const u64 r = rng.below(dept_total);
    const auto it = std::upper_bound(dept_cumulative.begin(), dept_cumulative.end(), r);
    return static_cast<u32>(it - dept_cumulative.begin());
  }
  // Expected headcount of a department.
  u64 dept_size(u32 dept) const { return (static_cast<u64>(opt.persons) * depts[dept].weight) / dept_total; }

 private:
  static u64 coprime_step(u64 n, u64 numerator_ppm) {
    if (n <= 2) return 1;
    u64 step = std::max<u64>(1, (n * numerator_ppm) / 1000000);
    auto gcd = [](u64 a, u64 b) {
      while (b != 0) {
        const u64 t = a % b;
        a = b;
        b = t;
      }
      return a;
    };
    while (gcd(step, n) != 1) ++step;
    return step;
  }

  void build_catalogue() {
    for (std::size_t i = 0; i < kPositionCount; ++i) position_fields[i] = csv_field(kPositions[i].name);
    for (const auto& def : profile_defs()) {
      Profile pr;
      for (const auto& wp : def) {
        pr.total += wp.weight;
        pr.pos.push_back(wp.pos);
        pr.cumulative.push_back(pr.total);
      }
      profiles.push_back(std::move(pr));
    }
    std::size_t n = opt.departments > 0   ? static_cast<std::size_t>(opt.departments)
                    : opt.persons <= 2000 ? 3
                                          : std::max<std::size_t>(3, (opt.persons + 175) / 350);
    Xoshiro256 rng(opt.seed, kStreamCatalog, 0);
    const char* social[] = {"Barn och unga", "Vuxen", "Försörjningsstöd"};
    const u32 social_weight[] = {420, 330, 250};
    const int width = std::max(4, digits_of(n));
    depts.resize(n);
    for (std::size_t d = 0; d < n; ++d) {
      Department& dep = depts[d];
      if (d < 3) {
        dep.field = csv_field(social[d]);
        dep.weight = n <= 3 ? social_weight[d] : social_weight[d] + 100;
        dep.profile = static_cast<u32>(d);
      } else {
        char name[64] = "Avdelning ";
        char* end = put_padded(name + 10, d + 1, width);
        dep.field = csv_field(std::string(name, end));
        dep.weight = 100 + static_cast<u32>(rng.below(601));
        dep.profile = 3 + pick_weighted(rng, kGenericProfileWeights, std::size(kGenericProfileWeights));
      }
      dept_total += dep.weight;
      dept_cumulative.push_back(dept_total);
    }
  }

  void build_tables() {
    // Permanent staff at the window start: the stationary age profile of the
    // model (measured on a 40-year run), times a cohort wave for those who
    // are 58-66 on extracted_on (the large cohorts born around 1960 when
    // extracted_on is in the 2020s).
    static constexpr u32 kStationary[] = {8,   20,  53,  99,  142, 168, 205, 249, 326, 389, 456, 509, 555,
                                          601, 648, 700, 745, 774, 798, 817, 847, 880, 927, 934, 901, 864,
                                          862, 872, 895, 914, 932, 932, 903, 918, 904, 933, 923, 911, 879,
                                          870, 846, 825, 761, 740, 687, 649, 523, 359, 184, 77,  44};  // ages 18..68
    for (int a = 18; a <= 68; ++a) {
      u32 w = kStationary[a - 18];
      const int age_at_extraction = a + opt.years;
      if (age_at_extraction >= 58 && age_at_extraction <= 66) w = w * 140 / 100;
      initial_age.weight[static_cast<std::size_t>(a)] = w;
    }
    initial_age.finish();
    // Recruits (permanent and temporary), mean about 36.
    for (int a = 18; a <= 64; ++a) {
      const u32 w = a < 20   ? 4
                    : a < 25 ? 18
                    : a < 30 ? 32
                    : a < 35 ? 28
                    : a < 40 ? 22
                    : a < 45 ? 16
                    : a < 50 ? 12
                    : a < 55 ? 8
                    : a < 60 ? 4
                             : 1;
      recruit_age.weight[static_cast<std::size_t>(a)] = w;
    }
    recruit_age.finish();
    // Hourly: students, some mid-career, retirees.
    for (int a = 18; a <= 68; ++a) {
      const u32 w = a < 25 ? 10 : a < 30 ? 5 : a < 65 ? 2 : 4;
      hourly_age.weight[static_cast<std::size_t>(a)] = w;
    }
    hourly_age.finish();
    for (int a = 32; a <= 66; ++a) {
      const u32 w = a < 38 ? 4 : a < 50 ? 9 : a < 60 ? 8 : a < 64 ? 4 : 1;
      manager_age.weight[static_cast<std::size_t>(a)] = w;
    }
    manager_age.finish();
    for (int a = 30; a <= 60; ++a) {
      const u32 w = a < 35 ? 4 : a < 45 ? 9 : a < 52 ? 7 : 3;
      manager_recruit_age.weight[static_cast<std::size_t>(a)] = w;
    }
    manager_recruit_age.finish();
  }

  void build_slots() {
    const u64 persons = opt.persons;
    // Manager slots per department.
    std::vector<u32> heads, units, deputies;
    for (u32 d = 0; d < depts.size(); ++d) {
      const u64 size = dept_size(d);
      if (size >= 40) heads.push_back(d);
      const u64 n_units = size >= 8 ? std::max<u64>(1, (size + 15) / 30) : 0;
      for (u64 k = 0; k < n_units; ++k) units.push_back(d);
      const u64 n_deputies = (size + 55) / 110;
      for (u64 k = 0; k < n_deputies; ++k) deputies.push_back(d);
    }
    level_begin[kDeptHead] = 0;
    level_begin[kUnitHead] = heads.size();
    level_begin[kDeputy] = heads.size() + units.size();
    manager_slot_dept = heads;
    manager_slot_dept.insert(manager_slot_dept.end(), units.begin(), units.end());
    manager_slot_dept.insert(manager_slot_dept.end(), deputies.begin(), deputies.end());
    manager_slots = manager_slot_dept.size();
    level_begin[kStaff] = manager_slots;

    const u64 total_slots = (persons * 1000000 + kOccupancyPpm / 2) / kOccupancyPpm;
    staff_slots =
        static_cast<std::size_t>(std::max<u64>(1, total_slots > manager_slots ? total_slots - manager_slots : 1));
    // Initial staff slots: staff_slots / (1 + g)^years, in integers (ppm).
    u64 initial = staff_slots;
    for (int y = 0; y < opt.years; ++y)
      initial = (initial * 1000000 + (1000000 + kGrowthPpmPerYear) / 2) / (1000000 + kGrowthPpmPerYear);
    staff_initial = static_cast<std::size_t>(std::max<u64>(1, initial));
    dept_step = coprime_step(staff_slots, 618034);
    kind_step = coprime_step(staff_slots, 754878);
  }
};

// ---------------------------------------------------------------------------
// Simulation of one slot.

struct SpellRec {
  u32 person;
  day_t start;
  day_t end;  // kOpen = ongoing
  u32 dept;
  u16 pos;
  u8 form;
  u8 reason;
  u8 source;
  u8 fte;  // hundredths; 0 = hourly (empty)
  u8 level;
};

struct Career {
  u32 person = 0;
  Form form = kPermanent;
  Level level = kStaff;
  u32 dept = 0;
  u16 pos = 0;
  u8 fte = 100;
  u8 source = kUnknownSource;
  day_t start = 0;
  day_t contract_end = 0;  // temporaries: last day of the current contract
};

struct Event {
  day_t day;
  u8 reason;
};

class SlotSimulator {
 public:
  explicit SlotSimulator(const Model& model) : m_(model) {}

  std::vector<PersonRec> persons;
  std::vector<SpellRec> spells;
  SlotInfo info{};

  void run(std::size_t slot) {
    persons.clear();
    spells.clear();
    info = m_.slot_info(slot);
    Xoshiro256 rng(m_.opt.seed, kStreamSlot, slot);
    Career c;
    if (info.initial) {
      c = initial_occupant(rng);
    } else {
      const day_t open =
          m_.window_start + 1 + static_cast<day_t>(rng.below(static_cast<u64>(m_.extracted_on - m_.window_start)));
      c = recruit(rng, open);
    }
    for (;;) {
      const day_t exit = run_career(rng, c);
      if (exit == kOpen) break;
      const day_t next = exit + 1 + vacancy(rng);
      if (next > m_.extracted_on) break;
      c = recruit(rng, next);
    }
  }

 private:
  const Model& m_;

  // ---- persons
  u32 new_person(Xoshiro256& rng, day_t on, int age, u16 pos) {
    const day_t upper = years_before(on, age);
    const day_t lower = years_before(on, age + 1);  // exclusive
    day_t birth = upper - static_cast<day_t>(rng.below(static_cast<u64>(upper - lower)));
    if (birth < m_.min_birth) birth = m_.min_birth + static_cast<day_t>(rng.below(365));
    const ymd b = civil_from_days(birth);
    const u64 r = rng.below(1000);
    const u64 women = 10 + (static_cast<u64>(kPositions[pos].female) * 990) / 1000;
    const u8 gender = r < 10 ? kOtherGender : r < women ? kFemale : kMale;
    persons.push_back(
        {birth, static_cast<std::int16_t>(b.year), static_cast<u8>(b.month), static_cast<u8>(b.day), gender});
    return static_cast<u32>(persons.size() - 1);
  }

  u8 draw_fte(Xoshiro256& rng, Level level, Form form, u8 gender) {
    if (form == kHourly) return 0;
    u32 full_ppm = gender == kFemale ? 655000 : gender == kMale ? 820000 : 720000;
    if (level != kStaff) full_ppm = 950000;
    if (form == kTemporary) full_ppm -= 60000;
    if (rng.chance_ppm(full_ppm)) return 100;
    return kPartTimeFte[pick_weighted(rng, kPartTimeWeights, std::size(kPartTimeWeights))];
  }

  u8 draw_source(Xoshiro256& rng, bool initial, Level level) {
    const u64 r = rng.below(1000);
    if (initial) return r < 550 ? kExternal : r < 670 ? kOtherAdminSource : kUnknownSource;
    if (level != kStaff) return r < 520 ? kExternal : r < 880 ? kOtherAdminSource : kUnknownSource;
    return r < 740 ? kExternal : r < 900 ? kOtherAdminSource : kUnknownSource;
  }

  day_t forced_exit(const PersonRec& p, Form form) const {
    // LAS: the right to stay ends with the month of the 69th birthday;
    // hourly staff may work until the day before their 70th birthday.
    if (form == kHourly) return birthday_of(p, 70) - 1;
    return end_of_month(birthday_of(p, 69));
  }

  day_t contract_end_for(Xoshiro256& rng, const PersonRec& p, day_t start) {
    const int months = kContractMonths[pick_weighted(rng, kContractWeights, std::size(kContractWeights))];
    day_t end = add_months(start, months) - 1;
    return std::min(end, forced_exit(p, kTemporary));
  }

  day_t vacancy(Xoshiro256& rng) {
    if (info.level != kStaff) return static_cast<day_t>(rng.between(20, 120));
    if (rng.chance_ppm(150000)) return 0;
    return static_cast<day_t>(rng.between(1, 100));
  }

  Career initial_occupant(Xoshiro256& rng) {
    const day_t ws = m_.window_start;
    Career c;
    c.level = info.level;
    c.dept = info.dept;
    Form form = info.kind;
    if (info.level != kStaff) {
      c.pos = info.level == kDeptHead ? pAvdelningschef : info.level == kUnitHead ? pEnhetschef : pBitradande;
    } else {
      c.pos = m_.draw_position(rng, c.dept);
    }
    // Temporary slots are often held by a temporary who has been made permanent.
    if (form == kTemporary && rng.chance_ppm(600000)) form = kPermanent;
    c.form = form;
    const AgeTable& table = info.level != kStaff                            ? m_.manager_age
                            : form == kHourly                               ? m_.hourly_age
                            : form == kPermanent && info.kind == kPermanent ? m_.initial_age
                                                                            : m_.recruit_age;
    const int age = std::min(table.draw(rng), form == kHourly ? 69 : 68);
    c.person = new_person(rng, ws, age, c.pos);
    const PersonRec& p = persons[c.person];
    c.fte = draw_fte(rng, c.level, form, p.gender);
    c.source = draw_source(rng, true, c.level);
    // Tenure before the window start, in days.
    const day_t earliest = birthday_of(p, info.level != kStaff ? 28 : 18);
    const day_t cap = std::max<day_t>(0, std::min<day_t>(ws - earliest, 35 * 365));
    if (form == kTemporary) {
      const int months = kContractMonths[pick_weighted(rng, kContractWeights, std::size(kContractWeights))];
      const day_t offset = static_cast<day_t>(rng.below(static_cast<u64>(months) * 28));
      c.start = ws - std::min(offset, cap);
      c.contract_end = std::max(std::min(add_months(c.start, months) - 1, forced_exit(p, kTemporary)), ws);
      return c;
    }
    u64 mean_days = form == kHourly ? 900 : info.level != kStaff ? 2200 : info.kind == kTemporary ? 1500 : 3300;
    day_t tenure = 0;
    for (int attempt = 0;; ++attempt) {
      const double x = rng.exponential();
      const auto t = static_cast<u64>(x * static_cast<double>(mean_days));
      if (t <= static_cast<u64>(cap)) {
        tenure = static_cast<day_t>(t);
        break;
      }
      if (attempt == 8) {
        tenure = static_cast<day_t>(rng.below(static_cast<u64>(cap) + 1));
        break;
      }
    }
    c.start = ws - tenure;
    return c;
  }

  Career recruit(Xoshiro256& rng, day_t on) {
    Career c;
    c.level = info.level;
    c.dept = info.dept;
    c.form = info.kind;
    c.start = on;
    if (info.level != kStaff) {
      c.pos = info.level == kDeptHead ? pAvdelningschef : info.level == kUnitHead ? pEnhetschef : pBitradande;
    } else {
      c.pos = m_.draw_position(rng, c.dept);
    }
    bool rehired = false;
    if (info.level == kStaff && rng.chance_ppm(kRehirePpm)) {
      // The most recent eligible former occupant of this slot.
      for (std::size_t k = spells.size(); k-- > 0;) {
        const SpellRec& s = spells[k];
        bool later = false;  // a later spell of the same person exists
        for (std::size_t q = k + 1; q < spells.size(); ++q) later = later || spells[q].person == s.person;
        if (later) continue;
        if (s.reason != kOwnRequest && s.reason != kFixedTermEnded && s.reason != kOtherAdministration) continue;
        if (s.end == kOpen || s.end > on - 61) continue;
        const int age = age_at(persons[s.person], on);
        if (age < 20 || age > 62) continue;
        c.person = s.person;
        rehired = true;
        break;
      }
    }
    if (rehired) {
      c.source = kRehire;
    } else {
      const AgeTable& table = info.level != kStaff ? m_.manager_recruit_age
                              : c.form == kHourly  ? m_.hourly_age
                                                   : m_.recruit_age;
      c.person = new_person(rng, on, table.draw(rng), c.pos);
      c.source = draw_source(rng, false, c.level);
    }
    c.fte = draw_fte(rng, c.level, c.form, persons[c.person].gender);
    if (c.form == kTemporary) c.contract_end = contract_end_for(rng, persons[c.person], on);
    return c;
  }

  void hazards(const Career& c, int age, std::array<u32, kReasonCount>& h) const {
    h.fill(0);
    const u32 turnover = kPositions[c.pos].turnover;
    const u32 own = static_cast<u32>((static_cast<u64>(own_request_hazard(age)) * turnover) / 1000);
    h[kDeath] = death_hazard(age);
    switch (c.form) {
      case kPermanent:
        h[kOwnRequest] = own;
        h[kRetirement] = retirement_hazard(age);
        h[kOtherAdministration] = kOtherAdministrationHazard;
        h[kDismissal] = kDismissalHazard;
        h[kOtherReason] = kOtherHazard;
        h[kInternalMove] = c.level == kStaff ? kStaffMoveHazard : c.level == kDeputy ? kDeputyPromotionHazard : 0;
        break;
      case kTemporary:
        h[kOwnRequest] = own * 3 / 2;
        h[kRetirement] = retirement_hazard(age);
        h[kOtherAdministration] = 8000;
        h[kDismissal] = 500;
        h[kOtherReason] = 5000;
        break;
      case kHourly:
        h[kFixedTermEnded] = 150000;
        h[kOwnRequest] = 120000;
        h[kRetirement] = age >= 65 ? 150000 : retirement_hazard(age) / 4;
        h[kOtherAdministration] = 8000;
        h[kOtherReason] = 8000;
        break;
    }
  }

  // First event in [from, horizon) or {kOpen, 0}.
  Event draw_event(Xoshiro256& rng, const Career& c, day_t from, day_t horizon) const {
    if (from >= horizon) return {kOpen, kNoReason};
    const PersonRec& p = persons[c.person];
    int age = age_at(p, from);
    day_t t = from;
    std::array<u32, kReasonCount> h{};
    while (t < horizon) {
      const day_t segment_end = std::min(birthday_of(p, age + 1), horizon);
      hazards(c, std::min(age, kMaxAge), h);
      u64 total = 0;
      for (const u32 v : h) total += v;
      if (total > 0) {
        const double x = rng.exponential();
        const double dt = x * (365.25e6 / static_cast<double>(total));
        if (dt < static_cast<double>(segment_end - t)) {
          const day_t day = t + static_cast<day_t>(dt);
          u64 r = rng.below(total);
          u8 reason = kOtherReason;
          for (u8 k = 1; k < kReasonCount; ++k) {
            if (r < h[k]) {
              reason = k;
              break;
            }
            r -= h[k];
          }
          return {day, reason};
        }
      }
      t = segment_end;
      ++age;
    }
    return {kOpen, kNoReason};
  }

  void push_spell(const Career& c, day_t end, u8 reason) {
    spells.push_back({c.person, c.start, end, c.dept, c.pos, c.form, reason, c.source, c.fte, c.level});
  }

  void apply_move(Xoshiro256& rng, Career& c) const {
    if (c.level == kDeputy) {
      c.level = kUnitHead;
      c.pos = pEnhetschef;
      return;
    }
    if (rng.chance_ppm(400000)) {
      for (int attempt = 0; attempt < 8; ++attempt) {
        const u16 pos = m_.draw_position(rng, c.dept);
        if (pos != c.pos) {
          c.pos = pos;
          return;
        }
      }
    }
    if (m_.depts.size() > 1) {
      u32 dept = c.dept;
      for (int attempt = 0; attempt < 16 && dept == c.dept; ++attempt) dept = m_.draw_department(rng);
      if (dept == c.dept) dept = (c.dept + 1) % static_cast<u32>(m_.depts.size());
      const bool keep = m_.profile_has(dept, c.pos) && rng.chance_ppm(700000);
      c.dept = dept;
      if (!keep) c.pos = m_.draw_position(rng, dept);
    } else {
      c.pos = m_.draw_position(rng, c.dept);
    }
  }

  // Simulates a career from its current spell; returns the last day employed
  // when the person leaves the slot on or before extracted_on, else kOpen.
  day_t run_career(Xoshiro256& rng, Career c) {
    const day_t eo = m_.extracted_on;
    day_t from = std::max(c.start, m_.window_start);
    for (;;) {
      const PersonRec& p = persons[c.person];
      if (c.form == kTemporary) {
        const Event ev = draw_event(rng, c, from, std::min(c.contract_end, eo) + 1);
        if (ev.day != kOpen) {
          push_spell(c, ev.day, ev.reason);
          return ev.day;
        }
        push_spell(c, c.contract_end, kFixedTermEnded);  // a planned end when after eo
        if (c.contract_end >= eo) return kOpen;
        const day_t next = c.contract_end + 1;
        const int age = age_at(p, next);
        const u64 r = rng.below(1000000);
        if (r < kRenewPpm && age <= 67 && next <= forced_exit(p, kTemporary)) {
          c.start = next;
          c.contract_end = contract_end_for(rng, p, next);
          from = next;
          continue;
        }
        if (r >= kRenewPpm && r < kRenewPpm + kConvertPpm && age <= 60) {
          c.form = kPermanent;
          c.start = next;
          c.source = kInternal;
          if (c.fte < 100 && rng.chance_ppm(200000)) c.fte = 100;
          from = next;
          continue;
        }
        return c.contract_end;
      }
      const day_t forced = forced_exit(p, c.form);
      const Event ev = draw_event(rng, c, from, std::min(forced, eo) + 1);
      if (ev.day == kOpen) {
        if (forced <= eo) {
          push_spell(c, forced, kRetirement);
          return forced;
        }
        push_spell(c, kOpen, kNoReason);
        return kOpen;
      }
      if (ev.reason == kInternalMove) {
        day_t gap = rng.chance_ppm(450000) ? 1 : static_cast<day_t>(rng.between(2, 20));
        if (ev.day + gap > eo) gap = eo - ev.day;
        if (gap < 1) {  // would start after extracted_on: nothing observable yet
          push_spell(c, kOpen, kNoReason);
          return kOpen;
        }
        if (ev.day + gap > forced) {
          push_spell(c, ev.day, kRetirement);
          return ev.day;
        }
        push_spell(c, ev.day, kInternalMove);
        apply_move(rng, c);
        c.start = ev.day + gap;
        c.source = kInternal;
        from = c.start;
        continue;
      }
      push_spell(c, ev.day, ev.reason);
      return ev.day;
    }
  }
};

// ---------------------------------------------------------------------------
// Managers registered while writing (manager slots come first).

struct ManagerSpell {
  day_t start;
  day_t end;
  u64 id;
};

class ManagerRegistry {
 public:
  explicit ManagerRegistry(std::size_t departments)
      : by_level_(4, std::vector<std::vector<ManagerSpell>>(departments)) {}

  void add(Level level, u32 dept, const ManagerSpell& spell) { by_level_[level][dept].push_back(spell); }

  // A manager for a spell of `level` in `dept` on the day `start` (the spell's
  // last observed day): one of the managers of the next level up employed that
  // day (falling back to higher levels), or 0.
  u64 pick(Xoshiro256& rng, Level level, u32 dept, day_t start, u64 self) {
    static constexpr Level kChain[4][3] = {{kUnitHead, kDeputy, kDeptHead},
                                           {kUnitHead, kDeptHead, kDeptHead},
                                           {kDeptHead, kDeptHead, kDeptHead},
                                           {kStaff, kStaff, kStaff}};
    if (level == kDeptHead) return 0;
    for (const Level up : kChain[level]) {
      candidates_.clear();
      for (const ManagerSpell& s : by_level_[up][dept]) {
        if (s.start <= start && start <= s.end && s.id != self) candidates_.push_back(s.id);
      }
      if (!candidates_.empty()) return candidates_[static_cast<std::size_t>(rng.below(candidates_.size()))];
    }
    return 0;
  }

 private:
  std::vector<std::vector<std::vector<ManagerSpell>>> by_level_;
  std::vector<u64> candidates_;
};

// ---------------------------------------------------------------------------
// Sick leave for the persons of one slot.

constexpr u32 kShortRate = 1500000;  // per person-year, micro
constexpr u32 kMediumRate = 250000;
constexpr u32 kLongRate = 110000;
constexpr u8 kShortDays[] = {1, 2, 3, 4, 5, 6, 7};
constexpr u32 kShortWeights[] = {34, 22, 16, 10, 8, 4, 6};
constexpr u32 kFrailtyPermille[] = {300, 700, 1100, 2000};
constexpr u32 kFrailtyWeights[] = {25, 30, 25, 20};

class SickLeaveWriter {
 public:
  SickLeaveWriter(const Model& model, CsvFile& out, int id_width) : m_(model), out_(out), width_(id_width) {}

  std::size_t records = 0;

  // `spells` are the person's spells sorted by start.
  void person(Xoshiro256& rng, u64 id, const PersonRec& p, const SpellRec* spells, std::size_t n) {
    const u32 frailty = kFrailtyPermille[pick_weighted(rng, kFrailtyWeights, std::size(kFrailtyWeights))];
    const u32 sex = p.gender == kFemale ? 1120 : p.gender == kMale ? 680 : 1000;
    std::size_t i = 0;
    while (i < n) {
      if (spells[i].fte == 0) {
        ++i;
        continue;
      }
      std::size_t j = i;  // block of adjoining non-hourly spells [i, j]
      while (j + 1 < n && spells[j + 1].fte != 0 && spells[j].end != kOpen && spells[j + 1].start == spells[j].end + 1)
        ++j;
      const day_t a = std::max(spells[i].start, m_.window_start);
      const day_t b = std::min(spells[j].end, m_.extracted_on);
      if (a <= b) block(rng, id, p, spells + i, j - i + 1, a, b, frailty, sex);
      i = j + 1;
    }
  }

 private:
  void block(Xoshiro256& rng, u64 id, const PersonRec& p, const SpellRec* spells, std::size_t n, day_t a, day_t b,
             u32 frailty, u32 sex) {
    const int age = age_at(p, a);
    const u32 age_long = age < 30 ? 600 : age < 50 ? 1000 : 1450;
    const u64 scale = static_cast<u64>(frailty) * sex;  // per million
    const u64 rates[3] = {kShortRate * scale / 1000000, kMediumRate * scale / 1000000,
                          (kLongRate * scale / 1000000) * age_long / 1000};
    const u64 total = rates[0] + rates[1] + rates[2];
    if (total == 0) return;
    const double mean_gap = 365.25e6 / static_cast<double>(total);
    day_t pos = a;
    for (;;) {
      const double dt = rng.exponential() * mean_gap;
      if (dt >= static_cast<double>(b - pos + 1)) return;
      const day_t s = pos + static_cast<day_t>(dt);
      const u64 r = rng.below(total);
      day_t e = s;
      if (r < rates[0]) {  // short: 1-7 days
        const day_t days = kShortDays[pick_weighted(rng, kShortWeights, std::size(kShortWeights))];
        e = std::min<day_t>(s + days - 1, b);
        emit(id, spells, n, s, e, rng.chance_ppm(930000) ? 100 : 50);
      } else if (r < rates[0] + rates[1]) {  // medium: 8-59 days
        const auto extra = static_cast<day_t>(rng.exponential() * 22.0);
        const day_t days = 8 + std::min<day_t>(extra, 51);
        e = std::min<day_t>(s + days - 1, b);
        const u32 ext = rng.chance_ppm(850000) ? 100 : rng.chance_ppm(650000) ? 50 : 25;
        if (days > 14 && e >= s + 14 && rng.chance_ppm(200000)) {  // a new certificate from day 15
          emit(id, spells, n, s, s + 13, ext);
          emit(id, spells, n, s + 14, e, ext);
        } else {
          emit(id, spells, n, s, e, ext);
        }
      } else {  // long: 60-365 days, often graded later
        const auto extra = static_cast<day_t>(rng.exponential() * 130.0);
        const day_t days = 60 + std::min<day_t>(extra, 305);
        e = std::min<day_t>(s + days - 1, b);
        if (rng.chance_ppm(450000)) {
          const day_t first = s + static_cast<day_t>(rng.between(29, 89));
          const u32 later = rng.chance_ppm(600000) ? 50 : rng.chance_ppm(600000) ? 25 : 75;
          if (first < e) {
            emit(id, spells, n, s, first, 100);
            emit(id, spells, n, first + 1, e, later);
          } else {
            emit(id, spells, n, s, e, 100);
          }
        } else {
          const u64 q = rng.below(100);
          emit(id, spells, n, s, e, q < 70 ? 100 : q < 90 ? 50 : 25);
        }
      }
      pos = e + 2;  // at least one day at work before the next absence
      if (pos > b) return;
    }
  }

  // One absence segment, split at spell boundaries so that each record lies
  // inside one employment spell.
  void emit(u64 id, const SpellRec* spells, std::size_t n, day_t s, day_t e, u32 extent) {
    for (std::size_t k = 0; k < n; ++k) {
      const day_t lo = std::max(s, spells[k].start);
      const day_t hi = std::min(e, spells[k].end);
      if (lo > hi) continue;
      char* p = out_.reserve(64);
      p = put_id(p, id, width_);
      *p++ = ',';
      p = put_date(p, lo);
      *p++ = ',';
      p = put_date(p, hi);
      *p++ = ',';
      if (extent == 100) {
        p = put_cstr(p, "1.0");
      } else {
        *p++ = '0';
        *p++ = '.';
        *p++ = static_cast<char>('0' + extent / 10);
        if (extent % 10 != 0) *p++ = static_cast<char>('0' + extent % 10);
      }
      *p++ = '\n';
      out_.commit_bytes(p);
      ++records;
    }
  }

  const Model& m_;
  CsvFile& out_;
  int width_;
};

// ---------------------------------------------------------------------------
// Indicators.

std::size_t write_indicators(const Model& m, const std::vector<bool>& staffed, CsvFile& out) {
  Xoshiro256 rng(m.opt.seed, kStreamIndicators, 0);
  out.write("indicator,period,value,target,better,unit,unit_of_analysis\n");
  std::size_t rows = 0;
  const ymd first = civil_from_days(m.window_start);
  const ymd last = civil_from_days(m.extracted_on);
  auto row = [&](const std::string& indicator, int year, const char* suffix, int sub, std::int64_t value, int decimals,
                 const char* target, const char* better, const char* unit, const std::string& unit_of_analysis) {
    char* p = out.reserve(256 + indicator.size() + unit_of_analysis.size());
    p = put_text(p, indicator);
    *p++ = ',';
    p = put_padded(p, static_cast<u64>(year), 4);
    if (suffix != nullptr) {
      p = put_cstr(p, suffix);
      p = put_padded(p, static_cast<u64>(sub), suffix[1] == 'T' ? 1 : 2);
    }
    *p++ = ',';
    p = put_fixed(p, value, decimals);
    *p++ = ',';
    p = put_cstr(p, target);
    *p++ = ',';
    p = put_cstr(p, better);
    *p++ = ',';
    p = put_cstr(p, unit);
    *p++ = ',';
    p = put_text(p, unit_of_analysis);
    *p++ = '\n';
    out.commit_bytes(p);
    ++rows;
  };
  auto poisson = [&](u64 mean_milli) -> std::int64_t {
    const double lambda = static_cast<double>(mean_milli) / 1000.0;
    if (lambda < 500.0) return rng.poisson(lambda);
    const auto noise = static_cast<std::int64_t>(std::sqrt(lambda) * rng.normal());
    return std::max<std::int64_t>(0, static_cast<std::int64_t>(lambda) + noise);
  };
  const std::string none;
  const std::string hme_name = csv_field("Hållbart medarbetarengagemang (HME)");
  const std::string intro_name = csv_field("Andel genomförd introduktion");
  const std::string violence_name = csv_field("Hot och våld, anmälda händelser");
  const std::string injuries_name = csv_field("Anmälda arbetsskador");
  const day_t ws = m.window_start;
  const day_t eo = m.extracted_on;

  // Yearly employee survey (spring), index around 78 with a recent decline.
  std::int64_t hme = 780 + static_cast<std::int64_t>(rng.normal() * 10.0);
  for (int y = first.year; y <= last.year; ++y) {
    const day_t survey = days_from_civil(y, 4, 30);
    hme += static_cast<std::int64_t>(rng.normal() * 8.0) + (y >= last.year - 2 ? -6 : 2);
    hme = std::clamp<std::int64_t>(hme, 600, 950);
    if (survey < ws || survey > eo) continue;
    row(hme_name, y, nullptr, 0, hme, 1, "80", "higher", "index", none);
  }
  // Introduction completed, complete years.
  for (int y = first.year; y <= last.year; ++y) {
    if (days_from_civil(y, 1, 1) < ws || days_from_civil(y, 12, 31) > eo) continue;
    const std::int64_t share = std::clamp<std::int64_t>(84 + static_cast<std::int64_t>(rng.normal() * 5.0), 40, 100);
    row(intro_name, y, nullptr, 0, share, 2, "0.90", "higher", "andel", none);
  }
  // Threats and violence per tertial and department.
  for (u32 d = 0; d < m.depts.size(); ++d) {
    if (!staffed[d]) continue;  // only departments that appear in the register
    const u64 size = std::max<u64>(1, m.dept_size(d));
    const std::string& name = m.depts[d].field;
    const std::int64_t target_value = std::max<std::int64_t>(1, static_cast<std::int64_t>((size * 5 + 175) / 350));
    char target[24];
    *put_uint(target, static_cast<u64>(target_value)) = '\0';
    u64 level_milli = size * 6000 / 350;
    for (int y = first.year; y <= last.year; ++y) {
      for (int t = 1; t <= 3; ++t) {
        const day_t begin = days_from_civil(y, static_cast<unsigned>(4 * t - 3), 1);
        const day_t end = add_months(begin, 4) - 1;
        level_milli = level_milli * (1000 + static_cast<u64>(rng.below(60))) / 1015;
        if (begin < ws || end > eo) continue;
        row(violence_name, y, "-T", t, poisson(level_milli + 1), 0, target, "lower", "antal", name);
      }
    }
  }
  // Reported work injuries per month, whole organisation, no target.
  const u64 monthly_milli = std::max<u64>(200, static_cast<u64>(m.opt.persons) * 3000 / 1100);
  for (int y = first.year; y <= last.year; ++y) {
    for (unsigned mo = 1; mo <= 12; ++mo) {
      const day_t begin = days_from_civil(y, mo, 1);
      const day_t end = end_of_month(begin);
      if (begin < ws || end > eo) continue;
      row(injuries_name, y, "-", static_cast<int>(mo), poisson(monthly_milli), 0, "", "lower", "antal", none);
    }
  }
  return rows;
}

// ---------------------------------------------------------------------------

void validate(const GenerateOptions& o) {
  if (o.persons == 0) throw argument_error("generate: persons must be at least 1");
  if (o.persons > 100000000) throw argument_error("generate: persons must be at most 100000000");
  if (o.years < 1 || o.years > 60) throw argument_error("generate: years must be between 1 and 60");
  if (o.departments < 0) throw argument_error("generate: departments must be >= 0 (0 = automatic)");
  if (o.departments > 1000000) throw argument_error("generate: departments must be at most 1000000");
  const day_t earliest = days_from_civil(1950 + o.years, 1, 1);
  const day_t latest = days_from_civil(2190, 12, 31);
  if (o.extracted_on < earliest || o.extracted_on > latest) {
    throw argument_error("generate: extracted_on must lie between " + format_iso_date(earliest) + " and " +
                         format_iso_date(latest) + " for years = " + std::to_string(o.years));
  }
}

}  // namespace
}  // namespace detail::gen

GenerateSummary generate(const std::string& out_dir, const GenerateOptions& options) {
  using namespace detail::gen;
  validate(options);
  const fs::path dir(out_dir);
  {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec || !fs::is_directory(dir)) {
      throw io_error("cannot create directory " + out_dir + (ec ? ": " + ec.message() : ""));
    }
  }
  const Model model(options);
  SlotSimulator sim(model);
  const std::size_t slots = model.slot_count();

  // Pass 1: count persons to fix the width of employee_id.
  u64 persons_ever = 0;
  for (std::size_t s = 0; s < slots; ++s) {
    sim.run(s);
    persons_ever += sim.persons.size();
  }
  const int width = std::max(7, digits_of(persons_ever));

  GenerateSummary summary;
  CsvFile employments(dir, "employments.csv");
  std::unique_ptr<CsvFile> sick;
  if (options.sick_leave) sick = std::make_unique<CsvFile>(dir, "sick_leave.csv");
  std::unique_ptr<CsvFile> indicators;
  if (options.indicators) indicators = std::make_unique<CsvFile>(dir, "indicators.csv");

  employments.write(
      "employee_id,birth_date,gender,employment_form,position,department,fte,start_date,end_date,end_reason,"
      "recruitment_source,manager_id\n");
  if (sick) sick->write("employee_id,start_date,end_date,extent\n");
  std::size_t max_field = 0;
  for (const auto& f : model.position_fields) max_field = std::max(max_field, f.size());
  for (const auto& d : model.depts) max_field = std::max(max_field, d.field.size());
  const std::size_t max_row = 256 + 2 * max_field;

  ManagerRegistry managers(model.depts.size());
  std::vector<bool> staffed(model.depts.size(), false);
  std::optional<SickLeaveWriter> sick_writer;
  if (sick) sick_writer.emplace(model, *sick, width);
  std::vector<u32> order;
  std::vector<SpellRec> sorted;
  u64 next_id = 1;

  // Pass 2: re-simulate and write.
  for (std::size_t s = 0; s < slots; ++s) {
    sim.run(s);
    const u64 base = next_id;
    next_id += sim.persons.size();
    sorted.assign(sim.spells.begin(), sim.spells.end());
    // (person, start) is unique: a person's spells never start on the same day.
    std::sort(sorted.begin(), sorted.end(), [](const SpellRec& a, const SpellRec& b) {
      return a.person != b.person ? a.person < b.person : a.start < b.start;
    });
    Xoshiro256 manager_rng(options.seed, kStreamManager, s);
    for (const SpellRec& sp : sorted) {
      const u64 id = base + sp.person;
      const PersonRec& p = sim.persons[sp.person];
      // Exports hold the manager of the spell's last observed day (today's manager for ongoing spells).
      const day_t manager_day = std::min(sp.end, model.extracted_on);
      const u64 manager = managers.pick(manager_rng, static_cast<Level>(sp.level), sp.dept, manager_day, id);
      char* w = employments.reserve(max_row);
      w = put_id(w, id, width);
      *w++ = ',';
      w = put_date(w, p.birth);
      *w++ = ',';
      *w++ = kGenderCodes[p.gender];
      *w++ = ',';
      w = put_cstr(w, kFormNames[sp.form]);
      *w++ = ',';
      w = put_text(w, model.position_fields[sp.pos]);
      *w++ = ',';
      w = put_text(w, model.depts[sp.dept].field);
      *w++ = ',';
      if (sp.fte != 0) w = put_fixed(w, sp.fte, 2);
      *w++ = ',';
      w = put_date(w, sp.start);
      *w++ = ',';
      if (sp.end != kOpen) w = put_date(w, sp.end);
      *w++ = ',';
      w = put_cstr(w, kReasonNames[sp.reason]);
      *w++ = ',';
      w = put_cstr(w, kSourceNames[sp.source]);
      *w++ = ',';
      if (manager != 0) w = put_id(w, manager, width);
      *w++ = '\n';
      employments.commit_bytes(w);
      ++summary.spells;
      staffed[sp.dept] = true;
      if (sp.level != kStaff) managers.add(static_cast<Level>(sp.level), sp.dept, {sp.start, sp.end, id});
    }
    if (sick_writer) {
      Xoshiro256 sick_rng(options.seed, kStreamSick, s);
      std::size_t i = 0;
      while (i < sorted.size()) {
        std::size_t j = i;
        while (j < sorted.size() && sorted[j].person == sorted[i].person) ++j;
        sick_writer->person(sick_rng, base + sorted[i].person, sim.persons[sorted[i].person], sorted.data() + i, j - i);
        i = j;
      }
    }
  }
  summary.persons_ever = static_cast<std::size_t>(next_id - 1);
  if (indicators) summary.indicator_rows = write_indicators(model, staffed, *indicators);
  if (sick_writer) summary.sick_leave_records = sick_writer->records;

  employments.finish();
  if (sick) sick->finish();
  if (indicators) indicators->finish();
  employments.commit();
  if (sick) sick->commit();
  if (indicators) indicators->commit();
  return summary;
}

}  // namespace staffcast
