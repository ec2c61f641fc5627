// Scenario files: TOML (toml++) into staffcast::Scenario (docs/models.md, scenarios).
// Types and syntax are checked here; the allowed values are the rules of
// scenario_rules.hpp, shared with apply_scenario and the Python bindings.
//
// toml++ is used header-only and privately in src/io/ (toml.hpp), so the
// staffcast library and its consumers never need the toml++ shared library.
#include "toml.hpp"

#include <staffcast/io/scenario_file.hpp>
#include <staffcast/projection/scenario_rules.hpp>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace staffcast {

namespace {

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

/// Builds the error messages: "<label>, line L: key 'K': what".
class Reader {
 public:
  explicit Reader(const std::string& label) : label_(label) {}

  [[noreturn]] void fail(const toml::source_region& where, const std::string& key, const std::string& what) const {
    std::string message = "scenario " + label_;
    if (where.begin.line > 0) message += ", line " + std::to_string(where.begin.line);
    if (!key.empty()) message += ": key '" + key + "'";
    message += ": " + what;
    throw argument_error(message);
  }

  [[noreturn]] void wrong_type(const toml::node& node, const std::string& key, const char* expected) const {
    fail(node.source(), key, std::string("expected ") + expected + ", got " + type_name(node.type()));
  }

  /// An integer allowed by the scenario rule of `rule` (scenario_rules.hpp).
  std::int64_t integer(const toml::node& node, const std::string& key, std::string_view rule) const {
    const auto* value = node.as_integer();
    if (value == nullptr) wrong_type(node, key, (std::string("an integer ") + scenario_range(rule)).c_str());
    const std::int64_t v = value->get();
    const std::string problem = scenario_integer_problem(rule, v);
    if (!problem.empty()) fail(node.source(), key, problem);
    return v;
  }

  /// A number (an integer is accepted too) allowed by the scenario rule of `rule`.
  double number(const toml::node& node, const std::string& key, std::string_view rule) const {
    double v = 0.0;
    if (const auto* f = node.as_floating_point()) {
      v = f->get();
    } else if (const auto* i = node.as_integer()) {
      v = static_cast<double>(i->get());
    } else {
      wrong_type(node, key, (std::string("a number ") + scenario_range(rule)).c_str());
    }
    const std::string problem = scenario_number_problem(rule, v);
    if (!problem.empty()) fail(node.source(), key, problem);
    return v;
  }

  std::string string(const toml::node& node, const std::string& key, bool allow_empty = false) const {
    const auto* value = node.as_string();
    if (value == nullptr) wrong_type(node, key, "a string");
    if (!allow_empty && value->get().empty()) fail(node.source(), key, "must not be empty");
    return value->get();
  }

  const std::string& label() const { return label_; }

 private:
  const std::string& label_;
};

std::map<std::string, std::vector<std::string>> read_where(const Reader& reader, const toml::node& node,
                                                           const std::string& key) {
  const auto* where = node.as_table();
  if (where == nullptr) reader.wrong_type(node, key, "a table of column = value or [values]");
  std::map<std::string, std::vector<std::string>> out;
  for (auto&& [column, values] : *where) {
    const std::string column_name(column.str());
    const std::string column_key = key + "." + column_name;
    if (column_name.empty()) reader.fail(column.source(), column_key, "the column name must not be empty");
    std::vector<std::string> labels;
    if (const auto* list = values.as_array()) {
      if (list->empty()) reader.fail(values.source(), column_key, "the list of values must not be empty");
      for (std::size_t i = 0; i < list->size(); ++i) {
        labels.push_back(reader.string(*list->get(i), column_key + "[" + std::to_string(i + 1) + "]", true));
      }
    } else if (values.is_string()) {
      labels.push_back(reader.string(values, column_key, true));
    } else {
      reader.wrong_type(values, column_key, "a string or an array of strings");
    }
    out.emplace(column_name, std::move(labels));
  }
  return out;
}

TargetStock read_target_stock(const Reader& reader, const toml::node& node, const std::string& key) {
  TargetStock out;
  if (const auto* table = node.as_table()) {
    if (table->empty()) reader.fail(node.source(), key, "the table of groups must not be empty");
    for (auto&& [group, value] : *table) {
      const std::string label(group.str());
      if (label.empty()) reader.fail(group.source(), key + ".", "the group label must not be empty");
      out.per_group.emplace(label, static_cast<double>(reader.integer(value, key + "." + label, "target_stock")));
    }
  } else if (node.is_integer()) {
    out.total = static_cast<double>(reader.integer(node, key, "target_stock"));
  } else {
    reader.wrong_type(node, key, "an integer in 0..100000000 or a table of group = integer");
  }
  return out;
}

/// The scenario's own keys (all but `rate_multiplier`), found at the top level
/// or lifted out of a [[rate_multiplier]] table (see scenario_file.hpp).
constexpr const char* known_keys =
    "name, retirement_age_shift, rate_multiplier, growth_per_year, hiring_freeze_years, target_stock, "
    "part_time_to_full_time";

bool is_scenario_key(const std::string& key) {
  return key == "name" || key == "retirement_age_shift" || key == "growth_per_year" || key == "hiring_freeze_years" ||
         key == "target_stock" || key == "part_time_to_full_time";
}

class ScenarioBuilder {
 public:
  explicit ScenarioBuilder(const Reader& reader) : reader_(reader) {}

