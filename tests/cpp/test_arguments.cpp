// The parsing of named arguments (definitions, scopes, events, end reasons, date
// layouts, recruitment): the names each accepts and the message of the rest,
// which the bindings pass on to Python unchanged.
#include <staffcast/calendar.hpp>
#include <staffcast/models/rates.hpp>
#include <staffcast/models/transition.hpp>
#include <staffcast/register/codes.hpp>
#include <staffcast/stats/turnover.hpp>

#include <gtest/gtest.h>

#include <string>

using namespace staffcast;

namespace {

template <class F>
std::string message_of(F f) {
  try {
    f();
  } catch (const argument_error& e) {
    return e.what();
  }
  return "no argument_error";
}

TEST(Arguments, TurnoverDefinition) {
  EXPECT_EQ(parse_turnover_definition("municipal"), TurnoverDefinition::municipal);
  EXPECT_EQ(parse_turnover_definition("separation"), TurnoverDefinition::separation);
  EXPECT_EQ(parse_turnover_definition("own_request"), TurnoverDefinition::own_request);
  EXPECT_EQ(parse_turnover_definition("min"), TurnoverDefinition::min);
  EXPECT_EQ(message_of([] { parse_turnover_definition("Municipal"); }),
            "unknown turnover definition 'Municipal'; use municipal, separation, own_request or min");
}

TEST(Arguments, TurnoverScope) {
  EXPECT_EQ(parse_turnover_scope("administration"), TurnoverScope::administration);
  EXPECT_EQ(parse_turnover_scope("employer"), TurnoverScope::employer);
  EXPECT_EQ(message_of([] { parse_turnover_scope(""); }), "scope must be 'administration' or 'employer'");
}

TEST(Arguments, RateEvents) {
  EXPECT_EQ(parse_rate_events("departures"), RateEvents::departures);
  EXPECT_EQ(parse_rate_events("moves"), RateEvents::moves);
  EXPECT_EQ(parse_rate_events("exits"), RateEvents::exits);
  EXPECT_EQ(message_of([] { parse_rate_events("leavers"); }),
            "events must be 'departures', 'moves' or 'exits', got 'leavers'");
}

TEST(Arguments, EndReasons) {
  EXPECT_TRUE(parse_end_reasons({}).empty());
  EXPECT_EQ(parse_end_reasons({"retirement", "own_request", "retirement"}),
            (std::vector<EndReason>{EndReason::retirement, EndReason::own_request, EndReason::retirement}));
  // The empty name means "no end" in a register, never a reason to count.
  EXPECT_EQ(message_of([] { parse_end_reasons({"death", ""}); }), "unknown end reason ''");
  EXPECT_EQ(message_of([] { parse_end_reasons({"quit", "death"}); }), "unknown end reason 'quit'");
}

TEST(Arguments, DateFormat) {
  EXPECT_TRUE(require_date_format("%Y-%m-%d").is_iso());
  EXPECT_EQ(require_date_format("%Y%m%d").patterns(), std::vector<std::string>{"%Y%m%d"});
  EXPECT_FALSE(require_date_format("%d/%m/%Y").is_iso());
  EXPECT_EQ(message_of([] { require_date_format("%m/%d/%Q"); }),
            "date layout '%m/%d/%Q': unknown directive %Q; a layout is built from %Y %y %m %d %b and separators");
}

TEST(Arguments, Recruitment) {
  EXPECT_EQ(Recruitment::parse("none", std::nullopt).kind, Recruitment::Kind::none);
  const Recruitment fixed = Recruitment::parse("fixed", Eigen::VectorXd::Constant(2, 3.0));
  EXPECT_EQ(fixed.kind, Recruitment::Kind::fixed);
  EXPECT_EQ(fixed.values.size(), 2);
  const Recruitment hold = Recruitment::parse("hold", std::nullopt);
  EXPECT_EQ(hold.kind, Recruitment::Kind::hold);
  EXPECT_EQ(hold.values.size(), 0);
  EXPECT_EQ(message_of([] { Recruitment::parse("fixed", std::nullopt); }), "fixed recruits need one value per state");
  EXPECT_EQ(message_of([] { Recruitment::parse("grow", std::nullopt); }),
            "recruitment must be 'none', 'fixed' or 'hold'");
}

}  // namespace
