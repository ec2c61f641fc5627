// The closed code lists of the input contract (docs/data.md) as small enums.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace staffcast {

enum class Gender : std::uint8_t { F, M, X };
enum class EmploymentForm : std::uint8_t { permanent, temporary, hourly };
enum class EndReason : std::uint8_t {
  none,  // no end (ongoing spell)
  own_request,
  retirement,
  fixed_term_ended,
  internal_move,
  other_administration,
  dismissal,
  death,
  other,
};
enum class RecruitmentSource : std::uint8_t { unknown, internal, other_administration, external, rehire };

inline constexpr std::array<std::string_view, 3> gender_names{"F", "M", "X"};
inline constexpr std::array<std::string_view, 3> employment_form_names{"permanent", "temporary", "hourly"};
inline constexpr std::array<std::string_view, 9> end_reason_names{
    "",          "own_request", "retirement", "fixed_term_ended", "internal_move", "other_administration",
    "dismissal", "death",       "other"};
inline constexpr std::array<std::string_view, 5> recruitment_source_names{"", "internal", "other_administration",
                                                                          "external", "rehire"};

namespace detail {
template <class Enum, std::size_t N>
constexpr std::optional<Enum> lookup_code(const std::array<std::string_view, N>& names, std::string_view text,
                                          std::size_t first) noexcept {
  for (std::size_t i = first; i < N; ++i) {
    if (names[i] == text) return static_cast<Enum>(i);
  }
  return std::nullopt;
}
}  // namespace detail

constexpr std::optional<Gender> parse_gender(std::string_view text) noexcept {
  return detail::lookup_code<Gender>(gender_names, text, 0);
}
constexpr std::optional<EmploymentForm> parse_employment_form(std::string_view text) noexcept {
  return detail::lookup_code<EmploymentForm>(employment_form_names, text, 0);
}
constexpr std::optional<EndReason> parse_end_reason(std::string_view text) noexcept {
  return detail::lookup_code<EndReason>(end_reason_names, text, 1);
}
/// The end reasons named in `names` (each as in end_reason_names, not empty), in
/// the given order; throws argument_error "unknown end reason '<name>'" at the
/// first name that is not one.
std::vector<EndReason> parse_end_reasons(const std::vector<std::string>& names);
constexpr std::optional<RecruitmentSource> parse_recruitment_source(std::string_view text) noexcept {
  return detail::lookup_code<RecruitmentSource>(recruitment_source_names, text, 1);
}

template <class Enum>
constexpr std::size_t code_index(Enum value) noexcept {
  return static_cast<std::size_t>(value);
}

inline constexpr std::string_view name_of(Gender g) noexcept { return gender_names[code_index(g)]; }
inline constexpr std::string_view name_of(EmploymentForm f) noexcept { return employment_form_names[code_index(f)]; }
inline constexpr std::string_view name_of(EndReason r) noexcept { return end_reason_names[code_index(r)]; }
inline constexpr std::string_view name_of(RecruitmentSource s) noexcept {
  return recruitment_source_names[code_index(s)];
}

}  // namespace staffcast
