// The generator's code tables: the codes it writes (employment forms, end
// reasons, recruitment sources, genders), manager levels, the catalogue of
// positions and the department profiles. Private to staffcast::generate.
#pragma once

#include <staffcast/calendar.hpp>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace staffcast::detail::gen {

using u8 = std::uint8_t;
using u16 = std::uint16_t;
using u32 = std::uint32_t;
using u64 = std::uint64_t;

inline constexpr day_t kOpen = std::numeric_limits<day_t>::max();

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

inline constexpr const char* kFormNames[] = {"permanent", "temporary", "hourly"};
inline constexpr const char* kReasonNames[] = {
    "",          "own_request", "retirement", "fixed_term_ended", "internal_move", "other_administration",
    "dismissal", "death",       "other"};
inline constexpr const char* kSourceNames[] = {"", "internal", "other_administration", "external", "rehire"};
inline constexpr char kGenderCodes[] = {'F', 'M', 'X'};

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

inline constexpr PositionDef kPositions[kPositionCount] = {
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
const std::vector<std::vector<WeightedPos>>& profile_defs();

// Weights of the generic profiles 3..10 when drawing a department's profile.
inline constexpr u32 kGenericProfileWeights[] = {28, 16, 20, 8, 12, 6, 6, 4};

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

}  // namespace staffcast::detail::gen