  void set(const toml::key& k, const toml::node& v, const std::string& shown) {
    const std::string key(k.str());
    if (!seen_.insert(key).second) reader_.fail(k.source(), shown, "given twice");
    if (key == "name") {
      out_.name = reader_.string(v, shown);
    } else if (key == "retirement_age_shift") {
      out_.retirement_age_shift = static_cast<int>(reader_.integer(v, shown, "retirement_age_shift"));
    } else if (key == "growth_per_year") {
      out_.growth_per_year = reader_.number(v, shown, "growth_per_year");
    } else if (key == "hiring_freeze_years") {
      out_.hiring_freeze_years = static_cast<int>(reader_.integer(v, shown, "hiring_freeze_years"));
    } else if (key == "target_stock") {
      out_.target_stock = read_target_stock(reader_, v, shown);
    } else if (key == "part_time_to_full_time") {
      out_.part_time_to_full_time = reader_.number(v, shown, "part_time_to_full_time");
    }
  }

  void rate_multiplier(const toml::node& node, const std::string& key) {
    const auto* table = node.as_table();
    if (table == nullptr) reader_.wrong_type(node, key, "a table with `where` and `factor`");
    RateMultiplier m;
    bool have_factor = false;
    for (auto&& [k, v] : *table) {
      const std::string name(k.str());
      const std::string full = key + "." + name;
      if (name == "factor") {
        m.factor = reader_.number(v, full, "factor");
        have_factor = true;
      } else if (name == "where") {
        m.where = read_where(reader_, v, full);
      } else if (is_scenario_key(name)) {
        set(k, v, name);  // a scenario key written after [[rate_multiplier]] belongs to the scenario
      } else {
        reader_.fail(k.source(), full,
                     std::string("unknown key (known: where, factor; or a scenario key: ") + known_keys + ")");
      }
    }
    if (!have_factor) reader_.fail(node.source(), key + ".factor", "is required");
    out_.rate_multipliers.push_back(std::move(m));
  }

  Scenario finish() {
    if (seen_.count("name") == 0) reader_.fail(toml::source_region{}, "name", "is required");
    validate_scenario(out_);  // every value was checked by the same rules on the way in
    return std::move(out_);
  }

 private:
  const Reader& reader_;
  Scenario out_;
  std::set<std::string> seen_;
};

}  // namespace

Scenario parse_scenario_toml(std::string_view text, const std::string& label) {
  const Reader reader(label);
  toml::table root;
  try {
    root = toml::parse(text, label);
  } catch (const toml::parse_error& e) {
    reader.fail(e.source(), "", "invalid TOML: " + std::string(e.description()));
  }

  ScenarioBuilder builder(reader);
  for (auto&& [k, v] : root) {
    const std::string key(k.str());
    if (key == "rate_multiplier") {
      if (const auto* list = v.as_array()) {
        for (std::size_t i = 0; i < list->size(); ++i) {
          builder.rate_multiplier(*list->get(i), key + "[" + std::to_string(i + 1) + "]");
        }
      } else if (v.is_table()) {
        builder.rate_multiplier(v, key);
      } else {
        reader.wrong_type(v, key, "an array of tables ([[rate_multiplier]])");
      }
    } else if (is_scenario_key(key)) {
      builder.set(k, v, key);
    } else {
      reader.fail(k.source(), key, std::string("unknown key (known: ") + known_keys + ")");
    }
  }
  return builder.finish();
}

Scenario read_scenario_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw io_error("scenario file '" + path + "' is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw io_error("cannot open scenario file '" + path + "'");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw io_error("cannot read scenario file '" + path + "'");
  return parse_scenario_toml(text, path);
}

}  // namespace staffcast
