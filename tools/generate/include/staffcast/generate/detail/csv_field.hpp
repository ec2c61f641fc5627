// One CSV field as the synthetic generator writes it (internal to
// staffcast::generate, declared here for its tests).
#pragma once

#include <string>

namespace staffcast::detail::gen {

/// `text` as one CSV field, quoted only when it contains a comma, a
/// double quote, CR or LF (quotes doubled).
std::string csv_field(const std::string& text);

}  // namespace staffcast::detail::gen
