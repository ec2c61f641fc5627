// The whole public API of staffcast in one include.
#pragma once

#include <staffcast/version.hpp>

#include <staffcast/calendar.hpp>
#include <staffcast/date_format.hpp>
#include <staffcast/error.hpp>
#include <staffcast/table.hpp>

#include <staffcast/io/indicators.hpp>
#include <staffcast/io/mapping_file.hpp>
#include <staffcast/io/plan_file.hpp>
#include <staffcast/io/saved_register.hpp>
#include <staffcast/io/scenario_file.hpp>
#include <staffcast/io/sick_leave.hpp>
#include <staffcast/io/table_format.hpp>

#include <staffcast/register/codes.hpp>
#include <staffcast/register/column.hpp>
#include <staffcast/register/cut.hpp>
#include <staffcast/register/extraction.hpp>
#include <staffcast/register/groups.hpp>
#include <staffcast/register/issues.hpp>
#include <staffcast/register/query.hpp>
#include <staffcast/register/register.hpp>

#include <staffcast/stats/compare.hpp>
#include <staffcast/stats/disclosure.hpp>
#include <staffcast/stats/equality.hpp>
#include <staffcast/stats/flows.hpp>
#include <staffcast/stats/indicator_followup.hpp>
#include <staffcast/stats/recruitment_need.hpp>
#include <staffcast/stats/retirement.hpp>
#include <staffcast/stats/sick_leave_rates.hpp>
#include <staffcast/stats/snapshot.hpp>
#include <staffcast/stats/span.hpp>
#include <staffcast/stats/turnover.hpp>

#include <staffcast/models/kaplan_meier.hpp>
#include <staffcast/models/rates.hpp>
#include <staffcast/models/transition.hpp>

#include <staffcast/projection/backtest.hpp>
#include <staffcast/projection/cohort.hpp>
#include <staffcast/projection/microsim.hpp>
#include <staffcast/projection/philox.hpp>
#include <staffcast/projection/projection.hpp>
#include <staffcast/projection/replicate_summary.hpp>
#include <staffcast/projection/scenario.hpp>
#include <staffcast/projection/scenario_rules.hpp>

#include <staffcast/plan/dates.hpp>
#include <staffcast/plan/gap.hpp>
#include <staffcast/plan/optimise.hpp>
#include <staffcast/plan/periods.hpp>
#include <staffcast/plan/plan_from_register.hpp>
#include <staffcast/plan/workforce_plan.hpp>
#include <staffcast/plan/years.hpp>
