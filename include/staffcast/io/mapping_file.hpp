// Mapping files (docs/data.md, mappings): how a real HR export maps onto the
// register's contract. The same text is a TOML file, and (from Python) a dict
// or keyword arguments, all parsed here.
//
//   [format]
//   date_format = ["%m/%d/%Y", "%m/%d/%y"]  # one layout or a list, tried in order
//   century_pivot = 1930                     # %y: yy is the year in [1930, 2029]
//   extracted_on = 2019-03-01                # optional
//   trim = true                              # default
//   [columns]
//   "EmpID" = "employee_id"
//   [defaults]                               # a value for a column the export lacks
//   fte = 1.0
//   employment_form = "permanent"
//   [codes.end_reason]
//   "N/A-StillEmployed" = ""                 # "" = no value
//
// Example:
//   staffcast::ReadMapping m = staffcast::read_mapping_file("mapping.toml");
//   staffcast::RegisterOptions options;
//   staffcast::apply_mapping(m, options);
//
// Every problem (TOML syntax, an unknown key, a wrong type, a bad date layout,
// %y without century_pivot, a code outside the contract) is an
// argument_error naming the source, the line and the key; every value still
// "TODO" (as mapping templates write them) is listed in one argument_error
// that says what is left to fill in. An unreadable file is an io_error.
#pragma once

#include <staffcast/calendar.hpp>
#include <staffcast/error.hpp>
#include <staffcast/register/register.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace staffcast {

/// A parsed, checked mapping. Unset optionals were not given.
struct ReadMapping {
  std::map<std::string, std::string> columns;                       // file column -> contract column (none "")
  std::map<std::string, std::map<std::string, std::string>> codes;  // contract column -> {file code -> code or ""}
  std::vector<std::string> dimensions;                              // pass-through columns
  std::map<std::string, std::string> defaults;                      // contract column -> value of every row
  std::optional<std::string> sep;                                   // one character; unset: detect
  std::optional<std::string> decimal;                               // one character; unset: detect
  std::optional<std::string> encoding;                              // the text's encoding (converted by Python)
  std::vector<std::string> date_format;                             // layouts in order; empty: ISO
  std::optional<int> century_pivot;                                 // for %y
  std::optional<std::string> open_end;                              // the end_date meaning "ongoing"
  std::optional<day_t> extracted_on;                                // the extraction date
  std::optional<bool> trim;                                         // remove spaces around fields (default on)
};

/// Parses the text of a mapping file. `label` names the source in messages.
ReadMapping parse_mapping_toml(std::string_view text, const std::string& label = "<mapping>");

/// Reads and parses a mapping file (UTF-8 TOML).
ReadMapping read_mapping_file(const std::string& path);

/// The DateFormat of a mapping's date_format and century_pivot (ISO when none is given).
DateFormat mapping_date_format(const ReadMapping& mapping);

/// Puts what the mapping gives into `options` (what it leaves unset stays as it is).
void apply_mapping(const ReadMapping& mapping, RegisterOptions& options);

}  // namespace staffcast
