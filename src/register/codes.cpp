#include <staffcast/error.hpp>
#include <staffcast/register/codes.hpp>

namespace staffcast {

std::vector<EndReason> parse_end_reasons(const std::vector<std::string>& names) {
  std::vector<EndReason> reasons;
  reasons.reserve(names.size());
  for (const std::string& name : names) {
    const std::optional<EndReason> reason = parse_end_reason(name);
    if (!reason) throw argument_error("unknown end reason '" + name + "'");
    reasons.push_back(*reason);
  }
  return reasons;
}

}  // namespace staffcast
