#include <staffcast/register/cut.hpp>

#include <staffcast/error.hpp>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace staffcast {

Register cut_register(const Register& reg, day_t cut) {
  if (cut > reg.extracted_on()) {
    throw argument_error("cannot cut the register on " + format_iso_date(cut) + ": it is after the extraction date " +
                         format_iso_date(reg.extracted_on()));
  }
  if (reg.size() == 0 || cut < reg.earliest_start()) {
    throw argument_error("cannot cut the register on " + format_iso_date(cut) +
                         ": no spell starts on or before that day");
  }
  const SpellColumns& s = reg.spells();
  CodedRegister c;
  c.label = "<register cut on " + format_iso_date(cut) + ">";
  c.extracted_on = cut;

  // Person keys: those of the kept spells and of their managers, each once.
  std::vector<std::uint32_t> id_code(reg.ids().size(), no_code);
  auto id_of = [&](std::uint32_t code) {
    if (id_code[code] == no_code) {
      id_code[code] = static_cast<std::uint32_t>(c.employee_id.values.size());
      c.employee_id.values.emplace_back(reg.ids()[code]);
    }
    return id_code[code];
  };
  c.position.values = reg.positions().strings();
  c.department.values = reg.departments().strings();
  for (const PassThroughColumn& column : reg.pass_through()) {
    c.pass_through.emplace_back(column.name, CodedRegister::Strings{{}, column.dictionary.strings()});
  }
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s.start_date[i] > cut) continue;
    const bool ends = s.end_date[i] != open_end_day && s.end_date[i] <= cut;
    c.employee_id.codes.push_back(id_of(s.person[i]));
    c.manager_id.codes.push_back(s.manager[i] == no_code ? no_code : id_of(s.manager[i]));
    c.position.codes.push_back(s.position[i]);
    c.department.codes.push_back(s.department[i]);
    for (std::size_t d = 0; d < c.pass_through.size(); ++d) {
      c.pass_through[d].second.codes.push_back(reg.pass_through()[d].codes[i]);
    }
    c.birth_date.push_back(s.birth_date[i]);
    c.start_date.push_back(s.start_date[i]);
    c.end_date.push_back(ends ? s.end_date[i] : open_end_day);
    c.gender.push_back(static_cast<std::uint8_t>(s.gender[i]));
    c.employment_form.push_back(static_cast<std::uint8_t>(s.employment_form[i]));
    c.fte.push_back(s.fte[i]);
    c.end_reason.push_back(static_cast<std::uint8_t>(ends ? s.end_reason[i] : EndReason::none));
    c.recruitment_source.push_back(static_cast<std::uint8_t>(s.recruitment_source[i]));
    c.source_row.push_back(s.source_row[i]);
  }
  // The manager keys share the list of person keys (a key no kept spell uses is no employee's).
  c.manager_id.values = c.employee_id.values;
  RegisterReadResult result = read_register_coded(c);
  if (!result.register_) throw argument_error("the register cut on " + format_iso_date(cut) + " is not valid");
  return std::move(*result.register_);
}

}  // namespace staffcast
