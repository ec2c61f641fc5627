// A fast, deterministic generator of synthetic HR registers.
//
// `generate` writes an employments register (and optionally sick-leave records
// and indicators) that satisfies the input data contract (docs/data.md) and
// looks like a Swedish public-sector organisation: ~75% women, mean age ~44
// with a wave of staff aged 58–66, ~85% permanent / 8% temporary / 7% hourly,
// departures by reason with realistic hazards, internal moves, renewals of
// fixed-term contracts, re-hires, line managers and sick leave.
//
// The same options give byte-identical files on every platform: all
// randomness comes from the generator's own xoshiro256** (seeded by
// splitmix64, staffcast/generate/detail/random.hpp) and the sampling uses
// integer arithmetic and exactly rounded IEEE operations only (no std::
// distributions, no libm).
#pragma once

#include <staffcast/calendar.hpp>

#include <cstddef>
#include <cstdint>
#include <string>

namespace staffcast {

struct GenerateOptions {
  std::size_t persons = 1100;  ///< target headcount (persons employed) on extracted_on
  int years = 10;              ///< years of simulated history before extracted_on (1..60)
  std::uint64_t seed = 1;
  day_t extracted_on = to_day(2024, 9, 30);
  int departments = 0;  ///< 0 = automatic: 3 when persons <= 2000, else about persons / 350
  bool sick_leave = true;
  bool indicators = true;
};

struct GenerateSummary {
  std::size_t spells = 0;              ///< rows in employments.csv
  std::size_t persons_ever = 0;        ///< distinct employee_id in employments.csv
  std::size_t sick_leave_records = 0;  ///< rows in sick_leave.csv (0 when disabled)
  std::size_t indicator_rows = 0;      ///< rows in indicators.csv (0 when disabled)
};

/// Writes OUT_DIR/employments.csv and, when enabled, OUT_DIR/sick_leave.csv
/// and OUT_DIR/indicators.csv (UTF-8 without BOM, LF line ends, header row,
/// minimal RFC 4180 quoting). Creates OUT_DIR if missing. Each file is written
/// to `<name>.tmp` in OUT_DIR and renamed only after all files are complete,
/// so an interrupted run never leaves a half-written file under a final name.
/// Files of a previous run that are not written this time (e.g. sick_leave.csv
/// with `sick_leave = false`) are left untouched.
///
/// Contents: employments.csv has one row per spell, ordered by employee_id
/// (`E` + at least 7 zero-padded digits) and start_date; spells that began
/// before the window (the staff employed at its start) keep their original
/// start dates, up to 35 years earlier. Only temporaries' current contracts
/// end after extracted_on (planned ends). sick_leave.csv covers the window
/// (extracted_on - years .. extracted_on) for monthly-paid spells, each record
/// inside one spell. indicators.csv holds four indicators: HME (yearly),
/// introduction completed (yearly share), threats and violence (per tertial
/// and department), reported work injuries (monthly, no target).
///
/// Throws staffcast::argument_error for bad options (persons == 0 or above
/// 100 million, years outside 1..60, departments < 0 or above 1 million,
/// extracted_on before 1 January of 1950 + years or after 2190-12-31) and
/// staffcast::io_error when a directory or file cannot be created or written.
GenerateSummary generate(const std::string& out_dir, const GenerateOptions& options = {});

}  // namespace staffcast
