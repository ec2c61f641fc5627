// Plan files: TOML (toml++) into staffcast::WorkforcePlan (docs/plans.md).
// Types and syntax are checked here; the allowed values are the rules of
// plan/workforce_plan.hpp (plan_share_problem, plan_amount_problem,
// validate_plan), shared with the C++ API and the Python bindings.
#include "toml.hpp"

#include <staffcast/io/plan_file.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace staffcast {

namespace {

const char* type_name(const toml::node& node) {
  switch (node.type()) {
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

constexpr const char* plan_keys = "objective, periods, overstaffing_max_total, register, category, move, capacity";
constexpr const char* capacity_keys = "name, category, max, cost";
constexpr const char* register_keys = "by, years";
constexpr const char* category_keys =
    "name, initial, demand, wastage_new, wastage, recruit_max, recruit_cost, redundancy_cost, overstaffing_cost, "
    "short_time_max, short_time_cost, short_time_output, shortfall_cost";
constexpr const char* move_keys = "from, to, max, max_share_of_target, cost, arrive";

/// Reads values and builds the messages: "plan <label>, line L, column C: key 'K': what".
class Reader {
 public:
  explicit Reader(const std::string& label) : label_(label) {}

  [[noreturn]] void fail(const toml::source_region& where, const std::string& key, const std::string& what) const {
    std::string message = "plan " + label_;
    if (where.begin.line > 0) {
      message += ", line " + std::to_string(where.begin.line) + ", column " + std::to_string(where.begin.column);
    }
    if (!key.empty()) message += ": key '" + key + "'";
    message += ": " + what;
    throw argument_error(message);
  }

  [[noreturn]] void wrong_type(const toml::node& node, const std::string& key, const std::string& expected) const {
    fail(node.source(), key, "expected " + expected + ", got " + type_name(node));
  }

  double number(const toml::node& node, const std::string& key, bool share) const {
    double v = 0.0;
    if (const auto* f = node.as_floating_point()) {
      v = f->get();
    } else if (const auto* i = node.as_integer()) {
      v = static_cast<double>(i->get());
    } else {
      wrong_type(node, key, share ? "a number in [0, 1]" : "a number >= 0");
    }
    const std::string problem = share ? plan_share_problem(v) : plan_amount_problem(v);
    if (!problem.empty()) fail(node.source(), key, problem);
    return v;
  }

  /// One number, or an array of one per period.
  std::vector<double> per_period(const toml::node& node, const std::string& key, bool share) const {
    if (const auto* list = node.as_array()) {
      if (list->empty()) fail(node.source(), key, "the list must not be empty");
      std::vector<double> out;
      for (std::size_t i = 0; i < list->size(); ++i) {
        out.push_back(number(*list->get(i), key + "[" + std::to_string(i + 1) + "]", share));
      }
      return out;
    }
    if (!node.is_number()) wrong_type(node, key, "a number or an array of numbers (one per period)");
    return {number(node, key, share)};
  }

  std::string string(const toml::node& node, const std::string& key) const {
    const auto* value = node.as_string();
    if (value == nullptr) wrong_type(node, key, "a string");
    if (value->get().empty()) fail(node.source(), key, "must not be empty");
    return value->get();
  }

 private:
  const std::string& label_;
};

struct Where {
  toml::source_region table;
  std::map<std::string, toml::source_region> keys;
  toml::source_region at(const std::string& key) const {
    const auto found = keys.find(key);
    return found == keys.end() ? table : found->second;
  }
};

PlanCategory read_category(const Reader& reader, const toml::node& node, const std::string& key, Where& where,
                           bool from_register) {
  const auto* table = node.as_table();
  if (table == nullptr) reader.wrong_type(node, key, "a table ([[category]])");
  where.table = node.source();
  PlanCategory c;
  c.short_time_output = -1.0;  // required with short_time_max: set below
  for (auto&& [k, v] : *table) {
    const std::string name(k.str());
    const std::string full = key + "." + name;
    where.keys[name] = v.source();
    if (name != "name") c.keys_given.push_back(name);
    if (name == "name") {
      c.name = reader.string(v, full);
    } else if (name == "initial") {
      c.initial = reader.number(v, full, false);
    } else if (name == "demand") {
      if (!v.is_array()) reader.wrong_type(v, full, "an array of numbers (one per period)");
      c.demand = reader.per_period(v, full, false);
    } else if (name == "wastage_new") {
      c.wastage_new = reader.number(v, full, true);
    } else if (name == "wastage") {
      c.wastage = reader.per_period(v, full, true);
    } else if (name == "recruit_max") {
      c.recruit_max = reader.per_period(v, full, false);
    } else if (name == "recruit_cost") {
      c.recruit_cost = reader.number(v, full, false);
    } else if (name == "redundancy_cost") {
      c.redundancy_cost = reader.number(v, full, false);
    } else if (name == "overstaffing_cost") {
      c.overstaffing_cost = reader.number(v, full, false);
    } else if (name == "short_time_max") {
      c.short_time_max = reader.number(v, full, false);
    } else if (name == "short_time_cost") {
      c.short_time_cost = reader.number(v, full, false);
    } else if (name == "short_time_output") {
      c.short_time_output = reader.number(v, full, true);
    } else if (name == "shortfall_cost") {
      c.shortfall_cost = reader.number(v, full, false);
    } else {
      reader.fail(k.source(), full, std::string("unknown key (known: ") + category_keys + ")");
    }
  }
  if (c.name.empty()) reader.fail(node.source(), key + ".name", "is required");
  if (c.demand.empty() && !from_register) {
    reader.fail(node.source(), key + ".demand", "is required (one number per period)");
  }
  if (c.short_time_output < 0.0) {
    if (c.short_time_max) {
      reader.fail(where.at("short_time_max"), key + ".short_time_output",
                  "is required with short_time_max (the share of the work a person on short time does)");
    }
    c.short_time_output = 0.5;  // unused without short time
  }
  return c;
}

PlanMove read_move(const Reader& reader, const toml::node& node, const std::string& key, Where& where) {
  const auto* table = node.as_table();
  if (table == nullptr) reader.wrong_type(node, key, "a table ([[move]])");
  where.table = node.source();
  PlanMove m;
  for (auto&& [k, v] : *table) {
    const std::string name(k.str());
    const std::string full = key + "." + name;
    where.keys[name] = v.source();
    if (name == "from") {
      m.from = reader.string(v, full);
    } else if (name == "to") {
      m.to = reader.string(v, full);
    } else if (name == "max") {
      m.max = reader.per_period(v, full, false);
    } else if (name == "max_share_of_target") {
      m.max_share_of_target = reader.number(v, full, true);
    } else if (name == "cost") {
      m.cost = reader.number(v, full, false);
    } else if (name == "arrive") {
      m.arrive = reader.number(v, full, true);
    } else {
      reader.fail(k.source(), full, std::string("unknown key (known: ") + move_keys + ")");
    }
  }
  if (m.from.empty()) reader.fail(node.source(), key + ".from", "is required (the name of a category)");
  if (m.to.empty()) reader.fail(node.source(), key + ".to", "is required (the name of a category)");
  return m;
}

PlanRegisterSection read_register(const Reader& reader, const toml::node& given) {
  const toml::node* found = &given;
  // Python's TOML writer gives a dict's single table as [[register]]: one table is accepted either way.
  if (const auto* list = given.as_array(); list != nullptr && list->size() == 1) found = list->get(0);
  const toml::node& node = *found;
  const auto* table = node.as_table();
  if (table == nullptr) reader.wrong_type(node, "register", "a table ([register])");
  PlanRegisterSection r;
  for (auto&& [k, v] : *table) {
    const std::string name(k.str());
    const std::string full = "register." + name;
    if (name == "by") {
      if (const auto* list = v.as_array()) {
        for (std::size_t i = 0; i < list->size(); ++i) {
          r.by.push_back(reader.string(*list->get(i), full + "[" + std::to_string(i + 1) + "]"));
        }
        if (r.by.empty()) reader.fail(v.source(), full, "the list must not be empty");
      } else {
        r.by.push_back(reader.string(v, full));
      }
    } else if (name == "years") {
      const auto* list = v.as_array();
      if (list == nullptr || list->empty()) reader.wrong_type(v, full, "a non-empty array of years");
      for (std::size_t i = 0; i < list->size(); ++i) {
        const auto* year = list->get(i)->as_integer();
        const std::string at = full + "[" + std::to_string(i + 1) + "]";
        if (year == nullptr) reader.wrong_type(*list->get(i), at, "a year (an integer)");
        if (year->get() < 1900 || year->get() > 2199) {
          reader.fail(list->get(i)->source(), at, "must be a year in 1900..2199, got " + std::to_string(year->get()));
        }
        const int y = static_cast<int>(year->get());
        if (!r.years.empty() && y != r.years.back() + 1) {
          reader.fail(
              list->get(i)->source(), at,
              "the years must be consecutive, got " + std::to_string(r.years.back()) + " then " + std::to_string(y));
        }
        r.years.push_back(y);
      }
    } else {
      reader.fail(k.source(), full, std::string("unknown key (known: ") + register_keys + ")");
    }
  }
  if (r.by.empty()) reader.fail(node.source(), "register.by", "is required (the grouping of the categories)");
  return r;
}

PlanCapacity read_capacity(const Reader& reader, const toml::node& node, const std::string& key, Where& where) {
  const auto* table = node.as_table();
  if (table == nullptr) reader.wrong_type(node, key, "a table ([[capacity]])");
  where.table = node.source();
  PlanCapacity c;
  for (auto&& [k, v] : *table) {
    const std::string name(k.str());
    const std::string full = key + "." + name;
    where.keys[name] = v.source();
    if (name == "name") {
      c.name = reader.string(v, full);
    } else if (name == "category") {
      c.category = reader.string(v, full);
    } else if (name == "max") {
      c.max = reader.per_period(v, full, false);
    } else if (name == "cost") {
      c.cost = reader.number(v, full, false);
    } else {
      reader.fail(k.source(), full, std::string("unknown key (known: ") + capacity_keys + ")");
    }
  }
  if (c.name.empty()) reader.fail(node.source(), key + ".name", "is required (what the capacity is)");
  if (c.category.empty()) reader.fail(node.source(), key + ".category", "is required (the name of a category)");
  return c;
}

/// Calls `read` on each table of an array of tables (or a single table).
template <class Read>
void each_table(const Reader& reader, const toml::node& node, const std::string& key, Read read) {
  if (const auto* list = node.as_array()) {
    for (std::size_t i = 0; i < list->size(); ++i) read(*list->get(i), key + "[" + std::to_string(i + 1) + "]");
  } else if (node.is_table()) {
    read(node, key + "[1]");
  } else {
    reader.wrong_type(node, key, "an array of tables ([[" + key + "]])");
  }
}

void check_lengths(const Reader& reader, const std::vector<double>& values, int periods, bool one_allowed,
                   const toml::source_region& where, const std::string& key) {
  if (values.empty()) return;
  if (values.size() == static_cast<std::size_t>(periods) || (one_allowed && values.size() == 1)) return;
  reader.fail(where, key,
              std::string("must have ") + (one_allowed ? "one value or " : "") + std::to_string(periods) +
                  " values (one per period, periods = " + std::to_string(periods) + "), got " +
                  std::to_string(values.size()));
}

}  // namespace

WorkforcePlan parse_plan_toml(std::string_view text, const std::string& label) {
  const Reader reader(label);
  toml::table root;
  try {
    root = toml::parse(text, label);
  } catch (const toml::parse_error& e) {
    reader.fail(e.source(), "", "invalid TOML: " + std::string(e.description()));
  }
  WorkforcePlan plan;
  std::optional<toml::source_region> periods_at;
  std::vector<Where> category_at, move_at, capacity_at;
  if (const toml::node* section = root.get("register")) plan.from_register = read_register(reader, *section);
  for (auto&& [k, v] : root) {
    const std::string key(k.str());
    if (key == "objective") {
      try {
        plan.objective = parse_plan_objective(reader.string(v, key));
      } catch (const argument_error& e) {
        if (v.is_string())
          reader.fail(v.source(), key,
                      "must be one of cost, redundancy, shortfall, got '" + v.as_string()->get() + "'");
        throw;
      }
    } else if (key == "periods") {
      const auto* value = v.as_integer();
      if (value == nullptr) reader.wrong_type(v, key, "an integer in 1.." + std::to_string(max_plan_periods));
      if (value->get() < 1 || value->get() > max_plan_periods) {
        reader.fail(
            v.source(), key,
            "must be an integer in 1.." + std::to_string(max_plan_periods) + ", got " + std::to_string(value->get()));
      }
      plan.periods = static_cast<int>(value->get());
      periods_at = v.source();
    } else if (key == "overstaffing_max_total") {
      plan.overstaffing_max_total = reader.number(v, key, false);
    } else if (key == "register") {
      // read above: the categories need to know
    } else if (key == "category") {
      each_table(reader, v, key, [&](const toml::node& node, const std::string& at) {
        category_at.emplace_back();
        plan.categories.push_back(read_category(reader, node, at, category_at.back(), plan.from_register.has_value()));
      });
    } else if (key == "capacity") {
      each_table(reader, v, key, [&](const toml::node& node, const std::string& at) {
        capacity_at.emplace_back();
        plan.capacities.push_back(read_capacity(reader, node, at, capacity_at.back()));
      });
    } else if (key == "move") {
      each_table(reader, v, key, [&](const toml::node& node, const std::string& at) {
        move_at.emplace_back();
        plan.moves.push_back(read_move(reader, node, at, move_at.back()));
      });
    } else {
      reader.fail(k.source(), key, std::string("unknown key (known: ") + plan_keys + ")");
    }
  }
  if (plan.from_register && !plan.from_register->years.empty()) {
    const auto years = static_cast<int>(plan.from_register->years.size());
    if (periods_at && plan.periods != years) {
      reader.fail(*periods_at, "periods",
                  "is " + std::to_string(plan.periods) + " but register.years gives " + std::to_string(years));
    }
    plan.periods = years;
    periods_at = toml::source_region{};
  }
  if (!periods_at) {
    reader.fail(toml::source_region{}, "periods",
                plan.from_register ? "is required (the number of periods), or register.years"
                                   : "is required (the number of periods)");
  }
  if (plan.categories.empty() && !plan.from_register) {
    reader.fail(toml::source_region{}, "category", "a plan needs at least one [[category]]");
  }

  // What needs the whole file: lengths against `periods`, names, the categories a move names.
  std::set<std::string> names;
  for (std::size_t i = 0; i < plan.categories.size(); ++i) {
    const PlanCategory& c = plan.categories[i];
    const Where& at = category_at[i];
    const std::string key = "category[" + std::to_string(i + 1) + "]";
    if (!names.insert(c.name).second) reader.fail(at.at("name"), key + ".name", "'" + c.name + "' is given twice");
    check_lengths(reader, c.demand, plan.periods, false, at.at("demand"), key + ".demand");
    check_lengths(reader, c.wastage, plan.periods, true, at.at("wastage"), key + ".wastage");
    check_lengths(reader, c.recruit_max, plan.periods, true, at.at("recruit_max"), key + ".recruit_max");
  }
  std::string known;
  for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
  for (std::size_t i = 0; i < plan.moves.size(); ++i) {
    const PlanMove& m = plan.moves[i];
    const Where& at = move_at[i];
    const std::string key = "move[" + std::to_string(i + 1) + "]";
    if (plan.from_register) {  // the categories come from the register: checked there
      check_lengths(reader, m.max, plan.periods, true, at.at("max"), key + ".max");
      continue;
    }
    if (names.count(m.from) == 0) {
      reader.fail(at.at("from"), key + ".from", "unknown category '" + m.from + "' (categories: " + known + ")");
    }
    if (names.count(m.to) == 0) {
      reader.fail(at.at("to"), key + ".to", "unknown category '" + m.to + "' (categories: " + known + ")");
    }
    check_lengths(reader, m.max, plan.periods, true, at.at("max"), key + ".max");
  }
  for (std::size_t i = 0; i < plan.capacities.size(); ++i) {
    const PlanCapacity& c = plan.capacities[i];
    const std::string key = "capacity[" + std::to_string(i + 1) + "]";
    if (!plan.from_register && names.count(c.category) == 0) {
      reader.fail(capacity_at[i].at("category"), key + ".category",
                  "unknown category '" + c.category + "' (categories: " + known + ")");
    }
    check_lengths(reader, c.max, plan.periods, true, capacity_at[i].at("max"), key + ".max");
  }
  if (plan.from_register) return plan;  // validated once the register has filled it in
  try {
    validate_plan(plan);  // the remaining rules (a move within one category, a move given twice)
  } catch (const argument_error& e) {
    throw argument_error("plan " + label + ": " + std::string(e.what()).substr(6));  // drop "plan: "
  }
  return plan;
}

WorkforcePlan read_plan_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw io_error("plan file '" + path + "' is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw io_error("cannot open plan file '" + path + "'");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw io_error("cannot read plan file '" + path + "'");
  return parse_plan_toml(text, path);
}

}  // namespace staffcast
