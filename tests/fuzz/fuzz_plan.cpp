// libFuzzer target: the plan-file parser (staffcast::parse_plan_toml, toml++)
// and, for small plans, the optimised plan (staffcast::optimise_plan, Clp).
//
// Input: the text of a plan file.
//
// Oracles, besides ASan/UBSan: parsing throws only staffcast::argument_error
// (whose message names the source label); an accepted plan passes
// validate_plan; solving throws only staffcast::error (argument_error for an
// infeasible plan); a solved plan has every quantity >= 0 (up to the solver's
// tolerance) and one row per period and category plus the Total row; parsing
// is deterministic.
#include <staffcast/error.hpp>
#include <staffcast/io/plan_file.hpp>
#include <staffcast/plan/optimise.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>

namespace {

using namespace staffcast;

[[noreturn]] void fail(const char* what, const std::string& detail = {}) {
  std::fprintf(stderr, "fuzz_plan invariant violated: %s %s\n", what, detail.c_str());
  std::abort();
}

#define FUZZ_CHECK(cond, ...)                           \
  do {                                                  \
    if (!(cond)) fail(#cond, std::string(__VA_ARGS__)); \
  } while (0)

const char* const label = "fuzz.toml";

void solve(const WorkforcePlan& plan) {
  const std::size_t cells = static_cast<std::size_t>(plan.periods) * plan.categories.size();
  if (cells > 60 || plan.moves.size() > 12) return;  // keep each input fast
  try {
    const PlanResult r = optimise_plan(plan);
    FUZZ_CHECK(r.table.rows() == cells + 1);
    for (const ValueColumn& column : r.table.values) {
      for (std::size_t i = 0; i < cells; ++i) {
        const double v = column.values[i];
        FUZZ_CHECK(std::isfinite(v) && v >= -1e-6 * (1.0 + std::fabs(r.objective_value)), column.name);
      }
    }
  } catch (const error&) {
    // infeasible (argument_error) or a solver that gave up on extreme numbers (error)
  } catch (const std::bad_alloc&) {
  } catch (const std::exception& e) {
    fail("an exception other than staffcast::error:", e.what());
  }
}

std::string outcome(std::string_view text) {
  try {
    const WorkforcePlan plan = parse_plan_toml(text, label);
    validate_plan(plan);
    FUZZ_CHECK(!plan.categories.empty());
    solve(plan);
    return "ok " + std::to_string(plan.periods) + " " + std::to_string(plan.categories.size()) + " " +
           std::to_string(plan.moves.size());
  } catch (const argument_error& e) {
    const std::string message = e.what();
    FUZZ_CHECK(message.rfind(std::string("plan ") + label, 0) == 0, "message without the source: " + message);
    return "error " + message;
  } catch (const std::bad_alloc&) {
    return "bad_alloc";
  } catch (const std::exception& e) {
    fail("an exception other than argument_error:", e.what());
  } catch (...) {
    fail("a non-std exception");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string first = outcome(text);
  FUZZ_CHECK(outcome(text) == first, "two parses of the same text differ");
  return 0;
}
