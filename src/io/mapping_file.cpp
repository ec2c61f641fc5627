// Mapping files: TOML (toml++) into staffcast::ReadMapping (docs/data.md,
// mappings). Keys, types, date layouts, codes and defaults are checked here,
// once; Python sends dicts and keyword arguments here as TOML text.
#include "toml.hpp"

#include <staffcast/detail/field_parse.hpp>
#include <staffcast/io/mapping_file.hpp>
#include <staffcast/register/codes.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

namespace staffcast {

namespace {

constexpr std::array<std::string_view, 12> contract_columns{
    "employee_id", "birth_date", "gender",   "employment_form", "position",           "department",
    "fte",         "start_date", "end_date", "end_reason",      "recruitment_source", "manager_id"};

constexpr std::array<std::string_view, 8> format_keys{"sep",           "decimal",  "encoding",     "date_format",
                                                      "century_pivot", "open_end", "extracted_on", "trim"};

constexpr const char* known_top_keys =
    "columns, codes, defaults, dimensions, format (or the [format] keys at the top: sep, decimal, encoding, "
    "date_format, century_pivot, open_end, extracted_on, trim)";

constexpr const char* default_columns = "gender, employment_form, position, department, fte, recruitment_source";

constexpr const char* todo = "TODO";

bool is_contract_column(std::string_view name) {
  for (std::string_view c : contract_columns) {
    if (c == name) return true;
  }
  return false;
}

bool is_format_key(std::string_view name) {
  for (std::string_view k : format_keys) {
    if (k == name) return true;
  }
  return false;
}

const char* type_name(toml::node_type type) {
  switch (type) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

/// The codes a coded column takes, for messages; nullptr for a free-text column.
const char* allowed_codes(std::string_view column) {
  if (column == "gender") return "F, M, X";
  if (column == "employment_form") return "permanent, temporary, hourly";
  if (column == "end_reason") {
    return "own_request, retirement, fixed_term_ended, internal_move, other_administration, dismissal, death, other";
  }
  if (column == "recruitment_source") return "internal, other_administration, external, rehire";
  return nullptr;
}

bool is_code_of(std::string_view column, std::string_view code) {
  if (column == "gender") return parse_gender(code).has_value();
  if (column == "employment_form") return parse_employment_form(code).has_value();
  if (column == "end_reason") return parse_end_reason(code).has_value();
  if (column == "recruitment_source") return parse_recruitment_source(code).has_value();
  return true;
}

std::string in_quotes(std::string_view text) { return "\"" + std::string(text) + "\""; }

class Parser {
 public:
  explicit Parser(const std::string& label) : label_(label) {}

  [[noreturn]] void fail(const toml::source_region& where, const std::string& key, const std::string& what) const {
    std::string message = "mapping " + label_;
    if (where.begin.line > 0) message += ", line " + std::to_string(where.begin.line);
    if (!key.empty()) message += ": key '" + key + "'";
    message += ": " + what;
    throw argument_error(message);
  }

  [[noreturn]] void wrong_type(const toml::node& node, const std::string& key, const char* expected) const {
    fail(node.source(), key, std::string("expected ") + expected + ", got " + type_name(node.type()));
  }

  std::string string(const toml::node& node, const std::string& key) const {
    const auto* value = node.as_string();
    if (value == nullptr) wrong_type(node, key, "a string");
    return value->get();
  }

  const toml::table& table(const toml::node& node, const std::string& key) const {
    const auto* value = node.as_table();
    if (value == nullptr) wrong_type(node, key, "a table");
    return *value;
  }

  /// True (and noted) when the value is still "TODO".
  bool is_todo(const toml::node& node, const std::string& where) {
    const auto* value = node.as_string();
    if (value == nullptr || value->get() != todo) return false;
    std::string entry = where;
    const auto line = node.source().begin.line;
    if (line > 0) entry += " (line " + std::to_string(line) + ")";
    todos_.emplace_back(line, std::move(entry));
    return true;
  }

  void parse(const toml::table& root) {
    const toml::node* format = nullptr;
    for (auto&& [k, v] : root) {
      const std::string key(k.str());
      if (key == "columns") {
        columns(v);
      } else if (key == "codes") {
        codes(v);
      } else if (key == "defaults") {
        defaults(v);
      } else if (key == "dimensions") {
        dimensions(v);
      } else if (key == "format") {
        format = &v;
      } else if (is_format_key(key)) {
        format_value(key, v, key);
      } else {
        fail(k.source(), key, std::string("unknown key (known: ") + known_top_keys + ")");
      }
    }
    if (format != nullptr) {
      for (auto&& [k, v] : table(*format, "format")) {
        const std::string key(k.str());
        if (!is_format_key(key)) {
          fail(k.source(), "format." + key,
               "unknown key (known: sep, decimal, encoding, date_format, century_pivot, open_end, extracted_on, trim)");
        }
        format_value(key, v, "format." + key);
      }
    }
    if (date_format_node_ != nullptr && !date_format_todo_) {
      try {
        (void)DateFormat(out_.date_format, out_.century_pivot);
      } catch (const argument_error& e) {
        fail(date_format_node_->source(), date_format_key_, e.what());
      }
    } else if (out_.century_pivot &&
               (*out_.century_pivot < min_century_pivot || *out_.century_pivot > max_century_pivot)) {
      fail(toml::source_region{}, "century_pivot",
           "must be a year in [" + std::to_string(min_century_pivot) + ", " + std::to_string(max_century_pivot) + "]");
    }
    if (!todos_.empty()) {
      // In the order of the file.
      std::stable_sort(todos_.begin(), todos_.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
      std::string message = "mapping " + label_ + ": left to fill in (replace each TODO): ";
      for (std::size_t i = 0; i < todos_.size(); ++i) message += (i ? "; " : "") + todos_[i].second;
      throw argument_error(message);
    }
  }

  ReadMapping take() { return std::move(out_); }

 private:
  void columns(const toml::node& node) {
    for (auto&& [k, v] : table(node, "columns")) {
      const std::string name(k.str());
      const std::string key = "columns." + name;
      if (is_todo(v, "[columns] " + in_quotes(name))) continue;
      const std::string target = string(v, key);
      if (target.empty()) continue;  // not used
      out_.columns[name] = target;
    }
  }

  void codes(const toml::node& node) {
    for (auto&& [c, list] : table(node, "codes")) {
      const std::string column(c.str());
      const std::string key = "codes." + column;
      if (!is_contract_column(column)) fail(c.source(), key, "not a column of the register");
      auto& into = out_.codes[column];
      for (auto&& [k, v] : table(list, key)) {
        const std::string from(k.str());
        if (is_todo(v, "[" + key + "] " + in_quotes(from))) continue;
        const std::string to = string(v, key + "." + from);
        if (!to.empty() && !is_code_of(column, to)) {
          fail(v.source(), key + "." + from,
               "'" + to + "' is not a code of " + column + "; use one of " + allowed_codes(column) +
                   ", or \"\" for no value");
        }
        into[from] = to;
      }
    }
  }

  void defaults(const toml::node& node) {
    for (auto&& [k, v] : table(node, "defaults")) {
      const std::string column(k.str());
      const std::string key = "defaults." + column;
      if (column != "gender" && column != "employment_form" && column != "position" && column != "department" &&
          column != "fte" && column != "recruitment_source") {
        fail(k.source(), key, std::string("no default can be given for it; defaults are for ") + default_columns);
      }
      if (is_todo(v, "[defaults] " + column)) continue;
      std::string value;
      if (column == "fte") {
        double number = 0.0;
        if (const auto* f = v.as_floating_point()) {
          number = f->get();
        } else if (const auto* i = v.as_integer()) {
          number = static_cast<double>(i->get());
        } else if (const auto* s = v.as_string()) {
          const std::optional<double> parsed = detail::parse_decimal(s->get(), '.');
          if (!parsed) fail(v.source(), key, "'" + s->get() + "' is not a number");
          number = *parsed;
        } else {
          wrong_type(v, key, "a number in (0, 1]");
        }
        if (!(number > 0.0 && number <= 1.0)) fail(v.source(), key, "fte must be in (0, 1]");
        char text[16];
        std::snprintf(text, sizeof text, "%.2f", number);
        std::int64_t hundredths = 0;
        if (detail::parse_hundredths(text, '.', hundredths) != detail::DecimalStatus::ok || hundredths <= 0) {
          fail(v.source(), key, "fte must be in (0, 1] with at most two decimals");
        }
        value = text;
      } else {
        value = string(v, key);
        if (value.empty()) fail(v.source(), key, "must not be empty");
        if (!is_code_of(column, value)) {
          fail(v.source(), key, "'" + value + "' is not a code of " + column + "; use one of " + allowed_codes(column));
        }
      }
      out_.defaults[column] = value;
    }
  }

  void dimensions(const toml::node& node) {
    const auto* list = node.as_array();
    if (list == nullptr) wrong_type(node, "dimensions", "an array of column names");
    for (std::size_t i = 0; i < list->size(); ++i) {
      out_.dimensions.push_back(string(*list->get(i), "dimensions[" + std::to_string(i + 1) + "]"));
    }
  }

  /// A single character, or "auto" (unset); "tab" and "\t" are a tab.
  std::optional<std::string> character(const toml::node& node, const std::string& key) {
    std::string value = string(node, key);
    if (value == "auto") return std::nullopt;
    if (value == "tab" || value == "\\t") value = "\t";
    if (value.size() != 1) fail(node.source(), key, "must be a single character or \"auto\"");
    return value;
  }

  void format_value(const std::string& name, const toml::node& v, const std::string& key) {
    if (std::count(seen_.begin(), seen_.end(), name) > 0) {
      fail(v.source(), key, "given twice (at the top and in [format])");
    }
    seen_.push_back(name);
    const std::string where = "[format] " + name;
    if (name == "sep") {
      out_.sep = character(v, key);
    } else if (name == "decimal") {
      out_.decimal = character(v, key);
      if (out_.decimal && *out_.decimal != "." && *out_.decimal != ",") {
        fail(v.source(), key, "must be \".\", \",\" or \"auto\"");
      }
    } else if (name == "encoding") {
      out_.encoding = string(v, key);
    } else if (name == "date_format") {
      date_format_node_ = &v;
      date_format_key_ = key;
      if (const auto* list = v.as_array()) {
        if (list->empty()) fail(v.source(), key, "the list of layouts must not be empty");
        for (std::size_t i = 0; i < list->size(); ++i) {
          const toml::node& item = *list->get(i);
          if (is_todo(item, where)) {
            date_format_todo_ = true;
            continue;
          }
          out_.date_format.push_back(string(item, key + "[" + std::to_string(i + 1) + "]"));
        }
      } else if (v.is_string()) {
        if (is_todo(v, where)) {
          date_format_todo_ = true;
        } else {
          out_.date_format.push_back(string(v, key));
        }
      } else {
        wrong_type(v, key, "a layout such as \"%m/%d/%Y\" or an array of layouts");
      }
    } else if (name == "century_pivot") {
      if (is_todo(v, where)) return;
      const auto* value = v.as_integer();
      if (value == nullptr) wrong_type(v, key, "an integer (a year)");
      const std::int64_t year = value->get();
      if (year < min_century_pivot || year > max_century_pivot) {
        fail(
            v.source(), key,
            "must be a year in [" + std::to_string(min_century_pivot) + ", " + std::to_string(max_century_pivot) + "]");
      }
      out_.century_pivot = static_cast<int>(year);
    } else if (name == "open_end") {
      out_.open_end = string(v, key);
    } else if (name == "extracted_on") {
      if (is_todo(v, where)) return;
      if (const auto* date = v.as_date()) {
        const toml::date d = date->get();
        if (!is_valid_date(d.year, d.month, d.day)) fail(v.source(), key, "not a date of the calendar");
        out_.extracted_on = to_day(d.year, d.month, d.day);
      } else if (const auto* text = v.as_string()) {
        const std::optional<day_t> day = parse_iso_date(text->get());
        if (!day) fail(v.source(), key, "'" + text->get() + "' is not a date YYYY-MM-DD");
        out_.extracted_on = *day;
      } else {
        wrong_type(v, key, "a date (2019-03-01)");
      }
    } else if (name == "trim") {
      const auto* value = v.as_boolean();
      if (value == nullptr) wrong_type(v, key, "true or false");
      out_.trim = value->get();
    }
  }

  const std::string& label_;
  ReadMapping out_;
  std::vector<std::pair<std::uint32_t, std::string>> todos_;  // (line, what)
  std::vector<std::string> seen_;
  const toml::node* date_format_node_ = nullptr;
  std::string date_format_key_;
  bool date_format_todo_ = false;
};

}  // namespace

ReadMapping parse_mapping_toml(std::string_view text, const std::string& label) {
  Parser parser(label);
  toml::table root;
  try {
    root = toml::parse(text, label);
  } catch (const toml::parse_error& e) {
    parser.fail(e.source(), "", "invalid TOML: " + std::string(e.description()));
  }
  parser.parse(root);
  return parser.take();
}

ReadMapping read_mapping_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw io_error("mapping file '" + path + "' is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw io_error("cannot open mapping file '" + path + "'");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw io_error("cannot read mapping file '" + path + "'");
  return parse_mapping_toml(text, path);
}

DateFormat mapping_date_format(const ReadMapping& mapping) {
  if (mapping.date_format.empty()) return DateFormat();
  return DateFormat(mapping.date_format, mapping.century_pivot);
}

void apply_mapping(const ReadMapping& mapping, RegisterOptions& options) {
  for (const auto& [from, to] : mapping.columns) options.columns[from] = to;
  for (const auto& [column, codes] : mapping.codes) {
    for (const auto& [from, to] : codes) options.codes[column][from] = to;
  }
  for (const std::string& d : mapping.dimensions) {
    if (std::find(options.dimensions.begin(), options.dimensions.end(), d) == options.dimensions.end()) {
      options.dimensions.push_back(d);
    }
  }
  for (const auto& [column, value] : mapping.defaults) options.defaults[column] = value;
  if (!mapping.date_format.empty()) options.date_format = mapping_date_format(mapping);
  if (mapping.open_end) options.open_end = *mapping.open_end;
  if (mapping.extracted_on) options.extracted_on = mapping.extracted_on;
  if (mapping.trim) options.trim = *mapping.trim;
  if (mapping.sep) options.separator = (*mapping.sep)[0];
  if (mapping.decimal) options.decimal = (*mapping.decimal)[0];
}

}  // namespace staffcast
