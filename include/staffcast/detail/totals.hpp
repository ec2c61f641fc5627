// The totals row of a grouped table.
#pragma once

#include <staffcast/register/query.hpp>
#include <staffcast/table.hpp>

#include <utility>

namespace staffcast::detail {

/// When the query asks for totals and the table is grouped, appends the totals
/// row: the same statistic over the whole filtered population, computed by
/// `ungrouped(query.ungrouped())`. Every grouped statistic ends this way.
template <class Ungrouped>
void append_totals(Table& table, const Query& query, Ungrouped&& ungrouped) {
  if (query.totals && !table.key_names.empty())
    table.append_total(std::forward<Ungrouped>(ungrouped)(query.ungrouped()));
}

}  // namespace staffcast::detail
